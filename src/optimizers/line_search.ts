// The Hager–Zhang inexact line search (CG_DESCENT's, as TFP's linesearch/hager_zhang.py), on one line, for lbfgsMinimize.
// Internal: not exported by the package. Scalars are JS numbers, each result rounded to the position's dtype.

/** One evaluation of the line function: the step `x`, the value `f`, the slope `df`, and what the caller keeps. */
export interface LinePoint<E> {
  x: number;
  f: number;
  df: number;
  extra: E;
}

/** The line search's parameters, TFP's names and defaults (Hager and Zhang 2006's ε, γ, ρ, δ, σ). */
export interface HagerZhangParams {
  /** ε: the approximate Wolfe conditions apply where f ≤ f(0) + ε|f(0)|. Default 1e-6. */
  thresholdUseApproximateWolfeCondition: number;
  /** γ: a secant² step that shrinks the interval less than this is followed by a bisection. Default 0.66. */
  shrinkageParam: number;
  /** ρ: the factor the step grows by while bracketing. Default 5. */
  expansionParam: number;
  /** δ: sufficient decrease. Default 0.1. */
  sufficientDecreaseParam: number;
  /** σ: curvature. Default 0.9. */
  curvatureParam: number;
  /** Bracketing expansions and secant² rounds together. Default 50. */
  maxIterations: number;
}

export const HAGER_ZHANG_DEFAULTS: HagerZhangParams = {
  thresholdUseApproximateWolfeCondition: 1e-6,
  shrinkageParam: 0.66,
  expansionParam: 5,
  sufficientDecreaseParam: 0.1,
  curvatureParam: 0.9,
  maxIterations: 50,
};

/** What the line search found: on convergence `left` and `right` are the same point. */
export interface LineSearchResult<E> {
  converged: boolean;
  failed: boolean;
  iterations: number;
  funcEvals: number;
  left: LinePoint<E>;
  right: LinePoint<E>;
}

/** Rounds a float64 result to the dtype's precision (identity for float64). */
export type Rounder = (v: number) => number;

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);

/** `nextafter(x, y)` in float32 (`f32`) or float64: the representable number next to x towards y. */
export function nextAfter(x: number, y: number, f32: boolean): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  if (x === 0) {
    const tiny = f32 ? 1.401298464324817e-45 : Number.MIN_VALUE;
    return y > 0 ? tiny : -tiny;
  }
  const away = y > x === x > 0; // moving away from zero increases the magnitude's bits
  if (f32) {
    F32[0] = x;
    I32[0] += away ? 1 : -1;
    return F32[0];
  }
  F64[0] = x;
  I64[0] += away ? 1n : -1n;
  return F64[0];
}

function divNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function isFinitePoint<E>(p: LinePoint<E>): boolean {
  return Number.isFinite(p.f) && Number.isFinite(p.df);
}

function isNegativeInf(v: number): boolean {
  return v === -Infinity;
}

/** f is NaN, or f is finite and df is NaN (hager_zhang_lib._bad_nan). */
function badNan<E>(p: LinePoint<E>): boolean {
  return Number.isNaN(p.f) || (Number.isFinite(p.f) && Number.isNaN(p.df));
}

function isRising<E>(p: LinePoint<E>): boolean {
  return Number.isFinite(p.f) && p.df >= 0;
}

function needsBisect<E>(p: LinePoint<E>, fLim: number): boolean {
  return p.f >= Infinity || (p.df < 0 && p.f > fLim);
}

interface Interval<E> {
  failed: boolean;
  left: LinePoint<E>;
  right: LinePoint<E>;
}

/**
 * The search for one line function `fn(t)` (a descent direction: `val0.df < 0`), started at `initialStep`:
 * bracketing by expansion, then secant² rounds with bisection when they shrink the interval too little,
 * until a point satisfies the Wolfe or approximate Wolfe conditions. TFP's hager_zhang, unbatched.
 */
export class HagerZhang<E> {
  private evals = 0;
  private readonly fLim: number;

  constructor(
    private readonly fn: (t: number) => LinePoint<E>,
    private readonly val0: LinePoint<E>,
    private readonly p: HagerZhangParams,
    private readonly round: Rounder,
    private readonly f32: boolean,
  ) {
    const r = round;
    this.fLim = r(val0.f + r(p.thresholdUseApproximateWolfeCondition * Math.abs(val0.f)));
  }

  private evaluate(t: number): LinePoint<E> {
    this.evals++;
    return this.fn(t);
  }

  /** `nextafter(a, b) >= b`: a and b are equal or adjacent (or a > b), as hager_zhang._very_close. */
  private veryClose(a: number, b: number): boolean {
    return nextAfter(a, b, this.f32) >= b;
  }

  /** The minimiser of the secant through a and b's slopes: (a.x·b.df − b.x·a.df) / (b.df − a.df), 0 when parallel. */
  private secant(a: LinePoint<E>, b: LinePoint<E>): number {
    const r = this.round;
    return r(divNoNan(r(r(a.x * b.df) - r(b.x * a.df)), r(b.df - a.df)));
  }

  /** The Wolfe conditions (δ, σ), or the approximate ones where f(c) ≤ fLim. */
  private satisfiesWolfe(c: LinePoint<E>): boolean {
    const { sufficientDecreaseParam: delta, curvatureParam: sigma } = this.p;
    const v0 = this.val0;
    const r = this.round;
    const exactDecrease = r(delta * v0.df) >= r(divNoNan(r(c.f - v0.f), c.x));
    const curvature = c.df >= r(sigma * v0.df);
    const approxDecrease = r(r(2 * delta - 1) * v0.df) >= c.df;
    return (exactDecrease && curvature) || (c.f <= this.fLim && approxDecrease && curvature);
  }

