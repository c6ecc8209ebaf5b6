/**
 * A generator of hostile and malformed client traffic for the protocol fuzz test and
 * `npm run bench:fuzz`: random multipart messages, missing delimiters, wrong signatures, bad JSON,
 * wrong field types, deep nesting, 20 MB frames, prototype-named message types, and well-formed
 * requests with absurd cursor and history arguments. Seeded, so a failing run can be replayed
 * (GRADLAB_FUZZ_SEED).
 *
 * Each message says what the kernel must do with it: `dropped` (nothing at all refers to it),
 * `ignored` (busy and idle only: a well-formed message of an unknown type or wrong content), or
 * `answered` (a valid request, however odd, gets its reply).
 */
import { randomUUID } from "node:crypto";

export type Expectation = "dropped" | "ignored" | "answered";

export interface FuzzMessage {
  channel: "shell" | "control" | "stdin";
  frames: Buffer[];
  kind: string;
  expect: Expectation;
  /** The header's msg_id, when the message has a header a reply could refer to. */
  msgId?: string;
}

/** Code that, if it ever ran, would leave a trace the test looks for. */
export const MARKER_CODE = '(globalThis as any).fuzzExecuted = 1; console.log("FUZZ-EXECUTED")';

const DELIMITER = Buffer.from("<IDS|MSG>");
const PROTOTYPE_NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__", "toLocaleString", "propertyIsEnumerable", "__lookupSetter__"];
const ABSURD_NUMBERS = [1e12, -1e12, 1e308, -1e308, 2 ** 53, -(2 ** 53), 0.5, -0.5, 3.7, 1e-300, 4_294_967_296];
export const QUERY_CODE = ["Math.ma", "const xs = [1, 2, 3];\nxs.ma", "console.", "let s = 'abc'; s.", "", "😀😀 Math.", "}{)(", "tensor([1, 2]).", "a".repeat(300)];

