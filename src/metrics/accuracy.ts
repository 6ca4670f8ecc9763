// Keras 3's accuracy metrics (keras/src/metrics/accuracy_metrics.py): each the running mean of a
// per-sample match (1 or 0), with Keras's shape handling and optional sample weights.
import { requireInteger, requireNumber, requireOptions } from '../core/args';
import { isFloat } from '../core/dtype';
import { ShapeError } from '../core/errors';
import { fmtShape, sizeOf } from '../core/shape';
import { Tensor } from '../core/tensor';
import { equal, greater } from '../ops/prims/binary';
import { cast } from '../ops/prims/cast';
import { argMax } from '../ops/prims/reduce';
import { reshape } from '../ops/prims/shape';
import { broadcastPair, meetRanksOf, toShape } from './metric';
import { MeanMetricWrapper } from './reduction';
import type { MetricOptions } from './reduction';

/** `argMax` over the last axis, int32; a scalar or an empty last axis is a ShapeError naming the op. */
function argMaxLast(op: string, x: Tensor, what: string): Tensor {
  if (x.rank === 0 || x.shape[x.rank - 1] === 0)
    throw new ShapeError(`${op}: ${what} ${fmtShape(x.shape)} needs a non-empty last axis of classes`);
  return argMax(isFloat(x.dtype) || x.dtype === 'int32' ? x : cast(x, 'float32'), -1);
}

/** 1 where a equals b (broadcast together), else 0, float32. */
function matchesOf(op: string, a: Tensor, b: Tensor): Tensor {
  broadcastPair(op, a.shape, b.shape);
  return cast(equal(a, b), 'float32');
}

/** `m` reshaped to `shape`, which must hold as many elements (Keras's reshape). */
function reshapeTo(op: string, m: Tensor, shape: readonly number[]): Tensor {
  if (m.size !== sizeOf(shape))
    throw new ShapeError(`${op}: the matches ${fmtShape(m.shape)} cannot take the labels' shape ${fmtShape(shape)}`);
  return toShape(m, shape);
}

/**
 * How often `yPred` equals `yTrue` exactly, as Keras 3's `keras.metrics.Accuracy` (`yTrue` is cast to
 * `yPred`'s dtype, the ranks met as Keras meets them, then compared elementwise).
 * @example
 * const m = new tg.metrics.Accuracy();
 * m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
 * m.result(); // 0.75
 * m.resetState();
 * m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]);
 * m.result(); // 0.5
 */
export class Accuracy extends MeanMetricWrapper {
  constructor(options?: MetricOptions) {
    const { name } = requireOptions<MetricOptions>('Accuracy', options, ['name']);
    super('Accuracy', name, 'accuracy');
  }

  protected matches(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = meetRanksOf(cast(yTrue, yPred.dtype), yPred);
    return matchesOf(op, t, p);
  }
}

/** Options of `BinaryAccuracy`. */
export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction above this counts as 1, else 0. Default 0.5. */
  threshold?: number;
}

/**
 * How often `yPred > threshold` (1, else 0) equals `yTrue`, as Keras 3's
 * `keras.metrics.BinaryAccuracy` (threshold 0.5 by default).
 * @example
 * const m = new tg.metrics.BinaryAccuracy();
 * m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
 * m.result(); // 0.75
 * m.resetState();
 * m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
 * m.result(); // 0.5
 */
export class BinaryAccuracy extends MeanMetricWrapper {
  /** A prediction above this counts as 1. */
  readonly threshold: number;

  constructor(options?: BinaryAccuracyOptions) {
    const { name, threshold = 0.5 } = requireOptions<BinaryAccuracyOptions>('BinaryAccuracy', options, [
      'name',
      'threshold',
    ]);
    super('BinaryAccuracy', name, 'binary_accuracy');
    this.threshold = requireNumber('BinaryAccuracy', 'threshold', threshold);
  }

  protected matches(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = meetRanksOf(yTrue, yPred);
    broadcastPair(op, t.shape, p.shape);
    // the threshold is a float32 tensor in Keras: an integer or bool prediction is compared as a number
    const above = greater(isFloat(p.dtype) ? p : cast(p, 'float64'), this.threshold);
    return matchesOf(op, t, cast(above, t.dtype));
  }
}

