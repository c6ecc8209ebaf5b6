/**
 * Jupyter message shapes (messaging spec 5.3) and the helpers that make headers and replies.
 *
 * Pure data: no sockets, no signing (see wire.ts), nothing about the language that runs cells.
 */
import { randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";

export type JsonObject = Record<string, unknown>;

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

/** One decoded, verified Jupyter message. `identities` are the ROUTER routing frames. */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  /** Empty object when the message has no parent. */
  parent_header: Partial<MessageHeader>;
  metadata: JsonObject;
  content: JsonObject;
  buffers: Buffer[];
}

/** The channels a client sends requests on. */
export type RequestChannel = "shell" | "control" | "stdin";
/** Every channel the kernel sends on. */
export type Channel = RequestChannel | "iopub";

/**
 * Makes a header for a new kernel-originated message.
 *
 * @example
 * const h = makeHeader("status", "b4c1…");
 * // h.msg_type === "status", h.version === "5.3"
 */
export function makeHeader(msgType: string, session: string): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username: "kernel",
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/**
 * Builds a message that answers or belongs to `parent` (reply, IOPub output, input_request).
 * Routing identities are copied from the parent so a ROUTER can deliver it.
 *
 * @example
 * const reply = makeChild(request, "kernel_info_reply", { status: "ok" }, session);
 */
export function makeChild(
  parent: JupyterMessage | undefined,
  msgType: string,
  content: JsonObject,
  session: string,
  metadata: JsonObject = {},
): JupyterMessage {
  return {
    identities: parent ? parent.identities : [],
    header: makeHeader(msgType, session),
    parent_header: parent ? parent.header : {},
    metadata,
    content,
    buffers: [],
  };
}

/** "execute_request" → "execute_reply". */
export function replyTypeFor(requestType: string): string {
  return requestType.replace(/_request$/, "_reply");
}
