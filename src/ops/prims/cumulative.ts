// The public scans: cumsum, cumprod and cumulativeLogSumExp along one axis (TF's Cumsum, Cumprod and
// CumulativeLogsumexp), one linear pass each; their rules are scans too (cumsum's the reverse cumsum,
// the others linear recurrences through the internal linearScan), so they nest to any order.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { requireAxis, requireBoolean } from '../../core/args';
import { allocate } from '../../core/dtype';
import { sizeOf } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import type { CumulativeName } from '../../kernels/scan';
import { cumulativeKernel } from '../../kernels/scan';
import type { Primitive, Rules } from '../primitive';
import { definePrimitive } from '../primitive';
import { requireFloat, requireNumeric } from '../operands';
import { mul, sub } from './binary';
import { exp } from './unary';
import { broadcastTo } from './shape';
import { linearScan, next, padAlong, previous, sliceAlong } from './scan';
import { linear } from './tangents';

interface CumulativeAttrs {
  /** The scanned axis, non-negative. */
  axis: number;
  exclusive: boolean;
  reverse: boolean;
}

/** The primitive of one scan: validates (float only for log-sum-exp), then one pass of the kernel. */
function cumulativePrimitive(
  name: 'cumsum' | 'cumprod' | 'cumulativeLogSumExp',
  kernel: CumulativeName,
  rules: (self: () => Primitive<CumulativeAttrs>) => Rules<CumulativeAttrs>,
): Primitive<CumulativeAttrs> {
  const prim: Primitive<CumulativeAttrs> = definePrimitive<CumulativeAttrs>({
    name,
    forward: ([x], { axis, exclusive, reverse }) => {
      if (kernel === 'logSumExp') requireFloat(name, x);
      else requireNumeric(name, x);
      const out = allocate(x.dtype, x.size);
      const outer = sizeOf(x.shape.slice(0, axis));
      cumulativeKernel(
        kernel,
        x.values,
        outer,
        x.shape[axis],
        sizeOf(x.shape.slice(axis + 1)),
        exclusive,
        reverse,
        out,
      );
      return new Tensor(out, x.shape, x.dtype);
    },
    ...rules(() => prim),
  });
  return prim;
}

