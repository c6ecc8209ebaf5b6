/**
 * Holds V8's young generation at the size the kernel's launch and first cell grew it to.
 *
 * V8 doubles the young generation's two semi-spaces each time enough objects have survived
 * scavenges since its last growth, counted over the isolate's whole life, and gives that memory
 * back only in collections made to reduce memory, which a kernel waiting for its next cell never
 * makes. The type checker's short-lived objects (the syntax tree decoded for every cell, type
 * answers) so grew it to its maximum within a few hundred cells: 33.6 MB on Node 20 and 22, and
 * up to 134 MB on Node 24, all of it resident. Held after the first cell, the kernel process
 * measured 92 instead of 118 MB after 700 cells, and the checker's cells, the chapter and a
 * training loop were no slower: more scavenges, but of objects that are already garbage, which a
 * scavenge does not touch. What it costs: a cell that fills a structure of many small objects
 * promotes them sooner (building a 200,000-entry Map of objects took ~20% more CPU time in plain
 * Node with the same young generation; sorting 100,000 objects took less).
 *
 * Why after the first cell and not a `--max-semi-space-size` flag at launch: a worker created while
 * such a flag is set starts 25–30 ms slower, and loading the kernel's code with a small young
 * generation made launches 60–90 ms slower. The growth factor is read whenever V8 considers growing,
 * so setting it later takes effect at once; flags are per process, so it holds the protocol
 * worker's young generation too.
 *
 * Runs on: the main thread (any thread would do).
 */
import { setFlagsFromString } from "node:v8";

let held = false;

/** Stops the young generation from growing from now on (once; later calls do nothing). */
export function holdYoungGeneration(): void {
  if (held) return;
  held = true;
  setFlagsFromString("--semi-space-growth-factor=1");
}
