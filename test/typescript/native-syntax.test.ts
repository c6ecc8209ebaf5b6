/**
 * nativeSyntax (kernel/typescript/compiler/native-syntax.ts): the kernel's syntax passes read
 * TypeScript 7's trees, fetched from the native checker, as they read TypeScript 6's. Both parsers
 * run on the same cells (the chapter notebooks' code cells and a list of TypeScript constructs)
 * and are compared node by node, guard by guard, token by token; then each pass (the emit by
 * erasure, recording declarations, Node-API detection, is-complete, the operators' sites) gives
 * the same answer from either tree.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as TS from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODULE_MARKER, userPositionMapper } from "../../kernel/typescript/compiler/cell-compiler.js";
import { emitCell } from "../../kernel/typescript/compiler/native-cell-compiler.js";
import { CellDeclarations, type DeclarationTypes } from "../../kernel/typescript/compiler/cell-declarations.js";
import { isComplete } from "../../kernel/typescript/compiler/is-complete.js";
import { kernelFileNames } from "../../kernel/typescript/compiler/language-host.js";
import { NativeChecker } from "../../kernel/typescript/compiler/native-checker.js";
import { nativeSourceFile, nativeSyntax } from "../../kernel/typescript/compiler/native-syntax.js";
import { sourceUsesNodeApi } from "../../kernel/typescript/compiler/node-usage.js";
import { stripEmit } from "../../kernel/typescript/compiler/strip-emit.js";
import type { Syntax, SyntaxName } from "../../kernel/typescript/compiler/syntax.js";
import { emitElement, emitOperator } from "../../kernel/typescript/operators/emit.js";
import { collectSites } from "../../kernel/typescript/operators/sites.js";
import { ROOT } from "./helpers.js";

const ts = createRequire(import.meta.url)("typescript") as typeof TS;

/** Constructs the notebooks may not use, one or a few per line. */
const CONSTRUCTS = [
  "@dec class A { @prop x = 1; constructor(private readonly y: number, public z?: string) {} accessor w = 2; static #p = 3; get g(): number { return 1 } set g(v) {} }",
  "enum E { A = 1, B }\nnamespace N { export const q = 1 }\ndeclare module 'm' { }\nimport x = require('fs')\nlet a = <number>b",
  "abstract class Q<T extends object = {}> implements I, J<T> { abstract m(): void; declare d: number; [k: string]: unknown; override o?(): void }",
  "function over(a: string): void\nfunction over(this: Window, a: any, ...rest: number[]) {}\nlabel: for (const [i, {j}] of []) { continue label }",
  "const o = { a, b: 2, ...c, [d]: 1, m() {}, get p() { return 1 } }\nx?.y?.[0]!.z?.(1)\nnew Foo<T>()\nf<string>(1)",
  "type M<T> = { [K in keyof T]?: T[K] extends infer U ? U : never }\nlet re = /ab+c/gi, t = `a${1}b${2}c`, big = 10n, neg = -1, pos = +x, nn = !y",
  "using r = res(); await using r2 = res()\nfor await (const v of it) {}\nexport default function () {}\nexport * as ns from 'm'",
  "import type { T } from 'm'\nimport { type U, V as W, \"s p\" as sp } from 'n'\nimport def, * as all from 'o'\nexport { a as b, type T as TT }",
  "/** @param a the a */\nfunction jd(a: number) {}\nlet v: typeof import('x') = 1\nconst arrow = async <T,>(p: T): Promise<T> => p",
  "let sat = o satisfies object, as = o as any, nn2 = o!\na += 1; b **= 2; c ??= 3; [a, b] = [b, a]; ({ a } = o); delete o.a; a++; --b",
  "x = y ? z : w\nif (a) {} else if (b) {} else {}\ntry { } catch { } finally { }\nswitch (a) { case 1: break; default: }",
  "class K2 extends Base<number> { constructor() { super(); } }\nlet fn = function* gen() { yield 1; yield* [2] }\nexport const ex: number = 1\nlet tpl = tag`x${1}`",
  "class Opt { p?: number; q!: string; m?() { return 1 } static s?: number = 1; readonly r = 2 }\nnew Opt().m?.()",
  "interface IF { a?: number; m?(): void; readonly b: string; [k: string]: any; new (x: number): IF; (y: string): void }",
  "let tup: [a: number, b?: string] = [1]\ntype Cond<T> = T extends string ? 'a' : 'b'\nimport('m').then((m) => m)\nconst req = require('os')\nlet q2: NodeJS.Timeout = process.env.X",
  "const π = 3.14 // 😀 non-ASCII before positions\nlet s = `α${π}β`, t = 'é' + π\nexport class C {} export function f() { return s }\nt",
  "let \\u0061b = 'x\\n\\u00e9', n = 1_000 + 0x1F + 1e3 + .5, big2 = 0xFFn\nimport { \"a\\u0062\" as q2 } from 'm'\nab + `t\\u0041${n}`",
  "let crlf: number = 1\r\nconst also = crlf as number\r\n\uFEFFalso",
  "const tensors = w.map((t) => t * 2 + -t[0]! ** 2)\nm[i][j] += 3\nlet k = a < b ? a <= c : a >= d",
];

