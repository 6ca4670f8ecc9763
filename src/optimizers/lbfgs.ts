// lbfgsMinimize: TFP's tfp.optimizer.lbfgs_minimize (lbfgs.py, bfgs_utils.py) with its Hager–Zhang line search, unbatched.
import type { DType, TypedArray } from '../core/dtype';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { requireFiniteNumber, requireFunction, requireInteger, requireOptions } from '../core/args';
import { ArgumentError, DTypeError, ShapeError, describe } from '../core/errors';
import { withoutRecorders } from '../core/recording';
import { Tensor } from '../core/tensor';
import { GradientTape } from '../autodiff/gradient_tape';
import type { LinePoint, Rounder } from './line_search';
import { HAGER_ZHANG_DEFAULTS, HagerZhang } from './line_search';

const OP = 'lbfgsMinimize';

/**
 * The objective: either TFP's `valueAndGradients(x) → [value, gradient]`, or a plain `f(x) → value` written
 * with tapegrad ops, whose gradient `lbfgsMinimize` takes with a GradientTape. The value is a rank-0 tensor
 * of the position's dtype; the gradient has the position's shape and dtype.
 */
export type LbfgsObjective = (x: Tensor) => Tensor | readonly [Tensor, Tensor];

/** Options of `lbfgsMinimize`: TFP's `lbfgs_minimize` arguments, camel-cased, with its defaults. */
export interface LbfgsOptions {
  /** How many (Δx, Δg) pairs approximate the inverse Hessian. Default 10. */
  numCorrectionPairs?: number;
  /** Converged when the gradient's largest |component| is at most this. Default 1e-8. */
  tolerance?: number;
  /** Converged when a step moves no component more than this. Default 0. */
  xTolerance?: number;
  /** Converged when a step changes the value by at most this times the previous value. Default 0. */
  fRelativeTolerance?: number;
  /** Converged when a step changes the value by at most this. Default 0. */
  fAbsoluteTolerance?: number;
  /** Iterations (line searches) at most. Default 50. */
  maxIterations?: number;
  /** Iterations of one line search at most (bracketing and secant² rounds). Default 50. */
  maxLineSearchIterations?: number;
}

/** The result of `lbfgsMinimize`, TFP's `LBfgsOptimizerResults` fields camel-cased (without the pair queues). */
export interface LbfgsResult {
  /** A convergence test passed (gradient, x or f tolerance), or the value reached -Infinity. */
  converged: boolean;
  /** A line search failed, or the value or gradient became NaN or infinite. */
  failed: boolean;
  /** Iterations done (one line search each). */
  numIterations: number;
  /** Calls of the objective, the first one included. */
  numObjectiveEvaluations: number;
  /** The last point accepted, in the initial position's shape and dtype. */
  position: Tensor;
  /** The objective's value there (rank 0). */
  objectiveValue: Tensor;
  /** The objective's gradient there. */
  objectiveGradient: Tensor;
}

/** One evaluation of the objective: the point, its value and gradient as tensors, and as numbers. */
interface Evaluation {
  position: Tensor;
  value: Tensor;
  gradient: Tensor;
  x: Float64Array;
  f: number;
  g: TypedArray;
}

