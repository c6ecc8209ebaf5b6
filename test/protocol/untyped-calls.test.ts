/**
 * A library call the type checker cannot catch, through the real kernel (`bin/gradlab.js kernel`,
 * ZeroMQ): a value typed `any` (parsed JSON, an untyped parameter) reaches `torch.max`, the cell
 * fails with the library's own message (the function, what it got, what it takes) rather than a
 * TypeError from deep inside, and the next cell still reads the variables defined before it.
 */
import { expect, it } from "vitest";
import { kernelPerFile, type Msg } from "./kernel-harness.js";

/** Cells wait this long: the first one loads TypeScript, and the machine may be busy. */
const CELL_MS = 90_000;

const kernel = kernelPerFile(60_000);

async function cell(code: string): Promise<{ reply: Msg; iopub: Msg[] }> {
  const client = kernel.client();
  const id = await client.execute(code);
  const reply = await client.reply(id, CELL_MS);
  const iopub = await client.idle(id, CELL_MS);
  return { reply, iopub };
}

const resultOf = (iopub: Msg[]) => iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"];

it("torch.max on an `any` value fails the cell with the library's message, and earlier variables survive", async () => {
  const setup = await cell('const kept = torch.tensor([1, 2, 3]);\nconst data: any = JSON.parse("[3, 5]");\nfunction biggest(x: any) { return torch.max(x); }');
  expect(setup.reply.content["status"]).toBe("ok");

  for (const code of ["torch.max(data)", "biggest(data)"]) {
    const { reply, iopub } = await cell(code);
    const error = iopub.find((m) => m.header.msg_type === "error");
    expect(error?.content["ename"]).toBe("GradlabError");
    expect(error?.content["evalue"]).toBe("max: x must be a Tensor, got an array of length 2 (wrap it: tensor(...))");
    expect(reply.content).toMatchObject({ status: "error", ename: "GradlabError" });
  }

  const after = await cell("kept.sum().item() + data.length");
  expect(after.reply.content["status"]).toBe("ok");
  expect(resultOf(after.iopub)).toEqual({ "text/plain": "8" });
  // the way out the message gives works in the same session
  const fixed = await cell("torch.max(torch.tensor(data)).item()");
  expect(resultOf(fixed.iopub)).toEqual({ "text/plain": "5" });
}, 240_000);