function notebookCells(): string[] {
  const cells: string[] = [];
  for (const name of readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"))) {
    const notebook = JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8")) as { cells: Array<{ cell_type: string; source: string | string[] }> };
    for (const cell of notebook.cells) if (cell.cell_type === "code") cells.push([cell.source].flat().join(""));
  }
  return cells;
}

const CELLS = [...notebookCells(), ...CONSTRUCTS];

interface Parsed {
  code: string;
  ts6: TS.SourceFile;
  native: TS.SourceFile;
}

/** Names of a Syntax's kinds by number, markers (First…/Last…) left out. */
function kindNames(syntax: Syntax): (kind: number) => string {
  const names = new Map<number, string>();
  for (const [name, value] of Object.entries(syntax.SyntaxKind)) {
    if (typeof value === "number" && !/^(First|Last)/.test(name)) names.set(value, name === "EndOfFileToken" ? "EndOfFile" : name);
  }
  return (kind) => names.get(kind) ?? `?${kind}`;
}
const name6 = kindNames(ts);
const name7 = kindNames(nativeSyntax);

function allNodes(source: TS.SourceFile): TS.Node[] {
  const nodes: TS.Node[] = [];
  const visit = (node: TS.Node): void => {
    nodes.push(node);
    node.forEachChild(visit);
  };
  visit(source);
  return nodes;
}

/** The node properties the passes read, and how each compares. */
const PROPERTIES = (
  "name text operator token isTypeOnly isExportEquals questionToken exclamationToken asteriskToken dotDotDotToken questionDotToken " +
  "typeParameters typeArguments parameters type body modifiers expression statements declarationList declarations elements importClause " +
  "namedBindings propertyName moduleSpecifier heritageClauses members initializer left right operatorToken operand argumentExpression " +
  "arguments condition whenTrue whenFalse label tag template exportClause argument qualifier"
).split(" ");

