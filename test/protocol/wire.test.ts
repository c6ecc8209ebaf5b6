/**
 * The wire format: framing, HMAC signing, and rejection of unsigned, wrongly signed and malformed
 * messages without revealing the expected signature.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeHeader, type JupyterMessage } from "../../kernel/protocol/messages.js";
import { DELIMITER, Signer, decodeMessage, encodeMessage } from "../../kernel/protocol/wire.js";
import { globMatcher } from "../../kernel/protocol/glob.js";
import { jsonShapeProblem } from "../../kernel/protocol/json-shape.js";
import { MAX_HEADER_BYTES, MAX_JSON_DEPTH, MAX_JSON_VALUES, MAX_MESSAGE_BYTES, MAX_MESSAGE_FRAMES } from "../../kernel/protocol/limits.js";

const key = "secret-key";
const message: JupyterMessage = {
  identities: [Buffer.from("peer")],
  header: makeHeader("execute_request", "s1"),
  parent_header: {},
  metadata: {},
  content: { code: "1 + 1" },
  buffers: [Buffer.from([1, 2, 3])],
};

describe("wire", () => {
  it("signs with HMAC-SHA256 over header, parent, metadata and content", () => {
    const frames = encodeMessage(message, new Signer(key));
    expect(frames[0]!.toString()).toBe("peer");
    expect(frames[1]!.toString()).toBe(DELIMITER);
    const expected = createHmac("sha256", key).update(frames[3]!).update(frames[4]!).update(frames[5]!).update(frames[6]!).digest("hex");
    expect(frames[2]!.toString()).toBe(expected);
    const decoded = decodeMessage(frames, new Signer(key));
    expect(decoded.ok && decoded.message.content).toEqual({ code: "1 + 1" });
    expect(decoded.ok && decoded.message.identities.map(String)).toEqual(["peer"]);
    expect(decoded.ok && decoded.message.buffers).toEqual([Buffer.from([1, 2, 3])]);
  });

  it("rejects wrong, missing and truncated signatures without revealing the right one", () => {
    const frames = encodeMessage(message, new Signer(key));
    const right = frames[2]!.toString();
    const variants = {
      wrong: Buffer.from("f".repeat(64)),
      missing: Buffer.alloc(0),
      truncated: frames[2]!.subarray(0, 10),
      otherKey: encodeMessage(message, new Signer("other"))[2]!,
    };
    for (const [name, signature] of Object.entries(variants)) {
      const tampered = [...frames];
      tampered[2] = signature;
      const result = decodeMessage(tampered, new Signer(key));
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(right.slice(0, 8));
    }
  });

  it("rejects a signed message whose content was altered", () => {
    const frames = encodeMessage(message, new Signer(key));
    frames[6] = Buffer.from(JSON.stringify({ code: "evil()" }));
    expect(decodeMessage(frames, new Signer(key)).ok).toBe(false);
  });

  it("rejects malformed messages", () => {
    const signer = new Signer(key);
    const sign = (parts: string[]) => [Buffer.from(DELIMITER), Buffer.from(signer.sign(parts.map((p) => Buffer.from(p)))), ...parts.map((p) => Buffer.from(p))];
    expect(decodeMessage([Buffer.from("no delimiter")], signer)).toEqual({ ok: false, reason: "no <IDS|MSG> delimiter" });
    expect(decodeMessage(sign(["{}", "{}", "{}"]), signer).ok).toBe(false);
    expect(decodeMessage(sign(["not json", "{}", "{}", "{}"]), signer).ok).toBe(false);
    expect(decodeMessage(sign(["[]", "{}", "{}", "{}"]), signer).ok).toBe(false);
    expect(decodeMessage(sign(['{"msg_id": "x"}', "{}", "{}", "{}"]), signer).ok).toBe(false);
  });

  it("an empty key disables signing", () => {
    const frames = encodeMessage(message, new Signer(""));
    expect(frames[2]!.length).toBe(0);
    expect(decodeMessage(frames, new Signer("")).ok).toBe(true);
  });
});

describe("limits on what a message may hold", () => {
  const signer = new Signer(key);
  /** A correctly signed message whose JSON frames are the given texts. */
  const signed = (header: string, content: string, extra: Buffer[] = []) => {
    const json = [header, "{}", "{}", content].map((t) => Buffer.from(t));
    return [Buffer.from("peer"), Buffer.from(DELIMITER), Buffer.from(signer.sign(json)), ...json, ...extra];
  };
  const header = JSON.stringify(makeHeader("execute_request", "s1"));
  const reason = (frames: Buffer[]) => {
    const decoded = decodeMessage(frames, signer);
    return decoded.ok ? "accepted" : decoded.reason;
  };

  it("accepts a message just within every limit", () => {
    const deep = "[".repeat(MAX_JSON_DEPTH - 1) + "]".repeat(MAX_JSON_DEPTH - 1);
    expect(reason(signed(header, `{"code": "1", "deep": ${deep}}`))).toBe("accepted");
    expect(reason(signed(header, `{"v": [${Array(MAX_JSON_VALUES - 2).fill(0).join(",")}]}`))).toBe("accepted");
    expect(reason(signed(header, JSON.stringify({ code: "x".repeat(MAX_MESSAGE_BYTES - 2000) })))).toBe("accepted");
  });

  it("drops messages that are too large, too deep, too many-valued or in too many frames", () => {
    expect(reason(signed(header, JSON.stringify({ code: "x".repeat(MAX_MESSAGE_BYTES) })))).toMatch(/bytes, more than the limit/);
    expect(reason(signed(header, "{}", [Buffer.alloc(MAX_MESSAGE_BYTES)]))).toMatch(/bytes, more than the limit/);
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    expect(reason(signed(header, `{"deep": ${deep}}`))).toBe(`the content frame is nested deeper than ${MAX_JSON_DEPTH}`);
    const deepHeader = header.replace(/}$/, `, "x": ${deep}}`);
    expect(reason(signed(deepHeader, "{}"))).toBe(`the header frame is nested deeper than ${MAX_JSON_DEPTH}`);
    expect(reason(signed(header, `{"v": [${Array(MAX_JSON_VALUES).fill("{}").join(",")}]}`))).toBe(`the content frame is more than ${MAX_JSON_VALUES} values`);
    expect(reason(signed(header.replace(/}$/, `, "x": "${"y".repeat(MAX_HEADER_BYTES)}"}`), "{}"))).toMatch(/^header of \d+ bytes/);
    expect(reason(signed(header, "{}", Array.from({ length: MAX_MESSAGE_FRAMES }, () => Buffer.alloc(1))))).toBe(`more than ${MAX_MESSAGE_FRAMES} frames`);
    expect(reason(signed(JSON.stringify({ ...JSON.parse(header), msg_type: "" }), "{}"))).toBe("header lacks msg_type or msg_id");
  });

  it("measure depth and values outside strings only", () => {
    const limits = { maxDepth: 2, maxValues: 5 };
    expect(jsonShapeProblem(Buffer.from('["[[[[", "\\", "\\\"[[["]'), limits)).toBeUndefined();
    expect(jsonShapeProblem(Buffer.from("[[[]]]"), limits)).toBe("nested deeper than 2");
    expect(jsonShapeProblem(Buffer.from('{"a": "x,y,z,w,v,u"}'), limits)).toBeUndefined();
    expect(jsonShapeProblem(Buffer.from("[1,2,3,4,5]"), limits)).toBe("more than 5 values");
  });
});