/** The public function of a scan: its own checks (a tensor of rank ≥ 1, an axis in range, two flags) first. */
function cumulative(name: 'cumsum' | 'cumprod' | 'cumulativeLogSumExp', prim: Primitive<CumulativeAttrs>) {
  return (x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor => {
    const t = toTensor(name, x);
    if (name === 'cumulativeLogSumExp') requireFloat(name, t);
    else requireNumeric(name, t);
    const ax = requireAxis(name, axis, t.rank);
    return prim.run([t], {
      axis: ax,
      exclusive: requireBoolean(name, 'exclusive', exclusive),
      reverse: requireBoolean(name, 'reverse', reverse),
    });
  };
}

// In "scan order" (from the start, or from the end when reversed): `before(z)` puts at each place
// the value of the place scanned just before it (0 at the first), `after(z)` the one just after it;
// `links(c)` puts the coefficient c[s] of the link s-1 → s (scan order) where linearScan reads it
// (at the larger index of the two places).
const before = (z: Tensor, axis: number, reverse: boolean) => (reverse ? next(z, axis) : previous(z, axis));
const after = (z: Tensor, axis: number, reverse: boolean) => (reverse ? previous(z, axis) : next(z, axis));
const links = (c: Tensor, axis: number, reverse: boolean) => (reverse ? previous(c, axis) : c);

/** `a` broadcast to a tangent's shape `[...batch, ...a.shape]` (linearScan takes no broadcasting). */
const batched = (a: Tensor, like: Tensor) => (a.rank === like.rank ? a : broadcastTo(a, like.shape));

const cumsumP = cumulativePrimitive('cumsum', 'sum', (self) => ({
  // the cumsum is linear, y = L·x: its gradient is Lᵀ·dy, the cumsum in the other direction (TF's _CumsumGrad)
  vjp: (dy, _x, _y, attrs) => [self().run([dy], { ...attrs, reverse: !attrs.reverse })],
  jvp: linear((t, attrs, batch) => self().run([t], { ...attrs, axis: attrs.axis + batch.length })),
}));

/**
 * Cumulative sum along `axis` (default 0); `exclusive` leaves each element out of its own sum,
 * `reverse` sums from the end. int32 stays int32 (and has no gradient).
 * @example
 * tg.cumsum([1, 2, 3]); // [1, 3, 6]
 * tg.cumsum([1, 2, 3], 0, true, true); // [5, 3, 0]  (2 + 3, 3, nothing)
 */
export const cumsum = cumulative('cumsum', cumsumP);

const cumprodP: Primitive<CumulativeAttrs> = cumulativePrimitive('cumprod', 'prod', () => ({
  // In scan order y_s = E_s·x_s (inclusive) or E_s (exclusive), E_s = Π_{k<s} x_k. Inclusive:
  // dy_s = Σ_{j≤s} (Π_{k≤s, k≠j} x_k)·dx_j, so gx_j = E_j·S_j with S_j = g_j + x_{j+1}·S_{j+1} (a scan
  // backwards) and dy_s = x_s·dy_{s-1} + E_s·dx_s (a scan forwards); exclusive: y = before(inclusive).
  // No division by x (TF divides, div_no_nan: wrong at zeros), so exact at zeros, at every order.
  vjp: (dy, [x], y, { axis, exclusive, reverse }) => {
    const e = exclusive ? y : cumprodP.run([x], { axis, exclusive: true, reverse });
    const g = exclusive ? after(dy, axis, reverse) : dy;
    return [mul(e, linearScan(links(x, axis, reverse), g, !reverse, axis))];
  },
  jvp: ([t], [x], y, { axis, exclusive, reverse }, batch) => {
    const at = axis + batch.length;
    const e = exclusive ? y : cumprodP.run([x], { axis, exclusive: true, reverse });
    const source = mul(t!, e);
    const inclusive = linearScan(batched(links(x, axis, reverse), source), source, reverse, at);
    return exclusive ? before(inclusive, at, reverse) : inclusive;
  },
}));

/**
 * Cumulative product along `axis` (default 0), with `exclusive` and `reverse` as cumsum. Its
 * gradient is exact where x has zeros (TensorFlow's is not).
 * @example
 * tg.cumprod([2, 0, 3]); // [2, 0, 0]
 * tg.cumprod([2, 3, 4], 0, true); // [1, 2, 6]
 */
// NOTE: a deliberate difference from TF: its _CumprodGrad is cumsum(y·dy, reverse)/x with div_no_nan,
// which is wrong wherever x has a zero (at [2, 0, 3] it gives [1, 0, 0]; the true gradient is [1, 8, 0]:
// ∂(2·0·3)/∂x₁ = 2·3 = 6 plus ∂(2·0)/∂x₁ = 2). Here the rules are products of prefixes and linear
// recurrences, no division: exact at zeros, and the same values elsewhere up to rounding.
export const cumprod = cumulative('cumprod', cumprodP);

const cumulativeLogSumExpP: Primitive<CumulativeAttrs> = cumulativePrimitive(
  'cumulativeLogSumExp',
  'logSumExp',
  () => ({
    // In scan order, inclusive y_s = log Σ_{j≤s} exp(x_j): ∂y_s/∂x_j = exp(x_j - y_s) for j ≤ s. With
    // w = exp(x - y) and r_s = exp(y_{s-1} - y_s), both in [0, 1] (y grows along the scan): gx_j = w_j·S_j,
    // S_j = g_j + r_{j+1}·S_{j+1} (backwards), and dy_s = r_s·dy_{s-1} + w_s·dx_s (forwards). Stable at
    // ±1000 without logs of the gradient (TF splits it into log-positive and log-negative parts instead).
    // Exclusive: y = before(inclusive), from the inclusive scan recomputed.
    vjp: (dy, [x], y, { axis, exclusive, reverse }) => {
      const full = exclusive ? cumulativeLogSumExpP.run([x], { axis, exclusive: false, reverse }) : y;
      const { w, r } = weights(x, full, axis, reverse);
      const g = exclusive ? after(dy, axis, reverse) : dy;
      return [mul(w, linearScan(r, g, !reverse, axis))];
    },
    jvp: ([t], [x], y, { axis, exclusive, reverse }, batch) => {
      const at = axis + batch.length;
      const full = exclusive ? cumulativeLogSumExpP.run([x], { axis, exclusive: false, reverse }) : y;
      const { w, r } = weights(x, full, axis, reverse);
      const source = mul(t!, w);
      const inclusive = linearScan(batched(r, source), source, reverse, at);
      return exclusive ? before(inclusive, at, reverse) : inclusive;
    },
  }),
);

/**
 * The weights of the log-sum-exp scan's rules: w = exp(x - y), and r = exp(y_{s-1} - y_s) placed as
 * linearScan reads links (at the larger index; the unread first place is 0). Each difference is taken
 * between neighbours only, so no exp ever sees a difference that is not ≤ 0 (no inf, no inf·0 = NaN).
 */
function weights(x: Tensor, y: Tensor, axis: number, reverse: boolean): { w: Tensor; r: Tensor } {
  const n = y.shape[axis];
  const w = exp(sub(x, y));
  if (y.size === 0) return { w, r: y };
  const lower = sliceAlong(y, axis, 0, n - 1);
  const upper = sliceAlong(y, axis, 1, n - 1);
  // forward: r[i] = exp(y[i-1] - y[i]); reverse: the link i-1 ← i has r = exp(y[i] - y[i-1])
  const r = padAlong(exp(reverse ? sub(upper, lower) : sub(lower, upper)), axis, 1, 0);
  return { w, r };
}

/**
 * log(cumsum(exp(x))) along `axis` (default 0), computed stably (finite for inputs like ±1000), with
 * `exclusive` (-Infinity at the first place) and `reverse` as cumsum; float only.
 * @example
 * tg.cumulativeLogSumExp([1000, 1000, 1000]); // [1000, 1000.6931, 1001.0986]  (1000 + log 2, 1000 + log 3)
 */
export const cumulativeLogSumExp = cumulative('cumulativeLogSumExp', cumulativeLogSumExpP);
