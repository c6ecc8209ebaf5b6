/**
 * input_request / input_reply on the stdin channel. One prompt is outstanding at a time (a cell
 * waits for its answer); an interrupt rejects it so the cell does not hang.
 */
import { makeChild, type JupyterMessage } from "./messages.js";
import type { Transport } from "./transport.js";
import { keyboardInterrupt } from "./errors.js";

export class StdinBroker {
  private waiting: { resolve: (value: string) => void; reject: (error: Error) => void } | undefined;

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
      this.waiting = { resolve, reject };
      this.transport.send("stdin", makeChild(request, "input_request", { prompt, password }, this.session));
    });
  }

  /** Called with every message that arrives on the stdin channel. */
  receive(message: JupyterMessage): void {
    if (message.header.msg_type !== "input_reply" || !this.waiting) return;
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
