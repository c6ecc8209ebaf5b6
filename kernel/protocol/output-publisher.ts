/**
 * Publishes a running cell's outputs on IOPub, in call order, with the right parent header.
 *
 * Streams are coalesced: consecutive `stream` calls with the same name and parent become one
 * message, sent when `STREAM_DELAY_MS` has passed since the first buffered text, when the buffer
 * reaches `STREAM_MAX_BYTES`, or before any other IOPub message (so stdout, stderr and displays
 * keep their relative order and everything precedes the reply and `idle`). Printing 100,000 lines
 * thus sends a few dozen messages instead of 100,000.
 *
 * Output from a cell that already finished (a timer it started) goes out with the parent header of
 * the most recent execute_request, as ipykernel does, so it is shown rather than lost.
 */
import { makeChild, type JsonObject, type JupyterMessage } from "./messages.js";
import type { Transport } from "./transport.js";

export const STREAM_DELAY_MS = 50;
export const STREAM_MAX_BYTES = 64 * 1024;

interface PendingStream {
  parent: JupyterMessage;
  name: "stdout" | "stderr";
  chunks: string[];
  length: number;
}

export class OutputPublisher {
  private pending: PendingStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The execute_request that late output (from finished cells) is attributed to. */
  lastExecute: JupyterMessage | undefined;

  constructor(private readonly transport: Transport, private readonly session: string) {}

  /**
   * Publishes any IOPub message after the buffered stream text.
   *
   * @example
   * publisher.publish(request, "status", { execution_state: "busy" });
   */
  publish(parent: JupyterMessage | undefined, msgType: string, content: JsonObject, metadata: JsonObject = {}): void {
    this.flushStreams();
    this.transport.send("iopub", makeChild(parent, msgType, content, this.session, metadata));
  }

  stream(parent: JupyterMessage, name: "stdout" | "stderr", text: string): void {
    if (text.length === 0) return;
    if (this.pending && (this.pending.name !== name || this.pending.parent !== parent)) this.flushStreams();
    if (!this.pending) {
      this.pending = { parent, name, chunks: [], length: 0 };
      this.timer = setTimeout(() => this.flushStreams(), STREAM_DELAY_MS);
    }
    this.pending.chunks.push(text);
    this.pending.length += text.length;
    if (this.pending.length >= STREAM_MAX_BYTES) this.flushStreams();
  }

  /** Sends buffered stream text now. */
  flushStreams(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.transport.send("iopub", makeChild(pending.parent, "stream", { name: pending.name, text: pending.chunks.join("") }, this.session));
  }
}
