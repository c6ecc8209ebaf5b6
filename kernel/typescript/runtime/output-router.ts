/**
 * Where cells' output goes, and the one place where stream text is batched. `console.*` and
 * process.stdout/stderr writes on the main thread land here and are handed to the sink of the
 * running cell — or, once it has ended, of the most recent cell, so output from its timers and
 * promises is never dropped (the protocol publishes it under that cell's request).
 *
 * Batching policy: a cell's first text, and text written after a quiet spell (no batch sent for
 * STREAM_BATCH_MS), leaves at once; text written soon after a batch waits until STREAM_BATCH_MS after its first write, or
 * until STREAM_BATCH_CHARS are waiting. Both are checked on every write, since a cell computing
 * synchronously lets no timer fire, and by a timer, for text followed by a pause. Waiting text
 * leaves before any display, update or clear (so the order the cell made them in is kept), when
 * the sink changes and when a cell ends. A batch is one sink.stream() call per run of one stream.
 *
 * Why here: this is where text enters, on the thread that prints, so every later step (the
 * bridge's post to the protocol thread, the stream budget, encoding, signing and sending on
 * IOPub) happens once per batch instead of once per console.log, and this is the only place that
 * can look at the clock while a synchronous loop prints. Nothing downstream batches again: each
 * stream() call becomes one IOPub message.
 *
 * Boundary: knows nothing of TypeScript; the display API talks to it through DisplayChannel.
 */
import { Console } from "node:console";
import { writeSync } from "node:fs";
import type { JsonObject, MimeBundle, OutputSink } from "../../executor.js";
import type { DisplayChannel } from "../../display/display-api.js";

/** At most about this many stream messages a second from a printing loop (a frontend redraws
 * its output area for each). */
export const STREAM_BATCH_MS = 50;
/** A batch is sent once this much text waits, whatever the time. */
export const STREAM_BATCH_CHARS = 64 * 1024;

type StreamName = "stdout" | "stderr";
type Write = typeof process.stdout.write;

export class OutputRouter implements DisplayChannel {
  private sink: OutputSink | undefined;
  private chunks: Array<{ name: StreamName; text: string }> = [];
  private waitingChars = 0;
  private firstWaitingAt = 0;
  private lastSentAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private restore: (() => void) | undefined;

  /** Makes `sink` the destination of all output from now on (the previous one gets what was waiting). */
  setSink(sink: OutputSink): void {
    this.flush();
    this.sink = sink;
    // Nothing has gone to this sink yet: its first text leaves at once, even if the previous cell's
    // last batch went out a moment ago.
    this.lastSentAt = -Infinity;
  }

  get currentSink(): OutputSink | undefined {
    return this.sink;
  }

  write(name: StreamName, text: string): void {
    if (text.length === 0) return;
    const now = Date.now();
    if (this.chunks.length === 0) {
      this.firstWaitingAt = now;
      if (now - this.lastSentAt >= STREAM_BATCH_MS) {
        // After a quiet spell the text leaves at once: the cell may now compute for long, and no
        // timer could fire to send it.
        this.chunks.push({ name, text });
        this.flush();
        return;
      }
      this.timer = setTimeout(() => this.flush(), STREAM_BATCH_MS);
      this.timer.unref();
    }
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.name === name) last.text += text;
    else this.chunks.push({ name, text });
    this.waitingChars += text.length;
    if (this.waitingChars >= STREAM_BATCH_CHARS || now - this.firstWaitingAt >= STREAM_BATCH_MS) this.flush();
  }

  /** Sends the waiting text now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.chunks.length === 0) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.waitingChars = 0;
    this.lastSentAt = Date.now();
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
