/**
 * Tensor operators through the real kernel executor (the built kernel/typescript/index.js, its
 * compiler worker loading the operators rewrite, cells run against the preloaded built stdlib),
 * on both checkers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecuteOutcome } from "../../kernel/executor.js";
import { plain, startKernelSession, type KernelSession } from "./kernel-session.js";

describe.each(["native", "typescript6"] as const)("on the %s checker", (checker) => {
  let session: KernelSession;
  const run = (code: string): Promise<ExecuteOutcome> => session.run(code);

  beforeAll(async () => {
    session = await startKernelSession({ checker });
  });

  afterAll(async () => {
    await session?.executor.shutdown(false);
  });

  describe("tensor operators in kernel cells", () => {
    it("the chapter's chain example, across cells, gives ∂f/∂w = −4096", async () => {
      plain(await run("const w = tensor(-1.0, { requiresGrad: true }), x = tensor(0.0, { requiresGrad: true });\nconst y = tensor(-2.0, { requiresGrad: true }), z = tensor(1.0, { requiresGrad: true });"));
      plain(await run("const [a, b] = [(w + x + y + z) ** 2, (w + x - y - z) ** 2];\nconst u = (a + b) ** 2, v = (a - b) ** 2;"));
      // u and v come from the previous cell: their recorded types are Tensor.
      plain(await run("const f = (u + v) ** 2;\nf.backward();"));
      expect(plain(await run("w.grad!.item()"))).toBe("-4096");
      expect(plain(await run("[x, y, z].map((t) => t.grad!.item())"))).toBe("[ -4096, -4096, -4096 ]");
    });

    it("a number-only cell runs as plain JavaScript", async () => {
      expect(plain(await run("let s = 0;\nfor (let i = 0; i < 100; i++) s += i % 7 * 2;\ns"))).toBe(String(Array.from({ length: 100 }, (_, i) => (i % 7) * 2).reduce((p, q) => p + q)));
    });

    it("tensor + string is an error naming the operator and the types, on the user's line", async () => {
      const outcome = await run(`const t = tensor([1, 2]);\nconst label = t + "text";`);
      expect(outcome.status).toBe("error");
      if (outcome.status !== "error") return;
      const text = `${outcome.evalue}\n${outcome.traceback.join("\n")}`;
      expect(text).toMatch(/Operator '\+' cannot be applied to types 'Tensor' and 'string'/);
      expect(text).toMatch(/line 2/);
    });

    it("a type error inside an operator expression points at the user's line", async () => {
      const outcome = await run(`const p = tensor(1);\n\nconst q = (p * 2).nope;`);
      expect(outcome.status).toBe("error");
      if (outcome.status !== "error") return;
      const text = `${outcome.evalue}\n${outcome.traceback.join("\n")}`;
      expect(text).toMatch(/Property 'nope' does not exist on type 'Tensor'/);
      expect(text).toMatch(/line 3/);
    });

    it("a run-time error in an operator (shape mismatch) points at the user's line", async () => {
      const outcome = await run(`const m = tensor([1, 2, 3]);\nconst n = tensor([1, 2]);\n\nconst bad = m + n;`);
      expect(outcome.status).toBe("error");
      if (outcome.status !== "error") return;
      expect(outcome.traceback.join("\n")).toMatch(/line 4/);
    });

    it("positions after non-ASCII text (∂, an emoji) are the user's own", async () => {
      const outcome = await run("// ∂f/∂w 😀\nconst e1 = tensor([1, 2]);\nconst e2 = (e1 * 2).nope;");
      expect(outcome.status === "error" && outcome.traceback.join("\n")).toMatch(/line 3, column 21/);
      expect(plain(await run("// ∂ 😀\nconst e3 = tensor([1, 2]);\n(e3 * 3 + 1).sum().item()"))).toBe("11");
    });

    it("a rewritten cell with an enum (emitted by the transpiler) and one with imports run as written", async () => {
      expect(plain(await run("enum Scale { One = 1, Two }\nconst s1 = tensor([1, 2]) * Scale.Two;\ns1.toArray()"))).toBe("[ 2, 4 ]");
      expect(plain(await run("import { join } from 'node:path';\nimport type { Tensor as T2 } from 'gradlab';\nconst s2: T2 = tensor([1]) * join('a', 'b').length;\ns2.item()"))).toBe("3");
    });

    it("a tensor comparison as a condition tests its one element, as PyTorch's bool(t) does (a tensor object alone is always truthy)", async () => {
      plain(await run("const v = torch.tensor([1, 2]);"));
      expect(plain(await run('let said = "";\nif (v.sum() > 100) said = "big"; else said = "small";\nsaid'))).toBe("'small'");
      expect(plain(await run("let x = torch.tensor(5.0), halvings = 0;\nwhile (x > 1) { x = x / 2; halvings++; }\nhalvings"))).toBe("3");
      expect(plain(await run("let steps = 0;\nfor (let t = torch.tensor(0.0); t < 3; t = t + 1) steps++;\nsteps"))).toBe("3");
      expect(plain(await run('(v.sum() > 100) ? "big" : "small"'))).toBe("'small'");
      expect(plain(await run("[!(v.sum() > 100), v.sum() > 100 || v.sum() < 0, (v.sum() >= 3) && (v.sum() <= 3)]"))).toBe("[ true, tensor(False), tensor(True) ]");
      const ambiguous = await run("if (v > 1) console.log('some');");
      expect(ambiguous.status === "error" && ambiguous.evalue).toBe(
        "a condition needs one true-or-false value, but `v > 1` gave a tensor of shape [2] (2 elements): test one element with `.at(i)`, or count the true ones: `(v > 1).sum() > 0`");
      // Outside a condition a comparison stays a tensor, and numbers keep JavaScript's own operators.
      expect(plain(await run("v > 1"))).toBe("tensor([False,  True])");
      expect(plain(await run("let k = 0;\nwhile (k < 3) k++;\nk"))).toBe("3");
    });

    it("a tensor held in a variable, a property or a call's result, tested for truth, reads as PyTorch's bool(t)", async () => {
      plain(await run("const done = torch.tensor(0.0), flag = torch.tensor(1.0), pair = torch.tensor([1, 2]);"));
      expect(plain(await run('[done ? "yes" : "no", !done, flag && done, done || flag]'))).toBe("[ 'no', true, tensor(0.), tensor(1.) ]");
      // With operators in the cell (the probe stands in for the final text on TypeScript 6's path: the call is added at emit).
      expect(plain(await run("let x = torch.tensor(5.0), halvings = 0;\nconst above = () => x - 1 > 0;\nwhile (above()) { x = x / 2; halvings++; }\nhalvings"))).toBe("3");
      expect(plain(await run("let loss = pair.sum() * 0, said = '';\nif (loss) said = 'nonzero'; else said = 'zero';\nsaid"))).toBe("'zero'");
      expect(plain(await run("async function later() { return torch.tensor(0.0); }\nlet seen = 'n';\nif (await later()) seen = 'y';\nseen"))).toBe("'n'");
      expect(plain(await run("let inside = 0;\ntorch.no_grad(() => { if (flag) inside++; });\ninside"))).toBe("1");
      const ambiguous = await run("const m = pair * 2;\nif (m) console.log('some');");
      expect(ambiguous.status === "error" && ambiguous.evalue).toBe(
        'a condition needs one true-or-false value, but `m` is a tensor of shape [2] (2 elements), which has none (PyTorch: "Boolean value of Tensor with more than one value is ambiguous"): write `m.any()` for "some element is nonzero", `m.all()` for "every element is", or test one element with `m.at(i)`');
      // The cell's frame points at `m` in the user's line.
      expect(ambiguous.status === "error" && ambiguous.traceback.join("\n")).toContain("line 2\n----> 2 if (m) console.log('some');\n            ^\n");
      // An existence check keeps JavaScript's meaning.
      expect(plain(await run("let best: Tensor | undefined = undefined as Tensor | undefined;\nbest ? 'some' : 'none'"))).toBe("'none'");
    });

    it("Python's `x in xs`, `for (x in xs)` and `xs[-1]` on an array are refused at the user's line with what to write", async () => {
      const membership = await run("const primes = [2, 3, 5];\nconst isPrime = 3 in primes;");
      expect(membership.status).toBe("error");
      const text = membership.status === "error" ? `${membership.evalue}\n${membership.traceback.join("\n")}` : "";
      expect(text).toContain("line 2, column 17: `3 in primes` asks whether `primes` has an index `3`");
      expect(text).toContain("write `primes.includes(3)`");
      const loop = await run("const names = ['a', 'b'];\nlet joined = '';\nfor (const name in names) joined += name;");
      expect(loop.status === "error" && loop.evalue).toContain("write `for (const name of names)`");
      const last = await run("const xs = [1, 2, 3];\nxs[-1]");
      expect(last.status === "error" && last.evalue).toContain("write `xs.at(-1)`");
      // What the messages say to write gives Python's answers.
      expect(plain(await run("const ps = [2, 3, 5];\nlet s = '';\nfor (const p of ps) s += p;\n[ps.includes(3), s, ps.at(-1)]"))).toBe("[ true, '235', 5 ]");
    });

    it("w -= lr * w.grad inside torch.no_grad (PyTorch's in-place update of a leaf) keeps w a leaf that requires gradients", async () => {
      const loop = "let w = torch.tensor([1.0, -1.0], { requiresGrad: true });\nfor (let i = 0; i < 3; i++) {\n  const loss = (w ** 2).sum();\n  loss.backward();\n  torch.no_grad(() => { w -= 0.1 * w.grad!; });\n  w.grad = null;\n}\nw";
      expect(plain(await run(loop))).toBe("tensor([ 0.5120, -0.5120], requires_grad=True)");
      // Its gradient is carried along, as an in-place update leaves it on the same tensor.
      expect(plain(await run("let u = torch.tensor([2.0], { requiresGrad: true });\n(u * u).sum().backward();\ntorch.no_grad(() => { u *= 0.5; });\n[u.isLeaf, u.requiresGrad, u.grad]"))).toBe("[ true, true, tensor([4.]) ]");
      // Outside no_grad an update is recorded like any op (PyTorch would refuse it on a leaf).
      expect(plain(await run("let r = torch.tensor([1.0], { requiresGrad: true });\nr += 1;\n[r.isLeaf, r.gradFn]"))).toBe("[ false, 'add' ]");
    });

    it("v -= lr * v.grad after autograd.record (MXNet's in-place update) keeps v attached", async () => {
      const loop = "let v = np.array([1.0, -1.0]);\nv.attachGrad();\nfor (let i = 0; i < 3; i++) {\n  const l = autograd.record(() => (v ** 2).sum());\n  l.backward();\n  v -= 0.1 * v.grad!;\n}\nv";
      expect(plain(await run(loop))).toBe("array([ 0.512, -0.512])");
    });

    it("a function written with operators carries its Tensor result to later cells", async () => {
      plain(await run("function sq(t: Tensor) { return t * t - 1; }"));
      const error = await run("const n1: number = sq(tensor(2));");
      expect(error.status === "error" && error.evalue).toBe("Type 'Tensor' is not assignable to type 'number'.");
      expect(plain(await run("sq(tensor(3)).item()"))).toBe("8");
    });
  });
});
