/**
 * is_complete_request: is this code ready to run (console frontends ask before sending)?
 * "complete" when it parses; "incomplete" with an indent when brackets, a template or a block
 * comment are still open or it ends with an operator; otherwise "invalid".
 * Runs in the checker service: the checker's parser counts syntax errors, and the scanner of the
 * same `Syntax` (TypeScript 6's or TypeScript 7's, see syntax.ts) finds what is still open.
 */
import type * as TS from "typescript";
import type { Syntax } from "./syntax.js";
import type { IsCompleteResult } from "../../executor.js";

const CONTINUING_TOKENS = new Set<string>([
  "+", "-", "*", "/", "%", "**", "=", "==", "===", "!=", "!==", "<", ">", "<=", ">=", "&&", "||", "??",
  "&", "|", "^", "<<", ">>", ">>>", "=>", ",", ".", "?.", "?", ":", "+=", "-=", "*=", "/=", "%=", "**=",
  "&&=", "||=", "??=", "&=", "|=", "^=", "<<=", ">>=", ">>>=", "!", "~",
]);

/**
 * @example
 * isComplete(ts, "for (let i = 0; i < 3; i++) {", countSyntaxErrors); // { status: "incomplete", indent: "  " }
 */
export function isComplete(ts: Syntax, code: string, syntaxErrors: (code: string) => number): IsCompleteResult {
  if (code.trim() === "") return { status: "complete" };
  if (syntaxErrors(code) === 0) return { status: "complete" };

  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, code);
  const open: TS.SyntaxKind[] = [];
  let lastToken: TS.SyntaxKind | undefined;
  let lastText = "";
  let unterminated = false;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (scanner.isUnterminated()) unterminated = true;
    switch (token) {
      case ts.SyntaxKind.OpenBraceToken:
      case ts.SyntaxKind.OpenParenToken:
      case ts.SyntaxKind.OpenBracketToken:
        open.push(token);
        break;
      case ts.SyntaxKind.CloseBraceToken:
        if (open[open.length - 1] === ts.SyntaxKind.TemplateHead) {
          token = scanner.reScanTemplateToken(false);
          if (scanner.isUnterminated()) unterminated = true;
          if (token === ts.SyntaxKind.TemplateTail) open.pop();
          break;
        }
        if (open.pop() !== ts.SyntaxKind.OpenBraceToken) return { status: "invalid" };
        break;
      case ts.SyntaxKind.CloseParenToken:
        if (open.pop() !== ts.SyntaxKind.OpenParenToken) return { status: "invalid" };
        break;
      case ts.SyntaxKind.CloseBracketToken:
        if (open.pop() !== ts.SyntaxKind.OpenBracketToken) return { status: "invalid" };
        break;
      case ts.SyntaxKind.TemplateHead:
        open.push(token);
        break;
      case ts.SyntaxKind.SlashToken:
      case ts.SyntaxKind.SlashEqualsToken:
        // A slash after an operand is division; elsewhere it starts a regular expression.
        if (lastToken === undefined || CONTINUING_TOKENS.has(lastText) || lastToken === ts.SyntaxKind.OpenParenToken) {
          token = scanner.reScanSlashToken();
        }
        break;
    }
    if (token !== ts.SyntaxKind.WhitespaceTrivia && token !== ts.SyntaxKind.NewLineTrivia) {
      lastToken = token;
      lastText = scanner.getTokenText();
    }
  }
  if (unterminated || open.length > 0) return { status: "incomplete", indent: indentFor(code, open.length) };
  if (lastToken !== undefined && CONTINUING_TOKENS.has(lastText)) return { status: "incomplete", indent: indentFor(code, 1) };
  return { status: "invalid" };
}

function indentFor(code: string, depth: number): string {
  const lastLine = code.split("\n").pop() ?? "";
  const current = /^\s*/.exec(lastLine)?.[0] ?? "";
  return depth > 0 ? current + "  " : current;
}
