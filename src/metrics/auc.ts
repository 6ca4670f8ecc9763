// Keras 3's AUC (keras/src/metrics/confusion_metrics.py, metrics_utils.py): confusion counts at fixed
// thresholds accumulated in float32 variables, and the area under the ROC, PR or PR-gain curve by a
// Riemann sum ('interpolation', 'minoring' or 'majoring').
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { requireBoolean, requireInteger, requireOneOf, requireOptions } from '../core/args';
import { ArgumentError, ShapeError, describe } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import { withoutRecorders } from '../core/recording';
import { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';
import { cast } from '../ops/prims/cast';
import { sigmoid } from '../ops/prims/unary';
import { broadcastTo } from '../ops/prims/shape';
import type { SampleWeight } from './metric';
import { Metric, divNoNan32, meetRanks, nameOption, required, stateVariable, toShape } from './metric';

/** Keras's backend.epsilon(), which pads the end thresholds. */
const EPSILON = 1e-7;

const f32 = Math.fround;

/** Options of `AUC`, Keras's names in camelCase. */
export interface AUCOptions {
  /** How many thresholds discretize the curve (more than 1). Default 200. */
  numThresholds?: number;
  /** `'ROC'` (default), `'PR'` (precision-recall) or `'PRGAIN'` (precision-recall gain). */
  curve?: 'ROC' | 'PR' | 'PRGAIN';
  /** The Riemann sum: `'interpolation'` (default), `'minoring'` or `'majoring'`. */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Default `'auc'`. */
  name?: string;
  /** Thresholds in [0, 1] to use instead of `numThresholds` evenly spaced ones (-ε and 1+ε are added). */
  thresholds?: readonly number[];
  /** One AUC per label (the last axis of a `[N, L]` prediction), then their (weighted) mean. Default false. */
  multiLabel?: boolean;
  /** The number of labels, with `multiLabel`; else taken from the first batch. */
  numLabels?: number;
  /** A weight per label: of each label's AUC with `multiLabel`, else of each label's predictions. */
  labelWeights?: TensorLike;
  /** True when `yPred` holds logits: a sigmoid is applied first. Default false. */
  fromLogits?: boolean;
}

const CURVES = { ROC: 'ROC', roc: 'ROC', PR: 'PR', pr: 'PR', PRGAIN: 'PRGAIN', prgain: 'PRGAIN' } as const;
const SUMMATIONS = {
  interpolation: 'interpolation',
  Interpolation: 'interpolation',
  minoring: 'minoring',
  Minoring: 'minoring',
  majoring: 'majoring',
  Majoring: 'majoring',
} as const;

/** Keras's is_evenly_distributed_thresholds: np.allclose to i / (n - 1) (rtol 1e-5, atol ε). */
function evenlyDistributed(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  return thresholds.every((t, i) => {
    const even = f32(i / (n - 1));
    return Math.abs(t - even) <= EPSILON + 1e-5 * Math.abs(even);
  });
}

/** The four confusion counts of one update, per threshold (and label), to be added to the state. */
interface Counts {
  tp: Float32Array;
  fp: Float32Array;
  tn: Float32Array;
  fn: Float32Array;
}

/**
 * The area under the ROC curve (or the PR or PR-gain curve) from confusion counts at fixed
 * thresholds, as Keras 3's `keras.metrics.AUC`: 200 thresholds by default (-ε, 1/199, …, 198/199,
 * 1+ε), predictions counted positive above a threshold, and the mid-point ('interpolation') sum.
 * Four variables `[numThresholds]` (or `[numThresholds, numLabels]`): `truePositives`,
 * `falsePositives`, `trueNegatives`, `falseNegatives`.
 * @example
 * const m = new tg.metrics.AUC({ numThresholds: 3 });
 * m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
 * m.result(); // 0.75  (recall [1, 0.5, 0], false-positive rate [1, 0, 0]: (1 + 0.5) / 2 · 1)
 * m.resetState();
 * m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]);
 * m.result(); // 1
 */
export class AUC extends Metric {
  /** The number of thresholds, the two end ones included. */
  readonly numThresholds: number;
  /** The curve whose area is computed. */
  readonly curve: 'ROC' | 'PR' | 'PRGAIN';
  /** The Riemann sum used. */
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  /** One AUC per label, averaged. */
  readonly multiLabel: boolean;
  /** True when predictions are logits. */
  readonly fromLogits: boolean;
  private readonly thresholdValues: number[];
  private readonly evenly: boolean;
  private readonly labelWeights: Float32Array | undefined;
  private labels: number | undefined;
  /** The true positives at each threshold (and label); undefined until a multi-label AUC has seen data. */
  truePositives: Variable | undefined;
  /** The false positives at each threshold (and label). */
  falsePositives: Variable | undefined;
  /** The true negatives at each threshold (and label). */
  trueNegatives: Variable | undefined;
  /** The false negatives at each threshold (and label). */
  falseNegatives: Variable | undefined;

  constructor(options?: AUCOptions) {
    const op = 'AUC';
    const o = requireOptions<AUCOptions>(op, options, [
      'numThresholds',
      'curve',
      'summationMethod',
      'name',
      'thresholds',
      'multiLabel',
      'numLabels',
      'labelWeights',
      'fromLogits',
    ]);
    super(nameOption(op, o.name, 'auc'));
    const curve = requireOneOf(op, 'curve', o.curve ?? 'ROC', Object.keys(CURVES)) as keyof typeof CURVES;
    const summation = requireOneOf(
      op,
      'summationMethod',
      o.summationMethod ?? 'interpolation',
      Object.keys(SUMMATIONS),
    ) as keyof typeof SUMMATIONS;
    this.curve = CURVES[curve];
    this.summationMethod = SUMMATIONS[summation];
    this.multiLabel = o.multiLabel === undefined ? false : requireBoolean(op, 'multiLabel', o.multiLabel);
    this.fromLogits = o.fromLogits === undefined ? false : requireBoolean(op, 'fromLogits', o.fromLogits);

    let inner: number[];
    if (o.thresholds !== undefined && o.thresholds !== null) {
      const given: unknown = o.thresholds;
      if (!Array.isArray(given) || !given.every((t) => typeof t === 'number' && Number.isFinite(t)))
        throw new ArgumentError(`${op}: thresholds must be an array of finite numbers, got ${describe(given)}`);
      inner = (given as number[]).slice().sort((a, b) => a - b);
      this.numThresholds = inner.length + 2;
      this.evenly = evenlyDistributed([0, ...inner, 1]);
    } else {
      const n = requireInteger(op, 'numThresholds', o.numThresholds ?? 200, 2);
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      this.evenly = true;
    }
    this.thresholdValues = [0 - EPSILON, ...inner, 1 + EPSILON];

    if (o.labelWeights !== undefined && o.labelWeights !== null) {
      const w = cast(toTensor(op, o.labelWeights, 'float32'), 'float32');
      if (w.rank !== 1) throw new ShapeError(`${op}: labelWeights must be a vector, got shape ${fmtShape(w.shape)}`);
      this.labelWeights = w.values as Float32Array;
    }
    if (o.numLabels !== undefined && o.numLabels !== null) {
      const n = requireInteger(op, 'numLabels', o.numLabels, 1);
      if (!this.multiLabel) throw new ArgumentError(`${op}: numLabels is needed only when multiLabel is true`);
      this.build(op, n);
    } else if (!this.multiLabel) {
      this.build(op, undefined);
    }
  }

  /** The thresholds (float64, Keras's `thresholds`), -ε and 1+ε included. */
  get thresholds(): number[] {
    return this.thresholdValues.slice();
  }

  get variables(): Variable[] {
    const s = this.state;
    return s ? [s.tp, s.fp, s.tn, s.fn] : [];
  }

  /** The four variables once built. */
  private get state(): { tp: Variable; fp: Variable; tn: Variable; fn: Variable } | undefined {
    const [tp, fp, tn, fn] = [this.truePositives, this.falsePositives, this.trueNegatives, this.falseNegatives];
    return tp && fp && tn && fn ? { tp, fp, tn, fn } : undefined;
  }

  /** Creates the four variables: `[T]`, or `[T, labels]` for a multi-label AUC. */
  private build(op: string, labels: number | undefined): void {
    if (this.multiLabel && this.labelWeights !== undefined && this.labelWeights.length !== labels)
      throw new ShapeError(
        `${op}: labelWeights has ${this.labelWeights.length} weights but there are ${labels} labels`,
      );
    const shape = labels === undefined ? [this.numThresholds] : [this.numThresholds, labels];
    this.labels = labels;
    this.truePositives = stateVariable(this.name, 'true_positives', shape);
    this.falsePositives = stateVariable(this.name, 'false_positives', shape);
    this.trueNegatives = stateVariable(this.name, 'true_negatives', shape);
    this.falseNegatives = stateVariable(this.name, 'false_negatives', shape);
  }

  /**
   * Adds one batch's confusion counts: `yTrue` (nonzero is positive), `yPred` (probabilities, or
   * logits with `fromLogits`) of the same shape, and optionally sample weights broadcasting to them.
   * @example
   * const m = new tg.metrics.AUC();
   * m.updateState([0, 1, 0, 1], [0.1, 0.35, 0.4, 0.8]);
   * m.result(); // 0.75  (3 of the 4 positive-negative pairs ranked right)
   */
  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: SampleWeight): void {
    const op = 'AUC.updateState';
    const counts = withoutRecorders(() => this.counts(op, yTrue, yPred, sampleWeight));
    const s = this.state;
    if (s === undefined) throw new Error('AUC: state missing after a successful update'); // unreachable
    const addTo = (v: Variable, d: Float32Array) => {
      const cur = v.peek().values;
      const next = new Float32Array(cur.length);
      for (let i = 0; i < next.length; i++) next[i] = cur[i] + d[i];
      v.assign(new Tensor(next, v.shape, 'float32'));
    };
    addTo(s.tp, counts.tp);
    addTo(s.fp, counts.fp);
    addTo(s.tn, counts.tn);
    addTo(s.fn, counts.fn);
  }

  /** The counts of one batch (Keras's update_confusion_matrix_variables); builds a multi-label AUC on first use. */
  private counts(op: string, yTrueIn: TensorLike, yPredIn: TensorLike, sampleWeight: SampleWeight): Counts {
    let truth = required(op, 'yTrue', yTrueIn);
    let pred = required(op, 'yPred', yPredIn);
    const [predShape, trueShape] = [pred.shape, truth.shape];
    if (this.fromLogits) pred = sigmoid(cast(pred, 'float32'));
    pred = cast(pred, 'float32');
    truth = cast(truth, 'float32');
    const [ps, ts] = meetRanks(pred.shape, truth.shape);
    pred = toShape(pred, ps);
    truth = toShape(truth, ts);
    if (!sameShape(pred.shape, truth.shape))
      throw new ShapeError(`${op}: yTrue ${fmtShape(trueShape)} and yPred ${fmtShape(predShape)} must have one shape`);
    const T = this.numThresholds;
    let labels = 1;
    if (this.multiLabel) {
      if (pred.rank !== 2)
        throw new ShapeError(
          `${op}: yPred must have rank 2 ([samples, labels]) when multiLabel is true, got shape ${fmtShape(pred.shape)}`,
        );
      labels = pred.shape[1];
      if (this.state !== undefined && labels !== this.labels)
        throw new ShapeError(`${op}: yPred has ${labels} labels, but this AUC was built for ${this.labels}`);
    }
    const lw = this.multiLabel ? undefined : this.labelWeights;
    const last = pred.rank === 0 ? 1 : pred.shape[pred.rank - 1];
    if (lw !== undefined && lw.length !== 1 && lw.length !== last)
      throw new ShapeError(
        `${op}: labelWeights has ${lw.length} weights, which do not broadcast to yPred ${fmtShape(pred.shape)}`,
      );

    // sample weights: a trailing axis added, then ranks met with yTrue's (Keras), then broadcast to yPred
    let weights: ArrayLike<number> | undefined;
    if (sampleWeight !== undefined && sampleWeight !== null) {
      const sw = cast(toTensor(op, sampleWeight, 'float32'), 'float32');
      const [, ws] = meetRanks(truth.shape, [...sw.shape, 1], false);
      const shaped = toShape(sw, ws);
      let fits = shaped.rank <= pred.rank;
      for (let i = 1; fits && i <= shaped.rank; i++) {
        const d = shaped.shape[shaped.rank - i];
        fits = d === 1 || d === pred.shape[pred.rank - i];
      }
      if (!fits)
        throw new ShapeError(
          `${op}: sampleWeight ${fmtShape(sw.shape)} does not broadcast to yPred ${fmtShape(pred.shape)}`,
        );
      weights = broadcastTo(shaped, pred.shape).values;
    }
    if (this.multiLabel && this.state === undefined) this.build(op, labels);

    const p = pred.values;
    const y = truth.values;
    const n = p.length;
    const rows = this.multiLabel ? n / Math.max(labels, 1) : n;
    const cols = this.multiLabel ? labels : 1;
    const tp = new Float32Array(T * cols);
    const fp = new Float32Array(T * cols);
    const totalTrue = new Float32Array(cols);
    const totalFalse = new Float32Array(cols);
    const thresholds = Float32Array.from(this.thresholdValues);
    const scale = f32(T - 1);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        let w = weights === undefined ? 1 : weights[i];
        if (lw !== undefined) w = f32(w * lw[lw.length === 1 ? 0 : i % last]);
        const positive = y[i] !== 0; // cast to bool: NaN is true
        if (positive) totalTrue[c] += w;
        else totalFalse[c] += w;
        const counts = positive ? tp : fp;
        const v = p[i];
        if (Number.isNaN(v)) continue; // above no threshold
        if (this.evenly) {
          // Keras's bucketing: ceil(p · (T - 1)) - 1 in float32, at least 0, p clipped to [0, 1]
          const clipped = Math.min(Math.max(v, 0), 1);
          const bucket = Math.max(Math.ceil(f32(clipped * scale)) - 1, 0);
          counts[bucket * cols + c] += w;
        } else {
          for (let t = 0; t < T && v > thresholds[t]; t++) counts[t * cols + c] += w;
        }
      }
    }
    if (this.evenly) {
      // positive at threshold t: every bucket from t up (a reversed cumulative sum)
      for (let c = 0; c < cols; c++)
        for (let t = T - 2; t >= 0; t--) {
          tp[t * cols + c] += tp[(t + 1) * cols + c];
          fp[t * cols + c] += fp[(t + 1) * cols + c];
        }
    }
    const tn = new Float32Array(T * cols);
    const fn = new Float32Array(T * cols);
    for (let t = 0; t < T; t++)
      for (let c = 0; c < cols; c++) {
        tn[t * cols + c] = totalFalse[c] - fp[t * cols + c];
        fn[t * cols + c] = totalTrue[c] - tp[t * cols + c];
      }
    return { tp, fp, tn, fn };
  }

  /**
   * The area under the curve from the counts so far, a float32 scalar (0 before any batch).
   * @example
   * const m = new tg.metrics.AUC({ curve: 'PR' });
   * m.updateState([0, 1], [0.2, 0.9]);
   * m.result(); // 1
   */
  result(): Tensor {
    const s = this.state;
    if (s === undefined)
      throw new ArgumentError(
        `AUC.result: this multi-label AUC has no state yet; call updateState first or give numLabels`,
      );
    const T = this.numThresholds;
    const cols = this.labels ?? 1;
    const tp = s.tp.peek().values;
    const fp = s.fp.peek().values;
    const tn = s.tn.peek().values;
    const fn = s.fn.peek().values;
    const at = (t: number, c: number) => t * cols + c;
    const byLabel = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      let area = 0;
      if (this.curve === 'PR' && this.summationMethod === 'interpolation') {
        // Davis & Goadrich's interpolation: TP and TP + FP linear between thresholds (Keras's interpolate_pr_auc)
        for (let t = 0; t < T - 1; t++) {
          const [a, b] = [at(t, c), at(t + 1, c)];
          const dtp = f32(tp[a] - tp[b]);
          const pa = f32(tp[a] + fp[a]);
          const pb = f32(tp[b] + fp[b]);
          const dp = f32(pa - pb);
          const slope = divNoNan32(dtp, Math.max(dp, 0));
          const intercept = f32(tp[b] - f32(slope * pb));
          const ratio = pa > 0 && pb > 0 ? divNoNan32(pa, Math.max(pb, 0)) : 1;
          const numerator = f32(slope * f32(dtp + f32(intercept * f32(Math.log(ratio)))));
          area += divNoNan32(numerator, Math.max(f32(tp[b] + fn[b]), 0));
        }
      } else {
        const x = new Float32Array(T);
        const y = new Float32Array(T);
        for (let t = 0; t < T; t++) {
          const i = at(t, c);
          const recall = divNoNan32(tp[i], f32(tp[i] + fn[i]));
          if (this.curve === 'ROC') {
            x[t] = divNoNan32(fp[i], f32(fp[i] + tn[i]));
            y[t] = recall;
          } else if (this.curve === 'PR') {
            x[t] = recall;
            y[t] = divNoNan32(tp[i], f32(tp[i] + fp[i]));
          } else {
            // PR gain: (1 - P/N · fn/tp, 1 - P/N · fp/tp); 0 and 1 where tp is 0; the recall gain at least 0
            const scaling = divNoNan32(f32(tp[i] + fn[i]), f32(tn[i] + fp[i]));
            const recallGain = tp[i] === 0 ? 0 : f32(1 - f32(scaling * divNoNan32(fn[i], tp[i])));
            x[t] = Math.max(recallGain, 0);
            y[t] = tp[i] === 0 ? 1 : f32(1 - f32(scaling * divNoNan32(fp[i], tp[i])));
          }
        }
        for (let t = 0; t < T - 1; t++) {
          const height =
            this.summationMethod === 'interpolation'
              ? f32(f32(y[t] + y[t + 1]) / 2)
              : this.summationMethod === 'minoring'
                ? Math.min(y[t], y[t + 1])
                : Math.max(y[t], y[t + 1]);
          area += f32(f32(x[t] - x[t + 1]) * height);
        }
      }
      byLabel[c] = f32(area);
    }
    if (!this.multiLabel) return new Tensor(Float32Array.of(byLabel[0]), [], 'float32');
    const lw = this.labelWeights;
    if (lw === undefined) {
      let total = 0;
      for (const a of byLabel) total += a;
      return new Tensor(Float32Array.of(f32(total / cols)), [], 'float32');
    }
    let weighted = 0;
    let weights = 0;
    for (let c = 0; c < cols; c++) {
      weighted += f32(byLabel[c] * lw[c]);
      weights += lw[c];
    }
    return new Tensor(Float32Array.of(divNoNan32(f32(weighted), f32(weights))), [], 'float32');
  }
}
