/**
 * Gives the memory of received messages back promptly (protocol worker thread).
 *
 * A frame's bytes live outside the JavaScript heap and are freed only when the garbage collector
 * collects the Buffer that points at them. V8 starts a collection for such memory only after tens
 * of megabytes, and this thread allocates little else, so after a flood of messages (or a few
 * oversized ones) the dead frames would stay resident: measured 30–60 MB more RSS after 10,000
 * fuzzed messages. Here every RELEASE_AFTER_BYTES received schedule one full collection of this
 * thread's small heap (a few milliseconds), coalesced to at most one per RELEASE_INTERVAL_MS. A
 * notebook's requests are a few KB each, so in ordinary use this almost never runs.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const RELEASE_INTERVAL_MS = 200;
const RELEASE_AFTER_BYTES = 8 * 1024 * 1024;

let collect: (() => void) | undefined;
let scheduled: NodeJS.Timeout | undefined;
let receivedSinceRelease = 0;

/** V8 exposes `gc` only to contexts created while --expose-gc is set: set it, make one, unset it. */
function collector(): () => void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    try {
      collect = runInNewContext("gc") as () => void;
    } finally {
      setFlagsFromString("--no-expose-gc");
    }
  }
  return collect;
}

/**
 * Counts the bytes of a received message; schedules a collection when enough have come in.
 *
 * @example
 * for await (const frames of socket) { noteReceived(frames); ... }
 */
export function noteReceived(frames: readonly Uint8Array[]): void {
  for (const frame of frames) receivedSinceRelease += frame.length;
  if (receivedSinceRelease < RELEASE_AFTER_BYTES) return;
  scheduled ??= setTimeout(() => {
    scheduled = undefined;
    receivedSinceRelease = 0;
    collector()();
  }, RELEASE_INTERVAL_MS);
}
