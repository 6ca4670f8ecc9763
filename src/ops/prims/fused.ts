// Internal fused primitives (not public ops): the backward passes of tanh, relu, leakyRelu, sqrt,
// rsqrt and reciprocal (TF's TanhGrad, ReluGrad, LeakyReluGrad, SqrtGrad, RsqrtGrad, ReciprocalGrad)
// and the optimizers' step, each one pass over memory, with TF's values and TF's own derivatives.
import { allocate } from '../../core/dtype';
import { Tensor } from '../../core/tensor';
import { addScaledKernel, mulAddKernel, negMulKernel, reluGradKernel, tanhGradKernel } from '../../kernels/binary';
import type { NumArray } from '../../kernels/offsets';
import { leakyReluGradKernel, reciprocalGradKernel, rsqrtGradKernel, sqrtGradKernel } from '../../kernels/unary_extra';
import type { Primitive } from '../primitive';
import { definePrimitive } from '../primitive';
import { requireFloat, requireSameShapeAndDType } from '../operands';
import { zerosLike } from '../create';
import { add, div, greater, mul, sub } from './binary';
import { where } from './select';
import { broadcastTo } from './shape';
import { neg } from './unary';
import { fit, lift, sumTerms, zeroTangent } from './tangents';
import type { Shape } from '../../core/shape';
import { sameShape } from '../../core/shape';

/** True when g has the primal's own shape (no batch axes), so the fused kernels apply. */
const unbatched = (g: Tensor, x: Tensor): boolean => g.rank === x.rank;

/**
 * tanh's backward from its output y, dy·(1 - y²), in one pass (TF's TanhGrad), bit for bit
 * mul(dy, sub(1, square(y))). Its own derivatives, as TF's TanhGradGrad: d/dy = -2·y·dy, d/d(dy) = 1 - y².
 */
const tanhGradP: Primitive<null> = definePrimitive<null>({
  name: 'tanhGrad',
  forward: ([y, dy]) => {
    requireFloat('tanhGrad', y);
    requireSameShapeAndDType('tanhGrad', y, dy);
    const out = allocate(y.dtype, y.size);
    tanhGradKernel(y.values, dy.values, out);
    return new Tensor(out, y.shape, y.dtype);
  },
  vjp: (g, [y, dy], _out, _attrs, needs) => [
    needs[0] ? mul(mul(g, -2), mul(dy, y)) : null,
    needs[1] ? tanhGrad(y, g) : null,
  ],
  // d out = -2·y·dy·t_y + (1 - y²)·t_dy
  jvp: ([ty, tdy], [y, dy], out, _attrs, batch) =>
    sumTerms([ty && mul(ty, mul(mul(dy, y), -2)), tdy && tanhScale(tdy, y)], batch, out),
});

/** dy·(1 - y²) for same-shape float y and dy. */
export function tanhGrad(y: Tensor, dy: Tensor): Tensor {
  return tanhGradP.run([y, dy], null);
}

/** g·(1 - y²): tanhGrad where g has y's shape, the plain product where g carries batch axes. */
export function tanhScale(g: Tensor, y: Tensor): Tensor {
  return unbatched(g, y) ? tanhGrad(y, g) : mul(g, sub(1, mul(y, y)));
}

/**
 * relu's backward, dy · (x > 0), in one pass (TF's ReluGrad). Its own derivatives, as TF's
 * ReluGradGrad: linear in dy (reluGrad again), zeros for x (the step has zero slope almost everywhere).
 */
const reluGradP: Primitive<null> = definePrimitive<null>({
  name: 'reluGrad',
  forward: ([dy, x]) => {
    requireSameShapeAndDType('reluGrad', dy, x);
    const out = allocate(dy.dtype, dy.size);
    reluGradKernel(dy.values, x.values, out);
    return new Tensor(out, dy.shape, dy.dtype);
  },
  // NOTE: x gets zeros, not null, as TF's _ReluGradGrad: the second derivative of relu is zeros
  vjp: (ddy, [, x], _y, _attrs, needs) => [needs[0] ? reluGrad(ddy, x) : null, needs[1] ? zerosLike(x) : null],
  // d out = (x > 0)·t_dy; x's tangent contributes 0
  jvp: ([tdy], [, x], out, _attrs, batch) =>
    tdy === null ? zeroTangent(out, batch) : fit(reluScale(tdy, x), batch, out.shape),
});

