// The Dense layer, as Keras 3's: activation(x·kernel + bias) over the last axis, kernel [inputDim, units].
import type { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';
import { add } from '../ops/prims/binary';
import { matmul } from '../ops/prims/matmul';
import { reshape } from '../ops/prims/shape';
import type { ActivationIdentifier } from './activations';
import { getActivation } from './activations';
import type { InitializerIdentifier } from './initializer_lookup';
import { getInitializer } from './initializer_lookup';
import type { InputSpec, LayerOptions, PartialShape } from './layer';
import { Layer, knownDim, layerConfig, requirePositive } from './layer';
import { requireBoolean } from '../core/args';
import type { Initializer } from './initializers';

/** The options of `dense` (TF.js's names). */
export interface DenseConfig extends LayerOptions {
  /** The number of outputs. */
  units: number;
  /** Default none ('linear'). */
  activation?: ActivationIdentifier;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
}

/**
 * A densely connected layer: see `dense`.
 * @example
 * tg.layers.dense({ units: 1 }) instanceof tg.layers.Dense; // true
 */
export class Dense extends Layer {
  readonly units: number;
  readonly useBias: boolean;
  /** `[inputDim, units]`; undefined until the layer is built. */
  kernel!: Variable;
  /** `[units]`; undefined until the layer is built, and when `useBias` is false. */
  bias!: Variable | undefined;
  private readonly activation: (x: Tensor) => Tensor;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;

  /** Use `tg.layers.dense(config)`. */
  constructor(config: DenseConfig) {
    const op = 'layers.dense';
    const { config: c, layer } = layerConfig<DenseConfig>(op, config, [
      'units',
      'activation',
      'useBias',
      'kernelInitializer',
      'biasInitializer',
    ]);
    super('Dense', layer);
    this.units = requirePositive(op, 'units', c.units);
    this.useBias = c.useBias === undefined ? true : requireBoolean(op, 'useBias', c.useBias);
    this.activation = getActivation(op, c.activation);
    this.kernelInitializer = getInitializer(op, 'kernelInitializer', c.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(op, 'biasInitializer', c.biasInitializer ?? 'zeros');
    this.bias = undefined;
    this.buildFromInputShape();
  }

  protected override inputSpec(): InputSpec {
    return {
      minNdim: 2,
      form: '[batch, ..., features]',
      axes: this.built ? [[-1, this.kernel.shape[0]]] : [],
    };
  }

  protected override castInputs(): 'all' {
    return 'all';
  }

  protected override build(inputShape: PartialShape): void {
    const inputDim = knownDim('Dense.build', this.name, inputShape, -1);
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer);
  }

  protected override call(x: Tensor): Tensor {
    let y: Tensor;
    if (x.rank === 2) y = matmul(x, this.kernel);
    else {
      // Keras's matmul broadcasts the kernel over the leading axes: the same sums as one 2-D product
      const lead = x.shape.slice(0, -1);
      y = reshape(matmul(reshape(x, [-1, x.shape[x.rank - 1]]), this.kernel), [...lead, this.units]);
    }
    if (this.bias !== undefined) y = add(y, this.bias);
    return this.activation(y);
  }
}

/**
 * A densely connected layer, Keras's `Dense`: `activation(x·kernel + bias)` over the last axis of x, with
 * a kernel `[inputDim, units]` (Glorot-uniform by default) and a bias `[units]` (zeros), made on first use.
 * @example
 * const layer = tg.layers.dense({ units: 2, name: "d", kernelInitializer: "ones", biasInitializer: tg.initializers.constant({ value: 1 }) });
 * layer.apply([[1, 2, 3]]); // [[7, 7]]  (1 + 2 + 3 + 1)
 * layer.kernel.name; // "d/kernel"
 */
export function dense(config: DenseConfig): Dense {
  return new Dense(config);
}
