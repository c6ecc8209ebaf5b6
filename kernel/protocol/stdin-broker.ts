/**
 * input_request / input_reply on the stdin channel. One prompt is outstanding at a time (a cell
 * waits for its answer); an interrupt rejects it so the cell does not hang. A reply whose parent
 * is an earlier input_request (a frontend answering an interrupted prompt's box late) is dropped,
 * not taken as the answer to the current prompt; a reply without a parent (jupyter_client's
 * `input()` sends none) answers the current one.
 */
import { makeChild, type JupyterMessage } from "./messages.js";
import type { Transport } from "./transport.js";
import { keyboardInterrupt } from "./errors.js";

export class StdinBroker {
  private waiting: { requestId: string; resolve: (value: string) => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly transport: Transport, private readonly session: string) {}

  /**
   * Asks the frontend that sent `request` for a line of input.
   *
   * @example
   * const name = await broker.ask(executeRequest, "Your name: ", false);
   */
  ask(request: JupyterMessage, prompt: string, password: boolean): Promise<string> {
    this.cancel(new Error("a newer input request replaced this one"));
    return new Promise((resolve, reject) => {
      const inputRequest = makeChild(request, "input_request", { prompt, password }, this.session);
      this.waiting = { requestId: inputRequest.header.msg_id, resolve, reject };
      this.transport.send("stdin", inputRequest);
    });
  }

  /** Called with every message that arrives on the stdin channel. */
  receive(message: JupyterMessage): void {
    if (message.header.msg_type !== "input_reply" || !this.waiting) return;
    const parentId = message.parent_header?.["msg_id"];
    if (typeof parentId === "string" && parentId !== "" && parentId !== this.waiting.requestId) return;
    const { resolve } = this.waiting;
    this.waiting = undefined;
    const value = message.content["value"];
    resolve(typeof value === "string" ? value : "");
  }

  /** Rejects the outstanding prompt, if any (interrupt). */
  cancel(error: Error = keyboardInterrupt("input was interrupted")): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}
