/**
 * An in-memory Transport for fast handler tests: the test injects requests as a client would and
 * reads back everything the kernel sent, per channel, in order. No sockets, no signing.
 */
import { makeHeader, type Channel, type JsonObject, type JupyterMessage, type RequestChannel } from "./messages.js";
import type { RequestHandler, Transport } from "./transport.js";

export interface SentMessage {
  channel: Channel;
  message: JupyterMessage;
}

export class MemoryTransport implements Transport {
  readonly sent: SentMessage[] = [];
  private onRequest: RequestHandler | undefined;
  private waiters: Array<{ test: (m: SentMessage) => boolean; resolve: (m: SentMessage) => void }> = [];
  private readonly clientSession = "memory-client";
  closed = false;

  async start(onRequest: RequestHandler): Promise<void> {
    this.onRequest = onRequest;
  }

  send(channel: Channel, message: JupyterMessage): void {
    const entry = { channel, message };
    this.sent.push(entry);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(entry)) return true;
      w.resolve(entry);
      return false;
    });
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  /**
   * Delivers a request as a client would and returns it (its header.msg_id identifies the answers).
   *
   * @example
   * const req = transport.request("shell", "execute_request", { code: "1 + 1" });
   * const reply = await transport.reply(req);
   */
  request(channel: RequestChannel, msgType: string, content: JsonObject, parent?: JupyterMessage): JupyterMessage {
    if (!this.onRequest) throw new Error("MemoryTransport: start() has not been called");
    const message: JupyterMessage = {
      identities: [Buffer.from("client")],
      header: makeHeader(msgType, this.clientSession),
      parent_header: parent ? parent.header : {},
      metadata: {},
      content,
      buffers: [],
    };
    this.onRequest(channel, message);
    return message;
  }

  /** Resolves with the first message sent (already or later) that passes `test`. */
  waitFor(test: (m: SentMessage) => boolean): Promise<SentMessage> {
    const found = this.sent.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** The reply to `request` (on the channel it came from). */
  async reply(request: JupyterMessage): Promise<JupyterMessage> {
    const want = request.header.msg_type.replace(/_request$/, "_reply");
    const entry = await this.waitFor(
      (m) => m.channel !== "iopub" && m.message.parent_header.msg_id === request.header.msg_id && m.message.header.msg_type === want,
    );
    return entry.message;
  }

  /** Resolves once `request`'s idle status has been published. */
  async idle(request: JupyterMessage): Promise<void> {
    await this.waitFor(
      (m) =>
        m.channel === "iopub" &&
        m.message.header.msg_type === "status" &&
        m.message.content["execution_state"] === "idle" &&
        m.message.parent_header.msg_id === request.header.msg_id,
    );
  }

  /** IOPub messages whose parent is `request`, in order. */
  iopubFor(request: JupyterMessage): JupyterMessage[] {
    return this.sent
      .filter((m) => m.channel === "iopub" && m.message.parent_header.msg_id === request.header.msg_id)
      .map((m) => m.message);
  }
}
