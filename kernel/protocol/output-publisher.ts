/**
 * Publishes a running cell's outputs on IOPub, in call order, with the right parent header: each
 * call is one message, sent at once. Stream text arrives already batched by the executor (see
 * OutputSink in kernel/executor.ts), so nothing is held back here, and order between streams,
 * displays, the reply and `idle` is simply the order of the calls.
 *
 * Streams are capped per execute request (StreamBudget): past the limit, stream text is dropped
 * here, before it is encoded, with one notice where it stops and, at the end of the request, a
 * line saying how much was dropped followed by the last few KB of it.
 *
 * Output from a cell that already finished (a timer it started) goes out with the parent header of
 * the most recent execute_request, as ipykernel does, so it is shown rather than lost; it counts
 * against that request's budget.
 */
import { makeChild, type JsonObject, type JupyterMessage } from "./messages.js";
import { DEFAULT_MAX_OUTPUT_MB, StreamBudget, truncationNotice, type StreamName } from "./stream-budget.js";
import type { Transport } from "./transport.js";

export class OutputPublisher {
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
    this.send(request, "stderr", report.summary);
    for (const piece of report.tail) this.send(request, piece.name, piece.text);
  }

  /**
   * Publishes any IOPub message.
   *
   * @example
   * publisher.publish(request, "status", { execution_state: "busy" });
   */
  publish(parent: JupyterMessage | undefined, msgType: string, content: JsonObject, metadata: JsonObject = {}): void {
    if (msgType === "clear_output" && parent === this.execute) this.budget.restart();
    this.transport.send("iopub", makeChild(parent, msgType, content, this.session, metadata));
  }

  stream(parent: JupyterMessage, name: StreamName, text: string): void {
    if (text.length === 0) return;
    const shown = this.budget.admit(name, text);
    if (shown === text) {
      this.send(parent, name, text);
      return;
    }
    if (shown.length > 0) this.send(parent, name, shown);
    if (!this.budget.takeNotice()) return;
    // A cut stderr line would otherwise run into the notice (frontends join consecutive stderr text).
    const newline = name === "stderr" && shown.length > 0 && !shown.endsWith("\n") ? "\n" : "";
    this.send(parent, "stderr", newline + truncationNotice(this.outputLimitMb));
  }

  private send(parent: JupyterMessage, name: StreamName, text: string): void {
    this.transport.send("iopub", makeChild(parent, "stream", { name, text }, this.session));
  }
}
