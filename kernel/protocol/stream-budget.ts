/**
 * A cap on how much stream text (stdout + stderr) one execute request may publish, so that a
 * runaway print loop cannot bury the frontend: at ~25 MB/s a five-second loop would otherwise land
 * over 100 MB in one output area and freeze the browser tab.
 *
 * This module only decides: which part of each text to show, when the one-time notice is due, and
 * what to report at the end (how much was dropped, plus the last few KB of it). Publishing is the
 * OutputPublisher's job. Sizes are counted in UTF-16 code units (`string.length`, bytes for ASCII
 * text): O(1) per call, so output under the limit costs one addition and one comparison.
 *
 * display_data, execute_result and error never pass through here and are never dropped.
 */

const MB = 1024 * 1024;
export const DEFAULT_MAX_OUTPUT_MB = 2;
/** How much of the dropped text is kept to show at the end (the last lines often matter most:
 * a final loss value, where the loop was interrupted). */
export const TAIL_CHARS = 4 * 1024;
export const OUTPUT_LIMIT_ENV = "GRADLAB_MAX_OUTPUT_MB";

export type StreamName = "stdout" | "stderr";

export interface StreamPiece {
  name: StreamName;
  text: string;
}

/**
 * The limit in MB from `GRADLAB_MAX_OUTPUT_MB` (0 = unlimited); the default when unset, and the
 * default with a `problem` to log when the value is not a number ≥ 0.
 *
 * @example
 * outputLimitFromEnv({ GRADLAB_MAX_OUTPUT_MB: "0.5" }); // { megabytes: 0.5 }
 * outputLimitFromEnv({});                              // { megabytes: 2 }
 */
export function outputLimitFromEnv(env: NodeJS.ProcessEnv): { megabytes: number; problem?: string } {
  const raw = env[OUTPUT_LIMIT_ENV];
  if (raw === undefined || raw.trim() === "") return { megabytes: DEFAULT_MAX_OUTPUT_MB };
  const value = Number(raw);
  if (Number.isFinite(value) && value >= 0) return { megabytes: value };
  return { megabytes: DEFAULT_MAX_OUTPUT_MB, problem: `${OUTPUT_LIMIT_ENV}=${raw} is not a number of MB >= 0; using ${DEFAULT_MAX_OUTPUT_MB}` };
}

/**
 * A size for people: "2 MB", "0.5 MB", "118.3 MB", "4 KB", "312 bytes".
 *
 * @example
 * formatSize(2 * 1024 * 1024); // "2 MB"
 */
export function formatSize(chars: number): string {
  if (chars >= MB) return `${round(chars / MB)} MB`;
  if (chars >= 1024) return `${round(chars / 1024)} KB`;
  return `${chars} ${chars === 1 ? "byte" : "bytes"}`;
}

function round(x: number): string {
  return String(x >= 100 ? Math.round(x) : Math.round(x * 10) / 10);
}

/** The stderr line published once, where the output stops. */
export function truncationNotice(megabytes: number): string {
  return `[gradlab] output truncated: this cell printed more than ${formatSize(megabytes * MB)}; the rest is not shown. Set ${OUTPUT_LIMIT_ENV} to change the limit.\n`;
}

/**
 * The budget of one execute request.
 *
 * @example
 * const budget = new StreamBudget(2);
 * const shown = budget.admit("stdout", text); // text itself while under the limit
 * if (shown !== text && budget.takeNotice()) publish(truncationNotice(2));
 * const end = budget.takeReport(); // at the end: { summary, tail } when something was dropped
 */
export class StreamBudget {
  private readonly limit: number;
  private used = 0;
  private exceeded = false;
  private noticeDue = false;
  /** Dropped since the last report. */
  private dropped = 0;
  private tail: StreamPiece[] = [];
  private tailLength = 0;

  /** `megabytes` 0 means unlimited. */
  constructor(readonly megabytes: number, private readonly tailChars = TAIL_CHARS) {
    this.limit = megabytes > 0 ? megabytes * MB : Infinity;
  }

  /**
   * The part of `text` to publish: `text` itself (the same string) while the request is under its
   * limit, the head that still fits when this text crosses it, "" once over it.
   */
  admit(name: StreamName, text: string): string {
    if (!this.exceeded && (this.used += text.length) <= this.limit) return text;
    return this.overLimit(name, text);
  }

