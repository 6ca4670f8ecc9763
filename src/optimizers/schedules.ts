// Learning-rate schedules, Keras 3's formulas: each is a function of the step count.
import { requireFiniteNumber, requireOptions } from '../core/args';
import { ArgumentError } from '../core/errors';

/** A learning rate as a function of the optimizer's step count (the count before the step). */
export type LearningRateSchedule = (step: number) => number;

function positive(op: string, name: string, v: number): void {
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)))
    throw new ArgumentError(`${op}: ${name} must be a positive number, got ${String(v)}`);
}

/**
 * `initialLearningRate · decayRate^(step / decaySteps)`, the exponent floored with `staircase`.
 * @example
 * const lr = tg.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
 * lr(20); // 0.025
 */
export function exponentialDecay(options: {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}): LearningRateSchedule {
  const o = requireOptions<typeof options>('exponentialDecay', options, [
    'initialLearningRate',
    'decaySteps',
    'decayRate',
    'staircase',
  ]) as typeof options;
  positive('exponentialDecay', 'decaySteps', o.decaySteps);
  requireFiniteNumber('exponentialDecay', 'initialLearningRate', o.initialLearningRate);
  requireFiniteNumber('exponentialDecay', 'decayRate', o.decayRate);
  return (step) => {
    const p = step / o.decaySteps;
    return o.initialLearningRate * Math.pow(o.decayRate, o.staircase ? Math.floor(p) : p);
  };
}

/**
 * `values[i]` while `step <= boundaries[i]` (and before it the previous boundary); `values` has one
 * more entry than `boundaries`.
 * @example
 * const lr = tg.piecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
 * lr(150); // 0.5
 */
export function piecewiseConstantDecay(options: {
  boundaries: readonly number[];
  values: readonly number[];
}): LearningRateSchedule {
  const o = requireOptions<typeof options>('piecewiseConstantDecay', options, [
    'boundaries',
    'values',
  ]) as typeof options;
  for (const key of ['boundaries', 'values'] as const) {
    const list: unknown = o[key];
    if (!Array.isArray(list) || !list.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw new ArgumentError(`piecewiseConstantDecay: ${key} must be an array of finite numbers`);
  }
  if (o.values.length !== o.boundaries.length + 1) {
    throw new ArgumentError(
      `piecewiseConstantDecay: values must have one more entry than boundaries, got ${o.values.length} values for ${o.boundaries.length} boundaries`,
    );
  }
  return (step) => {
    for (let i = 0; i < o.boundaries.length; i++) if (step <= o.boundaries[i]) return o.values[i];
    return o.values[o.values.length - 1];
  };
}

/**
 * Cosine decay from the initial rate (or from `warmupTarget` after a linear warm-up of
 * `warmupSteps`) to `alpha` times it over `decaySteps`, then flat.
 * @example
 * const lr = tg.cosineDecay({ initialLearningRate: 1, decaySteps: 100 });
 * lr(50); // 0.5
 */
export function cosineDecay(options: {
  initialLearningRate: number;
  decaySteps: number;
  alpha?: number;
  warmupTarget?: number;
  warmupSteps?: number;
}): LearningRateSchedule {
  const o = requireOptions<typeof options>('cosineDecay', options, [
    'initialLearningRate',
    'decaySteps',
    'alpha',
    'warmupTarget',
    'warmupSteps',
  ]) as typeof options;
  positive('cosineDecay', 'decaySteps', o.decaySteps);
  requireFiniteNumber('cosineDecay', 'initialLearningRate', o.initialLearningRate);
  const alpha = o.alpha ?? 0;
  const warmupSteps = o.warmupSteps ?? 0;
  const decay = (step: number, from: number) => {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / o.decaySteps)));
    return from * ((1 - alpha) * cosine + alpha);
  };
  return (step) => {
    if (o.warmupTarget === undefined) return decay(Math.min(step, o.decaySteps), o.initialLearningRate);
    const s = Math.min(step, o.decaySteps + warmupSteps);
    if (s < warmupSteps) return (o.warmupTarget - o.initialLearningRate) * (s / warmupSteps) + o.initialLearningRate;
    return decay(s - warmupSteps, o.warmupTarget);
  };
}

