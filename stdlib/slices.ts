/**
 * Filling and copying a tensor's storage in slices. One `fill` or `set` over a whole typed array
 * is a single native call that neither an interrupt nor the kernel's memory limit can stop: a 5 GB
 * `torch.ones(25000, 25000)` went on filling (and taking the server's memory, page by page) long
 * after the limit had asked the cell to stop. Between two slices V8 honours a request to stop, and
 * a slice (8 MB of float64) takes about a millisecond. Plain typed arrays; knows nothing of tensors.
 */

/** Elements per native call: small enough to stop within milliseconds, large enough to cost nothing. */
const SLICE = 1 << 20;

type Typed = Float64Array | Float32Array | Uint8Array;

/** `data.fill(value)`, a slice at a time. */
export function fillInSlices<T extends Typed>(data: T, value: number): T {
  if (data.length <= SLICE) {
    data.fill(value);
    return data;
  }
  for (let start = 0; start < data.length; start += SLICE) data.fill(value, start, Math.min(start + SLICE, data.length));
  return data;
}

/** `target.set(source, offset)`, a slice at a time. */
export function setInSlices(target: Typed, source: ArrayLike<number> & { subarray(begin: number, end: number): ArrayLike<number> }, offset = 0): void {
  const n = source.length;
  // Most tensors are one slice: no subarray to make (readContiguous is on the path of small ops).
  if (n <= SLICE) return target.set(source, offset);
  for (let start = 0; start < n; start += SLICE) target.set(source.subarray(start, Math.min(start + SLICE, n)), offset + start);
}
