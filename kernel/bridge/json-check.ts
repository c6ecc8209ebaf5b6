/**
 * Checks, on the main thread, that what a cell hands to the protocol (display data, metadata,
 * its result) can become JSON, before it crosses to the protocol worker. The worker serialises
 * every message with JSON.stringify; a value that cannot become JSON would otherwise throw there,
 * far from the cell that made it. Checked here, the problem fails that cell (or, for output of a
 * finished cell's timer, is reported as that timer's error) and the kernel keeps its state.
 *
 * Rejected, with the path of the first offending place: cycles, BigInt, functions and symbols
 * (JSON.stringify would throw on the first two and silently drop the others, so an output would
 * lose data without a word), and nesting deeper than MAX_JSON_DEPTH. Shared references that are
 * not cycles are fine, as in JSON.stringify. Values with a toJSON method (other than Date) are
 * replaced by a plain copy, since structured cloning to the worker would drop the method.
 *
 * Runs on: the main thread. Knows nothing of TypeScript or of the protocol.
 */

/** Deeper than this is refused: the protocol thread's JSON.stringify recurses once per level. */
export const MAX_JSON_DEPTH = 1000;

export class OutputNotJsonError extends TypeError {
  override name = "TypeError";
}

/**
 * Returns `value` ready to post (itself, or a plain copy where toJSON methods had to be applied),
 * or throws an OutputNotJsonError naming `what` and the offending path.
 *
 * @example
 * const c: any = {}; c.self = c;
 * jsonReady({ "application/json": c }, "display_data", "data");
 * // TypeError: this display_data cannot be sent to the notebook: data["application/json"].self
 * //   is a circular reference (JSON has no cycles)
 */
export function jsonReady<T>(value: T, what: string, root: string): T {
  const walk: Walk = { path: [root], ancestors: [], needsCopy: false };
  const problem = findProblem(value, walk);
  if (problem) throw new OutputNotJsonError(`this ${what} cannot be sent to the notebook: ${problem}`);
  return walk.needsCopy ? (JSON.parse(JSON.stringify(value)) as T) : value;
}

/** The walk's position: path segments are formatted only when a problem is found, so a large
 * array of numbers costs no strings. */
interface Walk {
  path: Array<string | number>;
  ancestors: object[];
  needsCopy: boolean;
}

function where(walk: Walk): string {
  return walk.path.map((segment, i) => (i === 0 ? String(segment) : typeof segment === "number" ? `[${segment}]` : property(segment))).join("");
}

function findProblem(value: unknown, walk: Walk): string | undefined {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return undefined;
    case "bigint":
      return `${where(walk)} is a BigInt (${String(value)}n), which JSON cannot represent: convert it with Number() or String()`;
    case "function":
      return `${where(walk)} is a function, which JSON cannot represent`;
    case "symbol":
      return `${where(walk)} is a symbol, which JSON cannot represent`;
  }
  if (value === null || value instanceof Date) return undefined;
  const object = value as Record<string, unknown>;
  if (walk.ancestors.includes(object)) return `${where(walk)} is a circular reference (JSON has no cycles)`;
  if (walk.ancestors.length >= MAX_JSON_DEPTH) return `${where(walk)} is nested more than ${MAX_JSON_DEPTH} levels deep`;
  let toJson: unknown;
  try {
    toJson = object["toJSON"];
  } catch (error) {
    return `reading ${where(walk)}.toJSON threw ${String(error)}`;
  }
  walk.ancestors.push(object);
  try {
    if (typeof toJson === "function") {
      walk.needsCopy = true;
      let replaced: unknown;
      try {
        replaced = (toJson as (key: string) => unknown).call(object, "");
      } catch (error) {
        return `${where(walk)}.toJSON() threw ${String(error)}`;
      }
      return replaced === object ? undefined : within(walk, "toJSON()", replaced);
    }
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const item: unknown = object[i];
        if (typeof item === "number" || typeof item === "string") continue; // the common case, fast
        const problem = within(walk, i, item);
        if (problem) return problem;
      }
      return undefined;
    }
    for (const key of Object.keys(object)) {
      let item: unknown;
      try {
        item = object[key];
      } catch (error) {
        return `reading ${where(walk)}${property(key)} threw ${String(error)}`;
      }
      const problem = within(walk, key, item);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    walk.ancestors.pop();
  }
}

function within(walk: Walk, segment: string | number, value: unknown): string | undefined {
  walk.path.push(segment);
  const problem = findProblem(value, walk);
  walk.path.pop();
  return problem;
}

function property(key: string): string {
  if (key === "toJSON()") return ".toJSON()";
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
