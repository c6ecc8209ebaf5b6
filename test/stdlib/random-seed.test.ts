/**
 * Seeding the random numbers as PyTorch and NumPy do: a seed set repeats the numbers, a new
 * process starts from a seed nobody chose, and the seed in use can be read back and reused.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { manualSeed, np, rand, randn, torch } from "../../stdlib/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

describe("random seeds", () => {
  it("repeats the numbers after the same seed, in both flavours", () => {
    manualSeed(42);
    const a = randn([5]).toArray();
    torch.manual_seed(42);
    expect(torch.randn(5).toArray()).toEqual(a);
    np.random.seed(7);
    const b = np.random.rand(3).toArray();
    np.random.seed(7);
    expect(np.random.rand(3).toArray()).toEqual(b);
    manualSeed(43);
    expect(randn([5]).toArray()).not.toEqual(a);
  });

  it("reads back the seed in use, and seed() picks one that reproduces its numbers", () => {
    torch.manualSeed(123);
    expect(torch.initialSeed()).toBe(123);
    expect(torch.initial_seed()).toBe(123);
    const picked = torch.seed();
    expect(torch.initialSeed()).toBe(picked);
    const first = rand([4]).toArray();
    torch.manualSeed(picked);
    expect(rand([4]).toArray()).toEqual(first);
    np.random.seed();
    expect(torch.initialSeed()).not.toBe(picked);
  });

  it("keeps 0 and negative seeds usable and refuses a seed that is not a number", () => {
    manualSeed(0);
    const zero = rand([3]).toArray();
    manualSeed(0);
    expect(rand([3]).toArray()).toEqual(zero);
    expect(new Set(zero).size).toBe(3);
    manualSeed(-1);
    expect(torch.initialSeed()).toBe(2 ** 32 - 1);
    expect(() => manualSeed(Number.NaN)).toThrow(/the seed must be a number/);
  });

  it("starts each new process from a different seed, as PyTorch and NumPy do", () => {
    const library = pathToFileURL(join(root, "dist/stdlib/index.js")).href;
    const draw = () => execFileSync(process.execPath, ["--input-type=module", "-e", `const { torch } = await import(${JSON.stringify(library)}); console.log(JSON.stringify([torch.initialSeed(), torch.rand(2).toArray()]))`], { encoding: "utf8" });
    const [seedA, numbersA] = JSON.parse(draw()) as [number, number[]];
    const [seedB, numbersB] = JSON.parse(draw()) as [number, number[]];
    expect(seedA).not.toBe(seedB);
    expect(numbersA).not.toEqual(numbersB);
    torch.manualSeed(seedA);
    expect(torch.rand(2).toArray()).toEqual(numbersA);
  });
});
