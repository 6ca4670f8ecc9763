// The optimizer base: Keras 3's order in applyGradients (drop null gradients, gradient accumulation, clip,
// decoupled weight decay, the update, the weights' moving average, iterations += 1), per-variable state made
// on first use, and nothing changed unless the whole step succeeds.
import { ArgumentError, DTypeError, ShapeError, describe } from '../core/errors';
import { requireBoolean, requireFiniteNumber, requireFunction, requireInteger } from '../core/args';
import type { DType } from '../core/dtype';
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
import { scalar, zerosLike } from '../ops/create';
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
  /**
   * Keep an exponential moving average of each trained variable (Keras's `use_ema`): after every step
   * `average = emaMomentum · average + (1 - emaMomentum) · w` (on the first step `average = w`). Default false.
   */
  useEma?: boolean;
  /** The moving average's momentum, in [0, 1]. Default 0.99. */
  emaMomentum?: number;
  /**
   * With `useEma`, overwrite the variables with their averages every this many steps (an integer ≥ 1);
   * by default never (call `finalizeVariableValues()` at the end instead).
   */
  emaOverwriteFrequency?: number | null;
  /**
   * Sum the gradients of this many calls (an integer ≥ 2) and apply their mean on the last one; the
   * calls in between change no variable. `iterations` counts applied updates.
   */
  gradientAccumulationSteps?: number | null;
}

/** The option names every optimizer reads (own properties only; any other name is refused). */
export const BASE_OPTION_NAMES = [
  'learningRate',
  'clipNorm',
  'clipValue',
  'globalClipNorm',
  'weightDecay',
  'useEma',
  'emaMomentum',
  'emaOverwriteFrequency',
  'gradientAccumulationSteps',
] as const;

/** The per-variable state of an optimizer (moments, accumulators …), by slot name. */
export type Slots = Record<string, Tensor>;

/** A gradient and the variable it belongs to: TF's `zip(grads, vars)`. */
export type GradientPair = readonly [Tensor | null, Variable];

/**
 * One slot of one variable's optimizer state, as a checkpoint reads and writes it.
 * @internal
 */
export interface SlotEntry {
  readonly slot: string;
  readonly variable: Variable;
  readonly value: Tensor;
}

/**
 * One piece of optimizer-wide state (`'iterations'`, Nadam's `'uProduct'`), as a checkpoint reads and writes it.
 * @internal
 */
export interface GlobalEntry {
  readonly name: string;
  readonly value: Tensor;
}

/** The slot holding the weights' moving average (`useEma`), as Keras's "average". */
const AVERAGE = 'average';
/** The slot holding the summed gradients (`gradientAccumulationSteps`), as Keras's "gradient_accumulator". */
const ACCUMULATOR = 'gradientAccumulator';

/** A variable's state: the update rule's slots and the base's (average, gradientAccumulator). */
interface VariableState {
  readonly variable: Variable;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly slots: Slots;
  readonly base: Slots;
}

/**
 * The base of every optimizer. Subclasses give the update rule; the base does the rest, in
 * Keras 3's order.
 *
 * For the checkpoint (all internal, hidden from the public types): `slotEntries()` lists every variable's state as
 * `{ slot, variable, value }` (the rule's slots, then `average` with `useEma` and `gradientAccumulator`
 * with `gradientAccumulationSteps`), variables in first-use order; `slotSpecs(variable)` gives the slot
 * names, shapes and dtypes a variable has or would have; `setSlotEntries(entries)` checks and then
 * replaces the state of each variable named (all its slots, or nothing changes). `globalEntries()` /
 * `setGlobalEntries()` do the same for optimizer-wide state: `iterations` (int32 scalar, the count of
 * `applyGradients` calls, Keras's `_iterations`) and the names of `globalNames()` (Nadam's `uProduct`).
 * Restoring all of them into a fresh optimizer of the same options resumes bit for bit.
 * @example
 * const w = new tg.Variable(1);
 * const opt = new tg.SGD({ learningRate: 0.1 });
 * opt.applyGradients([[tg.scalar(2), w]]);
 * w.value(); // 0.8  (1 - 0.1 · 2)
 */
