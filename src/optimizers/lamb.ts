// LAMB, Keras 3's rule: Adam's step scaled by the trust ratio ‖w‖ / ‖step‖.
import type { Tensor } from '../core/tensor';
import { add, div, greater, mul, pow, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { sum } from '../ops/prims/reduce';
import { where } from '../ops/prims/select';
import { square } from '../ops/composite/arith';
import { scalar } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireFiniteNumber, requireOptions } from '../core/args';

/** Options of `new Lamb()`. */
export interface LambOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * LAMB (Keras 3): Adam's moments `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`,
 * `u = (m / (1 - β1^t)) / (√(v / (1 - β2^t)) + ε)`, then `w -= r·lr·u` with the trust ratio
 * `r = ‖w‖ / ‖u‖` (1 when either norm is 0). Slots `momentum` and `velocity`.
 * Defaults: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7.
 * @example
 * const w = new tg.Variable([3, 4]);
 * const opt = new tg.Lamb({ learningRate: 0.1 });
 * opt.applyGradients([[tg.tensor([1, 1]), w]]);
 * w.value(); // [2.6464467, 3.6464467]  (u ≈ [1, 1], r = 5 / √2)
 */
export class Lamb extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options?: LambOptions) {
    const op = 'Lamb';
    const o = requireOptions<LambOptions>(op, options, [...BASE_OPTION_NAMES, 'beta1', 'beta2', 'epsilon']);
    super(op, o, 0.001);
    this.beta1 = o.beta1 === undefined ? 0.9 : requireFiniteNumber(op, 'beta1', o.beta1);
    this.beta2 = o.beta2 === undefined ? 0.999 : requireFiniteNumber(op, 'beta2', o.beta2);
    this.epsilon = o.epsilon === undefined ? 1e-7 : requireFiniteNumber(op, 'epsilon', o.epsilon);
  }

  protected initialSlots(value: Tensor): Slots {
    return zeroSlots(value, ['momentum', 'velocity']);
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots, step: number): { value: Tensor; slots: Slots } {
    const dtype = w.dtype;
    const t = scalar(step + 1, dtype);
    const beta1Power = pow(scalar(this.beta1, dtype), t);
    const beta2Power = pow(scalar(this.beta2, dtype), t);
    const momentum = add(slots.momentum, mul(sub(g, slots.momentum), 1 - this.beta1));
    const velocity = add(slots.velocity, mul(sub(square(g), slots.velocity), 1 - this.beta2));
    const mHat = div(momentum, sub(1, beta1Power));
    const vSqrt = add(sqrt(div(velocity, sub(1, beta2Power))), this.epsilon);
    const u = div(mHat, vSqrt);
    const wNorm = sqrt(sum(square(w)));
    const uNorm = sqrt(sum(square(u)));
    const one = scalar(1, dtype);
    const ratio = where(greater(wNorm, 0), where(greater(uNorm, 0), div(wNorm, uNorm), one), one);
    return { value: sub(w, mul(mul(ratio, scalar(lr, dtype)), u)), slots: { momentum, velocity } };
  }
}
