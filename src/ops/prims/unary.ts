// Elementwise unary primitives: one line of forward kernel and one rule each, with the rule's math
// beside it. The Jacobian of an elementwise op is diagonal, so one product f'(x)·g serves as the
// gradient (g = dy) and as the tangent (g = dx): `diagonal` makes both rules from it.
import { allocate } from '../../core/dtype';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import type { UnaryKernel, UnaryName } from '../../kernels/unary';
import { unaryKernels } from '../../kernels/unary';
import { leakyReluKernel, reciprocalKernel, rsqrtKernel } from '../../kernels/unary_extra';
import { digammaKernel, erfcKernel, lgammaKernel, polygammaKernel } from '../../kernels/special';
import type { Primitive, Rules } from '../primitive';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';
import { requireBool, requireFloat, requireNumeric } from '../operands';
import { add, div, mul, sub } from './binary';
import { zerosLike } from '../create';
import {
  leakyReluGrad,
  leakyReluScale,
  negScale,
  reciprocalGrad,
  reciprocalScale,
  reluScale,
  rsqrtGrad,
  rsqrtScale,
  sqrtGrad,
  tanhScale,
} from './fused';
import { diagonal } from './tangents';

/** x², for the rules (the public square is a composite, above the primitives). */
const sq = (x: Tensor): Tensor => mul(x, x);

/** What an op accepts: floats only, any number, or bool; and what it returns. */
type Domain = 'float' | 'numeric' | 'bool' | 'predicate';

/** A unary primitive; `kernel` defaults to the kernel of that name in kernels/unary.ts. */
function unaryPrimitive(
  name: UnaryName | 'rsqrt' | 'reciprocal' | 'erfc' | 'lgamma' | 'digamma',
  domain: Domain,
  rules: Rules<null>,
  kernel: UnaryKernel = unaryKernels[name as UnaryName],
): (x: TensorLike) => Tensor {
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
    ...rules,
  });
  return (x: TensorLike) => prim.run([toTensor(name, x)], null);
}

const none = { vjp: NOT_DIFFERENTIABLE, jvp: NOT_DIFFERENTIABLE } as const;

