// Normalisation and norm clipping as TF's Python builds them from ops: batch_normalization, l2_normalize,
// clip_by_norm and clip_by_global_norm, each the same formula (so the same values, gradients and edge cases).
import type { TensorLike } from '../../core/as_tensor';
import { isTensorish, toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import type { DType } from '../../core/dtype';
import { isFloat } from '../../core/dtype';
import { ArgumentError, DTypeError, describe } from '../../core/errors';
import { requireAxes, requireNumber, requireScalar } from '../../core/args';
import type { Shape } from '../../core/shape';
import { broadcastShapes } from '../../core/shape';
import { add, div, greater, maximum, minimum, mul, sub } from '../prims/binary';
import { neg, rsqrt, sqrt } from '../prims/unary';
import { sum } from '../prims/reduce';
import { where } from '../prims/select';
import { cast } from '../prims/cast';
import { onesLike, scalar } from '../create';

/** A float32 or float64 tensor from `x` (a plain value gets `dtype`), else a DTypeError naming the argument. */
export function floatArg(op: string, name: string, x: TensorLike, dtype?: DType): Tensor {
  const t = toTensor(op, x, dtype);
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: ${name} must be a float32 or float64 tensor, got ${t.dtype}`);
  return t;
}

/** `t` in `dtype` (a recorded cast only when it changes). */
function castTo(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : cast(t, dtype);
}

/**
 * Batch normalisation with given statistics, TF's `tf.nn.batch_normalization`:
 * (x − mean)·scale / sqrt(variance + varianceEpsilon) + offset, every argument broadcasting against x.
 * Computed as TF does, inv = scale·rsqrt(variance + ε), then x·inv + (offset − mean·inv); every input is
 * differentiable. The statistics share one dtype (plain values take it) and are cast to x's at the end.
 * @example
 * tg.batchNorm([1, 3], 2, 4, 10, 2, 0); // [9, 11]  ((1 - 2)·2/2 + 10, (3 - 2)·2/2 + 10)
 */
export function batchNorm(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike | null,
  scale?: TensorLike | null,
  varianceEpsilon = 0.001,
): Tensor {
  const op = 'batchNorm';
  const eps = requireNumber(op, 'varianceEpsilon', varianceEpsilon);
  const t = floatArg(op, 'x', x);
  const given: [string, TensorLike][] = [
    ['mean', mean],
    ['variance', variance],
  ];
  if (offset !== undefined && offset !== null) given.push(['offset', offset]);
  if (scale !== undefined && scale !== null) given.push(['scale', scale]);
  // plain statistics take the dtype of the first tensor among them, else x's (TF casts the result to x's)
  let hint: DType = t.dtype;
  for (const [, v] of given) {
    if (isTensorish(v)) {
      hint = v.dtype;
      break;
    }
  }
  const params = new Map(given.map(([name, v]) => [name, floatArg(op, name, v, hint)] as const));
  const dtypes = [...params.values()].map((p) => p.dtype);
  if (dtypes.some((d) => d !== dtypes[0])) {
    throw new DTypeError(`${op}: mean, variance, offset and scale must have one dtype, got ${dtypes.join(', ')}`);
  }
  let shape: Shape = t.shape;
  for (const p of params.values()) shape = broadcastShapes(op, shape, p.shape);
  const m = params.get('mean')!;
  const s = params.get('scale');
  const o = params.get('offset');
  let inv = rsqrt(add(params.get('variance')!, eps));
  if (s !== undefined) inv = mul(inv, s);
  const shift = o !== undefined ? sub(o, mul(m, inv)) : neg(mul(m, inv));
  return add(mul(t, castTo(inv, t.dtype)), castTo(shift, t.dtype));
}

/**
 * x / sqrt(max(sum(x²), epsilon)) along `axis` (all axes when omitted), TF's `tf.math.l2_normalize`.
 * @example
 * tg.l2Normalize([3, 4]); // [0.6, 0.8]
 */
export function l2Normalize(x: TensorLike, axis?: number | readonly number[] | null, epsilon = 1e-12): Tensor {
  const op = 'l2Normalize';
  const t = floatArg(op, 'x', x);
  const axes = requireAxes(op, axis, t.rank);
  const eps = requireNumber(op, 'epsilon', epsilon);
  return mul(t, rsqrt(maximum(sum(mul(t, t), axes, true), eps)));
}

/**
 * x scaled so that its L2 norm along `axes` (all axes when omitted) is at most `clipNorm`:
 * x·clipNorm / max(‖x‖, clipNorm), TF's `tf.clip_by_norm` (a negative clipNorm counts as 0). The norm is
 * sqrt taken only where the sum of squares is positive, so the gradient at x = 0 is finite, as TF's.
 * @example
 * tg.clipByNorm([3, 4], 1); // [0.6, 0.8]
 */
export function clipByNorm(x: TensorLike, clipNorm: number | Tensor, axes?: number | readonly number[] | null): Tensor {
  const op = 'clipByNorm';
  const t = floatArg(op, 'x', x);
  const ax = requireAxes(op, axes, t.rank);
  const c = requireScalar(op, 'clipNorm', clipNorm, false);
  const clip: Tensor | number =
    c.tensor === undefined ? (c.value < 0 ? 0 : c.value) : castTo(maximum(c.tensor, 0), t.dtype);
  const l2sum = sum(mul(t, t), ax, true);
  const positive = greater(l2sum, 0);
  const l2norm = where(positive, sqrt(where(positive, l2sum, onesLike(l2sum))), l2sum);
  return div(mul(t, clip), maximum(l2norm, clip));
}

/**
 * Scales every tensor of `xs` by clipNorm / max(globalNorm, clipNorm), globalNorm = sqrt(Σ‖x‖²) over them all;
 * returns the clipped list (nulls passed through) and globalNorm, as TF's `tf.clip_by_global_norm` (an
 * infinite or NaN norm makes every value NaN). The tensors share one float dtype.
 * @example
 * tg.clipByGlobalNorm([[3], [4]], 1)[1]; // Tensor(5, shape=[], dtype=float32)
 */
export function clipByGlobalNorm(
  xs: readonly (TensorLike | null | undefined)[],
  clipNorm: number | Tensor,
): [(Tensor | null)[], Tensor] {
  const op = 'clipByGlobalNorm';
  if (!Array.isArray(xs))
    throw new ArgumentError(`${op}: xs must be an array of tensors or nulls, got ${describe(xs)}`);
  const list = (xs as readonly (TensorLike | null | undefined)[]).map((v, i) =>
    v === null || v === undefined ? null : floatArg(op, `xs[${i}]`, v),
  );
  const present = list.filter((v): v is Tensor => v !== null);
  const dtype = present.length === 0 ? 'float32' : present[0].dtype;
  for (const v of present) {
    if (v.dtype !== dtype) throw new DTypeError(`${op}: the tensors must have one dtype, got ${dtype} and ${v.dtype}`);
  }
  const c = requireScalar(op, 'clipNorm', clipNorm, false);
  if (c.tensor !== undefined && c.tensor.dtype !== dtype) {
    throw new DTypeError(`${op}: clipNorm must be a ${dtype} tensor like xs, got ${c.tensor.dtype}`);
  }
  if (present.length === 0) return [list, scalar(0, dtype)];
  // TF's global_norm: sqrt(2·Σ l2_loss(x)), l2_loss(x) = Σ(x²·½)
  let half: Tensor | null = null;
  for (const v of present) {
    const h = sum(mul(mul(v, v), 0.5));
    half = half === null ? h : add(half, h);
  }
  const norm = sqrt(mul(half!, 2));
  const clip = c.tensor ?? scalar(c.value, dtype);
  // clipNorm·min(1/norm, 1/clipNorm), plus (norm − norm): NaN when the norm is not finite
  const scaleFactor = add(mul(clip, minimum(div(1, norm), div(1, clip))), sub(norm, norm));
  return [list.map((v) => (v === null ? null : mul(v, scaleFactor))), norm];
}
