// The public face of tapegrad: re-exports only.
import './core/dispose';
import './ops/methods';

export type { DType, TypedArray } from './core/dtype';
export { ShapeError, DTypeError, TapeError } from './core/errors';
export { Tensor } from './core/tensor';
export type { NestedArray } from './core/tensor';
export { Variable } from './core/variable';
export type { VariableOptions } from './core/variable';
export type { TensorLike } from './core/as_tensor';
export type { OpMethods } from './ops/methods';

export {
  tensor,
  constant,
  scalar,
  fill,
  zeros,
  ones,
  zerosLike,
  onesLike,
  eye,
  range,
  linspace,
  randomNormal,
  randomUniform,
} from './ops/create';
export type { RandomNormalOptions, RandomUniformOptions } from './ops/create';

export { cast, identity, stopGradient } from './ops/prims/cast';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  equal,
  notEqual,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalOr,
} from './ops/prims/binary';
export {
  neg,
  abs,
  sign,
  exp,
  expm1,
  log,
  log1p,
  sqrt,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  tanh,
  sigmoid,
  softplus,
  relu,
  erf,
  floor,
  ceil,
  round,
  logicalNot,
  isNaN,
  isFinite,
} from './ops/prims/unary';
export { where } from './ops/prims/select';
export { sum, max, min, prod, argMax, argMin } from './ops/prims/reduce';
export { matmul } from './ops/prims/matmul';
export { reshape, transpose, broadcastTo, concat, pad, gather, reverse, oneHot } from './ops/prims/shape';
export {
  square,
  reciprocal,
  rsqrt,
  squaredDifference,
  clipByValue,
  relu6,
  elu,
  selu,
  leakyRelu,
  gelu,
} from './ops/composite/arith';
export { mean, logSumExp } from './ops/composite/reduce';
export { dot, outerProduct, norm } from './ops/composite/linalg';
export type { NormOrd } from './ops/composite/linalg';
export { expandDims, squeeze, flatten, tile, stack, unstack, split, slice, stridedSlice } from './ops/composite/shape';
export { softmax, logSoftmax } from './ops/composite/nn';
export * as losses from './ops/losses';

export { GradientTape } from './autodiff/gradient_tape';
export type { GradientTapeOptions, GradientOptions, UnconnectedGradients, Watchable } from './autodiff/gradient_tape';
export type { Source, Sources, GradientsOf } from './autodiff/structure';
export { customGradient } from './autodiff/custom';
export type { CustomGradientResult } from './autodiff/custom';
export { numericGradient, checkGradients } from './autodiff/check';
export type {
  TensorFunction,
  NumericGradientOptions,
  CheckGradientsOptions,
  GradientCheckResult,
  GradientCheckDetail,
} from './autodiff/check';
export { ForwardAccumulator } from './autodiff/forward';
export { grad, valueAndGrad, vjp, jvp, jacobian, hessian, hvp } from './autodiff/functional';
export type { Fn } from './autodiff/functional';
export { Optimizer } from './optimizers/optimizer';
export type { OptimizerOptions, GradientPair, Slots } from './optimizers/optimizer';
export { SGD } from './optimizers/sgd';
export type { SGDOptions } from './optimizers/sgd';
export { Adam, AdamW } from './optimizers/adam';
export type { AdamOptions } from './optimizers/adam';
export { RMSprop } from './optimizers/rmsprop';
export type { RMSpropOptions } from './optimizers/rmsprop';
export { Adagrad } from './optimizers/adagrad';
export type { AdagradOptions } from './optimizers/adagrad';
export {
  exponentialDecay,
  piecewiseConstantDecay,
  cosineDecay,
  polynomialDecay,
  inverseTimeDecay,
} from './optimizers/schedules';
export type { LearningRateSchedule } from './optimizers/schedules';
