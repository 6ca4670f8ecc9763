// The `losses` namespace of the public API: Keras 3's losses, each with its Keras options and reduction.
export {
  meanSquaredError,
  meanAbsoluteError,
  huber,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './composite/losses';
export type {
  CrossentropyOptions,
  LossOptions,
  Reduction,
  SparseCategoricalCrossentropyOptions,
} from './composite/losses';
export {
  hinge,
  squaredHinge,
  categoricalHinge,
  klDivergence,
  poisson,
  logCosh,
  cosineSimilarity,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  binaryFocalCrossentropy,
  categoricalFocalCrossentropy,
} from './composite/losses_more';
export type {
  BinaryFocalCrossentropyOptions,
  CategoricalFocalCrossentropyOptions,
  CosineSimilarityOptions,
} from './composite/losses_more';
