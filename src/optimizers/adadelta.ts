// Adadelta, Keras 3's rule.
import type { Tensor } from '../core/tensor';
import { add, div, mul } from '../ops/prims/binary';
import { neg, sqrt } from '../ops/prims/unary';
import { square } from '../ops/composite/arith';
import { scalar } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireFiniteNumber, requireOptions } from '../core/args';

/** Options of `new Adadelta()`. */
export interface AdadeltaOptions extends OptimizerOptions {
  rho?: number;
  epsilon?: number;
}

/**
 * Adadelta (Keras 3): `E[g²] = ρE[g²] + (1 - ρ)g²`,
 * `Δ = -√(E[Δ²] + ε)·g / √(E[g²] + ε)`, `E[Δ²] = ρE[Δ²] + (1 - ρ)Δ²`, `w += lr·Δ`.
 * Slots `accumulatedGrad` and `accumulatedDeltaVar`. Defaults: learning rate 0.001, ρ 0.95, ε 1e-7.
 * @example
 * const w = new tg.Variable(1);
 * const opt = new tg.Adadelta({ learningRate: 1 });
 * opt.applyGradients([[tg.scalar(2), w]]);
 * w.value(); // 0.9985858  (1 - √1e-7 · 2 / √(0.05 · 4 + 1e-7))
 */
export class Adadelta extends Optimizer {
  readonly rho: number;
  readonly epsilon: number;

  constructor(options?: AdadeltaOptions) {
    const op = 'Adadelta';
    const o = requireOptions<AdadeltaOptions>(op, options, [...BASE_OPTION_NAMES, 'rho', 'epsilon']);
    super(op, o, 0.001);
    this.rho = o.rho === undefined ? 0.95 : requireFiniteNumber(op, 'rho', o.rho);
    this.epsilon = o.epsilon === undefined ? 1e-7 : requireFiniteNumber(op, 'epsilon', o.epsilon);
  }

  protected initialSlots(value: Tensor): Slots {
    return zeroSlots(value, ['accumulatedGrad', 'accumulatedDeltaVar']);
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots): { value: Tensor; slots: Slots } {
    const rho = this.rho;
    const rms = (x: Tensor) => sqrt(add(x, this.epsilon));
    const accumulatedGrad = add(mul(slots.accumulatedGrad, rho), mul(square(g), 1 - rho));
    const delta = neg(div(mul(rms(slots.accumulatedDeltaVar), g), rms(accumulatedGrad)));
    const accumulatedDeltaVar = add(mul(slots.accumulatedDeltaVar, rho), mul(square(delta), 1 - rho));
    return {
      value: add(w, mul(scalar(lr, w.dtype), delta)),
      slots: { accumulatedGrad, accumulatedDeltaVar },
    };
  }
}
