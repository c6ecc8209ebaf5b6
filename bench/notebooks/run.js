#!/usr/bin/env node
/**
 * Benchmark (not a test): the whole chapter through `jupyter nbconvert --execute`, gradlab kernel
 * (TypeScript 7's native checker, and TypeScript 6's through GRADLAB_CHECKER=typescript6) versus the
 * book's PyTorch cells through ipykernel, same machine, same run.
 *
 * Role: report wall times (median of N runs, nbconvert start-up included on both sides; a
 * one-cell notebook shows how much of a run that start-up is), and, without nbconvert, the
 * chapter's cells through jupyter_client on each checker with the kernel's memory after them
 * (kernel_side.py).
 * Boundary: builds a Python notebook of the book's PyTorch-tab cells (the errata applied, as in
 * test/notebooks/torch_reference.py); plotting runs there only when matplotlib is importable,
 * which the report states, since gradlab's side always draws its figures.
 *
 * Usage: npm run bench:notebooks [-- --runs 3]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = join(root, ".venv", "bin");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

// The PyTorch tab's cells, retraced (d2l.ai "Multivariable Calculus", CC BY-SA 4.0), with the
// errata fixed; `d2l.plot` and `plot_wireframe` become plain matplotlib when it is installed.
const pythonCells = [
  `import torch
try:
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
except ImportError:
    plt = None

def f(x, y):
    return torch.log(torch.exp(x) + torch.exp(y))
def grad_f(x, y):
    return torch.tensor([torch.exp(x) / (torch.exp(x) + torch.exp(y)),
                     torch.exp(y) / (torch.exp(x) + torch.exp(y))])

epsilon = torch.tensor([0.01, -0.03])
grad_approx = f(torch.tensor([0.]), torch.log(torch.tensor([2.]))) + epsilon.dot(
    grad_f(torch.tensor([0.]), torch.log(torch.tensor(2.))))
true_value = f(torch.tensor([0.]) + epsilon[0], torch.log(
    torch.tensor([2.])) + epsilon[1])
"Approximation: {}, True Value: {}".format(grad_approx, true_value)`,
  `x = torch.arange(-2, 3, 0.01)
f = (3 * x**4) - (4 * x**3) - (12 * x**2)
if plt:
    plt.figure(figsize=(3.5, 2.5)); plt.plot(x, f); plt.xlabel('x'); plt.ylabel('f(x)'); plt.show()`,
  `w, x, y, z = -1, 0, -2, 1
a, b = (w + x + y + z)**2, (w + x - y - z)**2
u, v = (a + b)**2, (a - b)**2
f = (u + v)**2
print("    f at {}, {}, {}, {} is {}".format(w, x, y, z, f))
df_du, df_dv = 2*(u + v), 2*(u + v)
du_da, du_db, dv_da, dv_db = 2*(a + b), 2*(a + b), 2*(a - b), -2*(a - b)
da_dw, db_dw = 2*(w + x + y + z), 2*(w + x - y - z)
du_dw, dv_dw = du_da*da_dw + du_db*db_dw, dv_da*da_dw + dv_db*db_dw
df_dw = df_du*du_dw + df_dv*dv_dw
print("df/dw at {}, {}, {}, {} is {}".format(w, x, y, z, df_dw))`,
  `w, x, y, z = -1, 0, -2, 1
a, b = (w + x + y + z)**2, (w + x - y - z)**2
u, v = (a + b)**2, (a - b)**2
f = (u + v)**2
print(f"f at {w}, {x}, {y}, {z} is {f}")
df_du, df_dv = 2*(u + v), 2*(u + v)
du_da, du_db, dv_da, dv_db = 2*(a + b), 2*(a + b), 2*(a - b), -2*(a - b)
da_dw, db_dw = 2*(w + x + y + z), 2*(w + x - y - z)
da_dx, db_dx = 2*(w + x + y + z), 2*(w + x - y - z)
da_dy, db_dy = 2*(w + x + y + z), -2*(w + x - y - z)
da_dz, db_dz = 2*(w + x + y + z), -2*(w + x - y - z)
df_da, df_db = df_du*du_da + df_dv*dv_da, df_du*du_db + df_dv*dv_db
df_dw, df_dx = df_da*da_dw + df_db*db_dw, df_da*da_dx + df_db*db_dx
df_dy, df_dz = df_da*da_dy + df_db*db_dy, df_da*da_dz + df_db*db_dz
print(f"df/dw at {w}, {x}, {y}, {z} is {df_dw}")
print(f"df/dx at {w}, {x}, {y}, {z} is {df_dx}")
print(f"df/dy at {w}, {x}, {y}, {z} is {df_dy}")
print(f"df/dz at {w}, {x}, {y}, {z} is {df_dz}")`,
  `w = torch.tensor([-1.], requires_grad=True)
x = torch.tensor([0.], requires_grad=True)
y = torch.tensor([-2.], requires_grad=True)
z = torch.tensor([1.], requires_grad=True)
a, b = (w + x + y + z)**2, (w + x - y - z)**2
u, v = (a + b)**2, (a - b)**2
f = (u + v)**2
f.backward()
for name, t in (("w", w), ("x", x), ("y", y), ("z", z)):
    print(f"df/d{name} at {w.data.item()}, {x.data.item()}, {y.data.item()}, {z.data.item()} is {t.grad.data.item()}")`,
  `x, y = torch.meshgrid(torch.linspace(-2, 2, 101), torch.linspace(-2, 2, 101), indexing='ij')
z = x*torch.exp(- x**2 - y**2)
w = torch.exp(torch.tensor([-1.]))*(-1 - (x + 1) + (x + 1)**2 + y**2)
if plt:
    ax = plt.figure(figsize=(3.5, 2.5)).add_subplot(111, projection='3d')
    ax.plot_wireframe(x.numpy(), y.numpy(), z.numpy(), rstride=10, cstride=10)
    ax.plot_wireframe(x.numpy(), y.numpy(), w.numpy(), rstride=10, cstride=10, color='purple')
    plt.xlabel('x'); plt.ylabel('y'); ax.set_xlim(-2, 2); ax.set_ylim(-2, 2); ax.set_zlim(-1, 1); plt.show()`,
];

function pythonNotebook() {
  return {
    cells: pythonCells.map((src, i) => ({ cell_type: "code", execution_count: null, id: `bench-${i}`, metadata: {}, outputs: [], source: src })),
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

function timeNbconvert(path, outDir, env = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(join(bin, "jupyter"), [
    "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.record_timing=False",
    "--output-dir", outDir, "--output", "out.ipynb", path,
  ], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`nbconvert failed on ${path}:\n${r.stderr.slice(-2000)}`);
  return seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  if (!existsSync(join(bin, "jupyter"))) throw new Error("no .venv: run npm run setup first");
  const hasTorch = spawnSync(join(bin, "python"), ["-c", "import torch"]).status === 0;
  const hasMatplotlib = spawnSync(join(bin, "python"), ["-c", "import matplotlib"]).status === 0;
  const dir = mkdtempSync(join(tmpdir(), "gradlab-bench-nb-"));
  try {
    const pyPath = join(dir, "pytorch-cells.ipynb");
    writeFileSync(pyPath, JSON.stringify(pythonNotebook()));
    const pytorchFlavour = join(root, "notebooks", "multivariable-calculus.pytorch.ipynb");
    // The kernel inherits nbconvert's environment: GRADLAB_CHECKER picks its type checker.
    const oneCell = join(dir, "one-cell.ipynb");
    writeFileSync(oneCell, JSON.stringify({ ...JSON.parse(readFileSync(pytorchFlavour, "utf8")), cells: [{ cell_type: "code", execution_count: null, id: "one", metadata: {}, outputs: [], source: "1 + 1" }] }));
    const cases = [
      ["gradlab: multivariable-calculus.pytorch.ipynb", pytorchFlavour, { GRADLAB_CHECKER: "native" }],
      ["gradlab: multivariable-calculus.mxnet.ipynb", join(root, "notebooks", "multivariable-calculus.mxnet.ipynb"), { GRADLAB_CHECKER: "native" }],
      ["gradlab, GRADLAB_CHECKER=typescript6: multivariable-calculus.pytorch.ipynb", pytorchFlavour, { GRADLAB_CHECKER: "typescript6" }],
    ];
    cases.push(["gradlab: a one-cell notebook (nbconvert and kernel start-up)", oneCell, { GRADLAB_CHECKER: "native" }]);
    if (hasTorch) cases.push([`ipykernel + PyTorch: the book's PyTorch cells${hasMatplotlib ? "" : " (no matplotlib: plots skipped)"}`, pyPath]);
    else console.warn("torch is not installed in .venv: the PyTorch side is not measured (npm run setup -- --torch)");
    const times = new Map(cases.map(([name]) => [name, []]));
    // Interleave the cases so that machine load drifts affect them alike.
    for (let r = 0; r < runs; r++) for (const [name, path, env] of cases) times.get(name).push(timeNbconvert(path, dir, env));
    console.log(`\nchapter through nbconvert --execute, ${runs} runs each (wall seconds, median [min–max]):`);
    for (const [name, ts] of times) {
      console.log(`  ${name.padEnd(80)} ${median(ts).toFixed(2)} [${Math.min(...ts).toFixed(2)}–${Math.max(...ts).toFixed(2)}]`);
    }
    const names = [...times.keys()];
    const speedup = median(times.get(names[2])) / median(times.get(names[0]));
    console.log(`  TypeScript 6 checker / native checker (pytorch flavour) = ${speedup.toFixed(2)} (target ≥ 1.5)`);
    if (names.length === 5) {
      const ratio = median(times.get(names[0])) / median(times.get(names[4]));
      console.log(`  gradlab (pytorch flavour) / PyTorch+ipykernel = ${ratio.toFixed(2)}`);
    }
    console.log("\nthe pytorch flavour's code cells through jupyter_client, no nbconvert (one run each):");
    const cellsMs = {};
    for (const checker of ["native", "typescript6"]) {
      const r = spawnSync(join(bin, "python"), [join(root, "bench", "notebooks", "kernel_side.py"), pytorchFlavour], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, GRADLAB_CHECKER: checker },
      });
      if (r.status !== 0) throw new Error(`kernel_side.py failed:\n${r.stderr.slice(-2000)}`);
      const side = JSON.parse(r.stdout.trim().split("\n").pop());
      const failures = side.failed.length > 0 ? ` (failed: ${side.failed.join("; ")})` : "";
      console.log(`  ${checker.padEnd(12)} ${side.cells} cells in ${side.cells_ms.toFixed(0)} ms; kernel process tree ${side.rss_mb.toFixed(0)} MB after them${failures}`);
      cellsMs[checker] = side.cells_ms;
    }
    console.log(`  TypeScript 6 checker / native checker, the cells alone = ${(cellsMs.typescript6 / cellsMs.native).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
