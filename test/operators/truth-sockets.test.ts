/**
 * A Python reader's `if t:` in the real gradlab kernel (bin/gradlab.js kernel, launched as Jupyter
 * launches it) over ZeroMQ: a one-element tensor tested for truth reads as its element, a larger
 * one fails with the message saying what to write, shown at the user's line, and an existence
 * check on a possibly-missing tensor keeps JavaScript's meaning.
 */
import { describe, expect, it } from "vitest";
import { type Msg, kernelPerFile } from "../protocol/kernel-harness.js";

const kernel = kernelPerFile();

/** The text/plain of the cell's execute_result. */
async function value(code: string): Promise<string> {
  const { reply, iopub } = await kernel.client().run(code);
  expect(reply.content["status"], JSON.stringify(reply.content)).toBe("ok");
  const result = iopub.find((m: Msg) => m.header.msg_type === "execute_result");
  return String((result?.content["data"] as Record<string, unknown> | undefined)?.["text/plain"]);
}

describe("a tensor tested for truth, through the kernel over ZeroMQ", () => {
  it("reads as PyTorch's bool(t): a training loop stops when its loss tensor says so", async () => {
    await kernel.client().run("const target = torch.tensor([3.0]);\nlet w = torch.tensor([0.0], { requiresGrad: true });");
    const loop = [
      "let steps = 0;",
      "const notDone = () => ((w - target) ** 2).sum() > 1e-6;",
      "let going = notDone();",
      "while (going) {",
      "  const loss = ((w - target) ** 2).sum();",
      "  loss.backward();",
      "  torch.no_grad(() => { w -= 0.25 * w.grad!; });",
      "  w.grad = null;",
      "  going = notDone();",
      "  steps++;",
      "  if (steps > 100) break;",
      "}",
      "[steps < 100, Math.round(w.item() * 100) / 100]",
    ].join("\n");
    expect(await value(loop)).toBe("[ true, 3 ]");
    expect(await value('const zero = torch.tensor(0.0);\n[zero ? "taken" : "not taken", !zero, zero || target]')).toBe("[ 'not taken', true, tensor([3.]) ]");
  }, 60_000);

  it("a tensor of several elements fails at the user's line with what to write instead", async () => {
    const { reply } = await kernel.client().run("const mask = torch.tensor([1, 0, 1]);\nif (mask) console.log('taken');");
    expect(reply.content["status"]).toBe("error");
    expect(reply.content["evalue"]).toBe(
      'a condition needs one true-or-false value, but `mask` is a tensor of shape [3] (3 elements), which has none (PyTorch: "Boolean value of Tensor with more than one value is ambiguous"): write `mask.any()` for "some element is nonzero", `mask.all()` for "every element is", or test one element with `mask.at(i)`',
    );
    const traceback = (reply.content["traceback"] as string[]).join("\n").replace(/\x1b\[[0-9;]*m/g, "");
    expect(traceback).toContain("line 2\n----> 2 if (mask) console.log('taken');\n            ^");
    expect(await value("mask.any() ? 'some' : 'none'")).toBe("'some'");
  }, 60_000);

  it("an existence check on a tensor that may be missing keeps JavaScript's meaning", async () => {
    expect(await value("function firstBig(ts: Tensor[]): Tensor | undefined { return ts.find((t) => t.item() > 10); }\nconst found = firstBig([torch.tensor(0.0)]);\nfound ? 'found' : 'none'")).toBe("'none'");
  }, 60_000);
});
