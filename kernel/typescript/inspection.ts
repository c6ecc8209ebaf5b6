/**
 * inspect_request: the signature, type and doc comment of the name under the cursor (or of the
 * call whose arguments the cursor is in), as text/plain and text/markdown. Runs in the compiler
 * worker.
 */
import type * as TS from "typescript";
import type { InspectResult } from "../executor.js";
import type { CellCompiler } from "./cell-compiler.js";
import type { CellLanguageHost } from "./language-host.js";

export function inspect(ts: typeof TS, host: CellLanguageHost, compiler: CellCompiler, code: string, cursor: number): InspectResult {
  const at = compiler.loadForQuery(code, cursor);
  const file = host.names.cell;
  const positions = [at, at - 1].filter((p) => p >= 0);
  for (const pos of positions) {
    const info = host.service.getQuickInfoAtPosition(file, pos);
    if (info && info.displayParts && info.displayParts.length > 0) {
      return found(ts.displayPartsToString(info.displayParts), info.documentation, info.tags, ts);
    }
  }
  const help = host.service.getSignatureHelpItems(file, at, undefined);
  const item = help?.items[help.selectedItemIndex];
  if (item) {
    const signature = ts.displayPartsToString([...item.prefixDisplayParts, ...joinParameters(item), ...item.suffixDisplayParts]);
    return found(signature, item.documentation, item.tags, ts);
  }
  return { found: false, data: {}, metadata: {} };
}

function joinParameters(item: TS.SignatureHelpItem): TS.SymbolDisplayPart[] {
  const parts: TS.SymbolDisplayPart[] = [];
  item.parameters.forEach((p, i) => {
    if (i > 0) parts.push(...item.separatorDisplayParts);
    parts.push(...p.displayParts);
  });
  return parts;
}

function found(
  signature: string,
  documentation: TS.SymbolDisplayPart[] | undefined,
  tags: TS.JSDocTagInfo[] | undefined,
  ts: typeof TS,
): InspectResult {
  const doc = ts.displayPartsToString(documentation ?? []);
  const tagLines = (tags ?? []).map((t) => `@${t.name}${t.text ? " " + ts.displayPartsToString(t.text) : ""}`);
  const plain = [signature, doc, tagLines.join("\n")].filter((s) => s.length > 0).join("\n\n");
  const markdown = ["```typescript\n" + signature + "\n```", doc, tagLines.map((l) => `*${l}*`).join("  \n")]
    .filter((s) => s.length > 0)
    .join("\n\n");
  return { found: true, data: { "text/plain": plain, "text/markdown": markdown }, metadata: {} };
}