/** dy · (x > 0) for same-shape dy and x. */
export function reluGrad(dy: Tensor, x: Tensor): Tensor {
  return reluGradP.run([dy, x], null);
}

/** g·(x > 0): reluGrad where g has x's shape, a select where g carries batch axes. */
export function reluScale(g: Tensor, x: Tensor): Tensor {
  return unbatched(g, x) ? reluGrad(g, x) : where(greater(x, 0), g, 0);
}

/**
 * leakyRelu's backward, x > 0 ? dy : dy·alpha, in one pass (TF's LeakyReluGrad; alpha is already
 * rounded to float32). Its own derivatives, as TF's _LeakyReluGradGrad: linear in dy
 * (leakyReluGrad again), zeros for x.
 */
const leakyReluGradP: Primitive<{ alpha: number }> = definePrimitive<{ alpha: number }>({
  name: 'leakyReluGrad',
  forward: ([dy, x], { alpha }) => {
    requireFloat('leakyReluGrad', dy);
    requireSameShapeAndDType('leakyReluGrad', dy, x);
    const out = allocate(dy.dtype, dy.size);
    leakyReluGradKernel(dy.values, x.values, alpha, out);
    return new Tensor(out, dy.shape, dy.dtype);
  },
  vjp: (g, [, x], _y, { alpha }, needs) => [
    needs[0] ? leakyReluGrad(g, x, alpha) : null,
    needs[1] ? zerosLike(x) : null,
  ],
  // d out = (x > 0 ? 1 : alpha)·t_dy; x's tangent contributes 0
  jvp: ([tdy], [, x], out, { alpha }, batch) =>
    tdy === null ? zeroTangent(out, batch) : fit(leakyReluScale(tdy, x, alpha), batch, out.shape),
});

/** x > 0 ? dy : dy·alpha for same-shape float dy and x (alpha as TF's float32 attribute). */
export function leakyReluGrad(dy: Tensor, x: Tensor, alpha: number): Tensor {
  return leakyReluGradP.run([dy, x], { alpha });
}

/** g·(x > 0 ? 1 : alpha) for g of x's shape or with leading batch axes (x broadcast to them). */
export function leakyReluScale(g: Tensor, x: Tensor, alpha: number): Tensor {
  return leakyReluGrad(g, unbatched(g, x) ? x : broadcastTo(x, g.shape), alpha);
}

/** A binary kernel over same-length arrays: out[i] = f(y[i], dy[i]). */
type GradKernel = (y: NumArray, dy: NumArray, out: NumArray) => void;

/** The forward of a fused backward pass from the op's output y and the upstream gradient dy. */
function gradForward(name: string, kernel: GradKernel): (inputs: readonly Tensor[]) => Tensor {
  return ([y, dy]) => {
    requireFloat(name, y);
    requireSameShapeAndDType(name, y, dy);
    const out = allocate(y.dtype, y.size);
    kernel(y.values, dy.values, out);
    return new Tensor(out, y.shape, y.dtype);
  };
}

/** y broadcast to g's leading batch axes, so that a fused kernel sees two arrays of one shape. */
const alongside = (y: Tensor, g: Tensor): Tensor => (unbatched(g, y) ? y : broadcastTo(y, g.shape));

/**
 * sqrt's backward from its output y, dy == 0 ? 0 : 0.5·dy / y (TF's SqrtGrad): a zero upstream
 * gradient gives 0 even at y = 0, so `where(x > 0, sqrt(x), 0)` has gradient 0 at x = 0. Its own
 * derivatives are TF's _SqrtGradGrad, unguarded: with ga = g / y, d/dy = -ga·out, d/d(dy) = 0.5·ga.
 */
const sqrtGradP: Primitive<null> = definePrimitive<null>({
  name: 'sqrtGrad',
  forward: gradForward('sqrtGrad', sqrtGradKernel),
  vjp: (g, [y], out, _attrs, needs) => {
    const ga = div(g, y);
    return [needs[0] ? mul(neg(ga), out) : null, needs[1] ? mul(ga, 0.5) : null];
  },
  // NOTE: the transpose of that rule, as TF's forward mode takes it: d out = (0.5·t_dy - out·t_y) / y
  jvp: ([ty, tdy], [y], out, _attrs, batch) => {
    const sum = sumTerms([ty && neg(mul(ty, out)), tdy && mul(tdy, 0.5)], batch, out);
    return sum === null ? null : div(sum, y);
  },
});

