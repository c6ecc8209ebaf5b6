/**
 * Central finite differences for the teaching plots' tangents, gradient fields and quadratics.
 *
 * Role: numbers good to plotting accuracy (~1e-8) when the caller supplies no exact derivative
 * (they may pass `grad`/`hessian` from the autodiff library instead). Boundary: scalar functions
 * of one or two numbers; results of the function may be numbers or 0-d tensors.
 */

import { toScalar } from "./values.js";

export type Fn1 = (x: number) => unknown;
export type Fn2 = (x: number, y: number) => unknown;

export const call1 = (f: Fn1, x: number): number => toScalar(f(x), "f(x)");
export const call2 = (f: Fn2, x: number, y: number): number => toScalar(f(x, y), "f(x, y)");

/** f'(a) by the central difference, step scaled to a. */
export function derivative(f: Fn1, a: number): number {
  const h = 1e-5 * Math.max(1, Math.abs(a));
  return (call1(f, a + h) - call1(f, a - h)) / (2 * h);
}

/** f''(a). */
export function secondDerivative(f: Fn1, a: number): number {
  const h = 1e-4 * Math.max(1, Math.abs(a));
  return (call1(f, a + h) - 2 * call1(f, a) + call1(f, a - h)) / (h * h);
}

/** ∇f(a, b). */
export function gradient2(f: Fn2, a: number, b: number): [number, number] {
  const hx = 1e-5 * Math.max(1, Math.abs(a));
  const hy = 1e-5 * Math.max(1, Math.abs(b));
  return [
    (call2(f, a + hx, b) - call2(f, a - hx, b)) / (2 * hx),
    (call2(f, a, b + hy) - call2(f, a, b - hy)) / (2 * hy),
  ];
}

/** The 2×2 Hessian of f at (a, b). */
export function hessian2(f: Fn2, a: number, b: number): [[number, number], [number, number]] {
  const hx = 1e-4 * Math.max(1, Math.abs(a));
  const hy = 1e-4 * Math.max(1, Math.abs(b));
  const f0 = call2(f, a, b);
  const fxx = (call2(f, a + hx, b) - 2 * f0 + call2(f, a - hx, b)) / (hx * hx);
  const fyy = (call2(f, a, b + hy) - 2 * f0 + call2(f, a, b - hy)) / (hy * hy);
  const fxy =
    (call2(f, a + hx, b + hy) - call2(f, a + hx, b - hy) - call2(f, a - hx, b + hy) + call2(f, a - hx, b - hy)) /
    (4 * hx * hy);
  return [[fxx, fxy], [fxy, fyy]];
}
