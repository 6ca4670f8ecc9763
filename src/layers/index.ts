// The `tg.layers` namespace: the layer factories (TF.js's names and configs), their classes and option types.
export { Layer } from './layer';
export type { LayerOptions, ApplyOptions, InputSpec, PartialShape } from './layer';
export { dense, Dense } from './dense';
export type { DenseConfig } from './dense';
export { conv1d, conv2d, conv2dTranspose, depthwiseConv2d, Conv } from './conv';
export type { BaseConvConfig, ConvConfig, DepthwiseConv2DConfig } from './conv';
export { maxPooling2d, averagePooling2d, globalAveragePooling2d, globalMaxPooling2d } from './pooling';
export { Pooling2D, GlobalPooling2D } from './pooling';
export type { Pooling2DConfig, GlobalPooling2DConfig } from './pooling';
export { flatten, reshape, dropout, activation, embedding } from './core';
export { Flatten, Reshape, Dropout, Activation, Embedding } from './core';
export type { FlattenConfig, ReshapeConfig, DropoutConfig, ActivationConfig, EmbeddingConfig } from './core';
export { batchNormalization, layerNormalization, BatchNormalization, LayerNormalization } from './normalization';
export type { BatchNormalizationConfig, LayerNormalizationConfig } from './normalization';
export type { ActivationIdentifier, ActivationName } from './activations';
