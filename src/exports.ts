// Everything tapegrad exports, by name: re-exports only (index.ts adds the namespace as the default export).
import './core/dispose';
import './ops/methods';

export type { DType, TypedArray } from './core/dtype';
export { ShapeError, DTypeError, TapeError, ArgumentError } from './core/errors';
export { Tensor } from './core/tensor';
export type { NestedArray } from './core/tensor';
export { Variable } from './core/variable';
export type { VariableOptions } from './core/variable';
export type { TensorLike } from './core/as_tensor';
export type { PlainValue } from './core/convert';
export type { Shape } from './core/shape';
export type { OpMethods } from './ops/methods';

export type { RandomNormalOptions, RandomUniformOptions } from './ops/create';
export type { NormOrd } from './ops/composite/linalg';
export type { Padding } from './ops/prims/conv_geometry';
export type { MeshgridOptions } from './ops/composite/shape';
// every public op, from the one op list
export * from './ops/api';
export * as losses from './ops/losses';
export * as nn from './ops/nn_ops';
export * as linalg from './ops/linalg_ns';
export * as debugging from './debugging';
export { backendInfo } from './kernels/backend_info';
export type { BackendInfo } from './kernels/backend_info';
export * as metrics from './metrics';
export * as io from './io';
export { Checkpoint } from './io/checkpoint';
export type { Checkpointable, RestoreOptions, RestoreResult } from './io/checkpoint';
export * as data from './data';
export { Module } from './layers/module';
export * as layers from './layers/index';
export { sequential, Sequential } from './layers/sequential';
export type { SequentialConfig, SequentialLayer } from './layers/sequential';
export * as initializers from './layers/initializers';
export type { InitializerIdentifier } from './layers/initializer_lookup';
export type { TruncatedNormalOptions, RandomShuffleOptions } from './ops/random';

export { GradientTape } from './autodiff/gradient_tape';
export type {
  GradientTapeOptions,
  GradientOptions,
  OutputGradients,
  UnconnectedGradients,
  Watchable,
} from './autodiff/gradient_tape';
export type { Source, Sources, GradientsOf, Gradients } from './autodiff/structure';
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
export type { Fn, FnArgs, FnGrads } from './autodiff/functional';
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
export { Adamax } from './optimizers/adamax';
export type { AdamaxOptions } from './optimizers/adamax';
export { Nadam } from './optimizers/nadam';
export type { NadamOptions } from './optimizers/nadam';
export { Adadelta } from './optimizers/adadelta';
export type { AdadeltaOptions } from './optimizers/adadelta';
export { Ftrl } from './optimizers/ftrl';
export type { FtrlOptions } from './optimizers/ftrl';
export { Lion } from './optimizers/lion';
export type { LionOptions } from './optimizers/lion';
export { Lamb } from './optimizers/lamb';
export type { LambOptions } from './optimizers/lamb';
export { Adafactor } from './optimizers/adafactor';
export type { AdafactorOptions } from './optimizers/adafactor';
export {
  exponentialDecay,
  piecewiseConstantDecay,
  cosineDecay,
  cosineDecayRestarts,
  polynomialDecay,
  inverseTimeDecay,
} from './optimizers/schedules';
export type { LearningRateSchedule } from './optimizers/schedules';
export { lbfgsMinimize } from './optimizers/lbfgs';
export type { LbfgsObjective, LbfgsOptions, LbfgsResult } from './optimizers/lbfgs';
