/**
 * Publishes a running cell's outputs on IOPub, in call order, with the right parent header.
 *
 * Streams are coalesced: consecutive `stream` calls with the same name and parent become one
 * message, sent when `STREAM_DELAY_MS` has passed since the first buffered text, when the buffer
 * reaches `STREAM_MAX_BYTES`, or before any other IOPub message (so stdout, stderr and displays
 * keep their relative order and everything precedes the reply and `idle`). Printing 100,000 lines
 * thus sends a few dozen messages instead of 100,000.
 *
 * Streams are also capped per execute request (StreamBudget): past the limit, stream text is
 * dropped here, before it is buffered or encoded, with one notice where it stops and, at the end
 * of the request, a line saying how much was dropped followed by the last few KB of it.
 *
 * Output from a cell that already finished (a timer it started) goes out with the parent header of
 * the most recent execute_request, as ipykernel does, so it is shown rather than lost; it counts
 * against that request's budget.
 */
import { makeChild, type JsonObject, type JupyterMessage } from "./messages.js";
import { DEFAULT_MAX_OUTPUT_MB, StreamBudget, truncationNotice, type StreamName } from "./stream-budget.js";
import type { Transport } from "./transport.js";

export const STREAM_DELAY_MS = 50;
export const STREAM_MAX_BYTES = 64 * 1024;

interface PendingStream {
  parent: JupyterMessage;
  name: StreamName;
  chunks: string[];
  length: number;
}

export class OutputPublisher {
  private pending: PendingStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private execute: JupyterMessage | undefined;
  private budget: StreamBudget;

  /** `outputLimitMb`: stream text allowed per execute request, in MB; 0 = unlimited. */
  constructor(
    private readonly transport: Transport,
    private readonly session: string,
    private readonly outputLimitMb = DEFAULT_MAX_OUTPUT_MB,
  ) {
    this.budget = new StreamBudget(outputLimitMb);
  }

  /** The execute_request that late output (from finished cells) is attributed to. */
  get lastExecute(): JupyterMessage | undefined {
    return this.execute;
  }

  /**
   * Starts an execute request: it becomes the parent of late output and gets a fresh stream
   * budget. Output the previous request's timers had dropped since its end is reported first.
   *
   * @example
   * publisher.beginExecute(request); // ... cell runs ... publisher.endExecute(request);
   */
  beginExecute(request: JupyterMessage): void {
    if (this.execute) this.endExecute(this.execute);
    this.execute = request;
    this.budget = new StreamBudget(this.outputLimitMb);
  }

  /** Reports (on stderr, then the kept tail) what the request's budget dropped; call before its
   * execute_result/error and reply. Late output dropped afterwards is reported at the next begin. */
  endExecute(request: JupyterMessage): void {
    if (request !== this.execute) return;
    const report = this.budget.takeReport();
    if (!report) return;
    this.buffer(request, "stderr", report.summary);
    for (const piece of report.tail) this.buffer(request, piece.name, piece.text);
    this.flushStreams();
  }

  /**
   * Publishes any IOPub message after the buffered stream text.
   *
   * @example
   * publisher.publish(request, "status", { execution_state: "busy" });
   */
  publish(parent: JupyterMessage | undefined, msgType: string, content: JsonObject, metadata: JsonObject = {}): void {
    this.flushStreams();
    if (msgType === "clear_output" && parent === this.execute) this.budget.restart();
    this.transport.send("iopub", makeChild(parent, msgType, content, this.session, metadata));
  }

  stream(parent: JupyterMessage, name: StreamName, text: string): void {
    if (text.length === 0) return;
    const shown = this.budget.admit(name, text);
    if (shown === text) {
      this.buffer(parent, name, text);
      return;
    }
    if (shown.length > 0) this.buffer(parent, name, shown);
    if (!this.budget.takeNotice()) return;
    // A cut stderr line would otherwise run into the notice (consecutive stderr text is joined).
    const newline = name === "stderr" && shown.length > 0 && !shown.endsWith("\n") ? "\n" : "";
    this.buffer(parent, "stderr", newline + truncationNotice(this.outputLimitMb));
  }

  private buffer(parent: JupyterMessage, name: StreamName, text: string): void {
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
