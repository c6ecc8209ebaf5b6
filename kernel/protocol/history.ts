/**
 * This session's input history, answering history_request the way IPython's HistoryManager does:
 * `tail` (last n), `range` (session, start, stop — stop exclusive) and `search` (a glob over the whole
 * input, last n matches, optionally unique). Entries are [session, line, input] or, with output,
 * [session, line, [input, output]]. In memory only: one kernel process is one session.
 */

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
  private readonly entries: HistoryEntry[] = [];

  constructor(readonly session = 1) {}

  /**
   * @example
   * const h = new HistoryStore(); h.add(1, "1 + 1"); h.setOutput(1, "2");
   * h.query({ hist_access_type: "tail", n: 1, output: true }); // [[1, 1, ["1 + 1", "2"]]]
   */
  add(line: number, input: string): void {
    this.entries.push({ session: this.session, line, input, output: null });
  }

  setOutput(line: number, output: string): void {
    const entry = this.entries.findLast((e) => e.line === line);
    if (entry) entry.output = output;
  }

  query(q: HistoryQuery): HistoryRow[] {
    const withOutput = q.output === true;
    const rows = this.select(q);
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
      case "search": {
        const pattern = typeof q.pattern === "string" ? q.pattern : "*";
        const regex = globToRegExp(pattern);
        let matches = this.entries.filter((e) => regex.test(e.input));
        if (q.unique === true) {
          const lastIndex = new Map<string, number>();
          matches.forEach((e, i) => lastIndex.set(e.input, i));
          matches = matches.filter((e, i) => lastIndex.get(e.input) === i);
        }
        return n === undefined || n === 0 ? matches : matches.slice(-n);
      }
      default:
        return [];
    }
  }
}

/** SQLite GLOB semantics, as IPython uses: `*`, `?`, `[...]`, matching the whole string. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else if (ch === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) source += "\\[";
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith("^")) body = "^" + body.slice(1).replace(/\\/g, "\\\\");
        else body = body.replace(/\\/g, "\\\\");
        source += `[${body}]`;
        i = close;
      }
    } else source += ch.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
