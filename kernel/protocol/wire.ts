/**
 * The Jupyter wire format: multipart frames `[ids…, "<IDS|MSG>", hmac, header, parent, metadata,
 * content, buffers…]`, signed with HMAC over the four JSON frames.
 *
 * Decoding is where untrusted bytes enter the kernel: a message with a missing or wrong signature,
 * or that is malformed, is rejected here with a reason that never contains the expected signature
 * (a leaked signature would let anyone replay a forged request). So is a message larger, deeper
 * or with more values than limits.ts allows, checked by size before the signature is computed and
 * by a byte scan before anything is parsed, so a rejected message costs little.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { jsonShapeProblem } from "./json-shape.js";
import { MAX_HEADER_BYTES, MAX_JSON_DEPTH, MAX_JSON_VALUES, MAX_MESSAGE_BYTES, MAX_MESSAGE_FRAMES } from "./limits.js";
import type { JupyterMessage, MessageHeader } from "./messages.js";

export const DELIMITER = "<IDS|MSG>";
const DELIMITER_BYTES = Buffer.from(DELIMITER);

/** Signs and verifies the four JSON frames. An empty key disables signing (as the spec says). */
export class Signer {
  private readonly key: Buffer;

  constructor(key: string, private readonly scheme = "hmac-sha256") {
    this.key = Buffer.from(key, "utf8");
    if (this.key.length > 0 && scheme !== "hmac-sha256") {
      throw new Error(`unsupported signature_scheme ${JSON.stringify(scheme)}: gradlab supports hmac-sha256`);
    }
  }

  get enabled(): boolean {
    return this.key.length > 0;
  }

  /**
   * Hex HMAC of the frames, or "" when signing is disabled.
   *
   * @example
   * new Signer("k").sign([Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")]);
   */
  sign(frames: readonly Buffer[]): string {
    if (!this.enabled) return "";
    const hmac = createHmac("sha256", this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  /** Constant-time comparison of a received signature with the expected one. */
  verify(signature: Buffer, frames: readonly Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(frames), "ascii");
    // Lengths are public (always 64 hex characters); compare contents in constant time.
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

const JSON_FRAME_NAMES = ["header", "parent_header", "metadata", "content"] as const;

export type DecodeResult = { ok: true; message: JupyterMessage } | { ok: false; reason: string };

/**
 * Serialises a message into signed frames, identities first.
 *
 * @example
 * const frames = encodeMessage(reply, new Signer(key));
 * await router.send(frames);
 */
export function encodeMessage(message: JupyterMessage, signer: Signer): Buffer[] {
  const json = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part), "utf8"),
  );
  return [...message.identities, DELIMITER_BYTES, Buffer.from(signer.sign(json), "ascii"), ...json, ...message.buffers];
}

/**
 * Parses and verifies frames received on a socket.
 *
 * @example
 * const result = decodeMessage(frames, signer);
 * if (!result.ok) console.error(result.reason); // never answered
 */
export function decodeMessage(frames: readonly Buffer[], signer: Signer): DecodeResult {
  if (frames.length > MAX_MESSAGE_FRAMES) return { ok: false, reason: `more than ${MAX_MESSAGE_FRAMES} frames` };
  let bytes = 0;
  for (const frame of frames) bytes += frame.length;
  if (bytes > MAX_MESSAGE_BYTES) return { ok: false, reason: `${bytes} bytes, more than the limit of ${MAX_MESSAGE_BYTES}` };
  const at = frames.findIndex((frame) => frame.equals(DELIMITER_BYTES));
  if (at < 0) return { ok: false, reason: "no <IDS|MSG> delimiter" };
  if (frames.length < at + 6) return { ok: false, reason: `too few frames (${frames.length - at - 1} after the delimiter, need 5)` };
  const signature = frames[at + 1]!;
  const json = frames.slice(at + 2, at + 6);
  if (signer.enabled && signature.length === 0) return { ok: false, reason: "unsigned message" };
  if (!signer.verify(signature, json)) return { ok: false, reason: "invalid signature" };
  if (json[0]!.length > MAX_HEADER_BYTES) return { ok: false, reason: `header of ${json[0]!.length} bytes, more than the limit of ${MAX_HEADER_BYTES}` };
  for (const [i, frame] of json.entries()) {
    const problem = jsonShapeProblem(frame, { maxDepth: MAX_JSON_DEPTH, maxValues: MAX_JSON_VALUES });
    if (problem) return { ok: false, reason: `the ${JSON_FRAME_NAMES[i]} frame is ${problem}` };
  }
  let parts: unknown[];
  try {
    parts = json.map((frame) => JSON.parse(frame.toString("utf8")) as unknown);
  } catch {
    return { ok: false, reason: "a JSON frame does not parse" };
  }
  const [header, parent, metadata, content] = parts;
  if (!isObject(header) || !isObject(parent) || !isObject(metadata) || !isObject(content)) {
    return { ok: false, reason: "a JSON frame is not an object" };
  }
  if (typeof header["msg_type"] !== "string" || header["msg_type"] === "" || typeof header["msg_id"] !== "string") {
    return { ok: false, reason: "header lacks msg_type or msg_id" };
  }
  return {
    ok: true,
    message: {
      identities: frames.slice(0, at).map((f) => Buffer.from(f)),
      header: header as MessageHeader,
      parent_header: parent as Partial<MessageHeader>,
      metadata,
      content,
      buffers: frames.slice(at + 6).map((f) => Buffer.from(f)),
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