describe("history globs", () => {
  const glob = (pattern: string, text: string) => globMatcher(pattern)(text);

  it("match the whole input like SQLite GLOB", () => {
    expect(glob("1 + *", "1 + 1")).toBe(true);
    expect(glob("1 + ?", "1 + 12")).toBe(false);
    expect(glob("a.b", "axb")).toBe(false);
    expect(glob("[ab]c", "bc")).toBe(true);
    expect(glob("*print*", "x\nprint(1)\ny")).toBe(true);
  });

  it("know sets, ranges, negation, literal brackets and characters outside the BMP", () => {
    expect(glob("[a-c]x", "bx")).toBe(true);
    expect(glob("[a-c]x", "dx")).toBe(false);
    expect(glob("[^a-c]x", "dx")).toBe(true);
    expect(glob("[^a-c]x", "ax")).toBe(false);
    expect(glob("[]]", "]")).toBe(true);
    expect(glob("[a", "[a")).toBe(true);
    expect(glob("?", "😀")).toBe(true);
    expect(glob("*😀?", "a😀b")).toBe(true);
    expect(glob("A*", "a")).toBe(false);
    expect(glob("", "")).toBe(true);
    expect(glob("**", "")).toBe(true);
    expect(glob("*.ts", "a.ts.js")).toBe(false);
  });

  it("answer patterns with many stars without backtracking blow-up", () => {
    const stars = "*a".repeat(16) + "b";
    expect(glob(stars, "a".repeat(20_000))).toBe(false);
    expect(glob(stars, "a".repeat(20_000) + "b")).toBe(true);
    expect(glob("*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?x", "y".repeat(20_000))).toBe(false);
  });

  it("give up at the deadline on the quadratic case (a long literal run after a star)", () => {
    const matcher = globMatcher("*" + "a".repeat(400) + "b");
    expect(matcher("a".repeat(100_000), performance.now() - 1)).toBeUndefined();
    expect(matcher("a".repeat(400) + "b", performance.now() - 1)).toBe(true); // under one clock check
  });
});
