// Lion, Keras 3's rule: the sign of an interpolated momentum.
import type { Tensor } from '../core/tensor';
import { add, mul, sub } from '../ops/prims/binary';
import { sign } from '../ops/prims/unary';
import { scalar } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireFiniteNumber, requireOptions } from '../core/args';
import { ArgumentError } from '../core/errors';

/** Options of `new Lion()`. */
export interface LionOptions extends OptimizerOptions {
  /** In (0, 1]. */
  beta1?: number;
  beta2?: number;
}

/**
 * Lion (Keras 3): `w -= lr·sign(β1·m + (1 - β1)·g)`, then `m = β2·m + (1 - β2)·g`. Slot `momentum`.
 * Defaults: learning rate 0.001, β1 0.9, β2 0.99.
 * @example
 * const w = new tg.Variable([1, 1, 1]);
 * const opt = new tg.Lion({ learningRate: 0.1 });
 * opt.applyGradients([[tg.tensor([3, 0, -0.01]), w]]);
 * w.value(); // [0.9, 1, 1.1]
 */
export class Lion extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;

  constructor(options?: LionOptions) {
    const op = 'Lion';
    const o = requireOptions<LionOptions>(op, options, [...BASE_OPTION_NAMES, 'beta1', 'beta2']);
    super(op, o, 0.001);
    this.beta1 = o.beta1 === undefined ? 0.9 : requireFiniteNumber(op, 'beta1', o.beta1);
    this.beta2 = o.beta2 === undefined ? 0.99 : requireFiniteNumber(op, 'beta2', o.beta2);
    // Keras 3: "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD."
    if (!(this.beta1 > 0 && this.beta1 <= 1))
      throw new ArgumentError(`Lion: beta1 must be in (0, 1] (at 0 Lion is signSGD), got ${this.beta1}`);
  }

  protected initialSlots(value: Tensor): Slots {
    return zeroSlots(value, ['momentum']);
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots): { value: Tensor; slots: Slots } {
    const dtype = w.dtype;
    const beta1 = scalar(this.beta1, dtype);
    const beta2 = scalar(this.beta2, dtype);
    const m = slots.momentum;
    const value = sub(w, mul(scalar(lr, dtype), sign(add(mul(m, beta1), mul(g, sub(1, beta1))))));
    return { value, slots: { momentum: add(mul(m, beta2), mul(g, sub(1, beta2))) } };
  }
}
