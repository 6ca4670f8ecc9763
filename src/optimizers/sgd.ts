// SGD with momentum and Nesterov momentum, Keras 3's rule.
import type { Tensor } from '../core/tensor';
import { add, mul } from '../ops/prims/binary';
import { addScaled } from '../ops/prims/fused';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireBoolean, requireFiniteNumber, requireOptions } from '../core/args';
import { ArgumentError } from '../core/errors';

/** Options of `new SGD()`. */
export interface SGDOptions extends OptimizerOptions {
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  nesterov?: boolean;
}

/**
 * Gradient descent, optionally with momentum (Keras 3): `m = momentum·m - lr·g`, then
 * `w += m` (or `w += momentum·m - lr·g` with Nesterov); without momentum `w -= lr·g`.
 * Default learning rate 0.01.
 * @example
 * const opt = new tg.SGD({ learningRate: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options?: SGDOptions) {
    const o = requireOptions<SGDOptions>('SGD', options, [...BASE_OPTION_NAMES, 'momentum', 'nesterov']);
    super('SGD', o, 0.01);
    this.momentum = o.momentum === undefined ? 0 : requireFiniteNumber('SGD', 'momentum', o.momentum);
    this.nesterov = o.nesterov === undefined ? false : requireBoolean('SGD', 'nesterov', o.nesterov);
    // Keras 3's SGD: "`momentum` must be a float between [0, 1]"
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new ArgumentError(`SGD: momentum must be in [0, 1], got ${this.momentum}`);
  }

  protected initialSlots(value: Tensor): Slots {
    return this.momentum !== 0 ? zeroSlots(value, ['momentum']) : {};
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots): { value: Tensor; slots: Slots } {
    // NOTE: addScaled(w, g, -lr) is w - lr·g in one pass, bit for bit as sub(w, mul(g, lr))
    if (this.momentum === 0) return { value: addScaled(w, g, -lr), slots };
    const m = addScaled(mul(slots.momentum, this.momentum), g, -lr);
    const step = this.nesterov ? addScaled(mul(m, this.momentum), g, -lr) : m;
    return { value: add(w, step), slots: { momentum: m } };
  }
}
