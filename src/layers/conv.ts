// Convolution layers as Keras 3's Conv1D, Conv2D, Conv2DTranspose and DepthwiseConv2D (channels last):
// the library's conv ops, a bias per output channel, then the activation.
import { ArgumentError } from '../core/errors';
import { requireBoolean } from '../core/args';
import type { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';
import { add } from '../ops/prims/binary';
import { conv1d as conv1dOp, conv2d as conv2dOp, conv2dTranspose as conv2dTransposeOp } from '../ops/prims/conv';
import { depthwiseConv2d as depthwiseConv2dOp } from '../ops/prims/conv';
import type { ActivationIdentifier } from './activations';
import { getActivation } from './activations';
import type { Initializer } from './initializers';
import type { InitializerIdentifier } from './initializer_lookup';
import { getInitializer } from './initializer_lookup';
import type { InputSpec, LayerOptions, PartialShape } from './layer';
import {
  Layer,
  knownDim,
  layerConfig,
  requireChannelsLast,
  requirePadding,
  requirePositive,
  requireTuple,
} from './layer';

/** The options every convolution layer takes (TF.js's names). */
export interface BaseConvConfig extends LayerOptions {
  /** The window: an integer or one per spatial axis. */
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'; conv1d also takes 'causal'. */
  padding?: 'valid' | 'same' | 'causal';
  /** Only 'channelsLast'. */
  dataFormat?: 'channelsLast';
  /** Default 1. */
  dilationRate?: number | readonly number[];
  /** Default none ('linear'). */
  activation?: ActivationIdentifier;
  /** Default true. */
  useBias?: boolean;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
}

/** The options of `conv1d`, `conv2d` and `conv2dTranspose`. */
export interface ConvConfig extends BaseConvConfig {
  /** The number of output channels. */
  filters: number;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
}

/** The options of `depthwiseConv2d`. */
export interface DepthwiseConv2DConfig extends BaseConvConfig {
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier;
}

const BASE_NAMES = [
  'kernelSize',
  'strides',
  'padding',
  'dataFormat',
  'dilationRate',
  'activation',
  'useBias',
  'biasInitializer',
] as const;

type Kind = 'Conv1D' | 'Conv2D' | 'Conv2DTranspose' | 'DepthwiseConv2D';

const FACTORY: Record<Kind, string> = {
  Conv1D: 'layers.conv1d',
  Conv2D: 'layers.conv2d',
  Conv2DTranspose: 'layers.conv2dTranspose',
  DepthwiseConv2D: 'layers.depthwiseConv2d',
};

/**
 * A convolution layer: see `conv1d`, `conv2d`, `conv2dTranspose` and `depthwiseConv2d`.
 * @example
 * tg.layers.conv2d({ filters: 1, kernelSize: 3 }) instanceof tg.layers.Conv; // true
 */
export class Conv extends Layer {
  /** Output channels (for depthwise, input channels × depthMultiplier once built). */
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same' | 'causal';
  readonly dilationRate: number[];
  readonly useBias: boolean;
  /** Output channels per input channel (depthwise only). */
  readonly depthMultiplier: number;
  /** `[...kernelSize, inChannels, filters]` (transposed: `[...kernelSize, filters, inChannels]`); undefined until built. */
  kernel!: Variable | undefined;
  /** `[...kernelSize, inChannels, depthMultiplier]` (depthwise only); undefined until built. */
  depthwiseKernel!: Variable | undefined;
  /** `[filters]`; undefined until built, and when `useBias` is false. */
  bias!: Variable | undefined;
  private readonly kind: Kind;
  private readonly rank: number;
  private readonly activation: (x: Tensor) => Tensor;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;

  /** Use the factories (`tg.layers.conv2d(config)` …). */
  constructor(kind: Kind, config: ConvConfig | DepthwiseConv2DConfig) {
    const op = FACTORY[kind];
    const depthwise = kind === 'DepthwiseConv2D';
    const own = depthwise
      ? [...BASE_NAMES, 'depthMultiplier', 'depthwiseInitializer']
      : [...BASE_NAMES, 'filters', 'kernelInitializer'];
    const { config: c, layer } = layerConfig<ConvConfig & DepthwiseConv2DConfig>(
      op,
      config,
      own as (keyof (ConvConfig & DepthwiseConv2DConfig) & string)[],
    );
    super(kind, layer);
    this.kind = kind;
    this.rank = kind === 'Conv1D' ? 1 : 2;
    const n = this.rank;
    this.depthMultiplier = depthwise
      ? c.depthMultiplier === undefined
        ? 1
        : requirePositive(op, 'depthMultiplier', c.depthMultiplier)
      : 1;
    this.filters = depthwise ? 0 : requirePositive(op, 'filters', c.filters);
    this.kernelSize = requireTuple(op, 'kernelSize', c.kernelSize, n);
    this.strides = requireTuple(op, 'strides', c.strides ?? 1, n);
    this.padding = requirePadding(op, c.padding, kind === 'Conv1D');
    requireChannelsLast(op, c.dataFormat);
    this.dilationRate = requireTuple(op, 'dilationRate', c.dilationRate ?? 1, n);
    if (kind === 'Conv2DTranspose' && this.dilationRate.some((d) => d !== 1))
      throw new ArgumentError(
        `${op}: dilationRate other than 1 is not supported, got [${this.dilationRate.join(', ')}]`,
      );
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1))
      throw new ArgumentError(`${op}: strides > 1 are not supported together with dilationRate > 1 (as Keras)`);
    this.useBias = c.useBias === undefined ? true : requireBoolean(op, 'useBias', c.useBias);
    this.activation = getActivation(op, c.activation);
    this.kernelInitializer = depthwise
      ? getInitializer(op, 'depthwiseInitializer', c.depthwiseInitializer ?? 'glorotUniform')
      : getInitializer(op, 'kernelInitializer', c.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(op, 'biasInitializer', c.biasInitializer ?? 'zeros');
    this.kernel = undefined;
    this.depthwiseKernel = undefined;
    this.bias = undefined;
    this.buildFromInputShape();
  }

  private get weight(): Variable | undefined {
    return this.kind === 'DepthwiseConv2D' ? this.depthwiseKernel : this.kernel;
  }

  protected override inputSpec(): InputSpec {
    const w = this.weight;
    const inAxis = this.kind === 'Conv2DTranspose' ? this.rank + 1 : this.rank;
    return {
      ndim: this.rank + 2,
      form: this.rank === 1 ? '[batch, width, channels]' : '[batch, height, width, channels]',
      axes: w === undefined ? [] : [[-1, w.shape[inAxis]]],
    };
  }

  protected override castInputs(): 'all' {
    return 'all';
  }

  protected override build(inputShape: PartialShape): void {
    const inChannels = knownDim(`${this.className}.build`, this.name, inputShape, -1);
    const k = this.kernelSize;
    let outChannels = this.filters;
    if (this.kind === 'DepthwiseConv2D') {
      this.depthwiseKernel = this.addWeight(
        'depthwiseKernel',
        [...k, inChannels, this.depthMultiplier],
        this.kernelInitializer,
      );
      outChannels = inChannels * this.depthMultiplier;
    } else if (this.kind === 'Conv2DTranspose') {
      this.kernel = this.addWeight('kernel', [...k, this.filters, inChannels], this.kernelInitializer);
    } else {
      this.kernel = this.addWeight('kernel', [...k, inChannels, this.filters], this.kernelInitializer);
    }
    if (this.useBias) this.bias = this.addWeight('bias', [outChannels], this.biasInitializer);
  }

  protected override call(x: Tensor): Tensor {
    let y: Tensor;
    const pad = this.padding;
    if (this.kind === 'Conv1D') {
      // Keras's causal padding: (kernel − 1)·dilation zeros before the sequence, none after
      const padding =
        pad === 'causal'
          ? ([
              [0, 0],
              [(this.kernelSize[0] - 1) * this.dilationRate[0], 0],
              [0, 0],
            ] as [number, number][])
          : pad;
      y = conv1dOp(x, this.kernel!, this.strides, padding, 'NWC', this.dilationRate);
    } else if (this.kind === 'Conv2D') {
      y = conv2dOp(x, this.kernel!, this.strides, pad as 'valid' | 'same', 'NHWC', this.dilationRate);
    } else if (this.kind === 'DepthwiseConv2D') {
      y = depthwiseConv2dOp(x, this.depthwiseKernel!, this.strides, pad as 'valid' | 'same', 'NHWC', this.dilationRate);
    } else {
      // Keras's deconv_output_length without outputPadding: in·stride (+ max(kernel − stride, 0) for 'valid')
      const spatial = [1, 2].map((a, i) => {
        const s = this.strides[i];
        return x.shape[a] * s + (pad === 'valid' ? Math.max(this.kernelSize[i] - s, 0) : 0);
      });
      const outShape = [x.shape[0], ...spatial, this.filters];
      y = conv2dTransposeOp(x, this.kernel!, outShape, this.strides, pad as 'valid' | 'same');
    }
    if (this.bias !== undefined) y = add(y, this.bias);
    return this.activation(y);
  }
}