/** -x, elementwise. @example tg.neg([1, -2]); // [-1, 2] */
// d(-x) = -dx
export const neg = unaryPrimitive(
  'neg',
  'numeric',
  diagonal((g) => neg(g)),
);
/** |x|. @example tg.abs([-2, 3]); // [2, 3] */
// NOTE: abs'(0) = 0, as TF: d|x| = sign(x) dx
export const abs = unaryPrimitive(
  'abs',
  'numeric',
  diagonal((g, x) => mul(g, sign(x))),
);
/** -1, 0 or 1 by the sign of x. @example tg.sign([-2, 0, 3]); // [-1, 0, 1] */
// NOTE: the gradient of sign is zeros (not null), and its tangent is none (null), both as TF
export const sign = unaryPrimitive('sign', 'numeric', {
  vjp: (_dy, [x]) => [zerosLike(x)],
  jvp: () => null,
});
/** e^x. @example tg.exp([0, 1]); // [1, 2.7182817] */
// d exp(x) = exp(x) dx
export const exp = unaryPrimitive(
  'exp',
  'float',
  diagonal((g, _x, y) => mul(g, y)),
);
/** e^x - 1, accurate near 0. @example tg.expm1([1e-10]); // [1e-10] */
// d expm1(x) = exp(x) dx
export const expm1 = unaryPrimitive(
  'expm1',
  'float',
  diagonal((g, x) => mul(g, exp(x))),
);
/** Natural logarithm. @example tg.log([1, Math.E]); // [0, 1] */
// d log(x) = dx / x
export const log = unaryPrimitive(
  'log',
  'float',
  diagonal((g, x) => div(g, x)),
);
/** log(1 + x), accurate near 0. @example tg.log1p([1e-10]); // [1e-10] */
// d log1p(x) = dx / (1 + x)
export const log1p = unaryPrimitive(
  'log1p',
  'float',
  diagonal((g, x) => div(g, add(x, 1))),
);
/** Square root. @example tg.sqrt([4, 9]); // [2, 3] */
// d sqrt(x) = dx / (2 sqrt(x)): the gradient is TF's SqrtGrad, 0 where dy is 0 (even at x = 0)
export const sqrt = unaryPrimitive('sqrt', 'float', {
  vjp: (dy, _x, y) => [sqrtGrad(y, dy)],
  // NOTE: the tangent is 0.5·(dx / y), unguarded, as TF's forward mode (the transpose of SqrtGrad
  // in dy, _SqrtGradGrad's 0.5·g/y): a zero tangent at x = 0 gives NaN there, as in TF
  jvp: ([t], _x, y) => mul(div(t!, y), 0.5),
});
/** 1 / sqrt(x), TF's Rsqrt (the public rsqrt is this primitive). */
// d rsqrt(x) = -dx / (2 x^1.5) = -0.5·y³·dx: TF's RsqrtGrad, 0 where dy (or the tangent) is 0
export const rsqrt = unaryPrimitive(
  'rsqrt',
  'float',
  {
    vjp: (dy, _x, y) => [rsqrtGrad(y, dy)],
    // NOTE: guarded as the gradient, as TF's forward mode (the transpose of RsqrtGrad in dy is RsqrtGrad)
    jvp: ([t], _x, y) => rsqrtScale(t!, y),
  },
  rsqrtKernel,
);
/** 1 / x, for float tensors (reciprocal in the op list also takes int32). */
// d (1/x) = -dx / x² = -y²·dx: TF's ReciprocalGrad, 0 where dy (or the tangent) is 0
export const reciprocalFloat = unaryPrimitive(
  'reciprocal',
  'float',
  {
    vjp: (dy, _x, y) => [reciprocalGrad(y, dy)],
    // NOTE: guarded as the gradient, as TF's forward mode (the transpose of ReciprocalGrad in dy is itself)
    jvp: ([t], _x, y) => reciprocalScale(t!, y),
  },
  reciprocalKernel,
);
/** Sine. @example tg.sin([0]); // [0] */
// d sin(x) = cos(x) dx
export const sin = unaryPrimitive(
  'sin',
  'float',
  diagonal((g, x) => mul(g, cos(x))),
);
/** Cosine. @example tg.cos([0]); // [1] */
// d cos(x) = -sin(x) dx
export const cos = unaryPrimitive(
  'cos',
  'float',
  diagonal((g, x) => negScale(g, sin(x))),
);
/** Tangent. @example tg.tan([0]); // [0] */
// d tan(x) = (1 + tan²(x)) dx
export const tan = unaryPrimitive(
  'tan',
  'float',
  diagonal((g, _x, y) => mul(g, add(sq(y), 1))),
);
/** Arcsine. @example tg.asin([1]); // [1.5707964] */
// d asin(x) = dx / sqrt(1 - x²)
export const asin = unaryPrimitive(
  'asin',
  'float',
  diagonal((g, x) => div(g, sqrt(sub(1, sq(x))))),
);
/** Arccosine. @example tg.acos([1]); // [0] */
// d acos(x) = -dx / sqrt(1 - x²)
export const acos = unaryPrimitive(
  'acos',
  'float',
  diagonal((g, x) => neg(div(g, sqrt(sub(1, sq(x)))))),
);
/** Arctangent. @example tg.atan([1]); // [0.7853982] */
// d atan(x) = dx / (1 + x²)
export const atan = unaryPrimitive(
  'atan',
  'float',
  diagonal((g, x) => div(g, add(sq(x), 1))),
);
/** Inverse hyperbolic sine, ln(x + √(x² + 1)). @example tg.asinh([0, 1]); // [0, 0.8813736] */
// d asinh(x) = dx / cosh(y), as TF (from the output y)
export const asinh = unaryPrimitive(
  'asinh',
  'float',
  diagonal((g, _x, y) => div(g, cosh(y))),
);
/** Inverse hyperbolic cosine, for x >= 1 (NaN below). @example tg.acosh([1, 2]); // [0, 1.3169578] */
// d acosh(x) = dx / sinh(y), as TF (from the output y): Infinity at x = 1
export const acosh = unaryPrimitive(
  'acosh',
  'float',
  diagonal((g, _x, y) => div(g, sinh(y))),
);
/** Inverse hyperbolic tangent, for |x| <= 1. @example tg.atanh([0, 0.5]); // [0, 0.5493061] */
// d atanh(x) = dx / (1 − x²), as TF
export const atanh = unaryPrimitive(
  'atanh',
  'float',
  diagonal((g, x) => div(g, sub(1, sq(x)))),
);
/** Hyperbolic sine. @example tg.sinh([0]); // [0] */
// d sinh(x) = cosh(x) dx
export const sinh = unaryPrimitive(
  'sinh',
  'float',
  diagonal((g, x) => mul(g, cosh(x))),
);
/** Hyperbolic cosine. @example tg.cosh([0]); // [1] */
// d cosh(x) = sinh(x) dx
export const cosh = unaryPrimitive(
  'cosh',
  'float',
  diagonal((g, x) => mul(g, sinh(x))),
);
/** Hyperbolic tangent. @example tg.tanh([0]); // [0] */
// d tanh(x) = (1 - tanh²(x)) dx, in one pass (TF's TanhGrad)
export const tanh = unaryPrimitive(
  'tanh',
  'float',
  diagonal((g, _x, y) => tanhScale(g, y)),
);
/** 1 / (1 + e^-x), finite for any input. @example tg.sigmoid([0]); // [0.5] */
// NOTE: a primitive (not 1/(1+exp(-x))) so that ±1000 stays finite; d sigmoid = y (1 - y) dx
export const sigmoid = unaryPrimitive(
  'sigmoid',
  'float',
  diagonal((g, _x, y) => mul(g, mul(y, sub(1, y)))),
);
/** log(1 + e^x), finite for any input. @example tg.softplus([0]); // [0.6931472] */
// NOTE: a primitive for stability at ±1000; d softplus(x) = sigmoid(x) dx
export const softplus = unaryPrimitive(
  'softplus',
  'float',
  diagonal((g, x) => mul(g, sigmoid(x))),
);
/** max(x, 0). @example tg.relu([-1, 2]); // [0, 2] */
// NOTE: relu'(0) = 0, as TF: d relu(x) = (x > 0) dx, in one pass (TF's ReluGrad)
export const relu = unaryPrimitive(
  'relu',
  'numeric',
  diagonal((g, x) => reluScale(g, x)),
);
/** x where x > 0, alpha·x elsewhere (alpha rounded to float32, as TF's float attribute). */
const leakyReluP: Primitive<{ alpha: number }> = definePrimitive<{ alpha: number }>({
  name: 'leakyRelu',
  forward: ([x], { alpha }) => {
    requireFloat('leakyRelu', x);
    const out = allocate(x.dtype, x.size);
    leakyReluKernel(x.values, alpha, out);
    return new Tensor(out, x.shape, x.dtype);
  },
  // NOTE: a primitive (not a select) so that, as TF's LeakyReluGrad, its gradient depends on x and
  // the second derivative is zeros, not null; leakyRelu'(0) = alpha: d = (x > 0 ? 1 : alpha) dx
  vjp: (dy, [x], _y, { alpha }) => [leakyReluGrad(dy, x, alpha)],
  jvp: ([t], [x], _y, { alpha }) => leakyReluScale(t!, x, alpha),
});