/** dy == 0 ? 0 : 0.5·dy / y for same-shape float y and dy (TF's SqrtGrad). */
export function sqrtGrad(y: Tensor, dy: Tensor): Tensor {
  return sqrtGradP.run([y, dy], null);
}

/**
 * rsqrt's backward from its output y, dy == 0 ? 0 : -0.5·dy·y³ (TF's RsqrtGrad). Its own derivatives,
 * as TF's _RsqrtGradGrad: d/dy = -1.5·g·dy·y², d/d(dy) = rsqrtGrad(y, g) (guarded again).
 */
const rsqrtGradP: Primitive<null> = definePrimitive<null>({
  name: 'rsqrtGrad',
  forward: gradForward('rsqrtGrad', rsqrtGradKernel),
  vjp: (g, [y, dy], _out, _attrs, needs) => [
    needs[0] ? mul(mul(mul(g, -1.5), dy), mul(y, y)) : null,
    needs[1] ? rsqrtGrad(y, g) : null,
  ],
  // d out = -1.5·dy·y²·t_y + rsqrtGrad(y, t_dy): the transpose of the rule above, as TF's forward mode
  jvp: ([ty, tdy], [y, dy], out, _attrs, batch) =>
    sumTerms([ty && mul(mul(mul(ty, mul(y, y)), dy), -1.5), tdy && rsqrtScale(tdy, y)], batch, out),
});

/** dy == 0 ? 0 : -0.5·dy·y³ for same-shape float y and dy (TF's RsqrtGrad). */
export function rsqrtGrad(y: Tensor, dy: Tensor): Tensor {
  return rsqrtGradP.run([y, dy], null);
}

/** rsqrtGrad(y, g) for g of y's shape or with leading batch axes. */
export function rsqrtScale(g: Tensor, y: Tensor): Tensor {
  return rsqrtGrad(alongside(y, g), g);
}

/**
 * reciprocal's backward from its output y, dy == 0 ? 0 : -y²·dy (TF's ReciprocalGrad). Its own
 * derivatives, as TF's _ReciprocalGradGrad: d/dy = -2·g·dy·y, d/d(dy) = reciprocalGrad(y, g).
 */
const reciprocalGradP: Primitive<null> = definePrimitive<null>({
  name: 'reciprocalGrad',
  forward: gradForward('reciprocalGrad', reciprocalGradKernel),
  vjp: (g, [y, dy], _out, _attrs, needs) => [
    needs[0] ? mul(mul(mul(g, -2), dy), y) : null,
    needs[1] ? reciprocalGrad(y, g) : null,
  ],
  // d out = -2·dy·y·t_y + reciprocalGrad(y, t_dy): the transpose of the rule above, as TF's forward mode
  jvp: ([ty, tdy], [y, dy], out, _attrs, batch) =>
    sumTerms([ty && mul(mul(mul(ty, y), dy), -2), tdy && reciprocalScale(tdy, y)], batch, out),
});

/** dy == 0 ? 0 : -y²·dy for same-shape float y and dy (TF's ReciprocalGrad). */
export function reciprocalGrad(y: Tensor, dy: Tensor): Tensor {
  return reciprocalGradP.run([y, dy], null);
}

/** reciprocalGrad(y, g) for g of y's shape or with leading batch axes. */
export function reciprocalScale(g: Tensor, y: Tensor): Tensor {
  return reciprocalGrad(alongside(y, g), g);
}

/**
 * a + alpha·b for same-shape float tensors in one pass: the optimizers' step, bit for bit what
 * add(a, mul(b, alpha)) gives, with one output array instead of two.
 */
const addScaledP = definePrimitive<{ alpha: number }>({
  name: 'addScaled',
  forward: ([a, b], { alpha }) => {
    requireFloat('addScaled', a);
    requireSameShapeAndDType('addScaled', a, b);
    const out = allocate(a.dtype, a.size);
    addScaledKernel(a.values, b.values, alpha, out);
    return new Tensor(out, a.shape, a.dtype);
  },
  // d(a + alpha b) = da + alpha db
  vjp: (dy, _inputs, _y, { alpha }, needs) => [needs[0] ? dy : null, needs[1] ? mul(dy, alpha) : null],
  jvp: ([ta, tb], _inputs, out, { alpha }, batch) => sumTerms([ta, tb && mul(tb, alpha)], batch, out),
});

