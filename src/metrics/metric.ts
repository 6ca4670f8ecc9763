// The metric base (Keras 3's keras.metrics.Metric): state in non-trainable float32 variables, updated
// off every tape, and the shape helpers the metrics share (Keras's squeeze_or_expand_to_same_rank and
// reduce_to_samplewise_values).
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { ArgumentError, ShapeError, describe } from '../core/errors';
import type { Shape } from '../core/shape';
import { broadcastShapes, fmtShape, sameShape } from '../core/shape';
import type { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import { cast } from '../ops/prims/cast';
import { mul } from '../ops/prims/binary';
import { sum } from '../ops/prims/reduce';
import { broadcastTo, reshape } from '../ops/prims/shape';
import { zeros } from '../ops/create';
import { mean } from '../ops/composite/reduce';

/** A sample weight: a tensor or plain value, or `null`/`undefined` for none (TF's `None`). */
export type SampleWeight = TensorLike | null | undefined;

/**
 * The base of every metric: a `name`, state in non-trainable float32 variables (`variables`), and
 * `updateState`, `result`, `resetState` as Keras 3's `keras.metrics.Metric`. Updates run with every
 * tape and accumulator set aside: a metric updated inside a `GradientTape` records nothing.
 * @example
 * const m = new tg.metrics.Mean();
 * m instanceof tg.metrics.Metric; // true
 * m.variables.map((v) => v.name); // ['mean/total', 'mean/count']
 */
export abstract class Metric {
  /** The metric's name; its variables are named `<name>/<variable>`. */
  readonly name: string;

  protected constructor(name: string) {
    this.name = name;
  }

  /** The state variables (non-trainable, float32), in Keras's creation order. */
  abstract get variables(): Variable[];

  /** Accumulates the statistics of one batch. */
  abstract updateState(...args: SampleWeight[]): void;

  /** The metric's value from the state accumulated so far: a float32 scalar. */
  abstract result(): Tensor;

  /**
   * Sets every state variable back to zero.
   * @example
   * const m = new tg.metrics.Sum();
   * m.updateState([1, 2]);
   * m.resetState();
   * m.result(); // 0
   */
  resetState(): void {
    for (const v of this.variables) v.assign(zeros(v.shape));
  }
}

/** The `name` option: a string (an empty one means the default), else an ArgumentError. */
export function nameOption(op: string, name: unknown, fallback: string): string {
  if (name === undefined || name === null || name === '') return fallback;
  if (typeof name !== 'string') throw new ArgumentError(`${op}: name must be a string, got ${describe(name)}`);
  return name;
}

/** A float32 state variable of zeros, not trainable, named `<metric>/<name>` (Keras's add_variable). */
export function stateVariable(metric: string, name: string, shape: Shape = []): Variable {
  return new Variable(zeros(shape), { name: `${metric}/${name}`, trainable: false });
}

/** A required argument converted to a tensor; a missing one (undefined or null) is an ArgumentError. */
export function required(op: string, name: string, x: SampleWeight): Tensor {
  if (x === undefined || x === null) throw new ArgumentError(`${op}: ${name} is required, got ${describe(x)}`);
  return toTensor(op, x);
}

/** An optional sample weight as a float32 tensor, or undefined for none. */
export function sampleWeightOf(op: string, x: SampleWeight): Tensor | undefined {
  if (x === undefined || x === null) return undefined;
  return cast(toTensor(op, x, 'float32'), 'float32');
}

/** A reshape only where the shape changes. */
export function toShape(t: Tensor, shape: Shape): Tensor {
  return sameShape(t.shape, shape) ? t : reshape(t, shape);
}

/**
 * Keras's squeeze_or_expand_to_same_rank (keras/src/losses/loss.py) on two shapes: when the ranks
 * differ by one and the longer shape ends in 1, that 1 is dropped, unless the shorter one is a vector
 * and `expandRank1`, which then gets a trailing 1. Other shapes are left as they are.
 */
export function meetRanks(a: Shape, b: Shape, expandRank1 = true): [Shape, Shape] {
  if (a.length === b.length + 1 && a[a.length - 1] === 1)
    return b.length === 1 && expandRank1 ? [a, [...b, 1]] : [a.slice(0, -1), b];
  if (b.length === a.length + 1 && b[b.length - 1] === 1)
    return a.length === 1 && expandRank1 ? [[...a, 1], b] : [a, b.slice(0, -1)];
  return [a, b];
}

/** The two tensors reshaped as meetRanks says. */
export function meetRanksOf(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const [sa, sb] = meetRanks(a.shape, b.shape);
  return [toShape(a, sa), toShape(b, sb)];
}

/** The broadcast shape of yTrue and yPred, or a ShapeError naming the op and both shapes. */
export function broadcastPair(op: string, a: Shape, b: Shape, names = ['yTrue', 'yPred']): Shape {
  try {
    return broadcastShapes(op, a, b);
  } catch {
    throw new ShapeError(
      `${op}: ${names[0]} ${fmtShape(a)} and ${names[1]} ${fmtShape(b)} must have one shape or broadcast together`,
    );
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Keras's reduce_to_samplewise_values (keras/src/metrics/reduction_metrics.py): `values` (float32)
 * weighted by `weight` (float32, its rank met with the values', the values reduced over the axes the
 * weight lacks, the weight broadcast to them), then both reduced to one value per sample with
 * `reduce` (sum for Sum, mean for Mean).
 */
export function samplewise(
  op: string,
  values: Tensor,
  weight: Tensor | undefined,
  reduce: 'sum' | 'mean',
): { values: Tensor; weight: Tensor | undefined } {
  const fn = reduce === 'sum' ? sum : mean;
  let v = values;
  let w = weight;
  if (w !== undefined) {
    [v, w] = meetRanksOf(v, w);
    const wRank = w.rank;
    if (v.rank > wRank) v = fn(v, range(wRank, v.rank));
    // broadcast_to: the weight must broadcast to the values' shape, not the other way
    let fits = w.rank <= v.rank;
    if (fits) {
      try {
        fits = sameShape(broadcastShapes(op, w.shape, v.shape), v.shape);
      } catch {
        fits = false;
      }
    }
    if (!fits) {
      throw new ShapeError(
        `${op}: sampleWeight ${fmtShape(weight?.shape ?? [])} does not broadcast to the values ${fmtShape(values.shape)}`,
      );
    }
    w = sameShape(w.shape, v.shape) ? w : broadcastTo(w, v.shape);
    v = mul(v, w);
    if (wRank > 1) w = fn(w, range(1, wRank));
  }
  if (v.rank > 1) v = fn(v, range(1, v.rank));
  return { values: v, weight: w };
}

/** Float32 `a / b`, 0 where b is 0 (TF's divide_no_nan). */
export function divNoNan32(a: number, b: number): number {
  return b === 0 ? 0 : Math.fround(a / b);
}
