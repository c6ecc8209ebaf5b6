import { describe, expect, it } from "vitest";
import type { JsonObject, MimeBundle } from "../../kernel/executor.js";
import { createDisplayApi, pendingFigures, showPendingFigures, type DisplayChannel } from "../../kernel/display/display-api.js";
import { mimeBundle, plainText } from "../../kernel/display/mime-bundle.js";

class Channel implements DisplayChannel {
  calls: Array<[string, MimeBundle | boolean, string | undefined]> = [];
  displayData(data: MimeBundle, _m: JsonObject, id?: string) {
    this.calls.push(["display", data, id]);
  }
  updateDisplayData(data: MimeBundle, _m: JsonObject, id: string) {
    this.calls.push(["update", data, id]);
  }
  clearOutput(wait: boolean) {
    this.calls.push(["clear", wait, undefined]);
  }
}

describe("mime bundles", () => {
  it("use inspect without colours for text/plain", () => {
    expect(plainText({ a: [1, "x"] })).toBe("{ a: [ 1, 'x' ] }");
    expect(plainText("s")).toBe("'s'");
    expect(mimeBundle(new Map([[1, 2]]))).toEqual({ "text/plain": "Map(1) { 1 => 2 }" });
  });

  it("merge a Jupyter.display bundle, sync or async", async () => {
    const sync = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b/>", "text/plain": "custom" }) };
    expect(mimeBundle(sync)).toEqual({ "text/html": "<b/>", "text/plain": "custom" });
    const later = { [Symbol.for("Jupyter.display")]: async () => ({ "image/svg+xml": "<svg/>" }) };
    const bundle = mimeBundle(later);
    expect(bundle).toBeInstanceOf(Promise);
    expect((await bundle)["image/svg+xml"]).toBe("<svg/>");
  });
});

describe("a Jupyter.display bundle's values", () => {
  const displaying = (bundle: unknown) => ({ [Symbol.for("Jupyter.display")]: () => bundle });

  it("are text for every MIME type but JSON ones, which hold any JSON", () => {
    expect(mimeBundle(displaying({ "application/json": { a: [1] }, "application/vnd.plotly.v1+json": { data: [] }, "text/html": "<b/>" }))).toMatchObject({
      "application/json": { a: [1] },
      "application/vnd.plotly.v1+json": { data: [] },
    });
    expect(() => mimeBundle(displaying({ "text/plain": 42 }))).toThrow(/^the Jupyter\.display bundle's "text\/plain" is a number, not text/);
    expect(() => mimeBundle(displaying({ "image/png": null }))).toThrow(/"image\/png" is null, not text/);
  });

  it("are checked when the bundle comes later too", async () => {
    await expect(mimeBundle({ [Symbol.for("Jupyter.display")]: async () => ({ "text/html": ["<b/>"] }) })).rejects.toThrow(/"text\/html" is an array, not text/);
  });
});

describe("display api", () => {
  it("shows, updates and clears through the channel", async () => {
    const channel = new Channel();
    const api = createDisplayApi(channel, new Set(), failOnCall);
    expect(api.display(api.html("<p/>"), { displayId: "a" })).toBeUndefined();
    expect(api.display(api.markdown("# m"), { displayId: "a", update: true })).toBeUndefined();
    api.clearOutput({ wait: true });
    expect(channel.calls).toEqual([
      ["display", { "text/html": "<p/>", "text/plain": "[HTML]" }, "a"],
      ["update", { "text/markdown": "# m", "text/plain": "# m" }, "a"],
      ["clear", true, undefined],
    ]);
    expect(() => api.display(1, { update: true })).toThrow(/displayId/);
  });

  it("tracks asynchronous displays until they are sent", async () => {
    const channel = new Channel();
    const inflight = new Set<Promise<unknown>>();
    const api = createDisplayApi(channel, inflight, failOnCall);
    api.display({ [Symbol.for("Jupyter.display")]: async () => ({ "text/html": "late" }) });
    expect(inflight.size).toBe(1);
    await Promise.allSettled([...inflight]);
    await Promise.resolve();
    expect(channel.calls).toHaveLength(1);
    expect(inflight.size).toBe(0);
  });

  it("reports an asynchronous display that fails, since display() returns nothing to await", async () => {
    const failures: unknown[] = [];
    const api = createDisplayApi(new Channel(), new Set(), (error) => failures.push(error));
    await api.displayed({ [Symbol.for("Jupyter.display")]: async () => Promise.reject(new Error("no bundle")) });
    expect(failures).toEqual([new Error("no bundle")]);
  });

  it("helpers make the right MIME types", () => {
    const bundle = (v: unknown) => mimeBundle(v) as MimeBundle;
    expect(bundle(api().latex("x^2"))["text/latex"]).toBe("$$x^2$$");
    expect(bundle(api().latex("$y$"))["text/latex"]).toBe("$y$");
    expect(bundle(api().svg("<svg/>"))["image/svg+xml"]).toBe("<svg/>");
    expect(bundle(api().png(new Uint8Array([255])))["image/png"]).toBe("/w==");
    expect(api().html("<i/>").html).toBe("<i/>");
  });

  it("shows pending figures once, except the one shown as the result", async () => {
    const figures = pendingFigures();
    const [a, b] = [{ n: 1 }, { n: 2 }];
    figures.push(a, b);
    const shown: unknown[] = [];
    await showPendingFigures(async (v) => void shown.push(v), b);
    expect(shown).toEqual([a]);
    expect(pendingFigures()).toHaveLength(0);
  });
});

function api() {
  return createDisplayApi(new Channel(), new Set(), failOnCall);
}

function failOnCall(error: unknown): never {
  throw new Error(`unexpected display failure: ${String(error)}`);
}
