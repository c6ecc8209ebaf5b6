/**
 * This session's input history, answering history_request the way IPython's HistoryManager does:
 * `tail` (last n), `range` (session, start, stop — stop exclusive) and `search` (a glob over the whole
 * input, last n matches, optionally unique). Entries are [session, line, input] or, with output,
 * [session, line, [input, output]]. In memory only: one kernel process is one session.
 *
 * Bounded, because it lives on the protocol thread (see limits.ts): it keeps the newest cells up to
 * a number and a total of text, a reply has at most MAX_HISTORY_ROWS rows (the newest), and a search
 * runs from the newest cell backwards and stops after its time budget with what it found.
 */
import { globMatcher } from "./glob.js";
import { logKernel } from "./log.js";
import { HISTORY_SEARCH_BUDGET_MS, MAX_HISTORY_CHARS, MAX_HISTORY_ENTRIES, MAX_HISTORY_ROWS } from "./limits.js";

export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  /** text/plain of the execute_result, when there was one. */
  output: string | null;
}

export type HistoryRow = [number, number, string] | [number, number, [string, string | null]];

export interface HistoryQuery {
  hist_access_type?: unknown;
  output?: unknown;
  n?: unknown;
  session?: unknown;
  start?: unknown;
  stop?: unknown;
  pattern?: unknown;
  unique?: unknown;
}

export class HistoryStore {
  private entries: HistoryEntry[] = [];
  private chars = 0;

  constructor(
    readonly session = 1,
    private readonly limits = { entries: MAX_HISTORY_ENTRIES, chars: MAX_HISTORY_CHARS },
  ) {}

  /**
   * @example
   * const h = new HistoryStore(); h.add(1, "1 + 1"); h.setOutput(1, "2");
   * h.query({ hist_access_type: "tail", n: 1, output: true }); // [[1, 1, ["1 + 1", "2"]]]
   */
  add(line: number, input: string): void {
    this.entries.push({ session: this.session, line, input, output: null });
    this.chars += input.length;
    this.trim();
  }

  setOutput(line: number, output: string): void {
    const entry = this.entries.findLast((e) => e.line === line);
    if (!entry) return;
    this.chars += output.length - (entry.output?.length ?? 0);
    entry.output = output;
    this.trim();
  }

  /** Forgets the oldest cells beyond the limits (the newest one always stays). */
  private trim(): void {
    let drop = 0;
    let chars = this.chars;
    while (this.entries.length - drop > 1 && (this.entries.length - drop > this.limits.entries || chars > this.limits.chars)) {
      const old = this.entries[drop++]!;
      chars -= old.input.length + (old.output?.length ?? 0);
    }
    if (drop === 0) return;
    this.entries = this.entries.slice(drop);
    this.chars = chars;
  }

  query(q: HistoryQuery): HistoryRow[] {
    const withOutput = q.output === true;
    const rows = this.select(q).slice(-MAX_HISTORY_ROWS);
    return rows.map((e): HistoryRow => (withOutput ? [e.session, e.line, [e.input, e.output]] : [e.session, e.line, e.input]));
  }

  private select(q: HistoryQuery): HistoryEntry[] {
    const n = typeof q.n === "number" && q.n >= 0 ? q.n : undefined;
    switch (q.hist_access_type) {
      case "tail":
        return n === undefined ? [...this.entries] : n === 0 ? [] : this.entries.slice(-n);
      case "range": {
        const session = typeof q.session === "number" ? q.session : 0;
        // 0 is the current session and negative numbers count back from it; only ours exists.
        if (session !== 0 && session !== this.session && session > 0) return [];
        if (session < 0) return [];
        const start = typeof q.start === "number" ? q.start : 0;
        const stop = typeof q.stop === "number" ? q.stop : undefined;
        return this.entries.filter((e) => e.line >= start && (stop === undefined || e.line < stop));
      }
      case "search":
        return this.search(typeof q.pattern === "string" ? q.pattern : "*", n === undefined || n === 0 ? MAX_HISTORY_ROWS : n, q.unique === true);
      default:
        return [];
    }
  }

  /** The newest `limit` inputs matching the glob (each input once when `unique`), oldest first. */
  private search(pattern: string, limit: number, unique: boolean): HistoryEntry[] {
    const matches = globMatcher(pattern);
    const found: HistoryEntry[] = [];
    const seen = new Set<string>();
    const deadline = performance.now() + HISTORY_SEARCH_BUDGET_MS;
    for (let i = this.entries.length - 1; i >= 0 && found.length < limit; i--) {
      const entry = this.entries[i]!;
      const matched = !unique || !seen.has(entry.input) ? matches(entry.input, deadline) : false;
      if (matched) {
        found.push(entry);
        if (unique) seen.add(entry.input);
      }
      if (matched === undefined || (i > 0 && performance.now() > deadline)) {
        logKernel(`history search for ${JSON.stringify(pattern.slice(0, 80))} stopped after ${HISTORY_SEARCH_BUDGET_MS} ms with the ${found.length} newest matches`);
        break;
      }
    }
    return found.reverse();
  }
}


