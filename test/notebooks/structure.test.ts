// Static checks of the committed chapter notebooks (no kernel): they are built from the readable
// source, well-formed, carry the errata fixes, and were recorded with the PNG plot fallback on.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flavours, notebookPath, readNotebook, root, run, type FullNotebook } from "./nbrun.js";

const sourceOf = (c: FullNotebook["cells"][number]) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const text = (nb: FullNotebook, type: "code" | "markdown") =>
  nb.cells.filter((c) => c.cell_type === type).map(sourceOf).join("\n\n");

describe("chapter notebooks", () => {
  it("match their readable source (node scripts/notebooks-build.js regenerates them)", async () => {
    const { code, stderr } = await run(process.execPath, [join(root, "scripts", "notebooks-build.js"), "--check"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  describe.each(flavours)("%s", (flavour) => {
    const nb = readNotebook(notebookPath(flavour));

    it("is nbformat 4.5 with the gradlab kernelspec and unique, stable cell ids", () => {
      expect((nb as unknown as { nbformat: number }).nbformat).toBe(4);
      expect((nb as unknown as { nbformat_minor: number }).nbformat_minor).toBe(5);
      expect(nb.metadata.kernelspec).toEqual({ name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" });
      expect((nb.metadata.language_info as { name: string }).name).toBe("typescript");
      const ids = nb.cells.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      ids.forEach((id, i) => expect(id).toBe(`mvc-${String(i).padStart(3, "0")}`));
    });

    it("draws both dependency graphs from files in notebooks/img", () => {
      const images = [...text(nb, "markdown").matchAll(/!\[[^\]]*\]\((img\/[^)]+)\)/g)].map((m) => m[1]);
      expect(images).toEqual(["img/chain-graph-layers.svg", "img/chain-graph-routes.svg"]);
      for (const image of images) expect(existsSync(join(root, "notebooks", image))).toBe(true);
    });

    it("carries the errata corrections", () => {
      const code = text(nb, "code"), prose = text(nb, "markdown");
      expect(prose).toContain("L(\\mathbf{w}) + \\|\\nabla_{\\mathbf{w}} L(\\mathbf{w})\\|\\cos(\\theta)"); // 1
      expect(prose).not.toMatch(/decent/); // 2
      expect(prose).toContain("\\frac{\\partial f}{\\partial u} \\cdot \\frac{\\partial u}{\\partial a}"); // 3
      expect(prose).not.toMatch(/\\frac\{\\partial f\}\{\\partial u\}, \\frac\{\\partial f\}\{\\partial u\}/); // 4
      expect(code).not.toMatch(/backwards\(/); // 6
      expect(code).toMatch(/hessian\(f2\)\(x0\)/); // 7
      expect(code).not.toMatch(/2 \* \(x \+ 1\)\*\*2/); // 8
      expect(prose).toContain("-2\\mathbf{U}^\\top(\\mathbf{X} - \\mathbf{U}\\mathbf{V})"); // 9
      expect(prose).not.toContain("with respect to say $\\beta_1$"); // 10
      expect(prose).toMatch(/x = 0\$ is a local\s+(> )?maximum/); // 11
      expect(prose).not.toMatch(/\\frac\{d\^2f\}\{dx_i/); // 12
      // 14: the figure size is set before the 3-d figure is made (the book sets it after); the book's
      // `ax.dist = 12` stays, as the plots library reads it as the camera distance, and the text says
      // that current Matplotlib removed it.
      const wireframe = nb.cells.map(sourceOf).find((s) => s.includes('projection: "3d"')) ?? "";
      expect(wireframe.indexOf("d2l.setFigsize(")).toBeGreaterThanOrEqual(0);
      expect(wireframe.indexOf("d2l.setFigsize(")).toBeLessThan(wireframe.indexOf("d2l.plt.figure("));
      expect(wireframe).toMatch(/^ax\.dist = 12;$/m);
      expect(prose).toMatch(/Matplotlib\s+(> )?deprecated `Axes3D\.dist`[^]*removed it/);
      if (flavour === "pytorch") {
        for (const v of ["w", "x", "y", "z"]) expect(code).toContain(`df/d${v} at \${w.item()}, \${x.item()}, \${y.item()}, \${z.item()} is \${${v}.grad!.item()}`); // 5
        expect(code).toContain('indexing: "ij"'); // 13
      }
    });

    it("opens with a 'Reading this notebook' section that introduces grad before its first use", () => {
      const cells = nb.cells.map(sourceOf);
      const reading = cells.findIndex((c) => c.startsWith("## Reading this notebook"));
      const firstSection = cells.findIndex((c) => c.startsWith("## Higher-Dimensional Differentiation"));
      expect(reading).toBeGreaterThan(0);
      expect(reading).toBeLessThan(firstSection);
      const section = cells.slice(reading, firstSection).join("\n");
      // Every library name the chapter's code uses is introduced there.
      for (const name of ["tensor", "exp", "log", "matmul", "norm", "grad", "hessian", "eigvalsh", "d2l", "plots", "Tensor", "Math", "console.log"]) {
        expect(section).toContain(`\`${name}`);
      }
      expect(section).toContain(flavour === "mxnet" ? "`np`" : "`torch`");
      for (const topic of ["let", "const", "backward()", "-(x ** 2)", "float64", "Hint:"]) expect(section).toContain(topic);
      expect(section).toMatch(/`\w\.grad!/);
      if (flavour === "mxnet") expect(section).toContain("let c!: Tensor");
      const firstGrad = cells.findIndex((c, i) => i >= firstSection && nb.cells[i]!.cell_type === "code" && /\bgrad\(/.test(c));
      expect(cells.slice(reading, firstGrad).some((c) => c.includes("grad(f)"))).toBe(true);
    });

    it("names x·exp(-x² - y²) f2 wherever it is defined, and writes matrix calculus with ∂", () => {
      const code = text(nb, "code");
      expect(code).not.toMatch(/\bg2\b/);
      expect(code.match(/^function f2\(p: Tensor\)/gm)).toHaveLength(2);
      const prose = text(nb, "markdown");
      const matrix = prose.slice(prose.indexOf("## A Little Matrix Calculus"), prose.indexOf("## Summary"));
      expect(matrix.length).toBeGreaterThan(0);
      // Only the one-variable comparisons keep a straight d.
      const straight = [...matrix.matchAll(/\\frac\{d[^}]*\}\{d([^}]*)\}/g)].map((m) => m[1]);
      expect(straight.every((v) => v === "x" || v === "v")).toBe(true);
      expect(matrix).not.toMatch(/\\frac\{d[^}]*\}\{d(\\mathbf|x_|v_)/);
    });

    it("labels both surfaces of the 3-d Hessian figure and keeps the quadratic inside the box", () => {
      const cell = nb.cells.find((c) => sourceOf(c).includes('projection: "3d"'))!;
      const figure = (cell.outputs ?? []).map((o) => o.data?.["application/vnd.plotly.v1+json"]).find(Boolean) as
        { data: Array<{ name?: string; z: Array<number | null>; showlegend?: boolean }>; layout: { showlegend: boolean; scene: { zaxis: { range: number[] } } } } | undefined;
      expect(figure).toBeDefined();
      expect(figure!.layout.showlegend).toBe(true);
      expect(figure!.data.map((t) => t.name)).toEqual(["f(x, y)", "quadratic approximation at (-1, 0)"]);
      const [lo, hi] = figure!.layout.scene.zaxis.range;
      for (const trace of figure!.data) {
        const zs = trace.z.filter((z): z is number => z !== null);
        expect(zs.length).toBeGreaterThan(0);
        expect(Math.min(...zs)).toBeGreaterThanOrEqual(lo!);
        expect(Math.max(...zs)).toBeLessThanOrEqual(hi!);
      }
    });

    it("keeps each tab's notes in its own notebook", () => {
      const prose = text(nb, "markdown");
      if (flavour === "mxnet") {
        expect(prose).not.toMatch(/mix-up|requiresGrad|PyTorch's default/);
        expect(prose).toMatch(/MXNet's default is float32/);
      } else {
        expect(prose).not.toMatch(/attachGrad\(\)|MXNet's default/);
        expect(prose).toMatch(/PyTorch's default is\s+float32/);
      }
    });

    it("writes the book's `def`s as function declarations, and no top-level arrow-function bindings", () => {
      const code = text(nb, "code");
      const tensorParam = flavour === "mxnet" ? "Tensor \\| number" : "Tensor";
      expect(code).toMatch(new RegExp(`^function f\\(x: ${tensorParam}, y: ${tensorParam}\\) \\{$`, "m"));
      expect(code).toMatch(new RegExp(`^function grad_f\\(x: ${tensorParam}, y: ${tensorParam}\\) \\{$`, "m"));
      expect(code.match(/^(let|const) \w+ = (\([^)]*\)|\w+)(: [^=]+)? =>/gm) ?? []).toEqual([]);
    });

    it("was recorded with the static PNG fallback beside every plotly figure", () => {
      const figures = nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data && "application/vnd.plotly.v1+json" in o.data));
      expect(figures.length).toBeGreaterThanOrEqual(3); // the 1-d plot, the 3-d wireframes, the descent path
      for (const figure of figures) expect(Object.keys(figure.data ?? {})).toContain("image/png");
    });
  });
});
