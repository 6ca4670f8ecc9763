// Adafactor, Keras 3's rule: second moments factored into row and column means for rank ≥ 2.
import type { Tensor } from '../core/tensor';
import { add, div, maximum, minimum, mul, pow, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { square } from '../ops/composite/arith';
import { mean } from '../ops/composite/reduce';
import { expandDims } from '../ops/composite/shape';
import { scalar, zeros, zerosLike } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer } from './optimizer';
import { requireBoolean, requireFiniteNumber, requireOptions } from '../core/args';

/** Options of `new Adafactor()`. */
export interface AdafactorOptions extends OptimizerOptions {
  beta2Decay?: number;
  epsilon1?: number;
  epsilon2?: number;
  clipThreshold?: number;
  relativeStep?: boolean;
}

/** √mean(x²). */
function rms(x: Tensor): Tensor {
  return sqrt(mean(square(x)));
}

/**
 * Adafactor (Keras 3), at step t: `ρ = min(lr, 1/√t)`, `α = max(ε2, rms(w))·ρ`,
 * `β = 1 - t^beta2Decay`, `G = g² + ε1`. For rank ≥ 2, `r = βr + (1 - β)·mean(G, -1)`,
 * `c = βc + (1 - β)·mean(G, -2)`, `v = (r / mean(r, -1))[…, None] · c[…, None, :]`; otherwise
 * `v = βv + (1 - β)G`. Then `u = g / √v`, `w -= α·u / max(1, rms(u) / clipThreshold)`. Slots `velocity`,
 * and for rank ≥ 2 `r` (shape without the last dimension) and `c` (without the second last).
 * Defaults: learning rate 0.001, beta2Decay -0.8, ε1 1e-30, ε2 1e-3, clipThreshold 1, relativeStep true
 * (in Keras 3 the learning rate is capped at 1/√t either way).
 * @example
 * const w = new tg.Variable([3, 4]);
 * const opt = new tg.Adafactor({ learningRate: 0.1 });
 * opt.applyGradients([[tg.tensor([1, -1]), w]]);
 * w.value(); // [2.6464467, 4.3535533]  (α = rms([3, 4]) · 0.1 = 0.3535534, u = [1, -1])
 */
export class Adafactor extends Optimizer {
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  readonly relativeStep: boolean;

  constructor(options?: AdafactorOptions) {
    const op = 'Adafactor';
    const o = requireOptions<AdafactorOptions>(op, options, [
      ...BASE_OPTION_NAMES,
      'beta2Decay',
      'epsilon1',
      'epsilon2',
      'clipThreshold',
      'relativeStep',
    ]);
    super(op, o, 0.001);
    this.beta2Decay = o.beta2Decay === undefined ? -0.8 : requireFiniteNumber(op, 'beta2Decay', o.beta2Decay);
    this.epsilon1 = o.epsilon1 === undefined ? 1e-30 : requireFiniteNumber(op, 'epsilon1', o.epsilon1);
    this.epsilon2 = o.epsilon2 === undefined ? 1e-3 : requireFiniteNumber(op, 'epsilon2', o.epsilon2);
    this.clipThreshold = o.clipThreshold === undefined ? 1 : requireFiniteNumber(op, 'clipThreshold', o.clipThreshold);
    this.relativeStep = o.relativeStep === undefined ? true : requireBoolean(op, 'relativeStep', o.relativeStep);
  }

  protected initialSlots(value: Tensor): Slots {
    const velocity = zerosLike(value);
    if (value.rank < 2) return { velocity };
    const shape = value.shape;
    return {
      velocity,
      r: zeros(shape.slice(0, -1), value.dtype),
      c: zeros([...shape.slice(0, -2), shape[shape.length - 1]], value.dtype),
    };
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots, step: number): { value: Tensor; slots: Slots } {
    const dtype = w.dtype;
    const t = scalar(step + 1, dtype);
    // NOTE: Keras first caps lr at 1/√t when relativeStep (and lr is not a schedule), then takes
    // ρ = min(lr, 1/√t) anyway: the result is the same either way
    const rho = minimum(scalar(lr, dtype), div(1, sqrt(t)));
    const alpha = mul(maximum(scalar(this.epsilon2, dtype), rms(w)), rho);
    const grad2 = add(square(g), this.epsilon1);
    const beta = sub(1, pow(t, this.beta2Decay));
    const decayed = (old: Tensor, fresh: Tensor) => add(mul(beta, old), mul(sub(1, beta), fresh));
    let next: Slots;
    if (w.rank >= 2) {
      const r = decayed(slots.r, mean(grad2, -1));
      const c = decayed(slots.c, mean(grad2, -2));
      const velocity = mul(expandDims(div(r, mean(r, -1, true)), -1), expandDims(c, -2));
      next = { velocity, r, c };
    } else {
      next = { velocity: decayed(slots.velocity, grad2) };
    }
    const u = div(g, sqrt(next.velocity));
    const uHat = div(u, maximum(scalar(1, dtype), div(rms(u), this.clipThreshold)));
    return { value: sub(w, mul(alpha, uHat)), slots: next };
  }
}
