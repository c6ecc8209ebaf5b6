/**
 * What the kernel accepts from a client, in one place (protocol worker thread). The README's
 * "Limits on what a client sends" lists the same numbers; change both together.
 *
 * Each limit keeps one request's work on the protocol thread to a few tens of milliseconds (that
 * thread also answers the heartbeat and interrupts) and its memory bounded. They are far above
 * what Jupyter frontends send: a header is about 300 bytes, a request nests a few levels.
 */

/** All frames of one message after the routing identities (signature, JSON, buffers). Larger
 * messages are dropped before their signature is even computed: 4 MiB of JSON parses in about
 * 30 ms here, and a cell of 4 MB is far beyond anything typed or pasted. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Frames in one message (the spec's messages have six plus routing identities and buffers). */
export const MAX_MESSAGE_FRAMES = 256;

/** A single ZeroMQ frame above this makes libzmq close the sending connection before the frame
 * is allocated (the client's ZeroMQ reconnects by itself; the message would have been dropped
 * anyway). Dropping such frames only after receiving them left tens of megabytes resident per
 * 20 MB frame, freed by one thread and allocated by another. */
export const MAX_FRAME_BYTES = MAX_MESSAGE_BYTES;

/** A heartbeat ping (jupyter_client sends a few bytes); a larger one closes that connection. */
export const MAX_HEARTBEAT_BYTES = 64 * 1024;

/** The header is echoed as parent_header in every message a request causes (busy, outputs,
 * reply, idle), so it is kept small. */
export const MAX_HEADER_BYTES = 64 * 1024;

/** Nesting depth of any JSON frame: deeper values overflow the stack of recursive consumers
 * (JSON.stringify, structured clone) even though JSON.parse accepts them. */
export const MAX_JSON_DEPTH = 64;

/** Values (containers and elements) in one JSON frame; 100,000 small values parse in about 4 ms. */
export const MAX_JSON_VALUES = 100_000;

/** Code sent with complete, inspect and is_complete requests. Longer code is answered with an
 * empty result without asking the type checker, which would spend seconds on it and meanwhile
 * delay the next cell (cells are compiled by the same checker). */
export const MAX_QUERY_CODE_CHARS = 200_000;

/** A complete or inspect request not answered within this time is answered empty. */
export const QUERY_TIMEOUT_MS = 5_000;

/** Rows in one history reply (the newest are kept), and the longest glob a search accepts. */
export const MAX_HISTORY_ROWS = 10_000;
export const MAX_HISTORY_PATTERN_CHARS = 1_000;

/** What the in-memory history keeps: the newest cells, up to this many and this much text. */
export const MAX_HISTORY_ENTRIES = 10_000;
export const MAX_HISTORY_CHARS = 8 * 1024 * 1024;

/** A history search stops after this long and answers with the matches found so far (the newest:
 * it searches from the latest cell backwards). */
export const HISTORY_SEARCH_BUDGET_MS = 20;

/** Requests waiting in the shell queue (behind a running cell) before the kernel stops reading
 * the shell socket; ZeroMQ then holds further requests back in the client. */
export const MAX_QUEUED_REQUESTS = 1_000;
