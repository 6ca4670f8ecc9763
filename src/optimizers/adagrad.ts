// Adagrad, Keras 3's rule.
import type { Tensor } from '../core/tensor';
import { add, div, mul, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { square } from '../ops/composite/arith';
import { fill } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer } from './optimizer';
import { requireFiniteNumber, requireOptions } from '../core/args';

/** Options of `new Adagrad()`. */
export interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/**
 * Adagrad (Keras 3): `acc += g²`, `w -= lr·g / √(acc + ε)`; the accumulator starts at
 * `initialAccumulatorValue`. Defaults: learning rate 0.001, initial accumulator 0.1, ε 1e-7.
 * @example
 * const opt = new tg.Adagrad({ learningRate: 0.5 });
 */
export class Adagrad extends Optimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options?: AdagradOptions) {
    const op = 'Adagrad';
    const o = requireOptions<AdagradOptions>(op, options, [...BASE_OPTION_NAMES, 'initialAccumulatorValue', 'epsilon']);
    super(op, o, 0.001);
    this.initialAccumulatorValue =
      o.initialAccumulatorValue === undefined
        ? 0.1
        : requireFiniteNumber(op, 'initialAccumulatorValue', o.initialAccumulatorValue);
    this.epsilon = o.epsilon === undefined ? 1e-7 : requireFiniteNumber(op, 'epsilon', o.epsilon);
  }

  protected initialSlots(value: Tensor): Slots {
    return { accumulator: fill(value.shape, this.initialAccumulatorValue, value.dtype) };
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots): { value: Tensor; slots: Slots } {
    const accumulator = add(slots.accumulator, square(g));
    return { value: sub(w, div(mul(g, lr), sqrt(add(accumulator, this.epsilon)))), slots: { accumulator } };
  }
}
