// Attaches every op as a chainable method of Tensor and Variable, in one place: `x.mul(x).add(2)`.
import type { TensorLike } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import * as binary from './prims/binary';
import * as unary from './prims/unary';
import * as reduce from './prims/reduce';
import * as shape from './prims/shape';
import { cast, identity, stopGradient } from './prims/cast';
import { where } from './prims/select';
import { matmul } from './prims/matmul';
import * as arith from './composite/arith';
import * as compositeReduce from './composite/reduce';
import * as compositeShape from './composite/shape';
import * as linalg from './composite/linalg';
import * as nn from './composite/nn';

/** Ops whose first argument is the tensor the method is called on. */
const methodOps = {
  add: binary.add,
  sub: binary.sub,
  mul: binary.mul,
  div: binary.div,
  pow: binary.pow,
  maximum: binary.maximum,
  minimum: binary.minimum,
  squaredDifference: arith.squaredDifference,
  equal: binary.equal,
  notEqual: binary.notEqual,
  greater: binary.greater,
  greaterEqual: binary.greaterEqual,
  less: binary.less,
  lessEqual: binary.lessEqual,
  logicalAnd: binary.logicalAnd,
  logicalOr: binary.logicalOr,
  neg: unary.neg,
  abs: unary.abs,
  sign: unary.sign,
  exp: unary.exp,
  expm1: unary.expm1,
  log: unary.log,
  log1p: unary.log1p,
  sqrt: unary.sqrt,
  rsqrt: arith.rsqrt,
  square: arith.square,
  reciprocal: arith.reciprocal,
  sin: unary.sin,
  cos: unary.cos,
  tan: unary.tan,
  asin: unary.asin,
  acos: unary.acos,
  atan: unary.atan,
  sinh: unary.sinh,
  cosh: unary.cosh,
  tanh: unary.tanh,
  sigmoid: unary.sigmoid,
  softplus: unary.softplus,
  relu: unary.relu,
  relu6: arith.relu6,
  elu: arith.elu,
  selu: arith.selu,
  leakyRelu: arith.leakyRelu,
  gelu: arith.gelu,
  erf: unary.erf,
  floor: unary.floor,
  ceil: unary.ceil,
  round: unary.round,
  logicalNot: unary.logicalNot,
  isNaN: unary.isNaN,
  isFinite: unary.isFinite,
  clipByValue: arith.clipByValue,
  where,
  sum: reduce.sum,
  mean: compositeReduce.mean,
  max: reduce.max,
  min: reduce.min,
  prod: reduce.prod,
  logSumExp: compositeReduce.logSumExp,
  argMax: reduce.argMax,
  argMin: reduce.argMin,
  matmul,
  dot: linalg.dot,
  outerProduct: linalg.outerProduct,
  transpose: shape.transpose,
  norm: linalg.norm,
  reshape: shape.reshape,
  expandDims: compositeShape.expandDims,
  squeeze: compositeShape.squeeze,
  broadcastTo: shape.broadcastTo,
  tile: compositeShape.tile,
  unstack: compositeShape.unstack,
  split: compositeShape.split,
  slice: compositeShape.slice,
  stridedSlice: compositeShape.stridedSlice,
  gather: shape.gather,
  pad: shape.pad,
  reverse: shape.reverse,
  flatten: compositeShape.flatten,
  oneHot: shape.oneHot,
  cast,
  softmax: nn.softmax,
  logSoftmax: nn.logSoftmax,
  stopGradient,
  identity,
};

/** A function's parameters after the first. */
type Rest<F> = F extends (first: never, ...rest: infer R) => unknown ? R : never;

/** The methods every Tensor and Variable has: each op with the receiver as its first argument. */
export type OpMethods = {
  [K in keyof typeof methodOps]: (...args: Rest<(typeof methodOps)[K]>) => ReturnType<(typeof methodOps)[K]>;
} & {
  /** `x.concat(y, axis)` is `concat([x, y], axis)`; y may also be an array of tensors. */
  concat(others: TensorLike | readonly TensorLike[], axis?: number): Tensor;
  /** `x.stack(y, axis)` is `stack([x, y], axis)`; y may also be an array of tensors. */
  stack(others: TensorLike | readonly TensorLike[], axis?: number): Tensor;
};

// declaration merging: the classes gain the method types here, where the methods are attached
/* eslint-disable @typescript-eslint/no-empty-object-type -- declaration merging adds the methods to the classes */
declare module '../core/tensor' {
  interface Tensor extends OpMethods {}
}
declare module '../core/variable' {
  interface Variable extends OpMethods {}
}
/* eslint-enable @typescript-eslint/no-empty-object-type */

type AnyOp = (self: Tensor | Variable, ...args: unknown[]) => unknown;

/** Attaches the methods; idempotent. */
function install(proto: object): void {
  for (const [name, op] of Object.entries(methodOps)) {
    const fn = op as unknown as AnyOp;
    Object.defineProperty(proto, name, {
      value: function (this: Tensor | Variable, ...args: unknown[]) {
        return fn(this, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
  const joined = (join: (xs: readonly TensorLike[], axis?: number) => Tensor) =>
    function (this: Tensor | Variable, others: TensorLike | readonly TensorLike[], axis?: number) {
      // an array of tensors is a list; any other value (a nested array too) is one tensor
      const list =
        Array.isArray(others) && others.length > 0 && others.every((o) => o instanceof Tensor || o instanceof Variable);
      const rest = list ? (others as readonly TensorLike[]) : [others as TensorLike];
      return join([this, ...rest], axis);
    };
  Object.defineProperty(proto, 'concat', { value: joined(shape.concat), writable: true, configurable: true });
  Object.defineProperty(proto, 'stack', { value: joined(compositeShape.stack), writable: true, configurable: true });
}

install(Tensor.prototype);
install(Variable.prototype);

/** The names of the chainable methods (for tests and docs). */
export const methodNames: readonly string[] = [...Object.keys(methodOps), 'concat', 'stack'];