  /** Bisection (HZ's U3) of [left, right] until right rises; fails when the midpoint repeats an end. */
  private bisect(start: Interval<E> & { stopped: boolean }): Interval<E> {
    let { stopped, failed, left, right } = start;
    while (!stopped) {
      const mid = this.evaluate(this.round((left.x + right.x) / 2));
      const finished = isNegativeInf(mid.f);
      failed = failed || (!finished && (badNan(mid) || mid.x === left.x || mid.x === right.x));
      if (!failed) {
        const updateLeft = mid.df < 0 && mid.f <= this.fLim;
        if (updateLeft || finished) left = mid;
        if (!updateLeft || finished) right = mid;
      }
      stopped = failed || finished || isRising(right);
    }
    return { failed, left, right };
  }

  /** HZ's update: puts a trial point inside (left, right) in place of one end, bisecting when it needs to. */
  private update(left: LinePoint<E>, right: LinePoint<E>, trial: LinePoint<E>): Interval<E> {
    const within = left.x < trial.x && trial.x < right.x;
    const validLeft = trial.df < 0 && trial.f <= this.fLim;
    const bisect = within && trial.df < 0 && trial.f > this.fLim;
    return this.bisect({
      stopped: !bisect,
      failed: false,
      left: within && validLeft ? trial : left,
      right: within && !validLeft ? trial : right,
    });
  }

  /** Expands [0, initial] by ρ until its right end rises or is too high, then bisects if it is too high. */
  private bracket(initial: LinePoint<E>): Interval<E> & { iteration: number } {
    const rho = this.p.expansionParam;
    let left = this.val0;
    let right = initial;
    let failed = badNan(right);
    let stopped = failed || isNegativeInf(right.f) || isRising(right) || needsBisect(right, this.fLim);
    let iteration = 0;
    while (iteration < this.p.maxIterations && !stopped) {
      const next = this.evaluate(this.round(rho * right.x));
      left = right;
      right = next;
      failed = failed || badNan(right);
      iteration++;
      stopped = failed || isNegativeInf(right.f) || isRising(right) || needsBisect(right, this.fLim);
    }
    const finished = isNegativeInf(right.f);
    const bisectFrom = finished ? right : needsBisect(right, this.fLim) ? this.val0 : left;
    const out = this.bisect({ stopped: failed || finished || isRising(right), failed, left: bisectFrom, right });
    return { ...out, iteration };
  }

  /** One secant² round (HZ's S1–S4): a secant step from both ends, with updates in between. */
  private secant2(left: LinePoint<E>, right: LinePoint<E>): Interval<E> & { converged: boolean } {
    const c = this.evaluate(this.secant(left, right));
    const finished = isNegativeInf(c.f);
    const failed = !finished && !isFinitePoint(c);
    if (finished || (!failed && this.satisfiesWolfe(c))) return { converged: true, failed: false, left: c, right: c };
    if (failed) return { converged: false, failed, left, right };
    const u = this.update(left, right, c);
    if (u.failed) return { converged: false, failed: true, left, right };
    const updatedLeft = u.left.x === c.x;
    const updatedRight = u.right.x === c.x;
    let nextC = c.x;
    if (updatedLeft) nextC = this.secant(left, u.left);
    if (updatedRight) nextC = this.secant(right, u.right);
    const inRange = u.left.x <= nextC && nextC <= u.right.x;
    if (!inRange) return { converged: false, failed: false, left: u.left, right: u.right };
    const c2 = updatedLeft || updatedRight ? this.evaluate(nextC) : c;
    if (!isFinitePoint(c2)) return { converged: false, failed: true, left: u.left, right: u.right };
    if (this.satisfiesWolfe(c2)) return { converged: true, failed: false, left: c2, right: c2 };
    return { converged: false, ...this.update(u.left, u.right, c2) };
  }

  /** Runs the search from the step `initialStep` (> 0). */
  search(initialStep: number): LineSearchResult<E> {
    const valInitial = this.evaluate(initialStep);
    const valid = isFinitePoint(this.val0) && this.val0.df < 0 && Number.isFinite(valInitial.x) && valInitial.x > 0;
    if (!valid) return this.result(false, true, 0, this.val0, valInitial);
    const maxIterations = this.p.maxIterations;
    const br = this.bracket(valInitial);
    let { left, right, failed } = br;
    let converged = this.veryClose(left.x, right.x);
    failed = failed || (!converged && br.iteration >= maxIterations);
    let iterations = br.iteration;
    while (iterations < maxIterations && !(converged || failed)) {
      const s = this.secant2(left, right);
      iterations++;
      let next: Interval<E> = s;
      converged = s.converged;
      if (!s.converged && !s.failed) {
        const sufficientShrinkage = s.right.x - s.left.x < this.round((right.x - left.x) * this.p.shrinkageParam);
        const flat = this.veryClose(left.f, right.f) && this.veryClose(s.left.f, s.right.f);
        if (sufficientShrinkage && flat) converged = true;
        if (!sufficientShrinkage) {
          const mid = this.evaluate(this.round((s.left.x + s.right.x) / 2));
          next = isFinitePoint(mid) ? this.update(s.left, s.right, mid) : { ...s, failed: true };
        }
      }
      ({ left, right, failed } = next);
      if (!failed && this.veryClose(left.x, right.x)) converged = true;
    }
    return this.result(converged, failed, iterations, left, right);
  }

  private result(
    converged: boolean,
    failed: boolean,
    iterations: number,
    left: LinePoint<E>,
    right: LinePoint<E>,
  ): LineSearchResult<E> {
    return { converged, failed, iterations, funcEvals: this.evals, left, right };
  }
}
