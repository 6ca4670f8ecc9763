// Sequential: Keras's plain stack of layers, each applied to the previous one's output, as a Module whose
// `layers` array holds them (so variables are found layer by layer, in order).
import { ArgumentError, describe } from '../core/errors';
import { requireBoolean, requireOptions } from '../core/args';
import type { TensorLike } from '../core/as_tensor';
import type { Tensor } from '../core/tensor';
import type { ApplyOptions } from './layer';
import { Layer, uniqueName } from './layer';
import { Module } from './module';
import { zeros } from '../ops/create';

/** What a Sequential holds: a layer, or another Module with `apply(x, { training })` (a Sequential). */
export type SequentialLayer = Module & { apply(x: TensorLike, options?: ApplyOptions): Tensor };

/** The options of `sequential`. */
export interface SequentialConfig {
  /** The layers, first applied first. Default none. */
  layers?: readonly SequentialLayer[];
  /** Default `sequential`, `sequential_1` … */
  name?: string;
}

function requireLayer(op: string, v: unknown): SequentialLayer {
  if (!(v instanceof Module) || typeof (v as Partial<SequentialLayer>).apply !== 'function')
    throw new ArgumentError(`${op}: expected a layer (a Module with apply), got ${describe(v)}`);
  return v as SequentialLayer;
}

/**
 * A stack of layers: see `sequential`.
 * @example
 * tg.sequential().layers.length; // 0
 */
export class Sequential extends Module {
  /** The layers, in order. */
  readonly layers: SequentialLayer[];

  /** Use `tg.sequential(config)`. */
  constructor(config?: SequentialConfig) {
    const op = 'sequential';
    const c = requireOptions<SequentialConfig>(op, config, ['layers', 'name']);
    if (c.name !== undefined && (typeof c.name !== 'string' || c.name === ''))
      throw new ArgumentError(`${op}: name must be a non-empty string, got ${describe(c.name)}`);
    const list: unknown = c.layers ?? [];
    if (!Array.isArray(list))
      throw new ArgumentError(`${op}: layers must be an array of layers, got ${describe(list)}`);
    const layers = list.map((l: unknown) => requireLayer(op, l));
    super(c.name ?? uniqueName('sequential'));
    this.layers = layers;
    this.buildFromInputShape();
  }

  /**
   * When the first layer has a fully known `inputShape`, builds every layer now (as Keras builds a
   * Sequential with an input shape) by one inference pass over a zero batch of one example.
   */
  private buildFromInputShape(): void {
    const first = this.layers[0];
    if (!(first instanceof Layer) || this.built) return;
    const shape = first.inputShape;
    if (shape === undefined || shape.some((d) => d === null)) return;
    this.apply(zeros([1, ...(shape as number[])], first.dtype));
  }

  /**
   * Appends a layer.
   * @example
   * const model = tg.sequential();
   * model.add(tg.layers.dense({ units: 1, kernelInitializer: 'ones' }));
   * model.apply([[1, 2]]); // [[3]]
   */
  add(layer: SequentialLayer): this {
    this.layers.push(requireLayer('Sequential.add', layer));
    this.buildFromInputShape();
    return this;
  }

  /**
   * True when every layer is built.
   * @example
   * tg.sequential({ layers: [tg.layers.dense({ units: 2, inputShape: [3] }), tg.layers.dense({ units: 1 })] }).built; // true
   */
  get built(): boolean {
    return this.layers.every((l) => !(l instanceof Layer || l instanceof Sequential) || l.built);
  }

  /**
   * Applies each layer in turn; `training` is passed to every one. Inference without options.
   * @example
   * const model = tg.sequential({ layers: [tg.layers.dense({ units: 2, kernelInitializer: 'ones' }), tg.layers.activation({ activation: 'relu' })] });
   * model.apply([[1, -2]]); // [[0, 0]]
   */
  apply(x: TensorLike, options?: ApplyOptions): Tensor {
    const op = 'Sequential.apply';
    const o = requireOptions<ApplyOptions>(op, options, ['training']);
    const training =
      o.training === undefined || o.training === null ? false : requireBoolean(op, 'training', o.training);
    if (this.layers.length === 0) throw new ArgumentError(`${op}: model '${this.name}' has no layers`);
    let y = x;
    for (const layer of this.layers) y = layer.apply(y, { training });
    return y as Tensor;
  }
}

/**
 * A stack of layers, Keras's `Sequential`: `apply(x, { training })` runs each layer on the previous one's
 * output; `add(layer)` appends one. Its variables are its layers', in order.
 * @example
 * const model = tg.sequential({ layers: [tg.layers.dense({ units: 3, name: 'hidden' }), tg.layers.dense({ units: 1, name: 'out' })] });
 * model.apply(tg.ones([4, 2])).shape; // [4, 1]
 * model.trainableVariables.map((v) => v.name); // ["hidden/bias", "hidden/kernel", "out/bias", "out/kernel"]
 */
export function sequential(config?: SequentialConfig): Sequential {
  return new Sequential(config);
}
