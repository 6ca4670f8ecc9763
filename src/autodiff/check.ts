// Finite differences (as in the seeds) and a gradient checker that compares them with the tape.
import { TapeError } from '../core/errors';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { sum } from '../ops/prims/reduce';
import { cast } from '../ops/prims/cast';
import { add, mul } from '../ops/prims/binary';
import { randomNormal } from '../ops/create';
import { grad, jvp, vjp } from './functional';

/** A function of tensors whose result is summed to a scalar. */
export type TensorFunction = (...xs: Tensor[]) => Tensor;

/** Options of `numericGradient`. */
export interface NumericGradientOptions {
  /** The step (default 1e-3 for central, 1e-6 for forward differences). */
  eps?: number;
  /** `(f(x+h) - f(x-h)) / 2h` (default) or `(f(x+h) - f(x)) / h`. */
  method?: 'central' | 'forward';
}

function sumOf(f: TensorFunction, xs: Tensor[]): number {
  const y = f(...xs);
  if (!(y instanceof Tensor)) throw new TapeError('numericGradient: the function must return a Tensor');
  return sum(cast(y, 'float64')).item();
}

/**
 * Finite-difference gradient of `sum(f(...xs))` with respect to each input, computed in float64
 * whatever the inputs' dtype (each result has its input's dtype).
 * @example
 * const f = (x: tg.Tensor, y: tg.Tensor) => x.mul(x).mul(y).add(y).add(2);
 * tg.numericGradient(f, [3, 4], { eps: 1e-4, method: 'forward' }); // [24.0004, 10]  (2xy + yh: off by O(h))
 */
export function numericGradient(
  f: TensorFunction,
  xs: readonly TensorLike[],
  options: NumericGradientOptions = {},
): Tensor[] {
  const method = options.method ?? 'central';
  const eps = options.eps ?? (method === 'central' ? 1e-3 : 1e-6);
  const inputs = xs.map((x) => cast(toTensor('numericGradient', x), 'float64'));
  const base = method === 'forward' ? sumOf(f, inputs) : 0;
  return inputs.map((x, k) => {
    const g = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const at = (delta: number) => {
        const moved = x.values.slice();
        moved[i] += delta;
        const args = inputs.slice();
        args[k] = new Tensor(moved, x.shape, 'float64');
        return sumOf(f, args);
      };
      g[i] = method === 'central' ? (at(eps) - at(-eps)) / (2 * eps) : (at(eps) - base) / eps;
    }
    return cast(new Tensor(g, x.shape, 'float64'), toTensor('numericGradient', xs[k]).dtype);
  });
}

/** Options of `checkGradients`. */
export interface CheckGradientsOptions {
  rtol?: number;
  atol?: number;
  eps?: number;
  /** 2 also checks second derivatives: the gradient of <∇f, v> for a random v. Default 1. */
  order?: 1 | 2;
  /** Also check forward mode: the jvp along a random direction (default true). */
  forward?: boolean;
  /** Seed of the random directions. */
  seed?: number;
}

/**
 * The worst element of one check: `reverse` compares the tape's gradient of input `input` with
 * central differences; `forward` compares the jvp along a random direction with the directional
 * difference; `transpose` compares <t, vjp(c)> with <jvp(t), c> for a random cotangent c.
 */
export interface GradientCheckDetail {
  mode: 'reverse' | 'forward' | 'transpose';
  input: number;
  order: number;
  index: number;
  analytic: number;
  numeric: number;
  absError: number;
  relError: number;
}

/** The verdict of `checkGradients`. */
export interface GradientCheckResult {
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  details: GradientCheckDetail[];
}

/** One gradient per input, whether a transform gave one tensor or an array. */
function asList(g: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(g) ? g : [g];
}

/** Tape gradients of sum(f) with respect to every input (zeros where unconnected). */
function tapeGradients(f: TensorFunction, xs: Tensor[]): Tensor[] {
  return asList(grad(f)(...xs));
}

/**
 * Compares the tape's gradients of `sum(f(...xs))` with central differences, in float64.
 * An element passes when |analytic - numeric| <= atol + rtol·|numeric|.
 * @example
 * const r = tg.checkGradients((x) => tg.sin(x), [[0.1, 0.2]]);
 * r.ok; // true
 */