export abstract class Optimizer {
  /** Calls of applyGradients so far (Keras's `_iterations`). */
  private steps = 0;
  private readonly states = new Map<number, VariableState>();
  /** Optimizer-wide state of the rule (Nadam's uProduct), made on the first call. */
  private globals: Slots | undefined;
  protected readonly learningRateOption: number | LearningRateSchedule;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly globalClipNorm?: number;
  readonly weightDecay?: number;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency?: number;
  readonly gradientAccumulationSteps?: number;

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
    this.useEma = options.useEma === undefined ? false : requireBoolean(name, 'useEma', options.useEma);
    this.emaMomentum =
      options.emaMomentum === undefined ? 0.99 : requireFiniteNumber(name, 'emaMomentum', options.emaMomentum);
    // Keras 3: "`ema_momentum` must be in the range [0, 1]"
    if (!(this.emaMomentum >= 0 && this.emaMomentum <= 1))
      throw new ArgumentError(`${name}: emaMomentum must be in [0, 1], got ${this.emaMomentum}`);
    const every = options.emaOverwriteFrequency;
    // Keras 3: "`ema_overwrite_frequency` must be an integer >= 1 or None"
    if (every !== undefined && every !== null)
      this.emaOverwriteFrequency = requireInteger(name, 'emaOverwriteFrequency', every, 1);
    const accumulate = options.gradientAccumulationSteps;
    // Keras 3: "`gradient_accumulation_steps` must be an integer >= 2"
    if (accumulate !== undefined && accumulate !== null)
      this.gradientAccumulationSteps = requireInteger(name, 'gradientAccumulationSteps', accumulate, 2);
  }

  /**
   * Updates applied so far, as Keras's `optimizer.iterations`: the number of `applyGradients` calls,
   * divided (rounding down) by `gradientAccumulationSteps` when gradients are accumulated.
   */
  get iterations(): number {
    const n = this.gradientAccumulationSteps;
    return n === undefined ? this.steps : Math.floor(this.steps / n);
  }

  /**
   * The learning rate the next step will use. A schedule is read at the number of `applyGradients` calls
   * so far (as Keras reads it at its raw iteration count, also when accumulating gradients). A schedule
   * that returns anything but a finite number is an ArgumentError naming the optimizer and the step (a
   * step is then refused whole).
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
   * after weight decay, the learning rate, the current slots, Keras's `iterations` before the step,
   * and the optimizer-wide state already updated for this step. Pure: it changes nothing itself.
   */
  protected abstract update(
    gradient: Tensor,
    value: Tensor,
    lr: number,
    slots: Slots,
    step: number,
    globals: Slots,
  ): { value: Tensor; slots: Slots };

  /** The state a variable starts with. */
  protected abstract initialSlots(value: Tensor): Slots;

  /** The names of the rule's optimizer-wide state (Nadam's `uProduct`); none by default. */
  protected globalSlotNames(): readonly string[] {
    return [];
  }

  /** The rule's optimizer-wide state, made on the first call in the dtype of its first variable. */
  protected initialGlobals(dtype: DType): Slots {
    void dtype;
    return {};
  }

  /** Updates the optimizer-wide state once per applied update, before the variables' updates. */
  protected updateGlobals(globals: Slots, step: number): Slots {
    void step;
    return globals;
  }

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
    }
    // the states this call reads: the trained variables', and every one's with EMA or accumulation
    const touchesAll = this.useEma || this.gradientAccumulationSteps !== undefined;
    for (const state of this.states.values()) {
      const v = state.variable;
      if (!touchesAll && !kept.some(([, k]) => k === v)) continue;
      if (!sameShape(state.shape, v.shape) || state.dtype !== v.dtype) {
        throw new ShapeError(
          `${op}: variable '${v.name}' is now ${fmtShape(v.shape)} ${v.dtype} but its optimizer state is for ${fmtShape(state.shape)} ${state.dtype}`,
        );
      }
    }
    const n = this.gradientAccumulationSteps;
    // Keras: is_update_step = (_iterations + 1) % steps == 0; update_step sees iterations = _iterations // steps
    const isUpdate = n === undefined || (this.steps + 1) % n === 0;
    const step = this.iterations;
    const lr = isUpdate ? this.learningRate : 0;
    // every new value is computed first, off any tape; then all are committed together
    const { values, states, globals } = withoutRecorders(() => {
      const values = new Map<Variable, Tensor>();
      const states = new Map<number, VariableState>();
      const current = (v: Variable): Tensor => values.get(v) ?? v.peek();
      const stateOf = (v: Variable): VariableState =>
        states.get(v.id) ?? this.states.get(v.id) ?? this.newState(v, this.steps === 0);
      // Keras builds every slot on the first call, accumulating or not
      for (const [, v] of kept) if (!states.has(v.id)) states.set(v.id, stateOf(v));
      let globals = this.globals ?? this.initialGlobals(kept[0][1].dtype);
      const setBase = (v: Variable, name: string, value: Tensor) => {
        const s = stateOf(v);
        states.set(v.id, { ...s, base: { ...s.base, [name]: value } });
      };
      if (n !== undefined && !isUpdate) {
        // NOTE: as Keras, each new sum starts from the committed one (a variable listed twice keeps the last)
        for (const [g, v] of kept) setBase(v, ACCUMULATOR, add(this.committedBase(v, states), cast(g, v.dtype)));
      } else {
        let raw = kept.map(([g, v]) => cast(g, v.dtype));
        // Keras: grads = (g + accumulated) / steps, then clipping and weight decay as usual
        if (n !== undefined) raw = raw.map((g, i) => div(add(g, this.committedBase(kept[i][1], states)), n));
        const grads = this.clip(raw);
        // NOTE: as Keras 3 (BaseOptimizer.apply: _apply_weight_decay over the list, then update_step
        // for each pair in order), a variable listed twice is decayed twice and updated twice, the
        // second update starting from the first one's value and slots
        if (this.weightDecay !== undefined)
          for (const [, v] of kept) values.set(v, sub(current(v), mul(mul(current(v), this.weightDecay), lr)));
        globals = this.updateGlobals(globals, step);
        kept.forEach(([, v], i) => {
          const s = stateOf(v);
          const next = this.update(grads[i], current(v), lr, s.slots, step, globals);
          values.set(v, next.value);
          states.set(v.id, { ...s, slots: next.slots });
        });
        // Keras resets every accumulator, also those of variables without a gradient this time
        if (n !== undefined)
          for (const s of this.allStates(states)) setBase(s.variable, ACCUMULATOR, zerosLike(s.base[ACCUMULATOR]));
      }
      if (this.useEma) {
        // Keras: momentum = (iterations != 0) · emaMomentum; average = m·average + (1 - m)·w, for every
        // variable the optimizer knows, then maybe every variable overwritten by its average
        const overwrite = this.emaOverwriteFrequency !== undefined && (step + 1) % this.emaOverwriteFrequency === 0;
        for (const s of this.allStates(states)) {
          const v = s.variable;
          const m = scalar(step === 0 ? 0 : this.emaMomentum, v.dtype);
          const average = add(mul(m, s.base[AVERAGE]), mul(sub(1, m), current(v)));
          setBase(v, AVERAGE, average);
          if (overwrite) values.set(v, average);
        }
      }
      return { values, states, globals };
    });
    for (const [v, value] of values) v.assign(value);
    for (const [id, state] of states) this.states.set(id, state);
    this.globals = globals;
    this.steps += 1;
  }

  /**
   * With `useEma`, sets each variable of `varList` (by default every variable the optimizer has
   * trained) to its moving average, as Keras's `finalize_variable_values`; without it, does nothing.
   * A variable the optimizer keeps no average for is an ArgumentError, and nothing is changed.
   * @example
   * const w = new tg.Variable(0);
   * const opt = new tg.SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5 });
   * opt.applyGradients([[tg.scalar(-2), w]]); // w = 2, average = 2 (the first step copies w)
   * opt.applyGradients([[tg.scalar(-2), w]]); // w = 4, average = 0.5 · 2 + 0.5 · 4
   * opt.finalizeVariableValues();
   * w.value(); // 3
   */
  finalizeVariableValues(varList?: readonly Variable[]): void {
    const op = `${this.name}.finalizeVariableValues`;
    if (varList !== undefined && (!Array.isArray(varList) || !varList.every((v) => v instanceof Variable)))
      throw new ArgumentError(`${op}: varList must be an array of Variables or undefined, got ${describe(varList)}`);
    if (!this.useEma) return;
    const list = varList ?? [...this.states.values()].map((s) => s.variable);
    const averages = list.map((v) => {
      const s = this.states.get(v.id);
      if (s === undefined)
        throw new ArgumentError(`${op}: the optimizer keeps no moving average for variable '${v.name}'`);
      if (!sameShape(s.shape, v.shape) || s.dtype !== v.dtype) {
        throw new ShapeError(
          `${op}: variable '${v.name}' is now ${fmtShape(v.shape)} ${v.dtype} but its average is ${fmtShape(s.shape)} ${s.dtype}`,
        );
      }
      return s.base[AVERAGE];
    });
    list.forEach((v, i) => v.assign(averages[i]));
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

  /**
   * Every variable's state, variables in first-use order, the rule's slots first, then `average` and
   * `gradientAccumulator`.
   * @internal
   */
  slotEntries(): SlotEntry[] {
    const out: SlotEntry[] = [];
    for (const s of this.states.values())
      for (const [slot, value] of Object.entries({ ...s.slots, ...s.base }))
        out.push({ slot, variable: s.variable, value });
    return out;
  }

  /**
   * The slots `variable` has, or would have after its first step: names, shapes and dtypes, in
   * `slotEntries()` order.
   * @internal
   */
  slotSpecs(variable: Variable): { slot: string; shape: readonly number[]; dtype: DType }[] {
    const s = withoutRecorders(() => this.newState(variable, true));
    return Object.entries({ ...s.slots, ...s.base }).map(([slot, t]) => ({ slot, shape: t.shape, dtype: t.dtype }));
  }

  /**
   * Replaces the state of each variable named in `entries`, which must give exactly its `slotSpecs`
   * (every slot once, each of that shape and dtype); otherwise an ArgumentError listing each problem,
   * and nothing is changed. Variables not named keep their state.
   * @internal
   */
  setSlotEntries(entries: readonly SlotEntry[]): void {
    const op = `${this.name}.setSlotEntries`;
    const byVariable = new Map<Variable, Map<string, Tensor>>();
    const problems: string[] = [];
    for (const e of entries) {
      if (!(e.variable instanceof Variable) || !(e.value instanceof Tensor) || typeof e.slot !== 'string')
        throw new ArgumentError(`${op}: expected { slot, variable, value } entries, got ${describe(e)}`);
      const slots = byVariable.get(e.variable) ?? new Map<string, Tensor>();
      if (slots.has(e.slot)) problems.push(`'${e.slot}' of '${e.variable.name}' is given twice`);
      slots.set(e.slot, e.value);
      byVariable.set(e.variable, slots);
    }
    const next = new Map<number, VariableState>();
    for (const [v, given] of byVariable) {
      const specs = this.slotSpecs(v);
      for (const { slot, shape, dtype } of specs) {
        const t = given.get(slot);
        if (t === undefined) problems.push(`'${slot}' of '${v.name}' is missing`);
        else if (!sameShape(t.shape, shape) || t.dtype !== dtype)
          problems.push(
            `'${slot}' of '${v.name}' is ${fmtShape(t.shape)} ${t.dtype}, expected ${fmtShape(shape)} ${dtype}`,
          );
      }
      for (const slot of given.keys())
        if (!specs.some((s) => s.slot === slot)) problems.push(`'${v.name}' has no slot '${slot}'`);
      const rule = this.newState(v, true);
      const pick = (names: Slots) => Object.fromEntries(Object.keys(names).map((k) => [k, given.get(k) as Tensor]));
      next.set(v.id, { ...rule, slots: pick(rule.slots), base: pick(rule.base) });
    }
    if (problems.length > 0) throw new ArgumentError(`${op}: ${problems.join('; ')}`);
    for (const [id, state] of next) this.states.set(id, state);
  }

  /**
   * The names `setGlobalEntries` takes: `iterations` and the rule's optimizer-wide state.
   * @internal
   */
  globalNames(): string[] {
    return ['iterations', ...this.globalSlotNames()];
  }

  /**
   * Optimizer-wide state: `iterations` (an int32 scalar: the number of `applyGradients` calls, Keras's
   * raw `_iterations`) and, once made, the rule's (Nadam's `uProduct`).
   * @internal
   */
  globalEntries(): GlobalEntry[] {
    const out: GlobalEntry[] = [{ name: 'iterations', value: scalar(this.steps, 'int32') }];
    if (this.globals) for (const [name, value] of Object.entries(this.globals)) out.push({ name, value });
    return out;
  }

  /**
   * Sets the optimizer-wide state named in `entries` (names of `globalNames()`; `iterations` a
   * non-negative integer scalar, the rule's state float scalars). The rule's state must be given all
   * together or not at all. Any problem is an ArgumentError, and nothing is changed.
   * @internal
   */
  setGlobalEntries(entries: readonly GlobalEntry[]): void {
    const op = `${this.name}.setGlobalEntries`;
    const names = this.globalNames();
    let steps = this.steps;
    const globals: Slots = {};
    for (const e of entries) {
      if (typeof e !== 'object' || e === null || !(e.value instanceof Tensor) || !names.includes(e.name))
        throw new ArgumentError(
          `${op}: expected { name, value } entries with a name among ${names.join(', ')}, got ${describe(e)}`,
        );
      if (e.value.rank !== 0)
        throw new ArgumentError(`${op}: '${e.name}' must be a scalar, got shape ${fmtShape(e.value.shape)}`);
      if (e.name === 'iterations') steps = requireInteger(op, 'iterations', e.value.item(), 0);
      else if (!isFloat(e.value.dtype))
        throw new DTypeError(`${op}: '${e.name}' must be a float, got ${e.value.dtype}`);
      else globals[e.name] = e.value;
    }
    const given = Object.keys(globals).length;
    if (given !== 0 && given !== this.globalSlotNames().length)
      throw new ArgumentError(`${op}: give all of ${this.globalSlotNames().join(', ')} or none`);
    this.steps = steps;
    if (given !== 0) this.globals = globals;
  }

  /** A variable's fresh state; the average starts at zeros on the first call (as Keras), else at the value. */
  private newState(v: Variable, first: boolean): VariableState {
    const value = v.peek();
    const base: Slots = {};
    if (this.useEma) base[AVERAGE] = first ? zerosLike(value) : value;
    if (this.gradientAccumulationSteps !== undefined) base[ACCUMULATOR] = zerosLike(value);
    return { variable: v, shape: v.shape, dtype: v.dtype, slots: this.initialSlots(value), base };
  }

  /** The accumulated gradient of a variable as committed before this call. */
  private committedBase(v: Variable, pending: Map<number, VariableState>): Tensor {
    return (this.states.get(v.id) ?? (pending.get(v.id) as VariableState)).base[ACCUMULATOR];
  }

  /** Every known state, committed or new in this call, the newest version of each, in first-use order. */
  private allStates(pending: Map<number, VariableState>): VariableState[] {
    const out = [...this.states.values()].map((s) => pending.get(s.variable.id) ?? s);
    for (const [id, s] of pending) if (!this.states.has(id)) out.push(s);
    return out;
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
