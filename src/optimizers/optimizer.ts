// The optimizer base: Keras 3's order in applyGradients (drop null gradients, clip, decoupled weight
// decay, the update, iterations += 1), per-variable state made on first use, and nothing changed
// unless the whole step succeeds.
import { DTypeError, ShapeError } from '../core/errors';
import { isFloat } from '../core/dtype';
import { fmtShape, sameShape } from '../core/shape';
import { withoutRecorders } from '../core/recording';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import { cast } from '../ops/prims/cast';
import { add, div, maximum, minimum, mul, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { sum } from '../ops/prims/reduce';
import { square, clipByValue } from '../ops/composite/arith';
import { zerosLike } from '../ops/create';
import { GradientTape } from '../autodiff/gradient_tape';
import type { LearningRateSchedule } from './schedules';

/** Options every optimizer takes. */
export interface OptimizerOptions {
  /** A number, or a schedule read at the step count before each step. */
  learningRate?: number | LearningRateSchedule;
  /** Scale each gradient so its L2 norm is at most this. */
  clipNorm?: number;
  /** Clip each gradient element to [-clipValue, clipValue]. */
  clipValue?: number;
  /** Scale all gradients together so their joint L2 norm is at most this. */
  globalClipNorm?: number;
  /** Decoupled weight decay: `w -= w · weightDecay · lr` before each update. */
  weightDecay?: number;
}

/** The per-variable state of an optimizer (moments, accumulators …), by slot name. */
export type Slots = Record<string, Tensor>;

/** A gradient and the variable it belongs to: TF's `zip(grads, vars)`. */
export type GradientPair = readonly [Tensor | null, Variable];

/**
 * The base of every optimizer. Subclasses give the update rule; the base does the rest, in
 * Keras 3's order.
 * @example
 * const w = new tg.Variable(1);
 * const opt = new tg.SGD({ learningRate: 0.1 });
 * opt.applyGradients([[tg.scalar(2), w]]);
 * w.value(); // 0.8  (1 - 0.1 · 2)
 */
export abstract class Optimizer {
  private steps = 0;
  private readonly slots = new Map<number, Slots>();
  protected readonly learningRateOption: number | LearningRateSchedule;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly globalClipNorm?: number;
  readonly weightDecay?: number;

  protected constructor(
    readonly name: string,
    options: OptimizerOptions,
    defaultLearningRate: number,
  ) {
    const { learningRate = defaultLearningRate, clipNorm, clipValue, globalClipNorm, weightDecay } = options;
    const set = [clipNorm, clipValue, globalClipNorm].filter((v) => v !== undefined && v !== null);
    if (set.length > 1) {
      throw new RangeError(
        `${name}: only one of clipNorm, clipValue and globalClipNorm can be set; got clipNorm=${clipNorm}, clipValue=${clipValue}, globalClipNorm=${globalClipNorm}`,
      );
    }
    if (
      typeof learningRate !== 'function' &&
      !(typeof learningRate === 'number' && learningRate >= 0 && Number.isFinite(learningRate))
    ) {
      throw new RangeError(
        `${name}: learningRate must be a non-negative number or a schedule, got ${String(learningRate)}`,
      );
    }
    this.learningRateOption = learningRate;
    this.clipNorm = clipNorm;
    this.clipValue = clipValue;
    this.globalClipNorm = globalClipNorm;
    this.weightDecay = weightDecay;
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.steps;
  }

  /** The learning rate the next step will use. */
  get learningRate(): number {
    const lr = this.learningRateOption;
    return typeof lr === 'function' ? lr(this.steps) : lr;
  }

  /**
   * The update rule: the variable's new value and new slots from a (clipped) gradient, the value
   * after weight decay, the learning rate and the current slots. Pure: it changes nothing itself.
   */
  protected abstract update(
    gradient: Tensor,
    value: Tensor,
    lr: number,
    slots: Slots,
    step: number,
  ): { value: Tensor; slots: Slots };

  /** The state a variable starts with. */
  protected abstract initialSlots(value: Tensor): Slots;

  /**
   * Applies one step for each `[gradient, variable]` pair; pairs with a `null` gradient are skipped.
   * Either every variable is updated or, when anything is wrong, none is.
   * @example
   * const vars = [new tg.Variable(1), new tg.Variable(2)];
   * using tape = new tg.GradientTape();
   * const grads = tape.gradient(vars[0].mul(vars[1]), vars); // [Tensor(2), Tensor(1)]
   * const opt = new tg.SGD({ learningRate: 0.1 });
   * opt.applyGradients(grads.map((g, i) => [g, vars[i]] as const));
   * vars[0].value(); // 0.8  (1 - 0.1 · 2)
   */
  applyGradients(pairs: Iterable<GradientPair>): void {
    const all = Array.from(pairs);
    const kept = all.filter((p): p is readonly [Tensor, Variable] => {
      if (
        !Array.isArray(p) ||
        p.length !== 2 ||
        !(p[1] instanceof Variable) ||
        !(p[0] === null || p[0] instanceof Tensor)
      ) {
        throw new TypeError(
          `${this.name}.applyGradients: expected [gradient, variable] pairs (gradient a Tensor or null), got ${String(p)}`,
        );
      }
      return p[0] !== null;
    });
    if (kept.length === 0) {
      throw new Error(
        `${this.name}.applyGradients: no gradients provided for any variable (${all.map((p) => `'${p[1].name}'`).join(', ') || 'none given'}); check that the loss depends on them`,
      );
    }
    for (const [g, v] of kept) {
      if (!isFloat(v.dtype))
        throw new DTypeError(
          `${this.name}.applyGradients: variable '${v.name}' has dtype ${v.dtype}; only float variables can be trained`,
        );
      if (!isFloat(g.dtype))
        throw new DTypeError(
          `${this.name}.applyGradients: the gradient for '${v.name}' has dtype ${g.dtype}, expected a float`,
        );
      if (!sameShape(g.shape, v.shape)) {
        throw new ShapeError(
          `${this.name}.applyGradients: the gradient for '${v.name}' has shape ${fmtShape(g.shape)}, but the variable has shape ${fmtShape(v.shape)}`,
        );
      }
      const state = this.slots.get(v.id);
      const first = state && Object.values(state)[0];
      if (first && (!sameShape(first.shape, v.shape) || first.dtype !== v.dtype)) {
        throw new ShapeError(
          `${this.name}.applyGradients: variable '${v.name}' is now ${fmtShape(v.shape)} ${v.dtype} but its optimizer state is ${fmtShape(first.shape)} ${first.dtype}`,
        );
      }
    }
    const lr = this.learningRate;
    // every new value is computed first, off any tape; then all are committed together
    const results = withoutRecorders(() => {
      const grads = this.clip(kept.map(([g, v]) => cast(g, v.dtype)));
      return kept.map(([, v], i) => {
        let value = v.peek();
        if (this.weightDecay !== undefined && this.weightDecay !== null)
          value = sub(value, mul(mul(value, this.weightDecay), lr));
        return this.update(grads[i], value, lr, this.slots.get(v.id) ?? this.initialSlots(value), this.steps);
      });
    });
    kept.forEach(([, v], i) => {
      v.assign(results[i].value);
      this.slots.set(v.id, results[i].slots);
    });
    this.steps += 1;
  }

  /**
   * Computes the loss under a tape, its gradients with respect to `varList`, and applies them.
   * Returns the loss.
   * @example
   * const w = new tg.Variable(0);
   * const b = new tg.Variable(0);
   * const x = tg.tensor([1, 2]);
   * const y = tg.tensor([3, 5]);
   * const opt = new tg.SGD({ learningRate: 0.1 });
   * const loss = opt.minimize(() => tg.losses.meanSquaredError(y, x.mul(w).add(b)), [w, b]); // 17
   * w.value(); // 1.3  (0 - 0.1 · -13)
   */
  minimize(lossFn: () => Tensor, varList: readonly Variable[]): Tensor {
    const tape = new GradientTape();
    let loss: Tensor;
    try {
      tape.watch(varList);
      loss = lossFn();
    } finally {
      tape.dispose();
    }
    const grads = tape.gradient(loss, varList);
    this.applyGradients(grads.map((g, i) => [g, varList[i]] as const));
    return loss;
  }

  /** Keras's clipping: by each gradient's norm, by the global norm, or by value. */
  private clip(grads: Tensor[]): Tensor[] {
    if (this.clipNorm !== undefined && this.clipNorm > 0) {
      const c = this.clipNorm;
      return grads.map((g) => div(mul(g, c), maximum(sqrt(sum(square(g))), c)));
    }
    if (this.globalClipNorm !== undefined && this.globalClipNorm > 0) {
      const c = this.globalClipNorm;
      const norm = sqrt(grads.map((g) => cast(sum(square(g)), 'float64')).reduce((a, b) => add(a, b)));
      const scale = mul(minimum(div(1, norm), 1 / c), c);
      return grads.map((g) => mul(g, cast(scale, g.dtype)));
    }
    if (this.clipValue !== undefined && this.clipValue > 0) {
      const c = this.clipValue;
      return grads.map((g) => clipByValue(g, -c, c));
    }
    return grads;
  }
}

/** Zeros like a value, for slots that start at zero. */
export function zeroSlots(value: Tensor, names: readonly string[]): Slots {
  return Object.fromEntries(names.map((n) => [n, zerosLike(value)]));
}
