// Nadam, Keras 3's rule: Adam with Nesterov momentum and the momentum-schedule product `uProduct`.
import type { DType } from '../core/dtype';
import type { Tensor } from '../core/tensor';
import { add, div, mul, pow, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { square } from '../ops/composite/arith';
import { scalar } from '../ops/create';
import { cast } from '../ops/prims/cast';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireFiniteNumber, requireOptions } from '../core/args';

/** Options of `new Nadam()`. */
export interface NadamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Nadam (Keras 3): with `μ_t = β1(1 - 0.5·0.96^t)` and the running product `Π = μ_1···μ_t`
 * (optimizer-wide state `uProduct`, updated once per step), `m += (g - m)(1 - β1)`,
 * `v += (g² - v)(1 - β2)`, `m̂ = μ_{t+1}·m / (1 - Π·μ_{t+1}) + (1 - μ_t)·g / (1 - Π)`,
 * `w -= lr·m̂ / (√(v / (1 - β2^t)) + ε)`. Slots `momentum` and `velocity`.
 * Defaults: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7.
 * @example
 * const w = new tg.Variable(1);
 * const opt = new tg.Nadam({ learningRate: 0.1 });
 * opt.applyGradients([[tg.scalar(2), w]]);
 * w.value(); // 0.8937212  (1 - 0.1 · m̂ / √v̂ with m̂ = 0.48528 · 0.2 / (1 - 0.468 · 0.48528) + 2, v̂ = 4)
 */
export class Nadam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options?: NadamOptions) {
    const op = 'Nadam';
    const o = requireOptions<NadamOptions>(op, options, [...BASE_OPTION_NAMES, 'beta1', 'beta2', 'epsilon']);
    super(op, o, 0.001);
    this.beta1 = o.beta1 === undefined ? 0.9 : requireFiniteNumber(op, 'beta1', o.beta1);
    this.beta2 = o.beta2 === undefined ? 0.999 : requireFiniteNumber(op, 'beta2', o.beta2);
    this.epsilon = o.epsilon === undefined ? 1e-7 : requireFiniteNumber(op, 'epsilon', o.epsilon);
  }

  protected initialSlots(value: Tensor): Slots {
    return zeroSlots(value, ['momentum', 'velocity']);
  }

  protected override globalSlotNames(): readonly string[] {
    return ['uProduct'];
  }

  protected override initialGlobals(dtype: DType): Slots {
    // Keras: a scalar variable 1.0 in the dtype of the first variable
    return { uProduct: scalar(1, dtype) };
  }

  protected override updateGlobals(globals: Slots, step: number): Slots {
    // Keras: u_product = u_product · β1 · (1 - 0.5 · 0.96^(iterations + 1)), in u_product's dtype
    const u = globals.uProduct;
    const decay = pow(scalar(0.96, u.dtype), scalar(step + 1, u.dtype));
    return { uProduct: mul(mul(u, this.beta1), sub(1, mul(decay, 0.5))) };
  }

  protected update(
    g: Tensor,
    w: Tensor,
    lr: number,
    slots: Slots,
    step: number,
    globals: Slots,
  ): { value: Tensor; slots: Slots } {
    const dtype = w.dtype;
    // everything in the variable's dtype, as Keras casts β1, β2 and 0.96 first
    const beta1 = scalar(this.beta1, dtype);
    const beta2 = scalar(this.beta2, dtype);
    const decay = scalar(0.96, dtype);
    const uT = mul(beta1, sub(1, mul(pow(decay, scalar(step + 1, dtype)), 0.5)));
    const uT1 = mul(beta1, sub(1, mul(pow(decay, scalar(step + 2, dtype)), 0.5)));
    const uProductT = cast(globals.uProduct, dtype);
    const uProductT1 = mul(uProductT, uT1);
    const beta2Power = pow(beta2, scalar(step + 1, dtype));
    const momentum = add(slots.momentum, mul(sub(g, slots.momentum), sub(1, beta1)));
    const velocity = add(slots.velocity, mul(sub(square(g), slots.velocity), sub(1, beta2)));
    const mHat = add(div(mul(uT1, momentum), sub(1, uProductT1)), div(mul(sub(1, uT), g), sub(1, uProductT)));
    const vHat = div(velocity, sub(1, beta2Power));
    const value = sub(w, div(mul(mHat, scalar(lr, dtype)), add(sqrt(vHat), this.epsilon)));
    return { value, slots: { momentum, velocity } };
  }
}
