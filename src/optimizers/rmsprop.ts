// RMSprop (with momentum and the centered variant), Keras 3's rule.
import type { Tensor } from '../core/tensor';
import { add, div, mul, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { square } from '../ops/composite/arith';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireBoolean, requireFiniteNumber, requireOptions } from '../core/args';

/** Options of `new RMSprop()`. */
export interface RMSpropOptions extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/**
 * RMSprop (Keras 3): `v = ρv + (1 - ρ)g²`; `w -= lr·g / √(v + ε)` (centered: `√(v - ḡ² + ε)`
 * with `ḡ = ρḡ + (1 - ρ)g`); with momentum the increment feeds `m = momentum·m + increment`.
 * Defaults: learning rate 0.001, ρ 0.9, momentum 0, ε 1e-7.
 * @example
 * const opt = new tg.RMSprop({ learningRate: 0.1 });
 */
export class RMSprop extends Optimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options?: RMSpropOptions) {
    const op = 'RMSprop';
    const o = requireOptions<RMSpropOptions>(op, options, [
      ...BASE_OPTION_NAMES,
      'rho',
      'momentum',
      'epsilon',
      'centered',
    ]);
    super(op, o, 0.001);
    this.rho = o.rho === undefined ? 0.9 : requireFiniteNumber(op, 'rho', o.rho);
    this.momentum = o.momentum === undefined ? 0 : requireFiniteNumber(op, 'momentum', o.momentum);
    this.epsilon = o.epsilon === undefined ? 1e-7 : requireFiniteNumber(op, 'epsilon', o.epsilon);
    this.centered = o.centered === undefined ? false : requireBoolean(op, 'centered', o.centered);
  }

  protected initialSlots(value: Tensor): Slots {
    return zeroSlots(value, [
      'velocity',
      ...(this.momentum > 0 ? ['momentum'] : []),
      ...(this.centered ? ['averageGradient'] : []),
    ]);
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots): { value: Tensor; slots: Slots } {
    const velocity = add(mul(slots.velocity, this.rho), mul(square(g), 1 - this.rho));
    const next: Slots = { velocity };
    let denominator: Tensor;
    if (this.centered) {
      next.averageGradient = add(mul(slots.averageGradient, this.rho), mul(g, 1 - this.rho));
      denominator = add(sub(velocity, square(next.averageGradient)), this.epsilon);
    } else {
      denominator = add(velocity, this.epsilon);
    }
    const increment = div(mul(g, lr), sqrt(denominator));
    if (this.momentum > 0) {
      next.momentum = add(mul(slots.momentum, this.momentum), increment);
      return { value: sub(w, next.momentum), slots: next };
    }
    return { value: sub(w, increment), slots: next };
  }
}
