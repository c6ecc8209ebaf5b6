/**
 * Where cells' output goes. `console.*` and process.stdout/stderr writes on the main thread are
 * buffered here and handed to the sink of the running cell — or, once it has ended, of the most
 * recent cell, so output from its timers and promises is never dropped (the protocol publishes it
 * under that cell's request). Buffering keeps 100,000 console.log lines from becoming 100,000
 * stream messages: text is flushed when 64 KB have piled up, 30 ms after the first unflushed write,
 * before any display output (to keep the order), and at the end of each cell.
 *
 * Boundary: knows nothing of TypeScript; the display API talks to it through DisplayChannel.
 */
import { Console } from "node:console";
import { writeSync } from "node:fs";
import type { JsonObject, MimeBundle, OutputSink } from "../../executor.js";
import type { DisplayChannel } from "../../display/display-api.js";

const FLUSH_BYTES = 64 * 1024;
const FLUSH_DELAY_MS = 30;

type StreamName = "stdout" | "stderr";
type Write = typeof process.stdout.write;

export class OutputRouter implements DisplayChannel {
  private sink: OutputSink | undefined;
  private chunks: Array<{ name: StreamName; text: string }> = [];
  private bufferedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private restore: (() => void) | undefined;

  /** Makes `sink` the destination of all output from now on (the previous one gets what was buffered). */
  setSink(sink: OutputSink): void {
    this.flush();
    this.sink = sink;
  }

  get currentSink(): OutputSink | undefined {
    return this.sink;
  }

  write(name: StreamName, text: string): void {
    if (text.length === 0) return;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.name === name) last.text += text;
    else this.chunks.push({ name, text });
    this.bufferedBytes += text.length;
    if (this.bufferedBytes >= FLUSH_BYTES) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.chunks.length === 0) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.bufferedBytes = 0;
    for (const { name, text } of chunks) {
      if (this.sink) this.sink.stream(name, text);
      else writeSync(name === "stdout" ? 1 : 2, text);
    }
  }

  displayData(data: MimeBundle, metadata: JsonObject, displayId?: string): void {
    this.flush();
    this.sink?.displayData(data, metadata, displayId);
  }

  updateDisplayData(data: MimeBundle, metadata: JsonObject, displayId: string): void {
    this.flush();
    this.sink?.updateDisplayData(data, metadata, displayId);
  }

  clearOutput(wait: boolean): void {
    this.flush();
    this.sink?.clearOutput(wait);
  }

  /**
   * Replaces the global console (no colours: Jupyter shows text/plain as is) and patches
   * process.stdout/stderr.write so everything printed on this thread reaches the cell.
   */
  install(): void {
    if (this.restore) return;
    const target = globalThis as { console: Console };
    const originalConsole = target.console;
    const stdoutWrite = process.stdout.write;
    const stderrWrite = process.stderr.write;
    const stream = (name: StreamName) => ({ write: (text: string) => (this.write(name, String(text)), true) });
    target.console = new Console({
      stdout: stream("stdout") as unknown as NodeJS.WritableStream,
      stderr: stream("stderr") as unknown as NodeJS.WritableStream,
      colorMode: false,
      ignoreErrors: false,
    });
    const patch = (name: StreamName): Write =>
      ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
        const encoding = typeof encodingOrCallback === "string" ? (encodingOrCallback as BufferEncoding) : undefined;
        this.write(name, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(encoding ?? "utf8"));
        const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
        if (typeof done === "function") queueMicrotask(() => (done as () => void)());
        return true;
      }) as Write;
    process.stdout.write = patch("stdout");
    process.stderr.write = patch("stderr");
    this.restore = () => {
      target.console = originalConsole;
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    };
  }

  uninstall(): void {
    this.flush();
    this.restore?.();
    this.restore = undefined;
  }
}