function shape(value: unknown, names: (kind: number) => string): string {
  if (value === undefined) return "-";
  if (Array.isArray(value)) {
    const list = value as unknown as TS.NodeArray<TS.Node>;
    return `[${list.pos}-${list.end} ${list.map((n) => names(n.kind)).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const node = value as TS.Node;
    return `${names(node.kind)} ${node.pos}-${node.end}`;
  }
  return String(value);
}

/** A member's `?` / `!`: TypeScript 7 calls it postfixToken (syntax.ts lists the differences). */
function postfix(node: TS.Node, property: string): unknown {
  const fields = node as unknown as Record<string, TS.Node | undefined>;
  if (property !== "questionToken" && property !== "exclamationToken") return fields[property];
  const token = fields["postfixToken"];
  const kind = property === "questionToken" ? nativeSyntax.SyntaxKind.QuestionToken : nativeSyntax.SyntaxKind.ExclamationToken;
  return fields[property] ?? (token?.kind === kind ? token : undefined);
}

describe("nativeSyntax over the native checker's trees", () => {
  let cwd: string;
  let native: NativeChecker;
  let parsed: Parsed[];
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), "gradlab-native-syntax-"));
    const names = kernelFileNames(cwd);
    native = new NativeChecker(cwd, names, [names.cell]);
    parsed = CELLS.map((code) => {
      const text = code + MODULE_MARKER;
      native.setFile(names.cell, text);
      return { code, ts6: ts.createSourceFile(names.cell, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS), native: nativeSourceFile(native.project(), names.cell) };
    });
  });
  afterAll(() => {
    native.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it("gives every kind TypeScript 6's name, markers (FirstAssignment…) included", () => {
    // Names TypeScript 7 adds (EndOfFile, LastUnaryOperator, …) are not compared: the passes use TypeScript 6's.
    // Kinds TypeScript 7 does not have: JSDoc's finer kinds, import assertions, the shebang and Bundle.
    const absent = new Set(["ShebangTrivia", "AssertClause", "AssertEntry", "ImportTypeAssertionContainer", "Bundle", "CommaListExpression"]);
    const sameNumber = (syntax: Syntax, name: string): string[] => {
      const kinds = syntax.SyntaxKind as unknown as Record<string, number>;
      return Object.keys(kinds).filter((other) => Number.isNaN(Number(other)) && kinds[other] === kinds[name] && !absent.has(other) && !/^JSDoc/.test(other) && other in ts.SyntaxKind).sort();
    };
    const checked = Object.keys(ts.SyntaxKind).filter((name) => Number.isNaN(Number(name)) && !absent.has(name) && !/^JSDoc/.test(name));
    expect(checked.length).toBeGreaterThan(300);
    for (const name of checked) expect([name, sameNumber(nativeSyntax, name)]).toEqual([name, sameNumber(ts, name)]);
  });

  it("answers the guards it defines by kind lists (canHaveModifiers, isFunctionLike) as TypeScript 6 does for every kind", () => {
    const kinds = Object.keys(ts.SyntaxKind).filter((name) => Number.isNaN(Number(name)) && !/^(First|Last)/.test(name) && name in nativeSyntax.SyntaxKind);
    const answers = (syntax: Syntax) =>
      kinds.map((name) => {
        const node = { kind: (syntax.SyntaxKind as unknown as Record<string, number>)[name] } as TS.Node;
        return `${name}: ${syntax.canHaveModifiers(node)} ${syntax.isFunctionLike(node)}`;
      });
    expect(answers(nativeSyntax)).toEqual(answers(ts));
  });

  it("reads the same tree: kinds, positions (UTF-16), getStart, parents, let/const flags and the properties the passes read", () => {
    let compared = 0;
    for (const { ts6, native: tree } of parsed) {
      expect(tree.text).toBe(ts6.text);
      const a = allNodes(ts6);
      const b = allNodes(tree);
      expect(b.map((n) => name7(n.kind))).toEqual(a.map((n) => name6(n.kind)));
      a.forEach((node, i) => {
        const other = b[i]!;
        const describe = (n: TS.Node, names: (kind: number) => string) =>
          [n.pos, n.end, n.getStart(), n.getFullStart(), n.parent ? names(n.parent.kind) : "-", n.flags & ts.NodeFlags.BlockScoped].join(" ");
        expect(describe(other, name7)).toBe(describe(node, name6));
        for (const property of PROPERTIES) {
          let mine = (node as unknown as Record<string, unknown>)[property];
          const theirs = postfix(other, property);
          // Booleans are meaningful only on kinds that have them (TypeScript 6 leaves others undefined).
          if (typeof theirs === "boolean" && mine === undefined) continue;
          if (property === "operator" || property === "token") mine = mine === undefined ? undefined : name6(mine as number);
          const theirShape = property === "operator" || property === "token" ? (theirs === undefined ? "-" : name7(theirs as number)) : shape(theirs, name7);
          expect(`${name6(node.kind)}.${property} ${theirShape}`).toBe(`${name6(node.kind)}.${property} ${property === "operator" || property === "token" ? (mine ?? "-") : shape(mine, name6)}`);
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(100_000);
  });

  it("answers every guard, canHaveModifiers and getModifiers as TypeScript 6 does", () => {
    const members = (name: SyntaxName) => [ts[name] as unknown as (node: TS.Node) => unknown, nativeSyntax[name] as unknown as (node: TS.Node) => unknown] as const;
    const guards = (Object.keys(nativeSyntax) as SyntaxName[]).filter((name) => /^(is|canHaveModifiers)/.test(name));
    expect(guards.length).toBeGreaterThan(50);
    const modifiers = (list: readonly TS.Node[] | undefined, names: (kind: number) => string) => list?.map((m) => `${names(m.kind)}@${m.getStart()}`).join(" ");
    for (const { ts6, native: tree } of parsed) {
      const a = allNodes(ts6);
      const b = allNodes(tree);
      const answers = (nodes: TS.Node[], which: 0 | 1, names: (kind: number) => string) =>
        nodes.map((node) => {
          const guarded = guards.filter((name) => members(name)[which](node)).join(",");
          return `${names(node.kind)}: ${guarded}; ${modifiers(members("getModifiers")[which](node) as TS.Node[] | undefined, names)}`;
        });
      expect(answers(b, 1, name7)).toEqual(answers(a, 0, name6));
    }
  });

  it("scans tokens as TypeScript 6's scanner does (is-complete and the emitter scan text)", () => {
    const texts = [...CONSTRUCTS, "let s = `open ${a + `inner ${b}`", "x = a / b / c; y = /re[/]x/g.test(s)", "'unterminated", "/* open comment", "f(a, [b, {c"];
    const tokens = (syntax: Syntax, names: (kind: number) => string, text: string): string[] => {
      const scanner = syntax.createScanner(syntax.ScriptTarget.ES2022, false, syntax.LanguageVariant.Standard, text);
      const out: string[] = [];
      for (let token = scanner.scan(); token !== syntax.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
        if (token === syntax.SyntaxKind.SlashToken) token = scanner.reScanSlashToken();
        if (token === syntax.SyntaxKind.CloseBraceToken) token = scanner.reScanTemplateToken(false);
        out.push(`${names(token)}@${scanner.getTokenStart()}:${scanner.getTokenText()}${scanner.isUnterminated() ? "!" : ""}`);
      }
      return out;
    };
    for (const text of texts) expect(tokens(nativeSyntax, name7, text)).toEqual(tokens(ts, name6, text));
    const operators = ["PlusToken", "AsteriskAsteriskEqualsToken", "LessThanEqualsToken", "PercentToken", "MinusToken"] as const;
    for (const op of operators) expect(nativeSyntax.tokenToString(nativeSyntax.SyntaxKind[op])).toBe(ts.tokenToString(ts.SyntaxKind[op]));
  });

  it("gives each syntax pass the same answer from either tree", () => {
    // The recorder's questions of a checker, answered the same way for both trees (this test is about syntax).
    const types: DeclarationTypes = { typeText: (name) => `T_${name.text}`, isPropertyImport: (name) => name.text.startsWith("p") };
    let transpiled = 0;
    for (const { code, ts6, native: tree } of parsed) {
      const toUser = userPositionMapper(code, undefined);
      const isValue = (name: TS.Identifier) => name.text !== "T";
      const stripped = stripEmit(nativeSyntax, tree, code.length, toUser, isValue);
      expect(stripped).toEqual(stripEmit(ts, ts6, code.length, toUser, isValue));
      // What erasure cannot emit goes through TypeScript 6's transpiler, reading the native tree for names and the result.
      if (!stripped) {
        expect(emitCell(nativeSyntax, ts, tree, code, isValue)).toEqual(emitCell(ts, ts, ts6, code, isValue));
        transpiled++;
      }
      const recorded = (syntax: Syntax, source: TS.SourceFile) => {
        const declarations = new CellDeclarations();
        declarations.record(syntax, types, source, 1);
        return [declarations.scriptText(), declarations.importsText()];
      };
      expect(recorded(nativeSyntax, tree)).toEqual(recorded(ts, ts6));
      expect(sourceUsesNodeApi(nativeSyntax, tree, isBuiltin)).toBe(sourceUsesNodeApi(ts, ts6, isBuiltin));
      const sites = (syntax: Syntax, source: TS.SourceFile) => collectSites(syntax, source).map((s) => `${s.kind}${s.kind === "element" ? "" : s.operator}@${s.node.getStart()}-${s.node.end}/${s.depth}`);
      expect(sites(nativeSyntax, tree)).toEqual(sites(ts, ts6));
    }
    expect(transpiled).toBeGreaterThan(2);
    const syntaxErrors = () => 1;
    // The operators' emitter: every site of every cell as a tensor call (elements as `.at`).
    let emitted = 0;
    for (const { ts6, native: tree } of parsed) {
      const edits = (syntax: Syntax, source: TS.SourceFile) =>
        collectSites(syntax, source).map((site) => JSON.stringify(site.kind === "element" ? emitElement(syntax, source, site) : emitOperator(syntax, source, site, "tensor")));
      const mine = edits(nativeSyntax, tree);
      expect(mine).toEqual(edits(ts, ts6));
      emitted += mine.length;
    }
    expect(emitted).toBeGreaterThan(200);
    for (const code of ["for (let i = 0; i < 3; i++) {", "const t = `${a", "x +", "f(a))", "/* open", "let r = /ab"]) {
      expect(isComplete(nativeSyntax, code, syntaxErrors)).toEqual(isComplete(ts, code, syntaxErrors));
    }
  });

  it("emits optional and definite class members (TypeScript 7's postfixToken) without their marks", () => {
    const cell = parsed.find((p) => p.code.startsWith("class Opt"))!;
    const emitted = stripEmit(nativeSyntax, cell.native, cell.code.length, userPositionMapper(cell.code, undefined), () => true);
    expect(emitted?.kind === "compiled" && emitted.js).toContain("let Opt = class Opt { p; q; m() { return 1 } static s = 1;  r = 2 };");
  });
});