/** a + alpha·b for same-shape float tensors (see addScaledP). */
export function addScaled(a: Tensor, b: Tensor, alpha: number): Tensor {
  return addScaledP.run([a, b], { alpha });
}

/**
 * a·b + c·d for four float tensors of one shape and dtype in one pass, bit for bit what the three
 * ops give: the tangent of a product, da·b + a·db, without two intermediates (forward over reverse
 * spends most of its ops on such tangents). Linear in each factor: d(ab + cd) = da·b + a·db + dc·d + c·dd.
 */
const mulAddP: Primitive<null> = definePrimitive<null>({
  name: 'mulAdd',
  forward: ([a, b, c, d]) => {
    requireFloat('mulAdd', a);
    for (const t of [b, c, d]) requireSameShapeAndDType('mulAdd', a, t);
    const out = allocate(a.dtype, a.size);
    mulAddKernel(a.values, b.values, c.values, d.values, out);
    return new Tensor(out, a.shape, a.dtype);
  },
  vjp: (g, [a, b, c, d], _out, _attrs, needs) => [
    needs[0] ? mul(g, b) : null,
    needs[1] ? mul(g, a) : null,
    needs[2] ? mul(g, d) : null,
    needs[3] ? mul(g, c) : null,
  ],
  jvp: (ts, xs, out, _attrs, batch) => {
    const [a, b, c, d] = xs;
    return sumTerms([productTangent(a, ts[0], b, ts[1], batch), productTangent(c, ts[2], d, ts[3], batch)], batch, out);
  },
});

/** a·b + c·d for same-shape, same-dtype float tensors (see mulAddP). */
export function mulAdd(a: Tensor, b: Tensor, c: Tensor, d: Tensor): Tensor {
  return mulAddP.run([a, b, c, d], null);
}

/**
 * The tangent of a·b from the factors' tangents (either may be null): ta·b + a·tb, fused into one
 * mulAdd where both exist and nothing broadcasts, `null` where neither exists.
 */
export function productTangent(
  a: Tensor,
  ta: Tensor | null,
  b: Tensor,
  tb: Tensor | null,
  batch: Shape,
): Tensor | null {
  const rank = Math.max(a.rank, b.rank);
  if (ta !== null && tb !== null && batch.length === 0 && sameShape(a.shape, b.shape)) return mulAdd(ta, b, a, tb);
  const viaA = ta && mul(lift(ta, batch, rank), b);
  const viaB = tb && mul(a, lift(tb, batch, rank));
  return viaA === null ? viaB : viaB === null ? viaA : add(lift(viaA, batch, rank), lift(viaB, batch, rank));
}

/**
 * -(a·b) for two float tensors of one shape and dtype in one pass, bit for bit neg(mul(a, b)): the
 * derivative rules whose factor is negative (cos's -sin(x)·g) take one op instead of two, which
 * forward over reverse pays for again in every tangent. d(-(ab)) = -(da·b + a·db).
 */
const negMulP: Primitive<null> = definePrimitive<null>({
  name: 'negMul',
  forward: ([a, b]) => {
    requireFloat('negMul', a);
    requireSameShapeAndDType('negMul', a, b);
    const out = allocate(a.dtype, a.size);
    negMulKernel(a.values, b.values, out);
    return new Tensor(out, a.shape, a.dtype);
  },
  vjp: (g, [a, b], _out, _attrs, needs) => [needs[0] ? negMul(g, b) : null, needs[1] ? negMul(g, a) : null],
  jvp: ([ta, tb], [a, b], out, _attrs, batch) => {
    const t = productTangent(a, ta, b, tb, batch);
    return t === null ? null : sumTerms([neg(t)], batch, out);
  },
});

/** -(a·b) for same-shape, same-dtype float tensors (see negMulP). */
export function negMul(a: Tensor, b: Tensor): Tensor {
  return negMulP.run([a, b], null);
}

/** -(g·f): negMul where g has f's shape, the two ops where g carries batch axes. */
export function negScale(g: Tensor, f: Tensor): Tensor {
  return g.rank === f.rank && sameShape(g.shape, f.shape) && g.dtype === f.dtype ? negMul(g, f) : neg(mul(g, f));
}