  private overLimit(name: StreamName, text: string): string {
    let head = "";
    if (!this.exceeded) {
      this.exceeded = true;
      this.noticeDue = true;
      const room = text.length - (this.used - this.limit);
      head = text.slice(0, cutPoint(text, room));
      this.used = this.limit;
    }
    const rest = head.length === 0 ? text : text.slice(head.length);
    this.dropped += rest.length;
    this.keepTail(name, rest);
    return head;
  }

  /** True exactly once, after the text that crossed the limit: time for the notice. */
  takeNotice(): boolean {
    const due = this.noticeDue;
    this.noticeDue = false;
    return due;
  }

  /**
   * What to publish at the end of the request, if anything was dropped since the last report: a
   * summary line and the last few KB of the dropped text (starting at a line start).
   */
  takeReport(): { summary: string; tail: StreamPiece[] } | undefined {
    if (this.dropped === 0) return undefined;
    const tail = startAtLine(this.tail, this.tailLength >= this.tailChars);
    const shownTail = tail.reduce((n, piece) => n + piece.text.length, 0);
    const summary =
      `[gradlab] ${formatSize(this.dropped)} of output from this cell not shown` +
      (shownTail > 0 ? `; its last ${formatSize(shownTail)} follow:\n` : ".\n");
    this.dropped = 0;
    this.tail = [];
    this.tailLength = 0;
    return { summary, tail };
  }

  /**
   * The output area was cleared (clear_output): what was shown is gone, so the request starts a
   * fresh budget. A progress display that clears and reprints keeps working however long it runs.
   */
  restart(): void {
    this.used = 0;
    this.exceeded = false;
    this.noticeDue = false;
    this.dropped = 0;
    this.tail = [];
    this.tailLength = 0;
  }

  private keepTail(name: StreamName, text: string): void {
    if (text.length === 0) return;
    if (text.length >= this.tailChars) {
      // Flattened copy: a slice would keep a huge dropped string alive until the end of the request.
      this.tail = [{ name, text: flatCopy(text.slice(text.length - this.tailChars)) }];
      this.tailLength = this.tailChars;
      return;
    }
    const last = this.tail[this.tail.length - 1];
    if (last && last.name === name) last.text += text;
    else this.tail.push({ name, text });
    this.tailLength += text.length;
    while (this.tailLength > this.tailChars) {
      const first = this.tail[0]!;
      const excess = this.tailLength - this.tailChars;
      if (first.text.length <= excess) {
        this.tail.shift();
        this.tailLength -= first.text.length;
      } else {
        first.text = flatCopy(first.text.slice(excess));
        this.tailLength -= excess;
      }
    }
  }
}

/** Below this much room, a line that does not fit is dropped whole rather than cut. */
const MIN_PARTIAL_LINE = 1024;

/**
 * Where to cut a text that may show `room` more units: after the last line break that fits, so
 * output ends on a whole line; a line longer than the room (one huge value printed) is cut at
 * `room` if that shows a useful part of it, never inside a surrogate pair.
 */
function cutPoint(text: string, room: number): number {
  if (room <= 0) return 0;
  const newline = text.lastIndexOf("\n", room - 1);
  if (newline >= 0) return newline + 1;
  if (room < MIN_PARTIAL_LINE) return 0;
  const code = text.charCodeAt(room - 1);
  return code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
}

/** Drops the partial first line of a trimmed tail (if the tail has a line break at all). */
function startAtLine(tail: StreamPiece[], trimmed: boolean): StreamPiece[] {
  if (!trimmed || tail.length === 0) return tail;
  const joinedBreak = tail.findIndex((piece) => piece.text.includes("\n"));
  if (joinedBreak < 0) return tail;
  const first = tail[joinedBreak]!;
  const rest = first.text.slice(first.text.indexOf("\n") + 1);
  return [...(rest ? [{ name: first.name, text: rest }] : []), ...tail.slice(joinedBreak + 1)];
}

function flatCopy(text: string): string {
  // Round-trips through a Buffer so V8 stores the characters themselves, not a view of the parent.
  return Buffer.from(text, "utf16le").toString("utf16le");
}
