// Elementwise unary primitives: one line of forward kernel and one rule each, with the rule's math beside it.
import { allocate } from '../../core/dtype';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import type { UnaryName } from '../../kernels/unary';
import { unaryKernels } from '../../kernels/unary';
import { reluGradKernel, tanhGradKernel } from '../../kernels/binary';
import type { Primitive, VjpRule } from '../primitive';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';
import { requireBool, requireFloat, requireNumeric, requireSameShapeAndDType } from '../operands';
import { add, div, mul, sub } from './binary';
import { zerosLike } from '../create';

/** x², for the rules (the public square is a composite, above the primitives). */
const sq = (x: Tensor): Tensor => mul(x, x);

/** What an op accepts: floats only, any number, or bool; and what it returns. */
type Domain = 'float' | 'numeric' | 'bool' | 'predicate';

function unaryPrimitive(
  name: UnaryName,
  domain: Domain,
  vjp: VjpRule<null> | typeof NOT_DIFFERENTIABLE,
): (x: TensorLike) => Tensor {
  const kernel = unaryKernels[name];
  const prim: Primitive<null> = definePrimitive<null>({
    name,
    forward: ([x]) => {
      if (domain === 'float') requireFloat(name, x);
      else if (domain === 'numeric' || domain === 'predicate') requireNumeric(name, x);
      else requireBool(name, x);
      const dtype = domain === 'predicate' ? 'bool' : x.dtype;
      const out = allocate(dtype, x.size);
      kernel(x.values, out);
      return new Tensor(out, x.shape, dtype);
    },
    vjp,
  });
  return (x: TensorLike) => prim.run([toTensor(name, x)], null);
}

/** -x, elementwise. @example tg.neg([1, -2]); // [-1, 2] */
export const neg = unaryPrimitive('neg', 'numeric', (dy) => [neg(dy)]);
/** |x|. @example tg.abs([-2, 3]); // [2, 3] */
// NOTE: abs'(0) = 0, as TF (the gradient is dy * sign(x))
export const abs = unaryPrimitive('abs', 'numeric', (dy, [x]) => [mul(dy, sign(x))]);
/** -1, 0 or 1 by the sign of x. @example tg.sign([-2, 0, 3]); // [-1, 0, 1] */
// NOTE: the gradient of sign is zero everywhere, as TF (zeros, not null)
export const sign = unaryPrimitive('sign', 'numeric', (_dy, [x]) => [zerosLike(x)]);
/** e^x. @example tg.exp([0, 1]); // [1, 2.7182817] */
// d exp(x) = exp(x) dx
export const exp = unaryPrimitive('exp', 'float', (dy, _x, y) => [mul(dy, y)]);
/** e^x - 1, accurate near 0. @example tg.expm1([1e-10]); // [1e-10] */
// d expm1(x) = exp(x) dx
export const expm1 = unaryPrimitive('expm1', 'float', (dy, [x]) => [mul(dy, exp(x))]);
/** Natural logarithm. @example tg.log([1, Math.E]); // [0, 1] */
// d log(x) = dx / x
export const log = unaryPrimitive('log', 'float', (dy, [x]) => [div(dy, x)]);
/** log(1 + x), accurate near 0. @example tg.log1p([1e-10]); // [1e-10] */
// d log1p(x) = dx / (1 + x)
export const log1p = unaryPrimitive('log1p', 'float', (dy, [x]) => [div(dy, add(x, 1))]);
/** Square root. @example tg.sqrt([4, 9]); // [2, 3] */
// d sqrt(x) = dx / (2 sqrt(x))
export const sqrt = unaryPrimitive('sqrt', 'float', (dy, _x, y) => [div(dy, mul(y, 2))]);
/** Sine. @example tg.sin([0]); // [0] */
// d sin(x) = cos(x) dx
export const sin = unaryPrimitive('sin', 'float', (dy, [x]) => [mul(dy, cos(x))]);
/** Cosine. @example tg.cos([0]); // [1] */
// d cos(x) = -sin(x) dx
export const cos = unaryPrimitive('cos', 'float', (dy, [x]) => [neg(mul(dy, sin(x)))]);
/** Tangent. @example tg.tan([0]); // [0] */
// d tan(x) = (1 + tan²(x)) dx
export const tan = unaryPrimitive('tan', 'float', (dy, _x, y) => [mul(dy, add(sq(y), 1))]);
/** Arcsine. @example tg.asin([1]); // [1.5707964] */
// d asin(x) = dx / sqrt(1 - x²)
export const asin = unaryPrimitive('asin', 'float', (dy, [x]) => [div(dy, sqrt(sub(1, sq(x))))]);
/** Arccosine. @example tg.acos([1]); // [0] */
// d acos(x) = -dx / sqrt(1 - x²)
export const acos = unaryPrimitive('acos', 'float', (dy, [x]) => [neg(div(dy, sqrt(sub(1, sq(x)))))]);
/** Arctangent. @example tg.atan([1]); // [0.7853982] */
// d atan(x) = dx / (1 + x²)
export const atan = unaryPrimitive('atan', 'float', (dy, [x]) => [div(dy, add(sq(x), 1))]);
/** Hyperbolic sine. @example tg.sinh([0]); // [0] */
// d sinh(x) = cosh(x) dx
export const sinh = unaryPrimitive('sinh', 'float', (dy, [x]) => [mul(dy, cosh(x))]);
/** Hyperbolic cosine. @example tg.cosh([0]); // [1] */
// d cosh(x) = sinh(x) dx
export const cosh = unaryPrimitive('cosh', 'float', (dy, [x]) => [mul(dy, sinh(x))]);
/** Hyperbolic tangent. @example tg.tanh([0]); // [0] */
// d tanh(x) = (1 - tanh²(x)) dx
export const tanh = unaryPrimitive('tanh', 'float', (dy, _x, y) => [tanhGrad(y, dy)]);

