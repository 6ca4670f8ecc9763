// Adamax, Keras 3's rule: Adam with the infinity norm in place of the second moment.
import type { Tensor } from '../core/tensor';
import { abs } from '../ops/prims/unary';
import { add, div, maximum, mul, pow, sub } from '../ops/prims/binary';
import { scalar } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireFiniteNumber, requireOptions } from '../core/args';

/** Options of `new Adamax()`. */
export interface AdamaxOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adamax (Keras 3): `m += (g - m)(1 - β1)`, `u = max(β2·u, |g|)`,
 * `w -= lr·m / ((1 - β1^t)(u + ε))`. Slots `momentum` and `norm`.
 * Defaults: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7.
 * @example
 * const w = new tg.Variable(1);
 * const opt = new tg.Adamax({ learningRate: 0.1 });
 * opt.applyGradients([[tg.scalar(2), w]]);
 * w.value(); // 0.9  (1 - 0.1 · 0.2 / (0.1 · (2 + 1e-7)))
 */
export class Adamax extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options?: AdamaxOptions) {
    const op = 'Adamax';
    const o = requireOptions<AdamaxOptions>(op, options, [...BASE_OPTION_NAMES, 'beta1', 'beta2', 'epsilon']);
    super(op, o, 0.001);
    this.beta1 = o.beta1 === undefined ? 0.9 : requireFiniteNumber(op, 'beta1', o.beta1);
    this.beta2 = o.beta2 === undefined ? 0.999 : requireFiniteNumber(op, 'beta2', o.beta2);
    this.epsilon = o.epsilon === undefined ? 1e-7 : requireFiniteNumber(op, 'epsilon', o.epsilon);
  }

  protected initialSlots(value: Tensor): Slots {
    return zeroSlots(value, ['momentum', 'norm']);
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots, step: number): { value: Tensor; slots: Slots } {
    const dtype = w.dtype;
    const beta1Power = pow(scalar(this.beta1, dtype), scalar(step + 1, dtype));
    const momentum = add(slots.momentum, mul(sub(g, slots.momentum), 1 - this.beta1));
    const norm = maximum(mul(slots.norm, this.beta2), abs(g));
    const delta = div(mul(scalar(lr, dtype), momentum), mul(sub(1, beta1Power), add(norm, this.epsilon)));
    return { value: sub(w, delta), slots: { momentum, norm } };
  }
}
