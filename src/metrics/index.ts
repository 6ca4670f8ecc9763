// The `metrics` namespace of the public API: Keras 3's stateful metrics.
export { Metric } from './metric';
export type { SampleWeight } from './metric';
export { Mean, Sum } from './reduction';
export type { MetricOptions } from './reduction';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy';
export type { BinaryAccuracyOptions, TopKCategoricalAccuracyOptions } from './accuracy';
export { AUC } from './auc';
export type { AUCOptions } from './auc';