/**
 * tanh's backward from its output y, dy·(1 - y²), in one pass (TF's TanhGrad), bit for bit
 * mul(dy, sub(1, sq(y))). Its own gradient, as TF's: d/dy = -2·y·dy·g, d/d(dy) = tanhGrad(y, g).
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
});
/** dy·(1 - y²) for same-shape float y and dy. */
export function tanhGrad(y: Tensor, dy: Tensor): Tensor {
  return tanhGradP.run([y, dy], null);
}
/** 1 / (1 + e^-x), finite for any input. @example tg.sigmoid([0]); // [0.5] */
// NOTE: a primitive (not 1/(1+exp(-x))) so that ±1000 stays finite; d sigmoid = y (1 - y) dx
export const sigmoid = unaryPrimitive('sigmoid', 'float', (dy, _x, y) => [mul(dy, mul(y, sub(1, y)))]);
/** log(1 + e^x), finite for any input. @example tg.softplus([0]); // [0.6931472] */
// NOTE: a primitive for stability at ±1000; d softplus(x) = sigmoid(x) dx
export const softplus = unaryPrimitive('softplus', 'float', (dy, [x]) => [mul(dy, sigmoid(x))]);
/** max(x, 0). @example tg.relu([-1, 2]); // [0, 2] */
// NOTE: relu'(0) = 0, as TF
export const relu = unaryPrimitive('relu', 'numeric', (dy, [x]) => [reluGrad(dy, x)]);

/**
 * relu's backward, dy · (x > 0), in one pass (TF's ReluGrad). Its own gradient, like TF's: reluGrad
 * of the upstream gradient for dy, nothing for x (the step has zero slope almost everywhere).
 */
const reluGradP: Primitive<null> = definePrimitive<null>({
  name: 'reluGrad',
  forward: ([dy, x]) => {
    requireSameShapeAndDType('reluGrad', dy, x);
    const out = allocate(dy.dtype, dy.size);
    reluGradKernel(dy.values, x.values, out);
    return new Tensor(out, dy.shape, dy.dtype);
  },
  vjp: (ddy, [, x], _y, _attrs, needs) => [needs[0] ? reluGrad(ddy, x) : null, null],
});
/** dy · (x > 0) for same-shape dy and x. */
export function reluGrad(dy: Tensor, x: Tensor): Tensor {
  return reluGradP.run([dy, x], null);
}
/** The error function. @example tg.erf([0]); // [0] */
// d erf(x) = 2/√π · exp(-x²) dx
export const erf = unaryPrimitive('erf', 'float', (dy, [x]) => [mul(dy, mul(exp(neg(sq(x))), 2 / Math.sqrt(Math.PI)))]);
/** Largest integer not above x. @example tg.floor([1.5, -1.5]); // [1, -2] */
// NOTE: floor, ceil and round have no gradient, as TF (their gradient there is None)
export const floor = unaryPrimitive('floor', 'float', NOT_DIFFERENTIABLE);
/** Smallest integer not below x. @example tg.ceil([1.5]); // [2] */
export const ceil = unaryPrimitive('ceil', 'float', NOT_DIFFERENTIABLE);
/** Nearest integer, halves to even as TF. @example tg.round([0.5, 1.5, 2.5]); // [0, 2, 2] */
export const round = unaryPrimitive('round', 'float', NOT_DIFFERENTIABLE);
/** Boolean not. @example tg.logicalNot([true, false]); // [false, true] */
export const logicalNot = unaryPrimitive('logicalNot', 'bool', NOT_DIFFERENTIABLE);
/** True where x is NaN. @example tg.isNaN([NaN, 1]); // [true, false] */
export const isNaN = unaryPrimitive('isNaN', 'predicate', NOT_DIFFERENTIABLE);
/** True where x is neither infinite nor NaN. @example tg.isFinite([Infinity, 1]); // [false, true] */
export const isFinite = unaryPrimitive('isFinite', 'predicate', NOT_DIFFERENTIABLE);
