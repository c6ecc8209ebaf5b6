/**
 * Checks the content of each request type the kernel handles and clamps its numbers into range
 * (protocol worker thread). A request whose fields have the wrong type is not run and not
 * answered, as ipykernel does with a request it cannot read; the caller logs the reason.
 *
 * Clamped rather than refused: cursor positions (into 0..code length; a position past the end
 * used to send the type checker's completion into a loop as long as the number, stalling every
 * later cell behind it), history counts and line numbers. Knows nothing of TypeScript.
 */
import { MAX_HISTORY_PATTERN_CHARS, MAX_HISTORY_ROWS } from "./limits.js";
import type { JsonObject } from "./messages.js";

export type CheckedContent = { ok: true; content: JsonObject } | { ok: false; reason: string };

type Check = (content: JsonObject) => CheckedContent;

/** Thrown inside a check to refuse the request with a reason; never escapes checkRequest. */
class Refused extends Error {}

const CHECKS = new Map<string, Check>([
  ["execute_request", (c) => ok(c, {
    code: requiredString(c, "code"),
    silent: optionalBoolean(c, "silent"),
    store_history: optionalBoolean(c, "store_history"),
    allow_stdin: optionalBoolean(c, "allow_stdin"),
    stop_on_error: optionalBoolean(c, "stop_on_error"),
    user_expressions: optionalStringRecord(c, "user_expressions"),
  })],
  ["complete_request", (c) => ok(c, withCursor(c))],
  ["inspect_request", (c) => ok(c, { ...withCursor(c), detail_level: optionalNumber(c, "detail_level") === 1 ? 1 : 0 })],
  ["is_complete_request", (c) => ok(c, { code: requiredString(c, "code") })],
  ["history_request", (c) => {
    const access = c["hist_access_type"];
    if (access !== "tail" && access !== "range" && access !== "search") throw new Refused("hist_access_type is not tail, range or search");
    const pattern = optionalString(c, "pattern");
    if (pattern !== undefined && pattern.length > MAX_HISTORY_PATTERN_CHARS) throw new Refused(`pattern is longer than ${MAX_HISTORY_PATTERN_CHARS} characters`);
    const n = optionalNumber(c, "n");
    return ok(c, {
      output: optionalBoolean(c, "output"),
      raw: optionalBoolean(c, "raw"),
      unique: optionalBoolean(c, "unique"),
      pattern,
      n: n === undefined ? undefined : clampInteger(n, 0, MAX_HISTORY_ROWS),
      session: integerOrUndefined(optionalNumber(c, "session")),
      start: integerOrUndefined(optionalNumber(c, "start")),
      stop: integerOrUndefined(optionalNumber(c, "stop")),
    });
  }],
  ["comm_info_request", (c) => ok(c, { target_name: optionalString(c, "target_name") })],
  ["comm_open", (c) => ok(c, { comm_id: requiredString(c, "comm_id"), target_name: requiredString(c, "target_name") })],
  ["comm_msg", (c) => ok(c, { comm_id: requiredString(c, "comm_id") })],
  ["comm_close", (c) => ok(c, { comm_id: requiredString(c, "comm_id") })],
  ["shutdown_request", (c) => ok(c, { restart: optionalBoolean(c, "restart") })],
  ["input_reply", (c) => ok(c, { value: requiredString(c, "value") })],
]);

/**
 * The request's content with its fields checked and clamped; types without fields to check
 * (kernel_info_request, interrupt_request) pass as they are.
 *
 * @example
 * checkRequest("complete_request", { code: "ab", cursor_pos: 1e12 }); // { ok: true, content: { code: "ab", cursor_pos: 2 } }
 * checkRequest("execute_request", { code: 5 }); // { ok: false, reason: "code is not a string" }
 */
export function checkRequest(msgType: string, content: JsonObject): CheckedContent {
  const check = CHECKS.get(msgType);
  if (!check) return { ok: true, content };
  try {
    return check(content);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    throw error;
  }
}

/** The content with the checked fields replaced (absent ones left out). */
function ok(content: JsonObject, checked: JsonObject): CheckedContent {
  const result: JsonObject = { ...content };
  for (const [key, value] of Object.entries(checked)) {
    if (value === undefined) delete result[key];
    else result[key] = value;
  }
  return { ok: true, content: result };
}

/** code, and cursor_pos clamped into 0..code.length (the end when absent, as frontends mean). */
function withCursor(c: JsonObject): JsonObject {
  const code = requiredString(c, "code");
  const cursor = optionalNumber(c, "cursor_pos");
  return { code, cursor_pos: cursor === undefined ? code.length : clampInteger(cursor, 0, code.length) };
}

/** Absent and null mean the same: frontends write either for "not given". */
function given(c: JsonObject, key: string): unknown {
  const value = Object.hasOwn(c, key) ? c[key] : undefined;
  return value === null ? undefined : value;
}

function requiredString(c: JsonObject, key: string): string {
  const value = given(c, key);
  if (typeof value !== "string") throw new Refused(value === undefined ? `${key} is missing` : `${key} is not a string`);
  return value;
}

function optionalString(c: JsonObject, key: string): string | undefined {
  const value = given(c, key);
  if (value !== undefined && typeof value !== "string") throw new Refused(`${key} is not a string`);
  return value;
}

function optionalBoolean(c: JsonObject, key: string): boolean | undefined {
  const value = given(c, key);
  if (value !== undefined && typeof value !== "boolean") throw new Refused(`${key} is not a boolean`);
  return value;
}

function optionalNumber(c: JsonObject, key: string): number | undefined {
  const value = given(c, key);
  if (value !== undefined && typeof value !== "number") throw new Refused(`${key} is not a number`);
  return value;
}

function optionalStringRecord(c: JsonObject, key: string): Record<string, string> | undefined {
  const value = given(c, key);
  if (value === undefined) return undefined;
  if (typeof value !== "object" || Array.isArray(value) || Object.values(value as object).some((v) => typeof v !== "string")) {
    throw new Refused(`${key} is not an object of strings`);
  }
  return value as Record<string, string>;
}

/** Rounded toward zero and clamped; JSON numbers are finite, so NaN cannot arrive. */
function clampInteger(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

function integerOrUndefined(value: number | undefined): number | undefined {
  return value === undefined ? undefined : clampInteger(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}
