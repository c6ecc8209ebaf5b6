/** Types for export/needs-math.js (plain JavaScript so `npm run export` needs no build). */
export interface NotebookLike {
  cells?: Array<{ cell_type: string; source?: string | string[]; outputs?: Array<{ data?: Record<string, unknown> }> }>;
}
/** True if a markdown or raw cell, or an HTML/markdown/LaTeX output, holds a MathJax delimiter. */
export function notebookNeedsMath(notebook: NotebookLike): boolean;
