// Activations by name for the layers' `activation` option: TF.js's names, each computed as Keras 3's
// keras/src/activations (softmax over the last axis, exact gelu, leakyRelu's slope 0.2, elu's alpha 1).
import { ArgumentError, describe } from '../core/errors';
import type { Tensor } from '../core/tensor';
import { exp, relu, sigmoid, softplus, tanh } from '../ops/prims/unary';
import { add, div, mul } from '../ops/prims/binary';
import { elu, gelu, leakyRelu, relu6, selu } from '../ops/composite/arith';
import { logSoftmax, softmax } from '../ops/composite/nn';
import { silu, softsign } from '../ops/composite/activations';

/** The activation names the layers take. */
export const ACTIVATION_NAMES = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'logSoftmax',
  'softplus',
  'softsign',
  'gelu',
  'silu',
  'swish',
  'mish',
  'leakyRelu',
  'exponential',
] as const;

/** An activation's name. */
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** An activation: a name, a function of a tensor, or null/undefined for none (`'linear'`). */
export type ActivationIdentifier = ActivationName | ((x: Tensor) => Tensor) | null;

const FUNCTIONS: Record<ActivationName, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu: (x) => relu(x),
  relu6: (x) => relu6(x),
  elu: (x) => elu(x),
  selu: (x) => selu(x),
  sigmoid: (x) => sigmoid(x),
  // Keras 3's hard_sigmoid: relu6(x + 3) / 6 (Keras 2 and TF.js used clip(0.2·x + 0.5, 0, 1))
  hardSigmoid: (x) => div(relu6(add(x, 3)), 6),
  tanh: (x) => tanh(x),
  softmax: (x) => softmax(x, -1),
  logSoftmax: (x) => logSoftmax(x, -1),
  softplus: (x) => softplus(x),
  softsign: (x) => softsign(x),
  gelu: (x) => gelu(x),
  silu: (x) => silu(x),
  swish: (x) => silu(x),
  // x·tanh(softplus(x)), Keras's mish
  mish: (x) => mul(x, tanh(softplus(x))),
  leakyRelu: (x) => leakyRelu(x, 0.2),
  exponential: (x) => exp(x),
};

/**
 * The function of an activation option: a name (TF.js's camelCase, or Keras's snake_case), a function
 * (used as it is) or null/undefined (`linear`); anything else is an ArgumentError from `op`.
 */
export function getActivation(op: string, v: unknown): (x: Tensor) => Tensor {
  if (v === undefined || v === null) return FUNCTIONS.linear;
  if (typeof v === 'function') return v as (x: Tensor) => Tensor;
  if (typeof v === 'string') {
    const camel = v.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const name = ACTIVATION_NAMES.find((n) => n === camel);
    if (name !== undefined) return FUNCTIONS[name];
  }
  throw new ArgumentError(
    `${op}: activation must be a function or one of ${ACTIVATION_NAMES.join(', ')}, got ${describe(v)}`,
  );
}