/**
 * `(initial - end) · (1 - step/decaySteps)^power + end`, flat after decaySteps (or restarting
 * with a longer period when `cycle`).
 * @example
 * const lr = tg.polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0 });
 * lr(5); // 0.5
 */
export function polynomialDecay(options: {
  initialLearningRate: number;
  decaySteps: number;
  endLearningRate?: number;
  power?: number;
  cycle?: boolean;
}): LearningRateSchedule {
  const o = requireOptions<typeof options>('polynomialDecay', options, [
    'initialLearningRate',
    'decaySteps',
    'endLearningRate',
    'power',
    'cycle',
  ]) as typeof options;
  positive('polynomialDecay', 'decaySteps', o.decaySteps);
  requireFiniteNumber('polynomialDecay', 'initialLearningRate', o.initialLearningRate);
  const end = o.endLearningRate ?? 1e-4;
  const power = o.power ?? 1;
  return (step) => {
    let steps = o.decaySteps;
    let s = step;
    if (o.cycle) steps = o.decaySteps * (step === 0 ? 1 : Math.ceil(step / o.decaySteps));
    else s = Math.min(step, o.decaySteps);
    return (o.initialLearningRate - end) * Math.pow(1 - s / steps, power) + end;
  };
}

/**
 * `initialLearningRate / (1 + decayRate · step / decaySteps)`, the ratio floored with `staircase`.
 * @example
 * const lr = tg.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 });
 * lr(2); // 0.5
 */
export function inverseTimeDecay(options: {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}): LearningRateSchedule {
  const o = requireOptions<typeof options>('inverseTimeDecay', options, [
    'initialLearningRate',
    'decaySteps',
    'decayRate',
    'staircase',
  ]) as typeof options;
  positive('inverseTimeDecay', 'decaySteps', o.decaySteps);
  requireFiniteNumber('inverseTimeDecay', 'initialLearningRate', o.initialLearningRate);
  requireFiniteNumber('inverseTimeDecay', 'decayRate', o.decayRate);
  return (step) => {
    const p = step / o.decaySteps;
    return o.initialLearningRate / (1 + o.decayRate * (o.staircase ? Math.floor(p) : p));
  };
}

/**
 * Cosine decay with warm restarts (SGDR, Keras's `CosineDecayRestarts`): a cosine from the initial rate
 * down to `alpha` times it over `firstDecaySteps`, then again over periods `tMul` times longer each time,
 * each starting at `mMul` times the previous start.
 * @example
 * const lr = tg.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10 });
 * lr(5); // 0.5
 * lr(10); // 1  (the first restart; the next period is 20 steps)
 * lr(20); // 0.5
 */
export function cosineDecayRestarts(options: {
  initialLearningRate: number;
  firstDecaySteps: number;
  tMul?: number;
  mMul?: number;
  alpha?: number;
}): LearningRateSchedule {
  const op = 'cosineDecayRestarts';
  const o = requireOptions<typeof options>(op, options, [
    'initialLearningRate',
    'firstDecaySteps',
    'tMul',
    'mMul',
    'alpha',
  ]) as typeof options;
  requireFiniteNumber(op, 'initialLearningRate', o.initialLearningRate);
  // Keras 3: "Argument `first_decay_steps` must be > 0"
  positive(op, 'firstDecaySteps', o.firstDecaySteps);
  const tMul = o.tMul === undefined ? 2 : requireFiniteNumber(op, 'tMul', o.tMul);
  const mMul = o.mMul === undefined ? 1 : requireFiniteNumber(op, 'mMul', o.mMul);
  const alpha = o.alpha === undefined ? 0 : requireFiniteNumber(op, 'alpha', o.alpha);
  return (step) => {
    let fraction = step / o.firstDecaySteps;
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // periods 1, tMul, tMul², …: restart i begins at (1 - tMul^i) / (1 - tMul) periods
      restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
      const done = (1 - Math.pow(tMul, restart)) / (1 - tMul);
      fraction = (fraction - done) / Math.pow(tMul, restart);
    }
    const cosine = 0.5 * Math.pow(mMul, restart) * (1 + Math.cos(Math.PI * fraction));
    return o.initialLearningRate * ((1 - alpha) * cosine + alpha);
  };
}
