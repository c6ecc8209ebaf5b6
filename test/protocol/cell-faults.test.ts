/**
 * Cells that used to kill, hang or mislead the real kernel (`bin/gradlab.js kernel`: TypeScript
 * executor, protocol worker, ZeroMQ): each fails only itself, with an `error` on IOPub between
 * `busy` and `idle` and an error reply, and the next cell still reads a variable defined before
 * it. Output of a cell's 0 ms timers and resolved promises shows under that cell.
 * process.exit(n) ends the kernel with code n, cleanly.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, launchKernel, type Msg } from "./kernel-harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
/** Low enough to keep the memory bomb light on a shared machine. */
const TEST_MEMORY_MB = 600;
/** Cells wait this long: the first one loads TypeScript, and the machine may be busy. */
const CELL_MS = 90_000;

let client: TestClient;

beforeAll(async () => {
  expect(existsSync(join(root, "dist/kernel/cli.js")), "dist/kernel/cli.js after the build").toBe(true);
  client = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"], { GRADLAB_MEMORY_MB: String(TEST_MEMORY_MB) });
  await client.ready(60_000);
  const first = await cell("const kept: number = 41;\nconst c: any = {};\nc.self = c;");
  expect(first.reply.content["status"]).toBe("ok");
});

afterAll(async () => {
  await client?.close();
});

async function cell(code: string): Promise<{ id: string; reply: Msg; iopub: Msg[] }> {
  const id = await client.execute(code);
  const reply = await client.reply(id, CELL_MS);
  const iopub = await client.idle(id, CELL_MS);
  return { id, reply, iopub };
}

const kinds = (iopub: Msg[]) => iopub.map((m) => (m.header.msg_type === "status" ? `status:${String(m.content["execution_state"])}` : m.header.msg_type));

/** Runs a cell that must fail alone: busy, execute_input, …, error, idle; then the state is still there. */
async function failsAlone(code: string, evalue: RegExp): Promise<Msg> {
  const { reply, iopub } = await cell(code);
  const sequence = kinds(iopub);
  expect(sequence.slice(0, 2)).toEqual(["status:busy", "execute_input"]);
  expect(sequence.slice(-2)).toEqual(["error", "status:idle"]);
  const error = iopub.find((m) => m.header.msg_type === "error")!;
  expect(String(error.content["evalue"])).toMatch(evalue);
  expect(reply.content).toMatchObject({ status: "error", ename: error.content["ename"], evalue: error.content["evalue"] });
  await stateKept();
  return error;
}