/** x where x > 0, alpha·x elsewhere, for a float tensor (the public leakyRelu checks its arguments first). */
export function leakyReluFloat(x: Tensor, alpha: number): Tensor {
  return leakyReluP.run([x], { alpha: Math.fround(alpha) });
}

/** The error function. @example tg.erf([0]); // [0] */
// d erf(x) = 2/√π · exp(-x²) dx
export const erf = unaryPrimitive(
  'erf',
  'float',
  diagonal((g, x) => mul(g, mul(exp(neg(sq(x))), 2 / Math.sqrt(Math.PI)))),
);
/**
 * The complementary error function 1 − erf(x), accurate where it is tiny (not computed as 1 − erf).
 * @example tg.erfc(tg.tensor([0, 5], [2], 'float64')); // [1, 1.5374597944280349e-12]
 */
// d erfc(x) = −2/√π · exp(−x²) dx, as TF
export const erfc = unaryPrimitive(
  'erfc',
  'float',
  diagonal((g, x) => mul(g, mul(exp(neg(sq(x))), -2 / Math.sqrt(Math.PI)))),
  erfcKernel,
);

/**
 * ψ⁽ⁿ⁾(x), the n-th derivative of digamma (n ≥ 1), as TF's Polygamma: internal, the derivatives of digamma.
 * Its own derivative is polygamma(n + 1, x), so lgamma and digamma differentiate to any order.
 */
