// The optimizer base: Keras 3's order in applyGradients (drop null gradients, clip, decoupled weight
// decay, the update, iterations += 1), per-variable state made on first use, and nothing changed
// unless the whole step succeeds.
import { ArgumentError, DTypeError, ShapeError, describe } from '../core/errors';
import { requireFiniteNumber, requireFunction } from '../core/args';
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

/** The option names every optimizer reads (own properties only; any other name is refused). */
export const BASE_OPTION_NAMES = ['learningRate', 'clipNorm', 'clipValue', 'globalClipNorm', 'weightDecay'] as const;

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

  /**
   * `options` must already be read with `requireOptions` (own properties, known names) by the
   * subclass, which names itself in `name`.
   */
  protected constructor(
    readonly name: string,
    options: OptimizerOptions,
    defaultLearningRate: number,
  ) {
    const { learningRate = defaultLearningRate, clipNorm, clipValue, globalClipNorm, weightDecay } = options;
    for (const [key, v] of [
      ['clipNorm', clipNorm],
      ['clipValue', clipValue],
      ['globalClipNorm', globalClipNorm],
      ['weightDecay', weightDecay],
    ] as const)
      if (v !== undefined && v !== null) requireFiniteNumber(name, key, v);
    const set = [clipNorm, clipValue, globalClipNorm].filter((v) => v !== undefined && v !== null);
    if (set.length > 1) {
      throw new ArgumentError(
        `${name}: only one of clipNorm, clipValue and globalClipNorm can be set; got clipNorm=${clipNorm}, clipValue=${clipValue}, globalClipNorm=${globalClipNorm}`,
      );
    }
    if (
      typeof learningRate !== 'function' &&
      !(typeof learningRate === 'number' && learningRate >= 0 && Number.isFinite(learningRate))
    ) {
      throw new ArgumentError(
        `${name}: learningRate must be a non-negative number or a schedule, got ${describe(learningRate)}`,
      );
    }
    this.learningRateOption = learningRate;
    this.clipNorm = clipNorm ?? undefined;
    this.clipValue = clipValue ?? undefined;
    this.globalClipNorm = globalClipNorm ?? undefined;
    this.weightDecay = weightDecay ?? undefined;
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.steps;
  }

  /**
   * The learning rate the next step will use. A schedule that returns anything but a finite number
   * is an ArgumentError naming the optimizer and the step (a step is then refused whole).
   */
  get learningRate(): number {
    const lr = this.learningRateOption;
    if (typeof lr !== 'function') return lr;
    const value: unknown = lr(this.steps);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ArgumentError(
        `${this.name}: the learningRate schedule returned ${describe(value)} at step ${this.steps}; expected a finite number`,
      );
    }
    return value;
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
    const op = `${this.name}.applyGradients`;
    if (
      pairs === null ||
      typeof pairs !== 'object' ||
      typeof (pairs as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function'
    )
      throw new ArgumentError(`${op}: expected an iterable of [gradient, variable] pairs, got ${describe(pairs)}`);
    const all: unknown[] = Array.from(pairs);
    const kept = all.filter((p): p is readonly [Tensor, Variable] => {
      if (
        !Array.isArray(p) ||
        p.length !== 2 ||
        !(p[1] instanceof Variable) ||
        !(p[0] === null || p[0] instanceof Tensor)
      ) {
        throw new ArgumentError(
          `${op}: expected [gradient, variable] pairs (gradient a Tensor or null), got ${describe(p)}`,
        );
      }
      return p[0] !== null;
    });
    if (kept.length === 0) {
      const names = (all as GradientPair[]).map((p) => `'${p[1].name}'`).join(', ');
      throw new ArgumentError(
        `${op}: no gradients provided for any variable (${names || 'none given'}); check that the loss depends on them`,
      );
    }
    for (const [g, v] of kept) {
      if (!isFloat(v.dtype))
        throw new DTypeError(`${op}: variable '${v.name}' has dtype ${v.dtype}; only float variables can be trained`);
      if (!isFloat(g.dtype))
        throw new DTypeError(`${op}: the gradient for '${v.name}' has dtype ${g.dtype}, expected a float`);
      if (!sameShape(g.shape, v.shape)) {
        throw new ShapeError(
          `${op}: the gradient for '${v.name}' has shape ${fmtShape(g.shape)}, but the variable has shape ${fmtShape(v.shape)}`,
        );
      }
      const state = this.slots.get(v.id);
      const first = state && Object.values(state)[0];
      if (first && (!sameShape(first.shape, v.shape) || first.dtype !== v.dtype)) {
        throw new ShapeError(
          `${op}: variable '${v.name}' is now ${fmtShape(v.shape)} ${v.dtype} but its optimizer state is ${fmtShape(first.shape)} ${first.dtype}`,
        );
      }
    }
    const lr = this.learningRate;
    // every new value is computed first, off any tape; then all are committed together
    const { values, slots } = withoutRecorders(() => {
      const grads = this.clip(kept.map(([g, v]) => cast(g, v.dtype)));
      const values = new Map<Variable, Tensor>();
      const slots = new Map<number, Slots>();
      const current = (v: Variable): Tensor => values.get(v) ?? v.peek();
      // NOTE: as Keras 3 (BaseOptimizer.apply: _apply_weight_decay over the list, then update_step
      // for each pair in order), a variable listed twice is decayed twice and updated twice, the
      // second update starting from the first one's value and slots
      if (this.weightDecay !== undefined)
        for (const [, v] of kept) values.set(v, sub(current(v), mul(mul(current(v), this.weightDecay), lr)));
      kept.forEach(([, v], i) => {
        const value = current(v);
        const state = slots.get(v.id) ?? this.slots.get(v.id) ?? this.initialSlots(value);
        const next = this.update(grads[i], value, lr, state, this.steps);
        values.set(v, next.value);
        slots.set(v.id, next.slots);
      });
      return { values, slots };
    });
    for (const [v, value] of values) v.assign(value);
    for (const [id, state] of slots) this.slots.set(id, state);
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
    const op = `${this.name}.minimize`;
    requireFunction(op, 'lossFn', lossFn);
    if (!Array.isArray(varList) || varList.length === 0 || !varList.every((v) => v instanceof Variable))
      throw new ArgumentError(`${op}: varList must be a non-empty array of Variables, got ${describe(varList)}`);
    const tape = new GradientTape();
    let loss: Tensor;
    try {
      tape.watch(varList);
      loss = lossFn();
      if (!(loss instanceof Tensor))
        throw new ArgumentError(`${op}: lossFn must return a Tensor, got ${describe(loss)}`);
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
