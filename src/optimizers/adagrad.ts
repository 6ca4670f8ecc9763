// Adagrad, Keras 3's rule.
import type { Tensor } from '../core/tensor';
import { add, div, mul, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { square } from '../ops/composite/arith';
import { fill } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { Optimizer } from './optimizer';

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

  constructor(options: AdagradOptions = {}) {
    super('Adagrad', options, 0.001);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  protected initialSlots(value: Tensor): Slots {
    return { accumulator: fill(value.shape, this.initialAccumulatorValue, value.dtype) };
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots): { value: Tensor; slots: Slots } {
    const accumulator = add(slots.accumulator, square(g));
    return { value: sub(w, div(mul(g, lr), sqrt(add(accumulator, this.epsilon)))), slots: { accumulator } };
  }
}
