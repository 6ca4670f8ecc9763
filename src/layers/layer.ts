// The layer base: a Module with Keras's __call__ (autocast, the input checks, the lazy build from the
// first input's shape, then call), weights made from initializers and named `<layer name>/<property>`.
import { ArgumentError, ShapeError, describe } from '../core/errors';
import { requireBoolean, requireInteger, requireOneOf, requireOptions } from '../core/args';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { isFloat } from '../core/dtype';
import { fmtShape } from '../core/shape';
import type { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import { xoshiro128 } from '../kernels/random';
import { cast } from '../ops/prims/cast';
import type { Initializer, WeightDType } from './initializers';
import { Module, snakeCase } from './module';

/** A shape whose dimensions may be unknown (`null`), as a layer is built from: `[null, 3]`. */
export type PartialShape = readonly (number | null)[];

/** Options every layer factory takes (TF.js's names), besides its own. */
export interface LayerOptions {
  /** The layer's name; default the Keras one, unique in this program: `dense`, `dense_1` … */
  name?: string;
  /** False makes every weight of the layer non-trainable. Default true. */
  trainable?: boolean;
  /** The weights' dtype; float inputs are cast to it (Keras's autocast). Default 'float32'. */
  dtype?: WeightDType;
  /** The shape of one example (without the batch axis): the layer is built at once for it. */
  inputShape?: PartialShape;
  /** Seeds the layer's initial weights (and dropout's masks), the same on every platform. */
  seed?: number;
}

/** The names of `LayerOptions`. */
export const LAYER_OPTION_NAMES = ['name', 'trainable', 'dtype', 'inputShape', 'seed'] as const;

/** Options of `apply`. */
export interface ApplyOptions {
  /** Training mode (dropout drops, batch normalisation uses and updates batch statistics). Default false. */
  training?: boolean;
}

/** What an input must be: its rank (exactly or at least), and dimensions fixed by the weights. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  /** `[axis, size]` pairs, a negative axis counting from the end. */
  axes?: readonly (readonly [number, number])[];
  /** How the rank is described in messages: `[batch, features]`. */
  form?: string;
}

const counters = new Map<string, number>();

