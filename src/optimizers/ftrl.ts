// FTRL-proximal, Keras 3's rule, with L1, L2 and L2-shrinkage regularisation.
import type { Tensor } from '../core/tensor';
import { add, div, mul, pow, sub } from '../ops/prims/binary';
import { clipByValue, square } from '../ops/composite/arith';
import { fill, scalar, zerosLike } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer } from './optimizer';
import { requireFiniteNumber, requireOptions } from '../core/args';
import { ArgumentError } from '../core/errors';

/** Options of `new Ftrl()`. */
export interface FtrlOptions extends OptimizerOptions {
  /** ≤ 0. */
  learningRatePower?: number;
  /** ≥ 0. */
  initialAccumulatorValue?: number;
  /** ≥ 0. */
  l1RegularizationStrength?: number;
  /** ≥ 0. */
  l2RegularizationStrength?: number;
  /** ≥ 0. */
  l2ShrinkageRegularizationStrength?: number;
  beta?: number;
}

/**
 * FTRL (Keras 3), with `p = -learningRatePower`, `λ2 = l2 + β / (2·lr)`:
 * `n' = n + g²`, `z += g + 2·l2Shrinkage·w - (n'^p - n^p)/lr · w`,
 * `w = (clip(z, -l1, l1) - z) / (n'^p / lr + 2λ2)`, `n = n'`. Slots `accumulator` (starting at
 * `initialAccumulatorValue`) and `linear`. Defaults: learning rate 0.001, learningRatePower -0.5,
 * initialAccumulatorValue 0.1, the regularisation strengths and β 0.
 * @example
 * const w = new tg.Variable(0);
 * const opt = new tg.Ftrl({ learningRate: 0.5, initialAccumulatorValue: 0 });
 * opt.applyGradients([[tg.scalar(2), w]]);
 * w.value(); // -0.5  (z = 2, w = -z / (√4 / 0.5))
 */
export class Ftrl extends Optimizer {
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options?: FtrlOptions) {
    const op = 'Ftrl';
    const o = requireOptions<FtrlOptions>(op, options, [
      ...BASE_OPTION_NAMES,
      'learningRatePower',
      'initialAccumulatorValue',
      'l1RegularizationStrength',
      'l2RegularizationStrength',
      'l2ShrinkageRegularizationStrength',
      'beta',
    ]);
    super(op, o, 0.001);
    const read = (key: keyof FtrlOptions & string, fallback: number, sign: 'negative' | 'positive') => {
      const v = o[key] === undefined ? fallback : requireFiniteNumber(op, key, o[key]);
      // Keras 3: "`learning_rate_power` needs to be negative or zero", the others "positive or zero"
      if (sign === 'negative' ? v > 0 : v < 0)
        throw new ArgumentError(`${op}: ${key} must be ${sign === 'negative' ? '<= 0' : '>= 0'}, got ${v}`);
      return v;
    };
    this.initialAccumulatorValue = read('initialAccumulatorValue', 0.1, 'positive');
    this.learningRatePower = read('learningRatePower', -0.5, 'negative');
    this.l1RegularizationStrength = read('l1RegularizationStrength', 0, 'positive');
    this.l2RegularizationStrength = read('l2RegularizationStrength', 0, 'positive');
    this.l2ShrinkageRegularizationStrength = read('l2ShrinkageRegularizationStrength', 0, 'positive');
    this.beta = o.beta === undefined ? 0 : requireFiniteNumber(op, 'beta', o.beta);
  }

  protected initialSlots(value: Tensor): Slots {
    return { accumulator: fill(value.shape, this.initialAccumulatorValue, value.dtype), linear: zerosLike(value) };
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots): { value: Tensor; slots: Slots } {
    const lrT = scalar(lr, w.dtype);
    const power = -this.learningRatePower;
    // Keras: l2_reg + beta / (2.0 · lr), lr already in the variable's dtype
    const l2 = add(div(this.beta, mul(lrT, 2)), this.l2RegularizationStrength);
    const gradToUse = add(g, mul(w, 2 * this.l2ShrinkageRegularizationStrength));
    const accumulator = add(slots.accumulator, square(g));
    const sigma = mul(div(sub(pow(accumulator, power), pow(slots.accumulator, power)), lrT), w);
    const linear = add(slots.linear, sub(gradToUse, sigma));
    const quadratic = add(div(pow(accumulator, power), lrT), mul(l2, 2));
    const l1 = this.l1RegularizationStrength;
    const value = div(sub(clipByValue(linear, -l1, l1), linear), quadratic);
    return { value, slots: { accumulator, linear } };
  }
}
