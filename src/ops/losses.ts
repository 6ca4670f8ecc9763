// The `losses` namespace of the public API.
export {
  meanSquaredError,
  meanAbsoluteError,
  huber,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './composite/losses';
export type { CrossentropyOptions } from './composite/losses';