/**
 * How often the largest prediction is at the one-hot label's index, as Keras 3's
 * `keras.metrics.CategoricalAccuracy` (argmax of both over the last axis; logits work as well as
 * probabilities).
 * @example
 * const m = new tg.metrics.CategoricalAccuracy();
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * m.resetState();
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
 * m.result(); // 0.3
 */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(options?: MetricOptions) {
    const { name } = requireOptions<MetricOptions>('CategoricalAccuracy', options, ['name']);
    super('CategoricalAccuracy', name, 'categorical_accuracy');
  }

  protected matches(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
    let t = argMaxLast(op, yTrue, 'yTrue');
    const shape = t.shape;
    const reshapeMatches = t.rank === yPred.rank;
    if (reshapeMatches) {
      if (t.shape[t.rank - 1] !== 1)
        throw new ShapeError(
          `${op}: yTrue ${fmtShape(yTrue.shape)} does not fit yPred ${fmtShape(yPred.shape)}: expected one-hot labels of yPred's rank`,
        );
      t = reshape(t, t.shape.slice(0, -1));
    }
    const m = matchesOf(op, t, argMaxLast(op, yPred, 'yPred'));
    return reshapeMatches ? reshapeTo(op, m, shape) : m;
  }
}

/**
 * How often the largest prediction is at the integer label, as Keras 3's
 * `keras.metrics.SparseCategoricalAccuracy` (labels `[B]` or `[B, 1]`).
 * @example
 * const m = new tg.metrics.SparseCategoricalAccuracy();
 * m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * m.resetState();
 * m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.7, 0.3]);
 * m.result(); // 0.3
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(options?: MetricOptions) {
    const { name } = requireOptions<MetricOptions>('SparseCategoricalAccuracy', options, ['name']);
    super('SparseCategoricalAccuracy', name, 'sparse_categorical_accuracy');
  }

  protected matches(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
    let t = cast(yTrue, yPred.dtype);
    const shape = t.shape;
    const reshapeMatches = t.rank === yPred.rank && t.rank > 0 && t.shape[t.rank - 1] === 1;
    if (reshapeMatches) t = reshape(t, t.shape.slice(0, -1));
    let m = matchesOf(op, t, cast(argMaxLast(op, yPred, 'yPred'), t.dtype));
    if (reshapeMatches) m = reshapeTo(op, m, shape);
    if (m.rank > 1 && m.shape[m.rank - 1] === 1) m = reshape(m, m.shape.slice(0, -1));
    return m;
  }
}

/** Options of `TopKCategoricalAccuracy`. */
export interface TopKCategoricalAccuracyOptions extends MetricOptions {
  /** How many of the largest predictions to look at. Default 5. */
  k?: number;
}

/**
 * TF's in_top_k: 1 where the target's prediction is finite and fewer than k predictions of its row
 * are strictly larger (ties at the boundary all count as in), 0 for a target out of range.
 */
function inTopK(targets: Tensor, predictions: Tensor, k: number): Tensor {
  const [n, c] = predictions.shape;
  const p = predictions.values;
  const out = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const target = Number(targets.values[b]);
    if (!(target >= 0 && target < c && Number.isInteger(target))) continue;
    const at = Number(p[b * c + target]);
    if (!Number.isFinite(at)) continue;
    let larger = 0;
    for (let j = 0; j < c; j++) if (Number(p[b * c + j]) > at) larger++;
    out[b] = larger < k ? 1 : 0;
  }
  return new Tensor(out, [n], 'float32');
}

/**
 * How often the one-hot label's class is among the `k` largest predictions (k = 5 by default), as
 * Keras 3's `keras.metrics.TopKCategoricalAccuracy` (TF's in_top_k: ties at the k-th place count).
 * @example
 * const m = new tg.metrics.TopKCategoricalAccuracy({ k: 1 });
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * m.resetState();
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
 * m.result(); // 0.3
 */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  /** How many of the largest predictions count. */
  readonly k: number;

  constructor(options?: TopKCategoricalAccuracyOptions) {
    const { name, k = 5 } = requireOptions<TopKCategoricalAccuracyOptions>('TopKCategoricalAccuracy', options, [
      'name',
      'k',
    ]);
    super('TopKCategoricalAccuracy', name, 'top_k_categorical_accuracy');
    this.k = requireInteger('TopKCategoricalAccuracy', 'k', k, 0);
  }

  protected matches(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
    let t = argMaxLast(op, cast(yTrue, yPred.dtype), 'yTrue');
    let p = yPred;
    const shape = t.shape;
    if (p.rank > 2) p = reshape(p, [sizeOf(p.shape.slice(0, -1)), p.shape[p.rank - 1]]);
    const reshapeMatches = t.rank > 1;
    if (reshapeMatches) t = reshape(t, [t.size]);
    if (p.rank !== 2 || t.rank !== 1 || t.shape[0] !== p.shape[0]) {
      throw new ShapeError(
        `${op}: yTrue ${fmtShape(yTrue.shape)} and yPred ${fmtShape(yPred.shape)} must be one-hot labels and predictions of one shape [..., classes]`,
      );
    }
    const m = inTopK(t, p, this.k);
    return reshapeMatches ? reshapeTo(op, m, shape) : m;
  }
}
