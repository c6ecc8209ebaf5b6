/**
 * The wire format: framing, HMAC signing, and rejection of unsigned, wrongly signed and malformed
 * messages without revealing the expected signature.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeHeader, type JupyterMessage } from "../../kernel/protocol/messages.js";
import { DELIMITER, Signer, decodeMessage, encodeMessage } from "../../kernel/protocol/wire.js";
import { globToRegExp } from "../../kernel/protocol/history.js";

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

describe("history globs", () => {
  it("match the whole input like SQLite GLOB", () => {
    expect(globToRegExp("1 + *").test("1 + 1")).toBe(true);
    expect(globToRegExp("1 + ?").test("1 + 12")).toBe(false);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
    expect(globToRegExp("[ab]c").test("bc")).toBe(true);
    expect(globToRegExp("*print*").test("x\nprint(1)\ny")).toBe(true);
  });
});
