// Pooling layers as Keras 3's MaxPooling2D, AveragePooling2D (pool size 2, strides = pool size, 'valid')
// and GlobalAveragePooling2D / GlobalMaxPooling2D (over height and width), channels last.
import { requireBoolean } from '../core/args';
import type { Tensor } from '../core/tensor';
import { max } from '../ops/prims/reduce';
import { mean } from '../ops/composite/reduce';
import { avgPool, maxPool } from '../ops/prims/pool';
import type { InputSpec, LayerOptions } from './layer';
import { Layer, layerConfig, requireChannelsLast, requirePadding, requireTuple } from './layer';

/** The options of `maxPooling2d` and `averagePooling2d` (TF.js's names). */
export interface Pooling2DConfig extends LayerOptions {
  /** The window: an integer or [height, width]. Default 2. */
  poolSize?: number | readonly number[];
  /** Default the pool size. */
  strides?: number | readonly number[] | null;
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /** Only 'channelsLast'. */
  dataFormat?: 'channelsLast';
}

/**
 * A 2-D pooling layer: see `maxPooling2d` and `averagePooling2d`.
 * @example
 * tg.layers.maxPooling2d().poolSize; // [2, 2]
 */
export class Pooling2D extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  private readonly kind: 'max' | 'average';

  /** Use the factories. */
  constructor(kind: 'max' | 'average', config?: Pooling2DConfig) {
    const op = kind === 'max' ? 'layers.maxPooling2d' : 'layers.averagePooling2d';
    const { config: c, layer } = layerConfig<Pooling2DConfig>(op, config, [
      'poolSize',
      'strides',
      'padding',
      'dataFormat',
    ]);
    super(kind === 'max' ? 'MaxPooling2D' : 'AveragePooling2D', layer);
    this.kind = kind;
    this.poolSize = requireTuple(op, 'poolSize', c.poolSize ?? 2, 2);
    this.strides =
      c.strides === undefined || c.strides === null ? this.poolSize : requireTuple(op, 'strides', c.strides, 2);
    this.padding = requirePadding(op, c.padding, false);
    requireChannelsLast(op, c.dataFormat);
    this.buildFromInputShape();
  }

  protected override inputSpec(): InputSpec {
    return { ndim: 4, form: '[batch, height, width, channels]' };
  }

  protected override castInputs(): 'floats' | 'all' {
    return this.kind === 'average' ? 'all' : 'floats';
  }

  protected override call(x: Tensor): Tensor {
    return this.kind === 'max'
      ? maxPool(x, this.poolSize, this.strides, this.padding)
      : avgPool(x, this.poolSize, this.strides, this.padding);
  }
}

/**
 * Max pooling, Keras's `MaxPooling2D`: the largest value of each `poolSize` window (default 2×2, moved by
 * `strides`, default the pool size), 'valid' or 'same' padding.
 * @example
 * tg.layers.maxPooling2d().apply(tg.reshape([1, 5, 3, 2], [1, 2, 2, 1])).reshape([1]); // [5]
 */
export function maxPooling2d(config?: Pooling2DConfig): Pooling2D {
  return new Pooling2D('max', config);
}

/**
 * Average pooling, Keras's `AveragePooling2D`: the mean of each `poolSize` window (default 2×2, moved by
 * `strides`, default the pool size); with 'same' padding a window's mean is over its cells inside the input.
 * @example
 * tg.layers.averagePooling2d().apply(tg.reshape([1, 5, 3, 2], [1, 2, 2, 1])).reshape([1]); // [2.75]
 */
export function averagePooling2d(config?: Pooling2DConfig): Pooling2D {
  return new Pooling2D('average', config);
}

/** The options of `globalAveragePooling2d` and `globalMaxPooling2d`. */
export interface GlobalPooling2DConfig extends LayerOptions {
  /** Keep the height and width axes (as size 1). Default false. */
  keepDims?: boolean;
  /** Only 'channelsLast'. */
  dataFormat?: 'channelsLast';
}

/**
 * A global pooling layer: see `globalAveragePooling2d` and `globalMaxPooling2d`.
 * @example
 * tg.layers.globalMaxPooling2d().keepDims; // false
 */
export class GlobalPooling2D extends Layer {
  readonly keepDims: boolean;
  private readonly kind: 'max' | 'average';

  /** Use the factories. */
  constructor(kind: 'max' | 'average', config?: GlobalPooling2DConfig) {
    const op = kind === 'max' ? 'layers.globalMaxPooling2d' : 'layers.globalAveragePooling2d';
    const { config: c, layer } = layerConfig<GlobalPooling2DConfig>(op, config, ['keepDims', 'dataFormat']);
    super(kind === 'max' ? 'GlobalMaxPooling2D' : 'GlobalAveragePooling2D', layer);
    this.kind = kind;
    this.keepDims = c.keepDims === undefined ? false : requireBoolean(op, 'keepDims', c.keepDims);
    requireChannelsLast(op, c.dataFormat);
    this.buildFromInputShape();
  }

  protected override inputSpec(): InputSpec {
    return { ndim: 4, form: '[batch, height, width, channels]' };
  }

  protected override castInputs(): 'floats' | 'all' {
    // Keras's mean gives floats for integer inputs; max keeps the dtype
    return this.kind === 'average' ? 'all' : 'floats';
  }

  protected override call(x: Tensor): Tensor {
    return this.kind === 'max' ? max(x, [1, 2], this.keepDims) : mean(x, [1, 2], this.keepDims);
  }
}

/**
 * The mean over height and width of each channel, Keras's `GlobalAveragePooling2D`: `[b, h, w, c]` → `[b, c]`.
 * @example
 * tg.layers.globalAveragePooling2d().apply(tg.reshape([1, 2, 3, 4], [1, 2, 2, 1])); // [[2.5]]
 */
export function globalAveragePooling2d(config?: GlobalPooling2DConfig): GlobalPooling2D {
  return new GlobalPooling2D('average', config);
}

/**
 * The maximum over height and width of each channel, Keras's `GlobalMaxPooling2D`: `[b, h, w, c]` → `[b, c]`.
 * @example
 * tg.layers.globalMaxPooling2d().apply(tg.reshape([1, 2, 3, 4], [1, 2, 2, 1])); // [[4]]
 */
export function globalMaxPooling2d(config?: GlobalPooling2DConfig): GlobalPooling2D {
  return new GlobalPooling2D('max', config);
}