async function stateKept(): Promise<void> {
  const { reply, iopub } = await cell("kept + 1");
  expect(reply.content["status"]).toBe("ok");
  expect(iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"]).toEqual({ "text/plain": "42" });
}

const displaying = (json: string) => `({ [Symbol.for("Jupyter.display")]() { return { "application/json": ${json} }; } })`;

describe("a cell whose output cannot become JSON fails alone", () => {
  it("a circular object in an application/json display bundle", async () => {
    await failsAlone(`display(${displaying("c")})`, /display_data cannot be sent to the notebook: data\["application\/json"\]\.self is a circular reference/);
  });

  it("a circular object as display metadata", async () => {
    await failsAlone("display(1, { metadata: c })", /display_data cannot be sent to the notebook: metadata\.self is a circular reference/);
  });

  it("a BigInt inside application/json", async () => {
    await failsAlone(`display(${displaying("{ n: 10n }")})`, /data\["application\/json"\]\.n is a BigInt \(10n\)/);
  });

  it("a circular object as the cell's own result, through a display bundle", async () => {
    const error = await failsAlone(displaying("c"), /execute_result cannot be sent to the notebook: data\["application\/json"\]\.self is a circular reference/);
    expect(error.content["ename"]).toBe("TypeError");
  });

  it("a Jupyter.display bundle giving a number for a text type (the notebook format holds text there)", async () => {
    // Before, `"text/plain": 42` went to the notebook as it was: an output no frontend renders and
    // nbformat's schema refuses when the notebook is saved.
    const error = await failsAlone(`({ [Symbol.for("Jupyter.display")]() { return { "text/plain": 42 }; } })`, /Jupyter\.display bundle's "text\/plain" is a number, not text/);
    expect(error.content["ename"]).toBe("TypeError");
    await failsAlone(`display({ [Symbol.for("Jupyter.display")]() { return { "image/png": { bytes: 1 } }; } })`, /"image\/png" is an object, not text: every MIME type but JSON ones/);
  });

  it("an update of a display with a function in its bundle", async () => {
    await failsAlone(`display(${displaying("{ f() {} }")}, { displayId: "d", update: true })`, /update_display_data cannot be sent.*data\["application\/json"\]\.f is a function/);
  });
});

describe("output of a cell", () => {
  it("display() as the last line shows the display once and no Out[n]", async () => {
    const { reply, iopub } = await cell('display(html("<b>x</b>"))');
    expect(reply.content["status"]).toBe("ok");
    expect(kinds(iopub)).toEqual(["status:busy", "execute_input", "display_data", "status:idle"]);
    expect(iopub[2]!.content["data"]).toMatchObject({ "text/html": "<b>x</b>" });
  });

  it("0 ms timers and resolved promises print under their own cell, even when the next cell follows at once", async () => {
    const first = await client.execute('setTimeout(() => console.log("late"), 0);\nPromise.resolve().then(() => console.log("soon"));\n1');
    const second = await client.execute("2");
    await client.idle(second, CELL_MS);
    const texts = (id: string) => client.iopubFor(id).filter((m) => m.header.msg_type === "stream").map((m) => String(m.content["text"]));
    expect(texts(first).join("")).toBe("soon\nlate\n");
    expect(texts(second)).toEqual([]);
  });
});

describe("an error from a promise or timer of the running cell", () => {
  const streamText = (iopub: Msg[]) => iopub.filter((m) => m.header.msg_type === "stream").map((m) => String(m.content["text"])).join("");

  for (const [name, code, evalue] of [
    ["an unhandled rejection", "Promise.reject(new RangeError('nobody caught me'));\n1", /^nobody caught me$/],
    ["a rejection with null", "Promise.reject(null);\n1", /^null$/],
    ["a 0 ms timer that throws", "setTimeout(() => { throw new TypeError('timer failed'); }, 0);\n1", /^timer failed$/],
  ] as const) {
    it(`${name} shows its traceback once, as the cell's error, not also on stderr`, async () => {
      const error = await failsAlone(code, evalue);
      const { iopub } = await cell("kept");
      expect(streamText(iopub)).toBe("");
      const failed = client.iopubFor(String(error.parent_header.msg_id));
      expect(streamText(failed)).not.toContain(String(error.content["evalue"]));
    });
  }

  it("one that comes after the cell failed with its own error still shows, on stderr", async () => {
    const { reply, iopub } = await cell("setTimeout(() => { throw new Error('second'); }, 0);\nthrow new Error('first')");
    expect(reply.content["evalue"]).toBe("first");
    expect(streamText(iopub)).toMatch(/Uncaught exception:[^]*Error: second/);
    await stateKept();
  });
});

describe("a value or error whose text is huge", () => {
  const size = (message: Msg) => JSON.stringify(message.content).length;

  it("an object with 300,000 keys as the result is shown cut, with a line saying so", async () => {
    const { reply, iopub } = await cell("Object.fromEntries(Array.from({ length: 3e5 }, (_, i) => ['k' + i, i]))");
    expect(reply.content["status"]).toBe("ok");
    const result = iopub.find((m) => m.header.msg_type === "execute_result")!;
    expect(size(result)).toBeLessThan(200_000);
    expect(String((result.content["data"] as Record<string, unknown>)["text/plain"])).toMatch(/^\{\n {2}k0: 0,[^]*\n… \[gradlab\] [\d.]+ MB more not shown \([\d.]+ MB in all\)$/);
  });

  for (const [name, code] of [
    ["a thrown 2 MB string", "throw 'q'.repeat(2_000_000)"],
    ["an Error with a 2 MB message", "throw new RangeError('m'.repeat(2_000_000))"],
    ["a thrown object with 300,000 keys", "throw Object.fromEntries(Array.from({ length: 3e5 }, (_, i) => ['k' + i, i]))"],
    ["a rejected promise with a 2 MB string", "Promise.reject('r'.repeat(2_000_000));\n1"],
  ] as const) {
    it(`${name} fails the cell with the message cut`, async () => {
      const error = await failsAlone(code, /\n… \[gradlab\] [\d.]+ (MB|KB) more not shown/);
      expect(size(error)).toBeLessThan(50_000);
      const reply = client.received.shell.find((m) => m.parent_header.msg_id === error.parent_header.msg_id)!;
      expect(size(reply)).toBeLessThan(50_000);
    });
  }
});

describe("a cell the type checker fails on", () => {
  it("an array literal nested 10,000 deep fails with a CheckerError a student can act on, without the kernel's frames", async () => {
    const error = await failsAlone(`const deep = ${"[".repeat(10_000)}${"]".repeat(10_000)};`, /nested too deeply for the type checker/);
    expect(error.content["ename"]).toBe("CheckerError");
    const traceback = (error.content["traceback"] as string[]).join("\n");
    expect(traceback).not.toMatch(/node_modules|dist\/kernel|file:\/\//);
    expect(traceback.length).toBeLessThan(1_000);
  });
});

describe("a cell that declares the name of a JavaScript built-in at its top level", () => {
  // Declared at the top level, such a name replaced the built-in for the kernel's own code too:
  // every later cell failed with the kernel's errors or never answered, until a restart.
  for (const [code, name, column] of [
    ["class Map {\n  cells: number[] = [];\n}", "Map", 7],
    ["const JSON = { a: 1 };", "JSON", 7],
    ["let Date = '2024-01-01';", "Date", 5],
    ["function Promise() {\n  return 1;\n}", "Promise", 10],
    ["const Buffer = [1, 2, 3];", "Buffer", 7],
    ["var Array = [1];", "Array", 5],
    ["const { Set } = { Set: 1 };", "Set", 9],
    ["let performance = 99;", "performance", 5],
  ] as const) {
    it(`\`${code.split("\n")[0]}\` fails with an error at the name saying what to do, and the kernel keeps working`, async () => {
      const error = await failsAlone(code, new RegExp(`^'${name}' is a built-in of JavaScript or Node\\.js that the kernel itself uses`));
      expect(error.content["ename"]).toBe("TSError");
      expect((error.content["traceback"] as string[])[0]).toMatch(new RegExp(`^Cell In\\[\\d+\\], line 1, column ${column}: .*Rename it \\(for example 'my${name.charAt(0).toUpperCase()}${name.slice(1)}'\\)`));
      const { reply, iopub } = await cell("new Map([[1, JSON.stringify([new Set([2]).size])]]).get(1)");
      expect(reply.content["status"]).toBe("ok");
      expect(iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"]).toEqual({ "text/plain": "'[1]'" });
    });
  }

  it("inside a block, or as a type only, the name may be declared", async () => {
    const { reply, iopub } = await cell("type Date = string;\ninterface Map<K, V> { note?: string }\nlet shown = '';\n{\n  const Map = 'a map';\n  shown = Map;\n}\nshown");
    expect(reply.content["status"]).toBe("ok");
    expect(iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"]).toEqual({ "text/plain": "'a map'" });
  });
});

describe("a display whose bundle never arrives", () => {
  it("holds up only its own cell: after an interrupt, later cells run", async () => {
    const id = await client.execute(`display(${"{ [Symbol.for('Jupyter.display')]() { return new Promise(() => {}); } }"});\n'after display'`);
    await client.until(() => client.iopubFor(id).some((m) => m.header.msg_type === "execute_input"), CELL_MS, "execute_input");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.send("control", "interrupt_request", {});
    expect((await client.reply(id, CELL_MS)).content["ename"]).toBe("KeyboardInterrupt");
    await client.idle(id, CELL_MS);
    await stateKept();
  });
});

describe("an interrupt while a cell is being type-checked", () => {
  it("stops the cell before it runs, and the checker, the state and later interrupts keep working", async () => {
    // A type whose check grows with the square of its size (a key-remapping mapped type over
    // 3000 keys: seconds of checking, where 1000 keys take half a second). The interrupt comes
    // during the check, which it ends: the cell never runs (no "ran").
    const keys = Array.from({ length: 3000 }, (_, i) => `a${i}: number;`).join(" ");
    const slow = `type Wide = { ${keys} };\ntype Renamed = { [K in keyof Wide as \`x_\${K}\`]: Wide[K] };\nconst some: Partial<Renamed> = {} as Renamed;\nconsole.log("ran")`;
    const id = await client.execute(slow);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.send("control", "interrupt_request", {});
    const reply = await client.reply(id, CELL_MS);
    expect(reply.content["ename"]).toBe("KeyboardInterrupt");
    const iopub = await client.idle(id, CELL_MS);
    expect(iopub.filter((m) => m.header.msg_type === "stream").map((m) => m.content["text"])).toEqual([]);
    await stateKept();
    await failsAlone("const wrong: number = 'x'", /Type 'string' is not assignable to type 'number'/);
    // A plain busy loop is still interrupted.
    const loop = await client.execute("while (true) {}");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.send("control", "interrupt_request", {});
    expect((await client.reply(loop, CELL_MS)).content["ename"]).toBe("KeyboardInterrupt");
    await client.idle(loop, CELL_MS);
    await stateKept();
  });
});

describe("a timer that keeps the main thread busy after its cell ended", () => {
  it("is stopped by an interrupt, and the cell queued behind it and the state survive", async () => {
    await interruptFreesQueuedCell("setTimeout(() => { while (true) {} }, 50);\n'scheduled'");
  });
});

/**
 * Runs `code` (which leaves something looping on the main thread after it ended), queues a cell
 * behind the loop, interrupts, and checks that the queued cell ran once the loop was stopped (or
 * was stopped with it) and that the state survived.
 */
async function interruptFreesQueuedCell(code: string): Promise<void> {
  const started = await cell(code);
  expect(started.reply.content["status"]).toBe("ok");
  await new Promise((resolve) => setTimeout(resolve, 300)); // the loop runs from now on
  const queued = await client.execute("kept + 2");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const interrupt = await client.send("control", "interrupt_request", {});
  expect((await client.reply(interrupt)).content["status"]).toBe("ok");
  const reply = await client.reply(queued, CELL_MS);
  if (reply.content["status"] === "ok") {
    const iopub = await client.idle(queued, CELL_MS);
    expect(iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"]).toEqual({ "text/plain": "43" });
  } else {
    expect(reply.content["ename"]).toBe("KeyboardInterrupt");
    await client.idle(queued, CELL_MS);
  }
  await stateKept();
}

describe("an async function that loops after its cell ended", () => {
  // Called without await: it resumes once its timer fires, after its cell ended, and loops on
  // the main thread, so the cell queued behind it waits until an interrupt stops the loop.
  for (const [name, code] of [
    ["resumed by a timer's promise", "async function spin(): Promise<void> {\n  await new Promise((resolve) => setTimeout(resolve, 50));\n  while (true) {}\n}\nspin();\n'started'"],
    ["an async timer callback after its first await", "setTimeout(async () => {\n  await null;\n  while (true) {}\n}, 50);\n'started'"],
    ["resumed by node:timers/promises", "import { setTimeout as sleep } from 'node:timers/promises';\nasync function spinAfterSleep(): Promise<void> {\n  await sleep(50);\n  while (true) {}\n}\nspinAfterSleep();\n'started'"],
    ["resumed by util.promisify(setTimeout)", "import { promisify } from 'node:util';\nconst wait = promisify(setTimeout);\nasync function spinAfterWait(): Promise<void> {\n  await wait(50);\n  while (true) {}\n}\nspinAfterWait();\n'started'"],
  ] as const) {
    it(`${name} is stopped by an interrupt, and the queued cell and the state survive`, async () => {
      await interruptFreesQueuedCell(code);
    });
  }
});

describe("the stop button while no cell runs", () => {
  it("stops a timer's callback that keeps the kernel busy after its cell ended, so the next cell runs", async () => {
    const scheduled = await cell("setTimeout(() => { while (true) {} }, 50);\n'scheduled'");
    expect(scheduled.reply.content["status"]).toBe("ok");
    await new Promise((resolve) => setTimeout(resolve, 300)); // the callback loops from now on
    const interrupt = await client.send("control", "interrupt_request", {});
    expect((await client.reply(interrupt)).content["status"]).toBe("ok");
    // No second interrupt comes: the cell runs only if the first one stopped the loop.
    await stateKept();
  });
});

describe("a cell that allocates without bound", () => {
  it("is stopped with an error naming the memory limit and how to change it; earlier variables are kept", async () => {
    const error = await failsAlone(
      "const a: number[][] = [];\nwhile (true) a.push(new Array(1e6).fill(1));",
      new RegExp(`over its memory limit of ${TEST_MEMORY_MB} MB\\. Set GRADLAB_MEMORY_MB .*this cell's own variables were cleared \\(a\\)`),
    );
    expect(error.content["ename"]).toBe("RangeError");
    // Its memory was given back: a second bomb is stopped at the same limit, not above it.
    await failsAlone("const b: number[][] = [];\nwhile (true) b.push(new Array(1e6).fill(2));", new RegExp(`memory limit of ${TEST_MEMORY_MB} MB`));
  });
});

describe("an error's stack as a cell reads it (console.log(e) in a catch)", () => {
  const printed = (iopub: Msg[], name: "stdout" | "stderr") =>
    iopub.filter((m) => m.header.msg_type === "stream" && m.content["name"] === name).map((m) => String(m.content["text"])).join("");

  it("names the cell's lines and columns, and none of the kernel's frames", async () => {
    const { reply, iopub } = await cell('function inner() { throw new Error("from inner"); }\ntry {\n  inner();\n} catch (e) {\n  console.log(e);\n}');
    const n = Number(reply.content["execution_count"]);
    // Before: `at inner (gradlab-cell-7.js:1:33)`, `at gradlab-cell-7.js:3:7` (the emitted
    // JavaScript's positions), then six frames of the kernel's inspector plumbing.
    expect(printed(iopub, "stdout")).toBe(`Error: from inner\n    at inner (Cell In[${n}]:1:26)\n    at Cell In[${n}]:3:3\n`);
  });

  it("hides the library's frames under a library error, as the traceback does", async () => {
    const caught = await cell("try { torch.ones(2, 3).matmul(torch.ones(2, 3)); } catch (e) { console.error(e); }");
    const n = Number(caught.reply.content["execution_count"]);
    expect(printed(caught.iopub, "stderr")).toMatch(new RegExp(`^GradlabError: matmul: shapes \\[2, 3\\] and \\[2, 3\\] do not line up.*\\n    at Cell In\\[${n}\\]:1:24\\n$`));
  });

  it("still gives the cell's traceback when the error is thrown", async () => {
    const error = await failsAlone('function deeper() { throw new RangeError("thrown"); }\ndeeper();', /^thrown$/);
    expect((error.content["traceback"] as string[]).join("\n")).toMatch(/Cell In\[\d+\], line 2\n----> 2 deeper\(\);[\s\S]*Cell In\[\d+\], line 1, in deeper/);
  });
});

describe("a tensor too large for the kernel", () => {
  const peakMb = async (): Promise<number> => {
    const { iopub } = await cell("Math.round(process.resourceUsage().maxRSS / 1024)");
    return Number(iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"]?.["text/plain" as never]);
  };

  it("filled with ones is stopped at the memory limit, not after the whole fill (5 GB)", async () => {
    const before = await peakMb();
    await failsAlone("const ones5GB = torch.ones(25000, 25000);\n1", new RegExp(`over its memory limit of ${TEST_MEMORY_MB} MB`));
    // A fill in one native call cannot be stopped: the kernel went on to fill all 5 GB (a whole
    // classroom server's spare memory) before the error came.
    expect(await peakMb()).toBeLessThan(Math.max(before, TEST_MEMORY_MB) + 1500);
  });

  it("as a cell's result prints its corners without copying the whole tensor", async () => {
    // 3.2 GB of zeros: untouched pages cost no memory until something reads or copies them all.
    const { reply, iopub } = await cell("torch.zeros(20000, 20000)");
    expect(reply.content["status"]).toBe("ok");
    const text = String(iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"]?.["text/plain" as never]);
    expect(text.split("\n")[0]).toBe("tensor([[0., 0., 0.,  ..., 0., 0., 0.],");
  });

  it("beyond what any array can hold fails with an error naming the size", async () => {
    await failsAlone("torch.ones(1e6, 1e6)", /a tensor of 1000000000000 elements \(8 TB as float64\) is more than this machine can hold/);
  });
});

describe("a busy callback of the running cell's own timer", () => {
  // The cell ends only after one more turn of the event loop, so a 0 ms timer's callback runs
  // while the cell still runs, and interrupt stops it. Terminating JavaScript inside Node's own
  // timer or immediate callback made Node abort ("async hook stack has become corrupted"): the
  // kernel died with every variable.
  for (const [name, schedule] of [
    ["setTimeout(f, 0)", "setTimeout(() => { while (true) {} }, 0)"],
    ["setImmediate(f)", "setImmediate(() => { while (true) {} })"],
  ] as const) {
    it(`${name} is interrupted and the kernel keeps its state`, async () => {
      const id = await client.execute(`${schedule};\n'scheduled'`);
      await client.until(() => client.iopubFor(id).some((m) => m.header.msg_type === "execute_input"), CELL_MS, "execute_input");
      await new Promise((resolve) => setTimeout(resolve, 300));
      await client.send("control", "interrupt_request", {});
      const reply = await client.reply(id, CELL_MS);
      expect(reply.content).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
      await client.idle(id, CELL_MS);
      await stateKept();
    });
  }
});

describe("process.exit(n) in a cell", () => {
  it("ends the kernel with code n after its output, without an abort", async () => {
    const id = await client.execute('console.log("bye");\nprocess.exit(3);\nconsole.log("not reached")');
    const code = await client.exited();
    expect(code).toBe(3);
    expect(client.process.signalCode).toBeNull();
    expect(client.stderr).not.toMatch(/Napi::Error|terminate called|Waiting for the debugger/);
    const text = client.iopubFor(id).filter((m) => m.header.msg_type === "stream").map((m) => String(m.content["text"])).join("");
    expect(text).toContain("bye\n");
    expect(text).toMatch(/process\.exit\(3\): the kernel exits/);
    expect(text).not.toContain("not reached");
  });
});