/** Keras's unique layer names: `dense`, then `dense_1`, `dense_2` … */
export function uniqueName(base: string): string {
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** A positive integer option, else an ArgumentError. */
export function requirePositive(op: string, name: string, v: unknown): number {
  return requireInteger(op, name, v, 1);
}

/** An integer or a list of `n` integers (each >= 1), as Keras's kernel sizes, strides and dilations. */
export function requireTuple(op: string, name: string, v: unknown, n: number): number[] {
  const ok = (e: unknown): e is number => typeof e === 'number' && Number.isSafeInteger(e) && e >= 1;
  if (ok(v)) return new Array<number>(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every(ok)) return (v as number[]).slice();
  throw new ArgumentError(
    `${op}: ${name} must be a positive integer or a list of ${n} positive integers, got ${describe(v)}`,
  );
}

/** The layer's padding option: 'valid' or 'same' (and 'causal' where `causal` is true). */
export function requirePadding<C extends boolean>(
  op: string,
  v: unknown,
  causal: C,
): C extends true ? 'valid' | 'same' | 'causal' : 'valid' | 'same' {
  const choices = causal ? (['valid', 'same', 'causal'] as const) : (['valid', 'same'] as const);
  return requireOneOf(op, 'padding', v ?? 'valid', choices) as C extends true
    ? 'valid' | 'same' | 'causal'
    : 'valid' | 'same';
}

/** Keras's `data_format`: only 'channelsLast' (NHWC) is supported. */
export function requireChannelsLast(op: string, v: unknown): void {
  if (v !== undefined && v !== null && v !== 'channelsLast' && v !== 'channels_last')
    throw new ArgumentError(
      `${op}: dataFormat must be 'channelsLast' (channels-first is not supported), got ${describe(v)}`,
    );
}

/**
 * The base of every layer: a Module with `apply(x, { training })`, built on first use from the input's
 * shape (Keras's lazy build), whose input must fit what the weights were built for.
 * @example
 * const layer = tg.layers.dense({ units: 2 });
 * layer.built; // false
 * layer.apply(tg.ones([1, 3])).shape; // [1, 2]
 * layer.built; // true
 */
export abstract class Layer extends Module {
  /** False when the layer's weights were made non-trainable. */
  readonly trainable: boolean;
  /** The weights' dtype. */
  readonly dtype: WeightDType;
  /** Keras's class name (`Dense`), the prefix of the layer's messages. */
  readonly className: string;
  #built = false;
  #inputShape: PartialShape | undefined;
  #seeds: (() => number) | undefined;

  /** `options` were read with `readLayerOptions`. */
  protected constructor(className: string, options: LayerOptions) {
    super(options.name ?? uniqueName(snakeCase(className)));
    this.className = className;
    this.trainable = options.trainable ?? true;
    this.dtype = options.dtype ?? 'float32';
    if (options.seed !== undefined) this.#seeds = xoshiro128(options.seed);
    this.#inputShape = options.inputShape;
  }

  /** The `inputShape` option (one example's shape, without the batch axis), if given. */
  get inputShape(): PartialShape | undefined {
    return this.#inputShape;
  }

  /** True once the weights exist (after the first `apply`, or at once when `inputShape` was given). */
  get built(): boolean {
    return this.#built;
  }

  /**
   * Builds the layer now when `inputShape` was given; each subclass calls it at the end of its
   * constructor (after its own fields exist).
   */
  protected buildFromInputShape(): void {
    if (this.#inputShape !== undefined) {
      const shape = [null, ...this.#inputShape];
      this.checkInput(`${this.className}.build`, shape);
      this.build(shape);
      this.#built = true;
    }
  }

  /** What the input must be; may depend on the built weights. */
  protected inputSpec(): InputSpec {
    return {};
  }

  /** Which inputs are cast to the layer's dtype: floats (Keras's autocast), every dtype, or none. */
  protected castInputs(): 'floats' | 'all' | 'none' {
    return 'floats';
  }

  /** Makes the weights for inputs of this shape (Keras's `build`). */
  protected build(inputShape: PartialShape): void {
    void inputShape;
  }

  /** The layer's computation (Keras's `call`) on a checked input. */
  protected abstract call(x: Tensor, training: boolean): Tensor;

  /** A fresh seed from the layer's seed, or undefined when it has none (then draws are random). */
  protected nextSeed(): number | undefined {
    return this.#seeds?.();
  }

  /** A weight named `<layer name>/<name>`, with values from `initializer` (seeded from the layer's seed). */
  protected addWeight(name: string, shape: number[], initializer: Initializer, trainable = true): Variable {
    const value = initializer.apply(shape, this.dtype, this.nextSeed());
    return new Variable(value, { name: `${this.name}/${name}`, trainable: trainable && this.trainable });
  }

  /** A ShapeError unless `shape` meets the input spec; `op` starts the message. */
  protected checkInput(op: string, shape: PartialShape): void {
    const spec = this.inputSpec();
    const form = spec.form ? ` ${spec.form}` : '';
    const who = `${op}: layer '${this.name}'`;
    if (spec.ndim !== undefined && shape.length !== spec.ndim)
      throw new ShapeError(`${who} expects an input of rank ${spec.ndim}${form}, got shape ${fmtPartial(shape)}`);
    if (spec.minNdim !== undefined && shape.length < spec.minNdim)
      throw new ShapeError(
        `${who} expects an input of rank at least ${spec.minNdim}${form}, got shape ${fmtPartial(shape)}`,
      );
    for (const [axis, size] of spec.axes ?? []) {
      const a = axis < 0 ? shape.length + axis : axis;
      if (a < 0 || a >= shape.length || shape[a] !== size)
        throw new ShapeError(
          `${who} was built for inputs with axis ${axis} of size ${size}, got shape ${fmtPartial(shape)}`,
        );
    }
    if (this.#inputShape !== undefined) {
      const want = [null, ...this.#inputShape];
      if (want.length !== shape.length || want.some((d, i) => d !== null && shape[i] !== null && d !== shape[i]))
        throw new ShapeError(`${who} has inputShape ${fmtPartial(want)}, got shape ${fmtPartial(shape)}`);
    }
  }

  /**
   * The layer's output for `x`; builds the layer first if needed. Without options this is inference
   * (`training: false`), as Keras's `__call__`. An input that does not fit the built weights is a
   * ShapeError naming the layer.
   * @example
   * const layer = tg.layers.dense({ units: 1, kernelInitializer: 'ones' });
   * layer.apply([[1, 2, 3]]); // [[6]]
   */
  apply(x: TensorLike, options?: ApplyOptions): Tensor {
    const op = `${this.className}.apply`;
    const o = requireOptions<ApplyOptions>(op, options, ['training']);
    const training =
      o.training === undefined || o.training === null ? false : requireBoolean(op, 'training', o.training);
    let t = toTensor(op, x);
    const mode = this.castInputs();
    if (t.dtype !== this.dtype && ((mode === 'floats' && isFloat(t.dtype)) || mode === 'all')) t = cast(t, this.dtype);
    this.checkInput(op, t.shape);
    if (!this.#built) {
      this.build(t.shape);
      this.#built = true;
      this.checkInput(op, t.shape);
    }
    return this.call(t, training);
  }
}

function fmtPartial(shape: PartialShape): string {
  return shape.every((d) => d !== null) ? fmtShape(shape as number[]) : `[${shape.map((d) => d ?? 'null').join(',')}]`;
}

/** Reads `LayerOptions` from a factory's options (already checked for unknown names). */
export function readLayerOptions(op: string, o: Partial<LayerOptions>): LayerOptions {
  const out: LayerOptions = {};
  if (o.name !== undefined) {
    if (typeof o.name !== 'string' || o.name === '')
      throw new ArgumentError(`${op}: name must be a non-empty string, got ${describe(o.name)}`);
    out.name = o.name;
  }
  if (o.trainable !== undefined) out.trainable = requireBoolean(op, 'trainable', o.trainable);
  if (o.dtype !== undefined) out.dtype = requireOneOf(op, 'dtype', o.dtype, ['float32', 'float64'] as const);
  if (o.seed !== undefined) out.seed = requireInteger(op, 'seed', o.seed);
  if (o.inputShape !== undefined) {
    const s: unknown = o.inputShape;
    if (
      !Array.isArray(s) ||
      !s.every((d: unknown) => d === null || (typeof d === 'number' && Number.isSafeInteger(d) && d >= 0))
    )
      throw new ArgumentError(
        `${op}: inputShape must be an array of dimensions (non-negative integers or null), got ${describe(s)}`,
      );
    out.inputShape = (s as (number | null)[]).slice();
  }
  return out;
}

/** A factory's options: own properties only, its own names plus `LayerOptions`'. */
export function layerConfig<T extends object>(
  op: string,
  config: unknown,
  names: readonly (keyof T & string)[],
): { config: Partial<T>; layer: LayerOptions } {
  const all = [...names, ...LAYER_OPTION_NAMES] as (keyof (T & LayerOptions) & string)[];
  const o = requireOptions<T & LayerOptions>(op, config, all);
  return { config: o as Partial<T>, layer: readLayerOptions(op, o as Partial<LayerOptions>) };
}

/** The dimension of a built axis, which must be known (not null), else a ShapeError. */
export function knownDim(op: string, layer: string, shape: PartialShape, axis: number): number {
  const a = axis < 0 ? shape.length + axis : axis;
  const d = shape[a];
  if (d === null || d === undefined)
    throw new ShapeError(
      `${op}: layer '${layer}' needs axis ${axis} of its input to be known, got ${fmtPartial(shape)}`,
    );
  return d;
}
