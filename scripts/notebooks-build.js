#!/usr/bin/env node
/**
 * Builds the chapter notebooks from their readable source.
 *
 * Role: notebooks/src/multivariable-calculus.md → notebooks/multivariable-calculus.{mxnet,pytorch}.ipynb
 * (cells only, no outputs) and the two dependency-graph figures in notebooks/img/. Outputs are
 * recorded afterwards by scripts/notebooks-accept.js, which runs the notebooks in the gradlab kernel.
 * Boundary: knows the source format and nbformat 4.5; knows nothing of the kernel.
 *
 * Usage: node scripts/notebooks-build.js [--check]
 *   --check  writes nothing; exits 1 if a committed notebook's cells differ from the source.
 *
 * Example (from Node):
 *   import { buildNotebook, parseSource } from "./notebooks-build.js";
 *   const nb = buildNotebook(parseSource(text), "pytorch");   // an nbformat 4.5 object
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const notebooksDir = join(root, "notebooks");
export const chapterSource = join(notebooksDir, "src", "multivariable-calculus.md");
export const flavours = ["mxnet", "pytorch"];
export const notebookPath = (flavour) => join(notebooksDir, `multivariable-calculus.${flavour}.ipynb`);

/**
 * Splits the source into blocks: {kind: "markdown"|"code", tab: "all"|"mxnet"|"pytorch", role?, text}.
 * Fenced ```ts/```md blocks carry `tab=` (and optionally `role=`); other text is shared markdown,
 * split into one cell per "## " heading.
 */
export function parseSource(text) {
  const body = text.replace(/^<!--[\s\S]*?-->\s*/, "");
  const lines = body.split("\n");
  const blocks = [];
  let prose = [];
  const flushProse = () => {
    const chunks = [];
    let current = [];
    for (const line of prose) {
      if (line.startsWith("## ") && current.some((l) => l.trim() !== "")) {
        chunks.push(current);
        current = [];
      }
      current.push(line);
    }
    chunks.push(current);
    for (const chunk of chunks) {
      const textOfChunk = chunk.join("\n").trim();
      if (textOfChunk) blocks.push({ kind: "markdown", tab: "all", text: textOfChunk });
    }
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|md)\s+(.*)$/.exec(lines[i]);
    if (!fence) {
      prose.push(lines[i]);
      continue;
    }
    flushProse();
    const attrs = Object.fromEntries(fence[2].trim().split(/\s+/).map((kv) => kv.split("=")));
    if (!["all", "mxnet", "pytorch"].includes(attrs.tab)) {
      throw new Error(`line ${i + 1}: a fence needs tab=all|mxnet|pytorch, got "${fence[2]}"`);
    }
    const content = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) content.push(lines[i]);
    if (i >= lines.length) throw new Error(`unclosed fence opened before line ${i}`);
    blocks.push({
      kind: fence[1] === "ts" ? "code" : "markdown",
      tab: attrs.tab,
      role: attrs.role,
      text: content.join("\n").replace(/\s+$/, ""),
    });
  }
  flushProse();
  return blocks;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its "\n" except the last). */
export function toLines(text) {
  const parts = text.split("\n");
  return parts.map((line, i) => (i < parts.length - 1 ? line + "\n" : line)).filter((l) => l !== "");
}

