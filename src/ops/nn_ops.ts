// The `nn` namespace of the public API: TF's tf.nn cross-entropies on logits, per example.
export {
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from './composite/crossentropy';
