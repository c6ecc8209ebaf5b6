/**
 * Reads and checks a Jupyter connection file (the JSON a frontend writes before launching a kernel).
 */
import { readFileSync } from "node:fs";
import type { ConnectionInfo } from "./transport.js";

/**
 * @example
 * const info = readConnectionFile("/run/user/1000/jupyter/kernel-123.json");
 * // info.shell_port, info.key, ...
 */
export function readConnectionFile(path: string): ConnectionInfo {
  const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  for (const field of ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"]) {
    if (typeof raw[field] !== "number") throw new Error(`connection file ${path}: ${field} is missing or not a number`);
  }
  const transport = raw["transport"] === "ipc" ? "ipc" : "tcp";
  return {
    ...(raw as unknown as ConnectionInfo),
    transport,
    ip: typeof raw["ip"] === "string" ? raw["ip"] : "127.0.0.1",
    key: typeof raw["key"] === "string" ? raw["key"] : "",
    signature_scheme: typeof raw["signature_scheme"] === "string" ? raw["signature_scheme"] : "hmac-sha256",
  };
}