export function checkGradients(
  f: TensorFunction,
  xs: readonly TensorLike[],
  options: CheckGradientsOptions = {},
): GradientCheckResult {
  const { rtol = 1e-5, atol = 1e-6, eps = 1e-5, order = 1, seed = 0, forward = true } = options;
  const inputs = xs.map((x) => cast(toTensor('checkGradients', x), 'float64'));
  const details: GradientCheckDetail[] = [];
  const compare = (fn: TensorFunction, level: number) => {
    const analytic = tapeGradients(fn, inputs);
    const numeric = numericGradient(fn, inputs, { eps });
    analytic.forEach((a, input) => {
      const worst: GradientCheckDetail = {
        mode: 'reverse',
        input,
        order: level,
        index: -1,
        analytic: 0,
        numeric: 0,
        absError: 0,
        relError: 0,
      };
      for (let i = 0; i < a.size; i++) {
        const an = a.values[i];
        const nu = numeric[input].values[i];
        const absError = Math.abs(an - nu);
        const relError = absError / Math.max(Math.abs(nu), Number.MIN_VALUE);
        const excess = absError - (atol + rtol * Math.abs(nu));
        const worstExcess = worst.absError - (atol + rtol * Math.abs(worst.numeric));
        if (worst.index < 0 || excess > worstExcess || Number.isNaN(absError))
          Object.assign(worst, { index: i, analytic: an, numeric: nu, absError, relError });
      }
      details.push(worst);
    });
    if (forward) details.push(...forwardChecks(fn, inputs, eps, level, seed + 100 * level));
  };
  compare(f, 1);
  if (order === 2) {
    const directions = inputs.map((x, k) => randomNormal(x.shape, { seed: seed + k, dtype: 'float64' }));
    const gradDotV: TensorFunction = (...ys) => {
      const gs = tapeGradients(f, ys);
      return gs.map((g, k) => sum(mul(g, directions[k]))).reduce((acc, t) => acc.add(t));
    };
    compare(gradDotV, 2);
  }
  const bad = (d: GradientCheckDetail) => !(d.absError <= atol + rtol * Math.abs(d.numeric));
  return {
    ok: details.every((d) => d.index < 0 || !bad(d)),
    maxAbsError: details.reduce((m, d) => Math.max(m, d.absError), 0),
    maxRelError: details.reduce((m, d) => Math.max(m, d.relError), 0),
    details,
  };
}

/** One detail comparing two numbers. */
function scalarDetail(
  mode: GradientCheckDetail['mode'],
  level: number,
  analytic: number,
  numeric: number,
): GradientCheckDetail {
  const absError = Math.abs(analytic - numeric);
  return {
    mode,
    input: -1,
    order: level,
    index: 0,
    analytic,
    numeric,
    absError,
    relError: absError / Math.max(Math.abs(numeric), Number.MIN_VALUE),
  };
}

/** <a, b> summed over a list of tensor pairs. */
function inner(as: readonly Tensor[], bs: readonly Tensor[]): number {
  return as.reduce((acc, a, k) => acc + sum(mul(a, bs[k])).item(), 0);
}

/**
 * Forward mode against central differences along a random direction t, and against reverse mode
 * through <t, vjp(c)> = <jvp(t), c> for a random cotangent c.
 */
function forwardChecks(
  f: TensorFunction,
  xs: Tensor[],
  eps: number,
  level: number,
  seed: number,
): GradientCheckDetail[] {
  const ts = xs.map((x, k) => randomNormal(x.shape, { seed: seed + k, dtype: 'float64' }));
  const { value: y, tangent: jt } = jvp(f, xs, ts);
  const moved = (sign: number) =>
    sumOf(
      f,
      xs.map((x, k) => add(x, mul(ts[k], sign * eps))),
    );
  const directional = (moved(1) - moved(-1)) / (2 * eps);
  const c = randomNormal(y.shape, { seed: seed + 999, dtype: 'float64' });
  const vjps = asList(vjp(f, ...xs).vjp(c));
  return [
    scalarDetail('forward', level, sum(cast(jt, 'float64')).item(), directional),
    scalarDetail(
      'transpose',
      level,
      inner([cast(jt, 'float64')], [c]),
      inner(
        ts,
        vjps.map((v) => cast(v, 'float64')),
      ),
    ),
  ];
}
