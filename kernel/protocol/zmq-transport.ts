/**
 * The ZeroMQ transport: binds the shell, control and stdin ROUTERs, the IOPub XPUB and the
 * heartbeat REP described by a connection file; signs what it sends and verifies what it receives. A message
 * with a missing or wrong signature, or a malformed one, is dropped here and logged to stderr: it
 * never reaches a handler, so it is never executed or answered. An exception while receiving one
 * message is logged with its stack and the next message is read as usual.
 *
 * IOPub greets every new subscriber with an `iopub_welcome` message (as ipykernel does): a
 * subscription takes a moment to reach the kernel, and what is published before then is lost to
 * that client. Clients wait for some IOPub message after their first kernel_info_reply to know
 * they are connected (jupyter_client waits 0.2 s, then asks again; JupyterLab's server "nudges"
 * the same way); the welcome tells them at once.
 */
import * as zmq from "zeromq";
import { MAX_FRAME_BYTES, MAX_HEARTBEAT_BYTES } from "./limits.js";
import { describeThrown, logKernel, logThrottled } from "./log.js";
import { noteReceived } from "./memory-release.js";
import type { Channel, JupyterMessage, RequestChannel } from "./messages.js";
import type { ConnectionInfo, RequestHandler, Transport } from "./transport.js";
import { Signer, decodeMessage, encodeMessage } from "./wire.js";
import { makeChild } from "./messages.js";

type Sendable = zmq.Router | zmq.XPublisher;

/**
 * How long a receive loop may run before it lets the thread's other work in. While messages are
 * waiting, zeromq hands them over without a turn of the event loop, so a flood on one socket
 * would otherwise hold back the heartbeat, the control channel and outgoing replies.
 */
const RECEIVE_SLICE_MS = 10;

/** A subscription frame: the flag byte and a topic (clients subscribe to "" or a short prefix). */
const MAX_SUBSCRIPTION_BYTES = 4096;


/** Serialises sends on one socket: zeromq 6 allows a single send in flight per socket. */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: Sendable, private readonly name: string) {}

  push(frames: Buffer[]): void {
    this.tail = this.tail.then(
      () => this.socket.send(frames),
      () => undefined,
    ).catch((error: unknown) => logKernel(`send on ${this.name} failed: ${String(error)}`));
  }

  drain(): Promise<void> {
    return this.tail;
  }
}

export class ZmqTransport implements Transport {
  private readonly signer: Signer;
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.XPublisher();
  private readonly heartbeat = new zmq.Reply();
  private readonly queues: Record<Channel, SendQueue>;
  private closed = false;
  private bound: Promise<void> | undefined;

