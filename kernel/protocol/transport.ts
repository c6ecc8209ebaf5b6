/**
 * The transport boundary: how the protocol kernel receives requests and sends messages, without
 * knowing whether they travel over ZeroMQ sockets (zmq-transport.ts) or stay in memory for fast
 * tests (memory-transport.ts). Messages that cross it are already decoded and verified; signing,
 * framing and the heartbeat belong to the transport.
 */
import type { Channel, JupyterMessage, RequestChannel } from "./messages.js";

/** Returns a promise when the kernel wants no more requests on that channel until it resolves. */
export type RequestHandler = (channel: RequestChannel, message: JupyterMessage) => void | Promise<void>;

export interface Transport {
  /** Starts delivering verified requests, in arrival order per channel. */
  start(onRequest: RequestHandler): Promise<void>;
  /** Queues a message; messages on one channel leave in the order they were sent. */
  send(channel: Channel, message: JupyterMessage): void;
  /** Resolves once every message sent so far has been handed to the network. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The contents of a Jupyter connection file. */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}
