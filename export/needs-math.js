/**
 * Whether a notebook has anything MathJax would typeset, so a page without maths can leave
 * MathJax's 2.3 MB out.
 *
 * Boundary: a pure check on the notebook's JSON; export/export.js decides what to inline. It errs
 * towards "yes": any text MathJax scans that holds one of its delimiters ($, \(, \[, \begin{)
 * counts, whether or not it is really a formula.
 */

/** Text the page shows as HTML, where MathJax looks for maths (text/plain sits in <pre>, which it skips). */
const TYPESET_OUTPUTS = ["text/html", "text/markdown", "text/latex"];
const MATH_DELIMITER = /\$|\\\(|\\\[|\\begin\{/;

const joined = (text) => (Array.isArray(text) ? text.join("") : String(text ?? ""));

/**
 * @param {{ cells?: Array<{ cell_type: string, source?: string | string[], outputs?: Array<{ data?: Record<string, unknown> }> }> }} notebook
 *   a parsed .ipynb
 * @returns {boolean} true if a markdown or raw cell, or an HTML/markdown/LaTeX output, holds a math delimiter
 * @example
 *   notebookNeedsMath({ cells: [{ cell_type: "markdown", source: ["Slope $f'(x)$"] }] }); // true
 *   notebookNeedsMath({ cells: [{ cell_type: "code", source: "cost = `$${x}`", outputs: [] }] }); // false
 */
export function notebookNeedsMath(notebook) {
  for (const cell of notebook.cells ?? []) {
    if (cell.cell_type !== "code" && MATH_DELIMITER.test(joined(cell.source))) return true;
    for (const output of cell.outputs ?? []) {
      for (const mime of TYPESET_OUTPUTS) {
        if (output.data?.[mime] !== undefined && MATH_DELIMITER.test(joined(output.data[mime]))) return true;
      }
    }
  }
  return false;
}
