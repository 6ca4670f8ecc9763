// The `tg.data` namespace: TF's tf.data input pipelines (fromTensorSlices and Dataset).
export { Dataset, fromTensorSlices } from './dataset';
export type { Element, ShuffleOptions, BatchOptions } from './dataset';
