// Keras 3's reduction metrics (keras/src/metrics/reduction_metrics.py): Sum, Mean, and the mean of
// per-sample values that the accuracy metrics build on (MeanMetricWrapper).
import type { TensorLike } from '../core/as_tensor';
import { requireOptions } from '../core/args';
import { withoutRecorders } from '../core/recording';
import type { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';
import { add } from '../ops/prims/binary';
import { cast } from '../ops/prims/cast';
import { sum } from '../ops/prims/reduce';
import { scalar } from '../ops/create';
import type { SampleWeight } from './metric';
import { Metric, divNoNan32, nameOption, required, sampleWeightOf, samplewise, stateVariable } from './metric';

/** Options of `Sum` and `Mean`. */
export interface MetricOptions {
  /** The metric's name (Keras's default: `'sum'`, `'mean'` …). */
  name?: string;
}

/**
 * The (weighted) sum of every value seen, as Keras 3's `keras.metrics.Sum`; one variable, `total`.
 * Values of rank 2 or more are summed per sample first; a sample weight multiplies each value (its
 * rank met with the values' as Keras meets them).
 * @example
 * const m = new tg.metrics.Sum();
 * m.updateState([1, 3, 5, 7]);
 * m.result(); // 16
 * m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
 * m.result(); // 20  (16 + 1 + 3)
 */
export class Sum extends Metric {
  /** The running sum. */
  readonly total: Variable;

  constructor(options?: MetricOptions) {
    const { name } = requireOptions<MetricOptions>('Sum', options, ['name']);
    super(nameOption('Sum', name, 'sum'));
    this.total = stateVariable(this.name, 'total');
  }

  get variables(): Variable[] {
    return [this.total];
  }

  /**
   * Adds the (weighted) sum of `values`.
   * @example
   * const m = new tg.metrics.Sum();
   * m.updateState([[1, 2], [3, 4]], [1, 0]);
   * m.result(); // 3  (1 + 2)
   */
  updateState(values: TensorLike, sampleWeight?: SampleWeight): void {
    const op = 'Sum.updateState';
    const total = withoutRecorders(() => {
      const v = cast(required(op, 'values', values), 'float32');
      const r = samplewise(op, v, sampleWeightOf(op, sampleWeight), 'sum').values;
      return add(this.total.peek(), sum(r));
    });
    this.total.assign(total);
  }

  /**
   * The sum so far, a float32 scalar.
   * @example
   * new tg.metrics.Sum().result(); // 0
   */
  result(): Tensor {
    return this.total.peek();
  }
}

/**
 * Adds values (float32) to a running total and count as Keras's Mean.update_state does: the count
 * grows by the sum of the (reduced) sample weights, else by the number of samples (1 for a scalar).
 */
function accumulateMean(op: string, total: Variable, count: Variable, values: Tensor, weight: SampleWeight): void {
  const [t, c] = withoutRecorders(() => {
    const r = samplewise(op, values, sampleWeightOf(op, weight), 'mean');
    const n = r.weight !== undefined ? sum(r.weight) : r.values.rank >= 1 ? r.values.shape[0] : 1;
    return [add(total.peek(), sum(r.values)), add(count.peek(), n)];
  });
  total.assign(t);
  count.assign(c);
}

/** total / count in float32, 0 while count is 0 (Keras's divide_no_nan). */
function meanOf(total: Variable, count: Variable): Tensor {
  return scalar(divNoNan32(total.peek().values[0], count.peek().values[0]));
}

/**
 * The (weighted) mean of every value seen, as Keras 3's `keras.metrics.Mean`: two variables,
 * `total` and `count`, and `result()` is `total / count` (0 before any value). Values of rank 2 or
 * more are averaged per sample first.
 * @example
 * const m = new tg.metrics.Mean();
 * m.updateState([1, 3, 5, 7]);
 * m.result(); // 4
 * m.resetState();
 * m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
 * m.result(); // 2
 */
export class Mean extends Metric {
  /** The running weighted sum. */
  readonly total: Variable;
  /** The running sum of weights (or number of samples). */
  readonly count: Variable;

  constructor(options?: MetricOptions) {
    const { name } = requireOptions<MetricOptions>('Mean', options, ['name']);
    super(nameOption('Mean', name, 'mean'));
    this.total = stateVariable(this.name, 'total');
    this.count = stateVariable(this.name, 'count');
  }

  get variables(): Variable[] {
    return [this.total, this.count];
  }

  /**
   * Adds `values`, each weighted by `sampleWeight` if given.
   * @example
   * const m = new tg.metrics.Mean();
   * m.updateState(2);
   * m.updateState([4, 6]);
   * m.result(); // 4  ((2 + 4 + 6) / 3)
   */
  updateState(values: TensorLike, sampleWeight?: SampleWeight): void {
    const op = 'Mean.updateState';
    const v = withoutRecorders(() => cast(required(op, 'values', values), 'float32'));
    accumulateMean(op, this.total, this.count, v, sampleWeight);
  }

  /**
   * The mean so far, a float32 scalar: 0 before any value.
   * @example
   * new tg.metrics.Mean().result(); // 0
   */
  result(): Tensor {
    return meanOf(this.total, this.count);
  }
}

/**
 * Keras's MeanMetricWrapper: the mean of per-sample values `matches(yTrue, yPred)` (float32), with
 * `total` and `count` as Mean's. The accuracy metrics are made of it.
 */
export abstract class MeanMetricWrapper extends Metric {
  /** The running weighted sum of per-sample values. */
  readonly total: Variable;
  /** The running sum of weights (or number of samples). */
  readonly count: Variable;

  protected constructor(
    /** The class's public name, which starts its error messages. */
    private readonly label: string,
    name: unknown,
    fallback: string,
  ) {
    super(nameOption(label, name, fallback));
    this.total = stateVariable(this.name, 'total');
    this.count = stateVariable(this.name, 'count');
  }

  get variables(): Variable[] {
    return [this.total, this.count];
  }

  /** The per-sample values (float32) of one batch; throws before anything changes. */
  protected abstract matches(op: string, yTrue: Tensor, yPred: Tensor): Tensor;

  /**
   * Adds one batch: `yTrue` and `yPred` (tensors or plain arrays), and optionally a weight per sample.
   * @example
   * const m = new tg.metrics.Accuracy();
   * m.updateState([1, 2, 3, 4], [0, 2, 3, 4]);
   * m.result(); // 0.75
   */
  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: SampleWeight): void {
    const op = `${this.label}.updateState`;
    const values = withoutRecorders(() => {
      const t = required(op, 'yTrue', yTrue);
      const p = required(op, 'yPred', yPred);
      return this.matches(op, t, p);
    });
    accumulateMean(op, this.total, this.count, values, sampleWeight);
  }

  /**
   * The mean of the per-sample values so far, a float32 scalar: 0 before any batch.
   * @example
   * new tg.metrics.Accuracy().result(); // 0
   */
  result(): Tensor {
    return meanOf(this.total, this.count);
  }
}