/** Deterministic 32-bit generator (mulberry32): the same seed gives the same traffic. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

export class FrameFuzzer {
  constructor(
    private readonly random: Random,
    private readonly sign: (parts: Buffer[]) => Buffer,
    private readonly session: string,
  ) {}

  private header(msgType: string, extra: Record<string, unknown> = {}): Record<string, unknown> & { msg_id: string } {
    return { msg_id: randomUUID(), session: this.session, username: "fuzz", date: new Date().toISOString(), msg_type: msgType, version: "5.3", ...extra };
  }

  /** Signed frames from JSON texts (already serialised, so they can be broken on purpose). */
  private signed(texts: string[], extra: Buffer[] = []): Buffer[] {
    const parts = texts.map((t) => Buffer.from(t));
    return [DELIMITER, this.sign(parts), ...parts, ...extra];
  }

  private request(msgType: string, content: unknown, header = this.header(msgType)): { frames: Buffer[]; msgId: string } {
    return { frames: this.signed([JSON.stringify(header), "{}", "{}", JSON.stringify(content)]), msgId: header.msg_id };
  }

  private channel(): FuzzMessage["channel"] {
    const r = this.random.next();
    return r < 0.7 ? "shell" : r < 0.9 ? "control" : "stdin";
  }

  /** One small message of a random kind (no 20 MB frames: see huge()). */
  next(): FuzzMessage {
    const r = this.random;
    const kinds = [
      () => this.randomMultipart(),
      () => this.missingDelimiter(),
      () => this.wrongSignature(),
      () => this.badJson(),
      () => this.wrongFieldTypes(),
      () => this.prototypeName(),
      () => this.deepNesting(),
    ];
    return kinds[r.int(kinds.length)]!();
  }

  randomMultipart(): FuzzMessage {
    const r = this.random;
    const frames = Array.from({ length: 1 + r.int(7) }, () => r.bytes(r.int(300)));
    // Sometimes with the delimiter somewhere in the middle, so the frames after it get parsed.
    if (r.next() < 0.5) frames.splice(r.int(frames.length + 1), 0, DELIMITER);
    return { channel: this.channel(), frames, kind: "random multipart", expect: "dropped" };
  }

  missingDelimiter(): FuzzMessage {
    const { frames, msgId } = this.request("execute_request", { code: MARKER_CODE, silent: false });
    return { channel: "shell", frames: frames.slice(1), kind: "missing delimiter", expect: "dropped", msgId };
  }

  wrongSignature(): FuzzMessage {
    const r = this.random;
    const { frames, msgId } = this.request(r.pick(["execute_request", "kernel_info_request", "shutdown_request", "complete_request"]), { code: MARKER_CODE, cursor_pos: 1, restart: false });
    const variants = [Buffer.alloc(0), Buffer.from("f".repeat(64)), Buffer.from(frames[1]!.toString().slice(0, 63) + "0"), r.bytes(64), Buffer.from(frames[1]!.toString().toUpperCase())];
    frames[1] = r.pick(variants);
    if (frames[1].equals(this.sign(frames.slice(2, 6)))) frames[1] = Buffer.from("0".repeat(64));
    return { channel: this.channel(), frames, kind: "wrong signature", expect: "dropped", msgId };
  }

  badJson(): FuzzMessage {
    const r = this.random;
    const header = this.header("execute_request");
    const good = [JSON.stringify(header), "{}", "{}", JSON.stringify({ code: MARKER_CODE })];
    const broken = r.pick(["", "{", '{"a":}', "[]", "null", "42", '"text"', "{'single': 1}", "{\"a\": 1,}", good[0]!.slice(0, -1), "\u0000"]);
    const texts = [...good];
    texts[r.int(4)] = broken;
    // A header without a string msg_type or msg_id is as bad as one that does not parse.
    if (r.next() < 0.2) texts[0] = JSON.stringify({ ...header, msg_type: r.pick([5, null, ["execute_request"], ""]) });
    return { channel: this.channel(), frames: this.signed(texts), kind: "bad JSON", expect: "dropped", msgId: header.msg_id };
  }

  wrongFieldTypes(): FuzzMessage {
    const r = this.random;
    const wrong: unknown[] = [5, true, null, [], {}, ["x"], { toString: "x" }, -1, "text"];
    const cases: Array<[string, () => Record<string, unknown>]> = [
      ["execute_request", () => ({ code: r.pick(wrong.filter((w) => typeof w !== "string" && w !== null)) })],
      ["execute_request", () => ({ code: MARKER_CODE, silent: r.pick(["yes", 1, [], {}]) })],
      ["execute_request", () => ({ code: MARKER_CODE, user_expressions: r.pick([[], "x", 5, { a: 1 }, { a: null }]) })],
      ["execute_request", () => ({ code: MARKER_CODE, store_history: "false" })],
      ["complete_request", () => ({ code: "Math.", cursor_pos: r.pick(["5", [], {}, true]) })],
      ["complete_request", () => ({ code: r.pick([5, [], {}, true]), cursor_pos: 1 })],
      ["inspect_request", () => ({ code: "Math", cursor_pos: r.pick(["1", [], true]) })],
      ["is_complete_request", () => ({ code: r.pick([1, [], {}, false]) })],
      ["history_request", () => ({ hist_access_type: r.pick(["all", 5, null, ["tail"]]) })],
      ["history_request", () => ({ hist_access_type: "tail", n: r.pick(["10", [], {}, true]) })],
      ["history_request", () => ({ hist_access_type: "search", pattern: r.pick([5, [], {}]) })],
      ["history_request", () => ({ hist_access_type: "search", pattern: "*".repeat(2000) })],
      ["shutdown_request", () => ({ restart: r.pick(["true", 1, [], {}]) })],
      ["comm_open", () => ({ comm_id: r.pick([1, [], {}]), target_name: "x" })],
      ["input_reply", () => ({ value: r.pick([1, [], {}]) })],
    ];
    const [msgType, content] = r.pick(cases);
    const { frames, msgId } = this.request(msgType, content());
    const channel = msgType === "input_reply" ? "stdin" : msgType === "shutdown_request" ? r.pick(["shell", "control"] as const) : "shell";
    // Nothing on stdin is ever answered, not even with busy/idle.
    return { channel, frames, kind: "wrong field types", expect: channel === "stdin" ? "dropped" : "ignored", msgId };
  }

  prototypeName(): FuzzMessage {
    const r = this.random;
    const { frames, msgId } = this.request(r.pick(PROTOTYPE_NAMES), { code: MARKER_CODE, restart: false });
    const channel = r.pick(["shell", "control"] as const);
    return { channel, frames, kind: "prototype-named msg_type", expect: "ignored", msgId };
  }

  deepNesting(): FuzzMessage {
    const r = this.random;
    const depth = r.pick([65, 1000, 20_000]);
    const deep = "[".repeat(depth) + "]".repeat(depth);
    const header = this.header("kernel_info_request");
    const headerText = JSON.stringify(header);
    const texts =
      r.next() < 0.5
        ? [headerText.replace(/}$/, `, "nested": ${deep}}`), "{}", "{}", "{}"]
        : [headerText, "{}", r.next() < 0.5 ? `{"m": ${deep}}` : "{}", `{"code": "1", "user_expressions": ${deep}}`];
    return { channel: this.channel(), frames: this.signed(texts), kind: "deep nesting", expect: "dropped", msgId: header.msg_id };
  }

  tooManyValues(): FuzzMessage {
    const header = this.header("execute_request");
    const content = `{"code": "1", "v": [${"{},".repeat(120_000)}{}]}`;
    return { channel: "shell", frames: this.signed([JSON.stringify(header), "{}", "{}", content]), kind: "too many values", expect: "dropped", msgId: header.msg_id };
  }

  /** A message with a 20 MB frame: random bytes, or a signed request whose code is 20 MB. */
  huge(): FuzzMessage {
    const r = this.random;
    const size = 20 * 1024 * 1024;
    if (r.next() < 0.5) return { channel: this.channel(), frames: [Buffer.alloc(size, r.int(256))], kind: "20 MB frame", expect: "dropped" };
    const header = this.header("execute_request");
    const content = JSON.stringify({ code: `// ${"x".repeat(size)}\n${MARKER_CODE}` });
    return { channel: "shell", frames: this.signed([JSON.stringify(header), "{}", "{}", content]), kind: "20 MB frame", expect: "dropped", msgId: header.msg_id };
  }

  /** A valid request with absurd numbers: it must be answered, quickly and correctly shaped. */
  absurd(): FuzzMessage {
    const r = this.random;
    const code = r.pick(QUERY_CODE);
    const cursor = r.pick([...ABSURD_NUMBERS, code.length + 1, code.length * 1000]);
    const patterns = ["*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ab", "[", "[]", "[^]", "*[a-", "?".repeat(1000), "*" + "a".repeat(900) + "b"];
    const requests: Array<() => [string, Record<string, unknown>]> = [
      () => ["complete_request", { code, cursor_pos: cursor }],
      () => ["inspect_request", { code, cursor_pos: cursor, detail_level: r.pick([0, 1, 1e9, -1]) }],
      () => ["is_complete_request", { code }],
      () => ["history_request", { hist_access_type: "tail", n: r.pick(ABSURD_NUMBERS), output: true, raw: true }],
      () => ["history_request", { hist_access_type: "range", session: r.pick(ABSURD_NUMBERS), start: r.pick(ABSURD_NUMBERS), stop: r.pick(ABSURD_NUMBERS), output: false, raw: true }],
      () => ["history_request", { hist_access_type: "search", pattern: r.pick(patterns), n: r.pick(ABSURD_NUMBERS), unique: r.next() < 0.5, output: false, raw: true }],
      () => ["kernel_info_request", {}],
    ];
    const [msgType, content] = r.pick(requests)();
    const { frames, msgId } = this.request(msgType, content);
    return { channel: msgType === "kernel_info_request" ? r.pick(["shell", "control"] as const) : "shell", frames, kind: "absurd arguments", expect: "answered", msgId };
  }
}