/** The notebook (nbformat 4.5, no outputs) for one flavour; cell ids are positional and stable. */
export function buildNotebook(blocks, flavour) {
  const cells = blocks
    .filter((b) => b.tab === "all" || b.tab === flavour)
    .map((b, index) => {
      const id = `mvc-${String(index).padStart(3, "0")}`;
      const metadata = b.role ? { tags: [b.role] } : {};
      return b.kind === "code"
        ? { cell_type: "code", execution_count: null, id, metadata, outputs: [], source: toLines(b.text) }
        : { cell_type: "markdown", id, metadata, source: toLines(b.text) };
    });
  return {
    cells,
    metadata: {
      kernelspec: { display_name: "TypeScript (gradlab)", language: "typescript", name: "gradlab" },
      language_info: { file_extension: ".ts", mimetype: "text/typescript", name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** JSON as nbformat writes it (indent 1, sorted keys, non-ASCII kept), so diffs stay small. */
export function serialiseNotebook(nb) {
  const sortKeys = (value) => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
    }
    return value;
  };
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

/** The cell sources of a notebook, joined, for comparing a committed notebook with the source. */
export function cellSignature(nb) {
  return nb.cells.map((c) => ({
    id: c.id,
    type: c.cell_type,
    tags: c.metadata?.tags ?? [],
    source: Array.isArray(c.source) ? c.source.join("") : c.source,
  }));
}

// ---------------------------------------------------------------------------------------------
// The two dependency-graph figures, drawn from node and edge lists.

/**
 * An SVG picture of a small computation graph: nodes in columns, arrows from input to result.
 * `highlight` lists edges ("y>u") drawn in the accent colour; `bend` lists edges drawn as curves.
 */
export function graphSvg({ columns, edges, highlight = [], bend = {}, title }) {
  const colGap = 130, rowGap = 70, radius = 20, margin = 40;
  const tallest = Math.max(...columns.map((c) => c.length));
  const width = margin * 2 + colGap * (columns.length - 1);
  const height = margin * 2 + rowGap * (tallest - 1);
  const pos = {};
  columns.forEach((names, col) => {
    const top = margin + ((tallest - names.length) * rowGap) / 2;
    names.forEach((name, row) => (pos[name] = { x: margin + col * colGap, y: top + row * rowGap }));
  });
  const accent = "#c0392b", ink = "#555";
  const arrows = edges.map((edge) => {
    const [from, to] = edge.split(">");
    const a = pos[from], b = pos[to];
    const lit = highlight.includes(edge);
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy);
    const start = { x: a.x + (dx / len) * radius, y: a.y + (dy / len) * radius };
    const end = { x: b.x - (dx / len) * (radius + 2), y: b.y - (dy / len) * (radius + 2) };
    const style = `stroke="${lit ? accent : ink}" stroke-width="${lit ? 2.5 : 1.2}" fill="none" marker-end="url(#${lit ? "lit" : "dim"})"`;
    if (bend[edge] !== undefined) {
      const c = { x: (a.x + b.x) / 2, y: Math.min(a.y, b.y) + bend[edge] };
      const s = unitToward(a, c, radius), e = unitToward(b, c, radius + 2);
      return `  <path d="M${s.x},${s.y} Q${c.x},${c.y} ${e.x},${e.y}" ${style}/>`;
    }
    return `  <line x1="${round(start.x)}" y1="${round(start.y)}" x2="${round(end.x)}" y2="${round(end.y)}" ${style}/>`;
  });
  const nodes = Object.entries(pos).map(
    ([name, p]) =>
      `  <circle cx="${p.x}" cy="${p.y}" r="${radius}" fill="#f4f6fb" stroke="#2c3e50" stroke-width="1.5"/>\n` +
      `  <text x="${p.x}" y="${p.y + 6}" text-anchor="middle" font-family="Georgia, serif" font-style="italic" font-size="18" fill="#2c3e50">${name}</text>`,
  );
  const marker = (id, colour) =>
    `    <marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">`,
    `  <title>${title}</title>`,
    `  <defs>`,
    marker("dim", ink),
    marker("lit", accent),
    `  </defs>`,
    `  <rect width="100%" height="100%" fill="white"/>`,
    ...arrows,
    ...nodes,
    `</svg>`,
    ``,
  ].join("\n");
}

function unitToward(from, to, distance) {
  const dx = to.x - from.x, dy = to.y - from.y, len = Math.hypot(dx, dy);
  return { x: round(from.x + (dx / len) * distance), y: round(from.y + (dy / len) * distance) };
}
const round = (v) => Math.round(v * 10) / 10;

export const figures = {
  "chain-graph-layers.svg": graphSvg({
    title: "The layered computation: w, x, y, z feed a and b; a and b feed u and v; u and v feed f",
    columns: [["w", "x", "y", "z"], ["a", "b"], ["u", "v"], ["f"]],
    edges: [
      ...["w", "x", "y", "z"].flatMap((i) => [`${i}>a`, `${i}>b`]),
      "a>u", "a>v", "b>u", "b>v", "u>f", "v>f",
    ],
  }),
  "chain-graph-routes.svg": graphSvg({
    title: "A graph where y reaches f along three routes: through u and a, through u directly, and through v and b",
    columns: [["x", "y", "z"], ["u", "v"], ["a", "b"], ["f"]],
    edges: ["x>u", "y>u", "y>v", "z>v", "u>a", "v>b", "u>f", "a>f", "b>f"],
    highlight: ["y>u", "y>v", "u>a", "u>f", "v>b", "a>f", "b>f"],
    bend: { "u>f": -45 },
  }),
};

function main() {
  const check = process.argv.includes("--check");
  const blocks = parseSource(readFileSync(chapterSource, "utf8"));
  let stale = 0;
  for (const flavour of flavours) {
    const path = notebookPath(flavour);
    const fresh = buildNotebook(blocks, flavour);
    if (check) {
      const committed = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : { cells: [] };
      if (JSON.stringify(cellSignature(committed)) !== JSON.stringify(cellSignature(fresh))) {
        console.error(`${path}: cells differ from ${chapterSource}; run node scripts/notebooks-build.js`);
        stale++;
      }
      continue;
    }
    writeFileSync(path, serialiseNotebook(fresh));
    console.log(`wrote ${path} (${fresh.cells.length} cells, no outputs)`);
  }
  const imgDir = join(notebooksDir, "img");
  mkdirSync(imgDir, { recursive: true });
  for (const [name, svg] of Object.entries(figures)) {
    const path = join(imgDir, name);
    if (check) {
      if (!existsSync(path) || readFileSync(path, "utf8") !== svg) {
        console.error(`${path} is stale; run node scripts/notebooks-build.js`);
        stale++;
      }
      continue;
    }
    writeFileSync(path, svg);
    console.log(`wrote ${path}`);
  }
  if (stale) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