function roundFor(dtype: DType): Rounder {
  return dtype === 'float32' ? Math.fround : (v) => v;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normInf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Calls the objective at `x`, under a GradientTape that watches x when it is (or may be, at the first call) a
 * plain function; the tape is disposed before returning, also when the objective throws.
 */
class Objective {
  /** Unknown until the first call's result shows which form the objective has. */
  private mode: 'tape' | 'pair' | undefined;
  count = 0;

  constructor(
    private readonly fn: LbfgsObjective,
    private readonly shape: readonly number[],
    private readonly dtype: DType,
  ) {}

  evaluate(x: Float64Array): Evaluation {
    const values = this.dtype === 'float32' ? Float32Array.from(x) : Float64Array.from(x);
    const position = new Tensor(values, this.shape.slice(), this.dtype);
    this.count++;
    let value: Tensor;
    let gradient: Tensor;
    if (this.mode === 'pair') {
      [value, gradient] = this.pair(this.fn(position));
    } else {
      const tape = new GradientTape();
      try {
        tape.watch(position);
        const out = this.fn(position);
        if (out instanceof Tensor) {
          if (this.mode === undefined) this.mode = 'tape';
          if (this.mode !== 'tape') throw this.badOutput(out);
          value = this.checkValue(out);
          gradient = tape.gradient(value, position, { unconnectedGradients: 'zero' }) as Tensor;
        } else {
          if (this.mode !== undefined) throw this.badOutput(out);
          this.mode = 'pair';
          [value, gradient] = this.pair(out);
        }
      } finally {
        tape.dispose();
      }
    }
    return { position, value, gradient, x, f: value.values[0], g: gradient.values };
  }

  private badOutput(out: unknown): Error {
    return new ArgumentError(
      `${OP}: the objective must return a rank-0 Tensor (a plain function, differentiated by a tape) or a pair ` +
        `[value, gradient], the same form at every call; got ${out instanceof Tensor ? 'a Tensor' : describe(out)}` +
        (this.mode === undefined ? '' : ` after ${this.mode === 'tape' ? 'a Tensor' : 'a pair'} at the first call`),
    );
  }

  private pair(out: unknown): [Tensor, Tensor] {
    if (!Array.isArray(out) || out.length !== 2 || !(out[0] instanceof Tensor) || !(out[1] instanceof Tensor))
      throw this.badOutput(out);
    const gradient = out[1];
    if (gradient.dtype !== this.dtype || gradient.shape.join(',') !== this.shape.join(',')) {
      throw new ShapeError(
        `${OP}: the gradient must have the position's shape [${this.shape.join(',')}] and dtype ${this.dtype}, ` +
          `got shape [${gradient.shape.join(',')}] and dtype ${gradient.dtype}`,
      );
    }
    return [this.checkValue(out[0]), gradient];
  }

  private checkValue(value: Tensor): Tensor {
    if (value.rank !== 0)
      throw new ShapeError(
        `${OP}: the objective's value must be a scalar (rank 0), got shape [${value.shape.join(',')}]; reduce it, e.g. with .sum()`,
      );
    if (value.dtype !== this.dtype)
      throw new DTypeError(`${OP}: the objective's value has dtype ${value.dtype} but the position is ${this.dtype}`);
    return value;
  }
}

/**
 * Minimises a function of one tensor with L-BFGS, as TFP's `tfp.optimizer.lbfgs_minimize`: the two-loop
 * recursion over the last `numCorrectionPairs` steps, the initial inverse Hessian scaled by γ = sᵀy / yᵀy of
 * the latest pair, and TFP's Hager–Zhang line search (approximate Wolfe conditions, started at step 1).
 * It stops when the gradient's largest |component| is at most `tolerance` (at the start, below it), when a
 * step changes x by at most `xTolerance` or f by at most `fAbsoluteTolerance` or `fRelativeTolerance` × f,
 * when the value reaches -Infinity (converged), when a line search fails or a value or gradient is not
 * finite (failed), or after `maxIterations`.
 *
 * The objective is either TFP's `valueAndGradients(x) → [value, gradient]` or any function `f(x) → value`
 * written with tapegrad ops: its gradient is then taken by a GradientTape, disposed after each call. The
 * first call's result decides which. The position may have any shape (it is flattened inside, and each call
 * gets it in its shape); float32 or float64, computed in float64 and rounded to the dtype at each step. Not
 * batched (one problem per call), not differentiable (tapes and accumulators outside are set aside while it
 * runs), no `previousOptimizerResults` restart, no `stoppingCondition` (both matter only for batches).
 * @example
 * const f = (x) => x.sub(tg.tensor([1, 2], undefined, 'float64')).square().sum();
 * const r = tg.lbfgsMinimize(f, tg.tensor([0, 0], undefined, 'float64'));
 * r.converged; // true
 * r.position; // Tensor([1, 2], shape=[2], dtype=float64)
 * r.numIterations; // 1
 */
export function lbfgsMinimize(
  valueAndGradients: LbfgsObjective,
  initialPosition: TensorLike,
  options?: LbfgsOptions,
): LbfgsResult {
  const fn = requireFunction<LbfgsObjective>(OP, 'valueAndGradients', valueAndGradients);
  const o = requireOptions<LbfgsOptions>(OP, options, [
    'numCorrectionPairs',
    'tolerance',
    'xTolerance',
    'fRelativeTolerance',
    'fAbsoluteTolerance',
    'maxIterations',
    'maxLineSearchIterations',
  ]);
  const nonNegative = (name: keyof LbfgsOptions, v: unknown, fallback: number): number => {
    if (v === undefined) return fallback;
    const n = requireFiniteNumber(OP, name, v);
    if (n < 0) throw new ArgumentError(`${OP}: ${name} must be >= 0, got ${n}`);
    return n;
  };
  const numCorrectionPairs =
    o.numCorrectionPairs === undefined ? 10 : requireInteger(OP, 'numCorrectionPairs', o.numCorrectionPairs, 1);
  const tolerance = nonNegative('tolerance', o.tolerance, 1e-8);
  const xTolerance = nonNegative('xTolerance', o.xTolerance, 0);
  const fRelativeTolerance = nonNegative('fRelativeTolerance', o.fRelativeTolerance, 0);
  const fAbsoluteTolerance = nonNegative('fAbsoluteTolerance', o.fAbsoluteTolerance, 0);
  const maxIterations = o.maxIterations === undefined ? 50 : requireInteger(OP, 'maxIterations', o.maxIterations, 0);
  const maxLineSearchIterations =
    o.maxLineSearchIterations === undefined
      ? 50
      : requireInteger(OP, 'maxLineSearchIterations', o.maxLineSearchIterations, 1);
  if (initialPosition === undefined || initialPosition === null)
    throw new ArgumentError(`${OP}: initialPosition must be a tensor, got ${describe(initialPosition)}`);
  const x0 = toTensor(OP, initialPosition);
  if (x0.dtype !== 'float32' && x0.dtype !== 'float64')
    throw new DTypeError(`${OP}: initialPosition must be float32 or float64, got ${x0.dtype}`);
  const dtype = x0.dtype;
  const round = roundFor(dtype);
  const n = x0.size;
  const lineParams = { ...HAGER_ZHANG_DEFAULTS, maxIterations: maxLineSearchIterations };

  return withoutRecorders(() => {
    const objective = new Objective(fn, x0.shape, dtype);
    let cur = objective.evaluate(Float64Array.from(x0.values));
    // bfgs_utils.get_initial_state_args: strictly below the tolerance at the start
    let converged = Number.isFinite(cur.f) && normInf(cur.g) < tolerance;
    let failed = false;
    let numIterations = 0;
    const s: Float64Array[] = [];
    const y: Float64Array[] = [];

    /** bfgs_utils.terminate_if_not_finite: -Infinity converges; else a non-finite value or gradient fails. */
    const checkFinite = (f: number, g: ArrayLike<number>): void => {
      if (f === -Infinity) converged = true;
      if (!converged && !(Number.isFinite(f) && allFinite(g))) failed = true;
    };

    while (numIterations < maxIterations && !(converged || failed)) {
      checkFinite(cur.f, cur.g);
      if (converged || failed) {
        // NOTE: TFP still evaluates the (inactive) line search's first step here; we do not call the objective
        numIterations++;
        break;
      }
      const d = searchDirection(cur.g, s, y, round);
      const start = cur;
      const point = (t: number, e: Evaluation): LinePoint<Evaluation> => ({
        x: t,
        f: e.f,
        df: round(dot(e.g, d)),
        extra: e,
      });
      const val0 = point(0, start);
      const line = (t: number): LinePoint<Evaluation> => {
        const x = new Float64Array(n);
        for (let i = 0; i < n; i++) x[i] = round(start.x[i] + round(t * d[i]));
        return point(t, objective.evaluate(x));
      };
      const ls = new HagerZhang(line, val0, lineParams, round, dtype === 'float32').search(1);
      numIterations++;
      if (!ls.converged) failed = true;
      // bfgs_utils._update_position: take the line search's left point (its result, or the best found)
      const next = ls.left.extra;
      checkFinite(next.f, next.g);
      if (!failed) {
        const dx = new Float64Array(n);
        for (let i = 0; i < n; i++) dx[i] = round(next.x[i] - start.x[i]);
        const df = Math.abs(round(next.f - start.f));
        if (
          normInf(next.g) <= tolerance ||
          normInf(dx) <= xTolerance ||
          df <= round(fRelativeTolerance * start.f) ||
          df <= fAbsoluteTolerance
        )
          converged = true;
      }
      cur = next;
      if (!(converged || failed)) {
        // lbfgs._queue_push: the newest pair last, the oldest dropped
        const sk = new Float64Array(n);
        const yk = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          sk[i] = round(next.x[i] - start.x[i]);
          yk[i] = round(next.g[i] - start.g[i]);
        }
        s.push(sk);
        y.push(yk);
        if (s.length > numCorrectionPairs) {
          s.shift();
          y.shift();
        }
      }
    }
    return {
      converged,
      failed,
      numIterations,
      numObjectiveEvaluations: objective.count,
      position: cur.position,
      objectiveValue: cur.value,
      objectiveGradient: cur.gradient,
    };
  });
}