/**
 * A 1-D convolution layer, Keras's `Conv1D`, on `[batch, width, channels]` inputs: kernel
 * `[kernelSize, inChannels, filters]`; `padding: 'causal'` pads (kernelSize − 1)·dilationRate zeros at the start.
 * @example
 * const layer = tg.layers.conv1d({ filters: 1, kernelSize: 2, kernelInitializer: 'ones' });
 * layer.apply([[[1], [2], [3]]]); // [[[3], [5]]]
 */
export function conv1d(config: ConvConfig): Conv {
  return new Conv('Conv1D', config);
}

/**
 * A 2-D convolution layer, Keras's `Conv2D`, on NHWC inputs: kernel `[kh, kw, inChannels, filters]`
 * (Glorot-uniform), bias `[filters]` (zeros); strides, 'valid' or 'same' padding, dilations as `tg.conv2d`.
 * @example
 * const layer = tg.layers.conv2d({ filters: 1, kernelSize: 2, kernelInitializer: 'ones' });
 * layer.apply(tg.ones([1, 3, 3, 1])).reshape([2, 2]); // [[4, 4], [4, 4]]
 */
export function conv2d(config: ConvConfig): Conv {
  return new Conv('Conv2D', config);
}

/**
 * A transposed 2-D convolution layer, Keras's `Conv2DTranspose`: kernel `[kh, kw, filters, inChannels]`,
 * output size in·stride (plus max(kernel − stride, 0) with 'valid').
 * @example
 * const layer = tg.layers.conv2dTranspose({ filters: 1, kernelSize: 2, kernelInitializer: 'ones' });
 * layer.apply(tg.ones([1, 2, 2, 1])).reshape([3, 3]); // [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
 */
export function conv2dTranspose(config: ConvConfig): Conv {
  return new Conv('Conv2DTranspose', config);
}

/**
 * A depthwise 2-D convolution layer, Keras's `DepthwiseConv2D`: each input channel convolved with its own
 * `depthMultiplier` filters, `depthwiseKernel` `[kh, kw, inChannels, depthMultiplier]`, bias `[inChannels·depthMultiplier]`.
 * @example
 * const layer = tg.layers.depthwiseConv2d({ kernelSize: 1, depthwiseInitializer: 'ones' });
 * layer.apply([[[[1, 2]]]]); // [[[[1, 2]]]]
 */
export function depthwiseConv2d(config: DepthwiseConv2DConfig): Conv {
  return new Conv('DepthwiseConv2D', config);
}