  /**
   * @param session the kernel's session id, for the messages the transport sends on its own
   *   (IOPub welcomes); the protocol kernel uses the same one
   */
  constructor(
    private readonly connection: ConnectionInfo,
    private readonly session: string,
  ) {
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.queues = {
      shell: new SendQueue(this.shell, "shell"),
      control: new SendQueue(this.control, "control"),
      stdin: new SendQueue(this.stdin, "stdin"),
      iopub: new SendQueue(this.iopub, "iopub"),
    };
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.heartbeat]) {
      // Let queued replies (a shutdown_reply above all) leave before the sockets close.
      socket.linger = 1000;
    }
    for (const socket of [this.shell, this.control, this.stdin]) socket.maxMessageSize = MAX_FRAME_BYTES;
    // Pings are a few bytes; a larger one would be echoed back in full.
    this.heartbeat.maxMessageSize = MAX_HEARTBEAT_BYTES;
    // Every subscription, also a second client's to the same topic, gets its welcome.
    this.iopub.verbosity = "allSubs";
    this.iopub.maxMessageSize = MAX_SUBSCRIPTION_BYTES;
  }

  private endpoint(port: number): string {
    const { transport, ip } = this.connection;
    return transport === "ipc" ? `ipc://${ip}-${port}` : `tcp://${ip}:${port}`;
  }

  /**
   * Binds all five sockets (idempotent). Until start() is called, requests that arrive wait in
   * the sockets' queues: binding first lets a frontend connect while the kernel still loads.
   */
  bind(): Promise<void> {
    this.bound ??= this.bindAll();
    return this.bound;
  }

  private async bindAll(): Promise<void> {
    const c = this.connection;
    const binds: Array<[string, Promise<void>]> = [
      ["shell", this.shell.bind(this.endpoint(c.shell_port))],
      ["control", this.control.bind(this.endpoint(c.control_port))],
      ["stdin", this.stdin.bind(this.endpoint(c.stdin_port))],
      ["iopub", this.iopub.bind(this.endpoint(c.iopub_port))],
      ["hb", this.heartbeat.bind(this.endpoint(c.hb_port))],
    ];
    // All settle before any socket closes: closing one with a bind in flight crashes zeromq.
    const results = await Promise.allSettled(binds.map(([, bound]) => bound));
    const failures = results.flatMap((result, i) => (result.status === "rejected" ? [`${binds[i]![0]} (${this.endpoint(c[`${binds[i]![0]}_port` as "hb_port"])}): ${String(result.reason)}`] : []));
    if (failures.length > 0) {
      this.closeNow();
      throw new Error(`could not bind ${failures.join("; ")}`);
    }
    // Need nothing else of the kernel: a frontend's heartbeat gets answered, and its IOPub
    // subscription welcomed, from here on.
    void this.echoHeartbeats();
    void this.welcomeSubscribers();
  }

  async start(onRequest: RequestHandler): Promise<void> {
    await this.bind();
    void this.receive(this.shell, "shell", onRequest);
    void this.receive(this.control, "control", onRequest);
    void this.receive(this.stdin, "stdin", onRequest);
  }

  private async receive(socket: zmq.Router, channel: RequestChannel, onRequest: RequestHandler): Promise<void> {
    try {
      let sliceStart = performance.now();
      for await (const frames of socket) {
        let paused: void | Promise<void> = undefined;
        noteReceived(frames);
        try {
          const decoded = decodeMessage(frames, this.signer);
          if (!decoded.ok) {
            logThrottled(`dropped a message on ${channel}: ${decoded.reason}`);
            continue;
          }
          paused = onRequest(channel, decoded.message);
        } catch (error) {
          logKernel(`receiving a message on ${channel} failed: ${describeThrown(error)}`);
        }
        if (paused) await paused;
        if (performance.now() - sliceStart > RECEIVE_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
    } catch (error) {
      if (!this.closed) logKernel(`${channel} socket stopped: ${String(error)}`);
    }
  }

  private async echoHeartbeats(): Promise<void> {
    try {
      for await (const frames of this.heartbeat) await this.heartbeat.send(frames);
    } catch (error) {
      if (!this.closed) logKernel(`heartbeat stopped: ${String(error)}`);
    }
  }

  /** Subscription frames are 1 (subscribe) or 0 (unsubscribe), then the topic. */
  private async welcomeSubscribers(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const frame = frames[0];
        if (!frame || frame[0] !== 1) continue;
        const subscription = frame.subarray(1).toString("utf8");
        const welcome = makeChild(undefined, "iopub_welcome", { subscription }, this.session);
        const encoded = encodeMessage(welcome, this.signer);
        // The topic frame must start with the subscription for the subscriber to receive it.
        this.queues.iopub.push(subscription ? [Buffer.from(subscription, "utf8"), ...encoded] : encoded);
      }
    } catch (error) {
      if (!this.closed) logKernel(`IOPub subscriptions stopped: ${String(error)}`);
    }
  }

  send(channel: Channel, message: JupyterMessage): void {
    if (this.closed) return;
    const frames = encodeMessage(message, this.signer);
    if (channel === "iopub") {
      // PUB has no routing identities; the topic frame is informational (clients subscribe to "").
      frames.splice(0, message.identities.length, Buffer.from(`kernel.${message.header.session}.${message.header.msg_type}`));
    }
    this.queues[channel].push(frames);
  }

  async flush(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.drain()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closeNow();
  }

  /**
   * Closes every socket at once, dropping what is still queued: for a failing worker, which must
   * not exit with open sockets (zeromq aborts the whole process when a thread ends with them open).
   */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.heartbeat]) {
      try {
        socket.close();
      } catch (error) {
        logKernel(`closing a socket failed: ${String(error)}`);
      }
    }
  }
}