// d ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x) dx, as TF (_PolygammaGrad)
const polygammaP: Primitive<{ n: number }> = definePrimitive<{ n: number }>({
  name: 'polygamma',
  forward: ([x], { n }) => {
    requireFloat('polygamma', x);
    const out = allocate(x.dtype, x.size);
    polygammaKernel(n, x.values, out);
    return new Tensor(out, x.shape, x.dtype);
  },
  ...diagonal<{ n: number }>((g, x, _y, { n }) => mul(g, polygamma(n + 1, x))),
});

/** ψ⁽ⁿ⁾(x) for a float tensor and an integer order n ≥ 1 (see polygammaP). */
export function polygamma(n: number, x: Tensor): Tensor {
  return polygammaP.run([x], { n });
}

/**
 * ln|Γ(x)|, the log of the absolute value of the gamma function (+Infinity at 0 and the negative integers).
 * @example tg.lgamma([0.5, 3]); // [0.5723649, 0.6931472]
 */
// d lgamma(x) = ψ(x) dx, as TF
export const lgamma = unaryPrimitive(
  'lgamma',
  'float',
  diagonal((g, x) => mul(g, digamma(x))),
  lgammaKernel,
);

/**
 * The digamma function ψ(x) = Γ'(x)/Γ(x) (NaN at 0 and the negative integers).
 * @example tg.digamma([1, 0.5]); // [-0.5772157, -1.9635100]
 */
// d ψ(x) = ψ⁽¹⁾(x) dx (the trigamma function), as TF
export const digamma = unaryPrimitive(
  'digamma',
  'float',
  diagonal((g, x) => mul(g, polygamma(1, x))),
  digammaKernel,
);

/** Largest integer not above x. @example tg.floor([1.5, -1.5]); // [1, -2] */
// NOTE: floor, ceil and round have no derivative, as TF (their gradient there is None)
export const floor = unaryPrimitive('floor', 'float', none);
/** Smallest integer not below x. @example tg.ceil([1.5]); // [2] */
export const ceil = unaryPrimitive('ceil', 'float', none);
/** Nearest integer, halves to even as TF. @example tg.round([0.5, 1.5, 2.5]); // [0, 2, 2] */
export const round = unaryPrimitive('round', 'float', none);
/** Boolean not. @example tg.logicalNot([true, false]); // [false, true] */
export const logicalNot = unaryPrimitive('logicalNot', 'bool', none);
/** True where x is NaN. @example tg.isNaN([NaN, 1]); // [true, false] */
export const isNaN = unaryPrimitive('isNaN', 'predicate', none);
/** True where x is +Infinity or -Infinity. @example tg.isInf([Infinity, -Infinity, NaN, 1]); // [true, true, false, false] */
export const isInf = unaryPrimitive('isInf', 'predicate', none);
/** True where x is neither infinite nor NaN. @example tg.isFinite([Infinity, 1]); // [false, true] */
export const isFinite = unaryPrimitive('isFinite', 'predicate', none);
