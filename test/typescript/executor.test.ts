/**
 * The TypeScript executor driven directly (no sockets): state across cells, redeclaration, type
 * errors, checking switched off, top-level await, results, displays, streams, runtime errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingSink, resultText, startSession, type Session } from "./helpers.js";

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s.executor.shutdown(false);
});

describe("state across cells", () => {
  it("keeps variables, functions, classes, types and interfaces", async () => {
    resultText(await s.run("const base = 20\nfunction twice(x: number) { return 2 * x }\nclass Box { constructor(public v: number) {} }\ninterface Pair { a: number; b: string }\ntype Id = number"));
    expect(resultText(await s.run("const p: Pair = { a: twice(base), b: 'x' }\nconst id: Id = p.a\nnew Box(id).v + 1"))).toBe("41");
  });

  it("lets a name be declared again, latest wins, for the checker too", async () => {
    resultText(await s.run("const again = 1"));
    resultText(await s.run("const again = 'now a string'"));
    expect(resultText(await s.run("again.toUpperCase()"))).toBe("'NOW A STRING'");
    resultText(await s.run("function shape() { return 1 }"));
    resultText(await s.run("function shape() { return 'two' }"));
    expect(resultText(await s.run("shape().length"))).toBe("3");
    resultText(await s.run("class Animal { legs = 4 }"));
    resultText(await s.run("class Animal { wings = 2 }"));
    expect(resultText(await s.run("new Animal().wings"))).toBe("2");
    resultText(await s.run("type Unit = 'm'"));
    resultText(await s.run("type Unit = 's' | 'kg'"));
    expect(resultText(await s.run("const u: Unit = 'kg'; u"))).toBe("'kg'");
  });

  it("runs the same cell twice", async () => {
    const cell = "let counter = 0\nclass Counter { n = 1 }\ncounter += new Counter().n\ncounter";
    expect(resultText(await s.run(cell))).toBe("1");
    expect(resultText(await s.run(cell))).toBe("1");
  });

  it("lets let variables be reassigned in a later cell but not consts", async () => {
    resultText(await s.run("let total = 1\nconst fixed = 2"));
    expect(resultText(await s.run("total = total + 10\ntotal"))).toBe("11");
    const outcome = await s.run("fixed = 3");
    expect(outcome.status).toBe("error");
  });
});

describe("type errors", () => {
  it("stop the cell before it runs, with line, column, message and source", async () => {
    const outcome = await s.run("let ran = 'before'\nconsole.log('side effect')\nconst n: number = 'text'");
    expect(outcome.status).toBe("error");
    if (outcome.status !== "error") return;
    expect(outcome.ename).toBe("TSError");
    expect(outcome.evalue).toContain("Type 'string' is not assignable to type 'number'");
    const trace = outcome.traceback.join("\n");
    expect(trace).toContain("Cell In[");
    expect(trace).toContain("line 3, column 7");
    expect(trace).toContain("const n: number = 'text'");
    expect(trace).toMatch(/\n\s+\|\s{7}\^/);
    expect(outcome.sink.text()).toBe("");
  });

  it("see types that flow from earlier cells", async () => {
    resultText(await s.run("const word = 'abc'"));
    const outcome = await s.run("const k: number = word");
    expect(outcome.status).toBe("error");
  });

  it("are skipped for a cell starting with // @ts-nocheck", async () => {
    expect(resultText(await s.run("// @ts-nocheck\nconst loose: number = 'text' as any as number\nconst wrong: number = 'still text'\nwrong"))).toBe("'still text'");
  });

  it("are reported as SyntaxError for code that does not parse", async () => {
    const outcome = await s.run("const = 5");
    expect(outcome.status === "error" && outcome.ename).toBe("SyntaxError");
  });
});

describe("values and awaiting", () => {
  it("shows the last expression as text without ANSI codes", async () => {
    const text = resultText(await s.run("({ nested: { list: [1, 2, 3], name: 'n' }, when: 12n })"));
    expect(text).toBe("{ nested: { list: [ 1, 2, 3 ], name: 'n' }, when: 12n }");
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("shows an error value as its class and message, without the kernel's own stack frames", async () => {
    expect(resultText(await s.run("new RangeError('out of range')"))).toBe("RangeError: out of range");
    const withCode = resultText(await s.run("Object.assign(new Error('no file'), { code: 'ENOENT' })"));
    expect(withCode).toBe("Error: no file { code: 'ENOENT' }");
    const listed = resultText(await s.run("[new TypeError('first'), 2]"));
    expect(listed).toBe("[ TypeError: first, 2 ]");
  });

  it("shows a timer as what it will do, not as Node's internal fields", async () => {
    expect(resultText(await s.run("setTimeout(() => {}, 1000)"))).toBe("Timeout (once, after 1000 ms)");
    expect(resultText(await s.run("const every = setInterval(() => {}, 200); every"))).toBe("Timeout (every 200 ms)");
    expect(resultText(await s.run("clearInterval(every); every"))).toBe("Timeout (every 200 ms, cleared)");
  });

  it("shows nothing for undefined, a declaration or a statement", async () => {
    expect((await s.run("undefined")).status === "ok" && resultText(await s.run("undefined"))).toBeUndefined();
    expect(resultText(await s.run("const quiet = 5"))).toBeUndefined();
    expect(resultText(await s.run("let acc = 0\nfor (const v of [1, 2]) { acc += v }"))).toBeUndefined();
  });

  it("supports top-level await and for await", async () => {
    expect(resultText(await s.run("const later = await new Promise<number>((r) => setTimeout(() => r(5), 5))\nlater * 2"))).toBe("10");
    const outcome = await s.run("async function* gen() { yield 1; yield 2 }\nlet got = 0\nfor await (const v of gen()) got += v\ngot");
    expect(resultText(outcome)).toBe("3");
  });

  it("adds the Jupyter.display bundle, sync or through a Promise", async () => {
    const sync = await s.run("({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>sync</b>' } } })");
    expect(sync.status === "ok" && sync.result?.data["text/html"]).toBe("<b>sync</b>");
    const later = await s.run("({ async [Symbol.for('Jupyter.display')]() { return { 'text/markdown': '*async*' } } })");
    expect(later.status === "ok" && later.result?.data["text/markdown"]).toBe("*async*");
    expect(later.status === "ok" && typeof later.result?.data["text/plain"]).toBe("string");
  });
});

describe("the preloaded library", () => {
  it("is global with its types, in values and in type positions", async () => {
    expect(resultText(await s.run("const t: Tensor = tensor([1, 2, 3])\nconst sh: Shape = t.shape\nt.sum() + sh[0]!"))).toBe("9");
    const outcome = await s.run("const bad: string = tensor([1]).sum()");
    expect(outcome.status === "error" && outcome.ename).toBe("TSError");
  });

  it("shows pending figures when the cell ends, once", async () => {
    const outcome = await s.run("figure('first')\nfigure('second')\nconst shown = figure('third')\nshown");
    expect(outcome.status).toBe("ok");
    const displays = outcome.sink.events.filter((e) => e.kind === "display");
    const titles = displays.map((e) => (e.kind === "display" ? (e.data["application/vnd.plotly.v1+json"] as { layout: { title: string } }).layout.title : ""));
    expect(titles).toEqual(["first", "second"]);
    expect(outcome.status === "ok" && outcome.result?.data["application/vnd.plotly.v1+json"]).toBeTruthy();
    const next = await s.run("1");
    expect(next.sink.events.filter((e) => e.kind === "display")).toHaveLength(0);
  });
});

describe("outputs", () => {
  it("captures console and process.stdout in order, without colours", async () => {
    const outcome = await s.run("console.log('one', { a: 1 })\nconsole.error('two')\nprocess.stdout.write('three\\n')\nconsole.warn('four')");
    expect(outcome.sink.text("stdout")).toBe("one { a: 1 }\nthree\n");
    expect(outcome.sink.text("stderr")).toBe("two\nfour\n");
  });

  it("batches many lines into few messages", async () => {
    const outcome = await s.run("for (let i = 0; i < 20000; i++) console.log(i)");
    const streams = outcome.sink.events.filter((e) => e.kind === "stream");
    expect(streams.length).toBeLessThan(20);
    expect(outcome.sink.text().split("\n")).toHaveLength(20001);
  });

  it("routes timer output to the cell that is running, then to the latest cell", async () => {
    const first = await s.run("setTimeout(() => console.log('from the timer'), 30); 'started'");
    const second = new RecordingSink();
    const running = s.run("await new Promise((r) => setTimeout(r, 80)); 'waited'", second);
    expect(resultText(await running)).toBe("'waited'");
    expect(second.text()).toBe("from the timer\n");
    expect(first.sink.text()).toBe("");
    setTimeout(() => console.log("after the cell"), 1);
    await new Promise((r) => setTimeout(r, 60));
    expect(second.text()).toBe("from the timer\nafter the cell\n");
  });

  it("prints what a cell scheduled for right after inside that cell, however the timer was reached", async () => {
    const outcome = await s.run(
      [
        'import { setTimeout as fromModule, setInterval as intervalFromModule } from "node:timers";',
        'import { promisify } from "node:util";',
        'setTimeout(() => console.log("global 0 ms"), 0);',
        'setTimeout(() => console.log("global, no delay"));',
        'fromModule(() => console.log("node:timers 0 ms"), 0);',
        'const every = intervalFromModule(() => { console.log("interval 1 ms"); clearInterval(every); }, 1);',
        "Promise.resolve().then(() => console.log(\"promise\"));",
        "typeof promisify",
      ].join("\n"),
    );
    expect(outcome.sink.text().split("\n").sort()).toEqual(["", "global 0 ms", "global, no delay", "interval 1 ms", "node:timers 0 ms", "promise"]);
    const promisified = await s.run("await promisify(setTimeout)(1, 'promisified')");
    expect(resultText(promisified)).toBe("'promisified'");
    const quiet = await s.run("Promise.resolve().then(() => console.log('only a promise'));\n1");
    expect(quiet.sink.text()).toBe("only a promise\n");
  });

  it("display(), update and clearOutput reach the sink in order", async () => {
    const outcome = await s.run(
      "console.log('before')\nawait display(html('<p>hi</p>'), { displayId: 'd1' })\ndisplay(markdown('**m**'), { displayId: 'd1', update: true })\nlatex('x^2')\nclearOutput({ wait: true })\ndisplay(svg('<svg/>'))\ndisplay(png(new Uint8Array([1, 2, 3])))\ndisplay({ [Symbol.for('Jupyter.display')]: async () => ({ 'text/html': '<i>late</i>' }) })",
    );
    expect(outcome.status).toBe("ok");
    const kinds = outcome.sink.events.map((e) => e.kind);
    expect(kinds).toEqual(["stream", "display", "update", "clear", "display", "display", "display"]);
    const [, shown, updated, , image, picture, late] = outcome.sink.events;
    expect(shown).toMatchObject({ data: { "text/html": "<p>hi</p>" }, displayId: "d1" });
    expect(updated).toMatchObject({ data: { "text/markdown": "**m**" }, displayId: "d1" });
    expect(image).toMatchObject({ data: { "image/svg+xml": "<svg/>" } });
    expect(picture).toMatchObject({ data: { "image/png": "AQID" } });
    expect(late).toMatchObject({ data: { "text/html": "<i>late</i>" } });
    const math = await s.run("latex('x^2')");
    expect(math.status === "ok" && math.result?.data["text/latex"]).toBe("$$x^2$$");
  });

  it("input() asks the frontend; prompt() explains itself without a synchronous channel", async () => {
    const sink = new RecordingSink();
    sink.answers.push("Ada");
    expect(resultText(await s.run("const who = await input('name? ');\n`hi ${who}`", sink))).toBe("'hi Ada'");
    expect(sink.inputs).toEqual(["name? "]);
    const outcome = await s.run("prompt('x')");
    expect(outcome.status === "error" && outcome.evalue).toContain("await input(");
  });
});

describe("runtime errors", () => {
  it("name the class and point at the cell's TypeScript lines", async () => {
    const outcome = await s.run(
      "interface Opts { limit: number }\n\nfunction check(o: Opts): number {\n  if (o.limit > 3) {\n    throw new RangeError(`limit ${o.limit} too big`)\n  }\n  return o.limit\n}\ncheck({ limit: 1 })\ncheck({ limit: 9 })",
    );
    expect(outcome.status).toBe("error");
    if (outcome.status !== "error") return;
    expect(outcome.ename).toBe("RangeError");
    expect(outcome.evalue).toBe("limit 9 too big");
    const trace = outcome.traceback.join("\n");
    expect(trace).toMatch(/Cell In\[\d+\], line 5, in check\n----> 5     throw new RangeError\(`limit \$\{o.limit\} too big`\)\n {18}\^/);
    expect(trace).toMatch(/Cell In\[\d+\], line 10\n----> 10 check\(\{ limit: 9 \}\)/);
    // Outermost first, as Python prints them, and the error last.
    expect(trace.indexOf("line 10")).toBeLessThan(trace.indexOf("line 5, in check"));
    expect(outcome.traceback[outcome.traceback.length - 1]).toBe("RangeError: limit 9 too big");
    expect(trace).not.toMatch(/node:internal|dist\/kernel|inspector/);
    expect(trace).not.toMatch(/\u001b\[/);
  });

  it("map frames of functions defined in earlier cells to those cells", async () => {
    const defining = await s.run("function explode(): never {\n  throw new TypeError('boom')\n}");
    expect(defining.status).toBe("ok");
    const outcome = await s.run("// calls it\nexplode()");
    if (outcome.status !== "error") throw new Error("expected an error");
    expect(outcome.ename).toBe("TypeError");
    const frames = outcome.traceback.filter((t) => t.startsWith("Cell In["));
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^Cell In\[\d+\], line 2\n----> 2 explode\(\)/);
    expect(frames[1]).toMatch(/^Cell In\[\d+\], line 2, in explode\n----> 2   throw new TypeError\('boom'\)/);
  });

  it("report user error classes and thrown non-errors", async () => {
    const custom = await s.run("class ParseError extends Error {}\nthrow new ParseError('bad input')");
    expect(custom.status === "error" && [custom.ename, custom.evalue]).toEqual(["ParseError", "bad input"]);
    const text = await s.run("throw 'plain text'");
    expect(text.status === "error" && text.evalue).toBe("plain text");
  });

  it("leave the session usable", async () => {
    expect(resultText(await s.run("base + 1"))).toBe("21");
  });
});

describe("interrupt", () => {
  it("abandons a pending await at once and keeps the state", async () => {
    resultText(await s.run("const kept = 'still here'"));
    const pending = s.run("await new Promise(() => {})");
    setTimeout(() => s.executor.interrupt(), 50);
    const outcome = await pending;
    expect(outcome.status === "error" && outcome.ename).toBe("KeyboardInterrupt");
    expect(resultText(await s.run("kept"))).toBe("'still here'");
  });

  it("maps a terminated busy loop to KeyboardInterrupt", async () => {
    const { Worker } = await import("node:worker_threads");
    const worker = new Worker(
      `const { Session } = require("node:inspector");
       const { parentPort } = require("node:worker_threads");
       const session = new Session();
       session.connectToMainThread();
       parentPort.on("message", () => setTimeout(() => session.post("Runtime.terminateExecution", () => parentPort.postMessage("sent")), 300));`,
      { eval: true },
    );
    worker.postMessage("arm");
    await new Promise((r) => setTimeout(r, 50));
    const outcome = await s.run("let spins = 0\nwhile (true) { spins++ }");
    await worker.terminate();
    expect(outcome.status === "error" && outcome.ename).toBe("KeyboardInterrupt");
    expect(resultText(await s.run("kept.length"))).toBe("10");
  });
});

describe("user expressions", () => {
  it("are evaluated after the cell", async () => {
    const sink = new RecordingSink();
    const outcome = await s.executor.execute(
      { code: "const ux = 6", silent: false, storeHistory: true, executionCount: 99, userExpressions: { double: "ux * 2", broken: "ux.nope()" }, allowStdin: false },
      sink,
    );
    expect(outcome.status).toBe("ok");
    if (outcome.status !== "ok") return;
    expect(outcome.userExpressions["double"]).toMatchObject({ status: "ok", data: { "text/plain": "12" } });
    expect(outcome.userExpressions["broken"]).toMatchObject({ status: "error", ename: "TypeError" });
  });
});
