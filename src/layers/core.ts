// The weightless and lookup layers as Keras 3's: Flatten, Reshape, Dropout (scaled by 1 / (1 − rate) in
// training, the identity at inference), Activation, and Embedding (a row of `embeddings` per int32 index).
import { ArgumentError, ShapeError, describe } from '../core/errors';
import { requireFiniteNumber } from '../core/args';
import { fmtShape } from '../core/shape';
import type { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';
import { cast } from '../ops/prims/cast';
import { gather, reshape as reshapeOp } from '../ops/prims/shape';
import { dropout as dropoutOp } from '../ops/composite/nn';
import type { ActivationIdentifier } from './activations';
import { getActivation } from './activations';
import type { Initializer } from './initializers';
import type { InitializerIdentifier } from './initializer_lookup';
import { getInitializer } from './initializer_lookup';
import type { InputSpec, LayerOptions } from './layer';
import { Layer, layerConfig, requirePositive } from './layer';

/** The options of `flatten`. */
export interface FlattenConfig extends LayerOptions {
  /** Only 'channelsLast'. */
  dataFormat?: 'channelsLast';
}

/**
 * Flattening: see `flatten`.
 * @example
 * tg.layers.flatten() instanceof tg.layers.Flatten; // true
 */
export class Flatten extends Layer {
  /** Use `tg.layers.flatten(config)`. */
  constructor(config?: FlattenConfig) {
    const { config: c, layer } = layerConfig<FlattenConfig>('layers.flatten', config, ['dataFormat']);
    if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast')
      throw new ArgumentError(`layers.flatten: dataFormat must be 'channelsLast', got ${describe(c.dataFormat)}`);
    super('Flatten', layer);
    this.buildFromInputShape();
  }

  protected override inputSpec(): InputSpec {
    return { minNdim: 1, form: '[batch, ...]' };
  }

  protected override call(x: Tensor): Tensor {
    const rest = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshapeOp(x, [x.shape[0], rest]);
  }
}

/**
 * Flattens every axis but the batch, Keras's `Flatten`: `[b, d1, d2, …]` → `[b, d1·d2·…]`.
 * @example
 * tg.layers.flatten().apply(tg.ones([2, 3, 4])).shape; // [2, 12]
 */
export function flatten(config?: FlattenConfig): Flatten {
  return new Flatten(config);
}

/** The options of `reshape`. */
export interface ReshapeConfig extends LayerOptions {
  /** The shape of one example (the batch axis is kept); one entry may be -1. */
  targetShape: readonly number[];
}

/**
 * Reshaping: see `reshape`.
 * @example
 * tg.layers.reshape({ targetShape: [2, 2] }).targetShape; // [2, 2]
 */
export class Reshape extends Layer {
  readonly targetShape: readonly number[];

  /** Use `tg.layers.reshape(config)`. */
  constructor(config: ReshapeConfig) {
    const op = 'layers.reshape';
    const { config: c, layer } = layerConfig<ReshapeConfig>(op, config, ['targetShape']);
    const t: unknown = c.targetShape;
    const ok = (d: unknown) => typeof d === 'number' && Number.isSafeInteger(d) && d >= -1;
    if (!Array.isArray(t) || !t.every(ok) || t.filter((d) => d === -1).length > 1)
      throw new ArgumentError(
        `${op}: targetShape must be an array of non-negative integers with at most one -1, got ${describe(t)}`,
      );
    super('Reshape', layer);
    this.targetShape = (t as number[]).slice();
    this.buildFromInputShape();
  }

  protected override inputSpec(): InputSpec {
    return { minNdim: 1, form: '[batch, ...]' };
  }

  protected override call(x: Tensor): Tensor {
    const size = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const free = this.targetShape.indexOf(-1);
    const fits = free < 0 ? known === size : known > 0 ? size % known === 0 : size === 0;
    if (!fits)
      throw new ShapeError(
        `Reshape.apply: layer '${this.name}' cannot reshape examples of shape ${fmtShape(x.shape.slice(1))} ` +
          `(${size} values) to targetShape [${this.targetShape.join(',')}]`,
      );
    const target = this.targetShape.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
    return reshapeOp(x, [x.shape[0], ...target]);
  }
}

/**
 * Reshapes each example to `targetShape`, Keras's `Reshape` (the batch axis is kept).
 * @example
 * tg.layers.reshape({ targetShape: [2, -1] }).apply(tg.ones([5, 6])).shape; // [5, 2, 3]
 */
export function reshape(config: ReshapeConfig): Reshape {
  return new Reshape(config);
}

/** The options of `dropout` (TF.js's names). */
export interface DropoutConfig extends LayerOptions {
  /** The fraction of values dropped, in [0, 1). */
  rate: number;
  /** The mask's shape, of the input's rank (null entries take the input's dimension); size-1 axes share a flag. */
  noiseShape?: readonly (number | null)[] | null;
}

/**
 * Dropout: see `dropout`.
 * @example
 * tg.layers.dropout({ rate: 0.1 }).rate; // 0.1
 */
export class Dropout extends Layer {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;

  /** Use `tg.layers.dropout(config)`. */
  constructor(config: DropoutConfig) {
    const op = 'layers.dropout';
    const { config: c, layer } = layerConfig<DropoutConfig>(op, config, ['rate', 'noiseShape']);
    const rate = requireFiniteNumber(op, 'rate', c.rate);
    if (!(rate >= 0 && rate < 1)) throw new ArgumentError(`${op}: rate must be a number in [0, 1), got ${rate}`);
    const ns: unknown = c.noiseShape ?? null;
    if (
      ns !== null &&
      !(Array.isArray(ns) && ns.every((d: unknown) => d === null || (typeof d === 'number' && Number.isSafeInteger(d))))
    )
      throw new ArgumentError(
        `${op}: noiseShape must be an array of dimensions (integers or null), got ${describe(ns)}`,
      );
    super('Dropout', layer);
    this.rate = rate;
    this.noiseShape = ns === null ? null : (ns as (number | null)[]).slice();
    this.buildFromInputShape();
  }

  protected override call(x: Tensor, training: boolean): Tensor {
    if (!training || this.rate === 0) return x;
    if (this.noiseShape !== null && this.noiseShape.length !== x.rank)
      throw new ShapeError(
        `Dropout.apply: layer '${this.name}' has a noiseShape of rank ${this.noiseShape.length}, got an input of shape ${fmtShape(x.shape)}`,
      );
    return dropoutOp(x, this.rate, this.noiseShape, this.nextSeed());
  }
}

/**
 * Dropout, Keras's `Dropout`: with `training: true`, each value is zeroed with probability `rate` and the
 * others scaled by 1 / (1 − rate); at inference (the default) the input passes unchanged. With a `seed`,
 * the layer's masks are the same sequence on every run.
 * @example
 * const layer = tg.layers.dropout({ rate: 0.5, seed: 1 });
 * layer.apply([1, 2, 3]); // [1, 2, 3]
 * layer.apply(tg.ones([1000]), { training: true }).sum().item() % 2; // 0
 */
export function dropout(config: DropoutConfig): Dropout {
  return new Dropout(config);
}

/** The options of `activation`. */
export interface ActivationConfig extends LayerOptions {
  /** A name (`'relu'` …) or a function. */
  activation: ActivationIdentifier;
}

/**
 * An activation as a layer: see `activation`.
 * @example
 * tg.layers.activation({ activation: 'tanh' }) instanceof tg.layers.Activation; // true
 */
export class Activation extends Layer {
  private readonly fn: (x: Tensor) => Tensor;

  /** Use `tg.layers.activation(config)`. */
  constructor(config: ActivationConfig) {
    const op = 'layers.activation';
    const { config: c, layer } = layerConfig<ActivationConfig>(op, config, ['activation']);
    if (c.activation === undefined) throw new ArgumentError(`${op}: activation is required`);
    super('Activation', layer);
    this.fn = getActivation(op, c.activation);
    this.buildFromInputShape();
  }

  protected override call(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/**
 * An activation function as a layer, Keras's `Activation`.
 * @example
 * tg.layers.activation({ activation: 'relu' }).apply([-1, 2]); // [0, 2]
 */
export function activation(config: ActivationConfig): Activation {
  return new Activation(config);
}

/** The options of `embedding` (TF.js's names). */
export interface EmbeddingConfig extends LayerOptions {
  /** The number of rows: indices are in [0, inputDim). */
  inputDim: number;
  /** The length of each row. */
  outputDim: number;
  /** Default 'randomUniform' (in [-0.05, 0.05), Keras's 'uniform'). */
  embeddingsInitializer?: InitializerIdentifier;
}

/**
 * An embedding lookup: see `embedding`.
 * @example
 * tg.layers.embedding({ inputDim: 5, outputDim: 2 }).inputDim; // 5
 */
export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  /** `[inputDim, outputDim]`; undefined until built. */
  embeddings!: Variable;
  private readonly initializer: Initializer;

  /** Use `tg.layers.embedding(config)`. */
  constructor(config: EmbeddingConfig) {
    const op = 'layers.embedding';
    const { config: c, layer } = layerConfig<EmbeddingConfig>(op, config, [
      'inputDim',
      'outputDim',
      'embeddingsInitializer',
    ]);
    super('Embedding', layer);
    this.inputDim = requirePositive(op, 'inputDim', c.inputDim);
    this.outputDim = requirePositive(op, 'outputDim', c.outputDim);
    this.initializer = getInitializer(op, 'embeddingsInitializer', c.embeddingsInitializer ?? 'randomUniform');
    this.buildFromInputShape();
  }

  protected override castInputs(): 'none' {
    return 'none';
  }

  protected override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.initializer);
  }

  protected override call(x: Tensor): Tensor {
    // Keras casts indices of any other dtype to int32
    const idx = x.dtype === 'int32' ? x : cast(x, 'int32');
    const data = idx.dataSync();
    for (let i = 0; i < data.length; i++) {
      if (data[i] < 0 || data[i] >= this.inputDim)
        throw new ArgumentError(
          `Embedding.apply: layer '${this.name}' got index ${data[i]}, outside [0, ${this.inputDim})`,
        );
    }
    return gather(this.embeddings, idx, 0);
  }
}

/**
 * A lookup table, Keras's `Embedding`: each int32 index i in the input becomes row i of `embeddings`
 * `[inputDim, outputDim]`, so `[b, t]` indices give `[b, t, outputDim]`.
 * @example
 * const layer = tg.layers.embedding({ inputDim: 3, outputDim: 2, embeddingsInitializer: 'ones' });
 * layer.apply(tg.tensor([[0, 2]], [1, 2], 'int32')).shape; // [1, 2, 2]
 */
export function embedding(config: EmbeddingConfig): Embedding {
  return new Embedding(config);
}