/**
 * The L-BFGS direction −H·g by the two-loop recursion (Nocedal and Wright, Algorithm 7.4), H₀ = γI with
 * γ = sᵀy / yᵀy of the newest pair; a pair with sᵀy = 0 is skipped (TFP's divide_no_nan); −g without pairs.
 */
function searchDirection(g: ArrayLike<number>, s: Float64Array[], y: Float64Array[], round: Rounder): Float64Array {
  const n = g.length;
  const m = s.length;
  const q = Float64Array.from(g);
  if (m === 0) {
    for (let i = 0; i < n; i++) q[i] = -q[i];
    return q;
  }
  const invRho = s.map((sk, k) => round(dot(y[k], sk)));
  const alpha = new Array<number>(m);
  for (let k = m - 1; k >= 0; k--) {
    alpha[k] = invRho[k] === 0 ? 0 : round(round(dot(s[k], q)) / invRho[k]);
    for (let i = 0; i < n; i++) q[i] = round(q[i] - round(alpha[k] * y[k][i]));
  }
  const gamma = round(invRho[m - 1] / round(dot(y[m - 1], y[m - 1])));
  for (let i = 0; i < n; i++) q[i] = round(gamma * q[i]);
  for (let k = 0; k < m; k++) {
    const beta = invRho[k] === 0 ? 0 : round(round(dot(y[k], q)) / invRho[k]);
    const c = round(alpha[k] - beta);
    for (let i = 0; i < n; i++) q[i] = round(q[i] + round(c * s[k][i]));
  }
  for (let i = 0; i < n; i++) q[i] = -q[i];
  return q;
}
