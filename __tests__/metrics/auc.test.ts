// AUC against Keras 3: the docstring's example and its counts, each curve and summation method worked
// by hand on it, Keras's bucketing (a prediction counts above thresholds it strictly exceeds, -ε and
// 1+ε at the ends), the trapezoid ROC area equal to the Mann-Whitney statistic with ties counted half,
// multi-label averaging, label and sample weights, and the errors.
import * as tg from '../../src';
import { AUC } from '../../src/metrics';

const f32 = Math.fround;
const Y = [0, 0, 1, 1];
const P = [0, 0.5, 0.3, 0.9];

function counts(m: AUC): number[][] {
  return [m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives].map((v) =>
    Array.from(v?.value().dataSync() ?? []),
  );
}

describe("Keras's docstring example, 3 thresholds [-ε, 0.5, 1+ε]", () => {
  test('counts tp [2, 1, 0], fp [2, 0, 0], tn [0, 2, 2], fn [0, 1, 2]; ROC area 0.75', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState(Y, P);
    expect(counts(m)).toEqual([
      [2, 1, 0],
      [2, 0, 0],
      [0, 2, 2],
      [0, 1, 2],
    ]);
    // recall [1, 0.5, 0], fp rate [1, 0, 0]: (1 - 0)·(1 + 0.5)/2 + (0 - 0)·(0.5 + 0)/2
    expect(m.result().item()).toBe(0.75);
    expect(m.thresholds).toEqual([-1e-7, 0.5, 1 + 1e-7]);
  });

  test('with sample weights [1, 0, 0, 1]: 1', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState(Y, P, [1, 0, 0, 1]);
    expect(m.result().item()).toBe(1);
  });

  test("'minoring' and 'majoring' on ROC: 0.5 and 1", () => {
    const lo = new AUC({ numThresholds: 3, summationMethod: 'minoring' });
    const hi = new AUC({ numThresholds: 3, summationMethod: 'majoring' });
    lo.updateState(Y, P);
    hi.updateState(Y, P);
    expect(lo.result().item()).toBe(0.5); // 1·min(1, 0.5) + 0·min(0.5, 0)
    expect(hi.result().item()).toBe(1); // 1·max(1, 0.5) + 0
  });

  test('PR with interpolation (Davis & Goadrich): 1/6 + ln(4)/9 + 1/2', () => {
    const m = new AUC({ numThresholds: 3, curve: 'PR' });
    m.updateState(Y, P);
    // p = tp + fp = [4, 1, 0]. Interval 0: slope 1/3, intercept 1 - 1/3 = 2/3, (1/3)(1 + (2/3) ln 4) / (tp + fn = 2);
    // interval 1: slope 1, intercept 0, p_B = 0 so the log ratio is 0: 1·1 / 2
    expect(m.result().item()).toBeCloseTo(1 / 6 + Math.log(4) / 9 + 0.5, 6);
  });

  test('PR minoring and majoring: recall [1, 0.5, 0], precision [0.5, 1, 0]', () => {
    const lo = new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'minoring' });
    const hi = new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'majoring' });
    lo.updateState(Y, P);
    hi.updateState(Y, P);
    expect(lo.result().item()).toBe(0.25); // 0.5·min(0.5, 1) + 0.5·min(1, 0)
    expect(hi.result().item()).toBe(1); // 0.5·1 + 0.5·1
  });

  test('PRGAIN: recall gain [1, 0, 0], precision gain [0, 1, 1]: 0.5', () => {
    const m = new AUC({ numThresholds: 3, curve: 'PRGAIN' });
    m.updateState(Y, P);
    // P/N = 2/2 = 1; at -ε: 1 - fn/tp = 1, 1 - fp/tp = 0; at 0.5: 1 - 1/1 = 0, 1 - 0 = 1; at 1+ε tp = 0: 0 and 1
    expect(m.result().item()).toBe(0.5); // (1 - 0)·(0 + 1)/2 + (0 - 0)·…
  });

  test('fromLogits: the logits of the same probabilities give the same area', () => {
    const m = new AUC({ numThresholds: 3, fromLogits: true });
    m.updateState(Y, [-20, 0, Math.log(0.3 / 0.7), Math.log(9)]);
    expect(m.result().item()).toBe(0.75);
  });

  test("Keras's lower-case curve names", () => {
    const m = new AUC({ numThresholds: 3, curve: 'roc' as 'ROC', summationMethod: 'Majoring' as 'majoring' });
    expect([m.curve, m.summationMethod]).toEqual(['ROC', 'majoring']);
  });
});

describe('200 thresholds (the default)', () => {
  test("Keras's defaults: name 'auc', thresholds -ε, 1/199 … 198/199, 1+ε, variables [200]", () => {
    const m = new AUC();
    expect([m.name, m.numThresholds, m.curve, m.summationMethod, m.multiLabel]).toEqual([
      'auc',
      200,
      'ROC',
      'interpolation',
      false,
    ]);
    expect(m.thresholds.slice(0, 3)).toEqual([-1e-7, 1 / 199, 2 / 199]);
    expect(m.thresholds[199]).toBe(1 + 1e-7);
    expect(m.variables.map((v) => `${v.name} ${v.shape} ${v.dtype} ${v.trainable}`)).toEqual([
      'auc/true_positives 200 float32 false',
      'auc/false_positives 200 float32 false',
      'auc/true_negatives 200 float32 false',
      'auc/false_negatives 200 float32 false',
    ]);
    expect(m.result().item()).toBe(0); // no data: every rate is 0
  });

  test('a prediction counts above the thresholds it strictly exceeds; 0 and 1 sit inside -ε and 1+ε', () => {
    const m = new AUC();
    m.updateState([1, 1, 1, 1], [0, 0.5, 1, 100 / 199]);
    const tp = Array.from(m.truePositives?.value().dataSync() ?? []);
    // 0 > -ε only; 0.5 > 99/199 (0.4975) but not 100/199 (0.5025); 1 > all but 1+ε; 100/199 exactly: not above itself
    const above = (t: number) => [0, 0.5, 1, 100 / 199].filter((p) => p > m.thresholds[t]).length;
    expect(tp).toEqual(Array.from({ length: 200 }, (_, t) => above(t)));
    expect([tp[0], tp[1], tp[99], tp[100], tp[198], tp[199]]).toEqual([4, 3, 3, 1, 1, 0]);
  });

  test('out-of-range predictions are clipped to [0, 1]; a NaN prediction is above no threshold', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState([1, 1, 1], [-0.5, 1.5, NaN]);
    expect(counts(m)).toEqual([
      [2, 1, 0], // -0.5 → 0: above -ε only; 1.5 → 1: above -ε and 0.5
      [0, 0, 0],
      [0, 0, 0],
      [1, 2, 3],
    ]);
  });

  test('the area is the Mann-Whitney statistic of the buckets, ties counted half (with weights)', () => {
    // predictions at bucket centres (j + 0.5)/199 are above thresholds 0 … j: bucket j, unambiguously
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const n = 60;
    const bucket = Array.from({ length: n }, () => Math.floor(next() * 30) * 6); // ties likely
    const label = Array.from({ length: n }, () => (next() < 0.4 ? 1 : 0));
    const weight = Array.from({ length: n }, () => 1 + Math.floor(next() * 3));
    const m = new AUC();
    m.updateState(
      label,
      bucket.map((j) => (j + 0.5) / 199),
      weight,
    );
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++)
        if (label[i] === 1 && label[k] === 0) {
          const w = weight[i] * weight[k];
          den += w;
          num += w * (bucket[i] > bucket[k] ? 1 : bucket[i] === bucket[k] ? 0.5 : 0);
        }
    expect(m.result().item()).toBeCloseTo(num / den, 6);
  });

  test('batches accumulate: two halves give the area of the whole', () => {
    const whole = new AUC();
    whole.updateState([0, 1, 0, 1], [0.1, 0.35, 0.4, 0.8]);
    const parts = new AUC();
    parts.updateState([0, 1], [0.1, 0.35]);
    parts.updateState([0, 1], [0.4, 0.8]);
    expect(whole.result().item()).toBe(0.75); // pairs: 0.35 > 0.1, 0.35 < 0.4, 0.8 > both
    expect(parts.result().item()).toBe(0.75);
    parts.resetState();
    expect(counts(parts).map((c) => c.every((x) => x === 0))).toEqual([true, true, true, true]);
    expect(parts.result().item()).toBe(0);
  });
});

describe('given thresholds', () => {
  test('[0.5]: evenly spread, the same as 3 thresholds', () => {
    const m = new AUC({ thresholds: [0.5] });
    m.updateState(Y, P);
    expect(m.numThresholds).toBe(3);
    expect(m.result().item()).toBe(0.75);
  });

  test('[0.5, 0.2] (sorted): 0.3 and 0.5 share the interval (0.2, 0.5], a tie counted half: 0.875', () => {
    const m = new AUC({ thresholds: [0.5, 0.2] });
    m.updateState(Y, P);
    expect(m.thresholds).toEqual([-1e-7, 0.2, 0.5, 1 + 1e-7]);
    expect(counts(m).slice(0, 2)).toEqual([
      [2, 2, 1, 0],
      [2, 1, 0, 0],
    ]);
    // recall [1, 1, 0.5, 0], fp rate [1, 0.5, 0, 0]: 0.5·(1 + 1)/2 + 0.5·(1 + 0.5)/2 + 0
    expect(m.result().item()).toBe(0.875);
  });
});

describe('shapes and weights', () => {
  test('[B] labels against [B, 1] predictions, with a [B] weight', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState(
      Y,
      P.map((p) => [p]),
      [1, 0, 0, 1],
    );
    expect(m.result().item()).toBe(1);
  });

  test('a weight per sample of [B, L] data weights every label of the sample', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState(
      [
        [0, 1],
        [1, 0],
      ],
      [
        [0.2, 0.9],
        [0.8, 0.1],
      ],
      [2, 0.5],
    );
    expect(counts(m)[0]).toEqual([2.5, 2.5, 0]); // tp at -ε: 2 + 0.5; at 0.5: 0.9 (w 2) and 0.8 (w 0.5)
    expect(m.result().item()).toBe(1);
  });

  test('multiLabel: one AUC per label, averaged (0.75 and 1 → 0.875); labelWeights [1, 3] → 0.9375', () => {
    const yTrue = Y.map((y, i) => [y, [0, 1, 0, 1][i]]);
    const yPred = P.map((p, i) => [p, [0.1, 0.9, 0.2, 0.8][i]]);
    const m = new AUC({ numThresholds: 3, multiLabel: true });
    expect(m.variables).toEqual([]);
    m.updateState(yTrue, yPred);
    expect(m.truePositives?.shape).toEqual([3, 2]);
    expect(m.result().item()).toBe(0.875); // (0.75 + 1) / 2
    const w = new AUC({ numThresholds: 3, multiLabel: true, numLabels: 2, labelWeights: [1, 3] });
    expect(w.variables.length).toBe(4);
    w.updateState(yTrue, yPred);
    expect(w.result().item()).toBe(0.9375); // (0.75·1 + 1·3) / 4
  });

  test('labelWeights without multiLabel weight each column of the flattened data: 60/64', () => {
    const yTrue = Y.map((y, i) => [y, [0, 1, 0, 1][i]]);
    const yPred = P.map((p, i) => [p, [0.1, 0.9, 0.2, 0.8][i]]);
    const m = new AUC({ numThresholds: 3, labelWeights: [1, 3] });
    m.updateState(yTrue, yPred);
    // positives: 0.3 (w 1, lower bucket), 0.9 (w 1), 0.9 (w 3), 0.8 (w 3); negatives (all lower bucket) weigh 8.
    // the 7 upper positives beat all 8: 56; 0.3 ties with all 8: 4; out of 8·8
    expect(m.result().item()).toBe(60 / 64);
  });

  test('float32 counts, as Keras', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState([1], [0.9], [0.1]);
    expect(counts(m)[0]).toEqual([f32(0.1), f32(0.1), 0]);
  });
});

describe('off the tape', () => {
  test('updateState inside a tape records nothing and reads no variable', () => {
    const p = new tg.Variable([0.2, 0.7], { name: 'p' });
    const logits = tg.tensor([0.5, -1]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(logits);
    new AUC().updateState([0, 1], p);
    new AUC({ fromLogits: true, curve: 'PR' }).updateState([0, 1], logits);
    expect(tape.toString()).toBe('GradientTape(persistent=true, 0 ops)');
    expect(tape.watchedVariables()).toEqual([]);
  });
});

describe('bad input', () => {
  test('options', () => {
    expect(() => new AUC({ numThresholds: 1 })).toThrow(
      new tg.ArgumentError('AUC: numThresholds must be an integer >= 2, got 1'),
    );
    expect(() => new AUC({ curve: 'AUC' as 'ROC' })).toThrow(tg.ArgumentError);
    expect(() => new AUC({ numLabels: 2 })).toThrow(
      new tg.ArgumentError('AUC: numLabels is needed only when multiLabel is true'),
    );
    expect(() => new AUC({ thresholds: [0.5, '0.7'] as never })).toThrow(
      new tg.ArgumentError('AUC: thresholds must be an array of finite numbers, got an array of length 2'),
    );
    expect(() => new AUC({ multiLabel: true, numLabels: 3, labelWeights: [1, 2] })).toThrow(
      new tg.ShapeError('AUC: labelWeights has 2 weights but there are 3 labels'),
    );
  });

  test('updates that do not fit, refused before anything changes', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState([1], [0.9]);
    expect(() => m.updateState([0, 1, 1], [0.2, 0.8])).toThrow(
      new tg.ShapeError('AUC.updateState: yTrue [3] and yPred [2] must have one shape'),
    );
    expect(() => m.updateState([0, 1], [0.2, 0.8], [1, 2, 3])).toThrow(
      new tg.ShapeError('AUC.updateState: sampleWeight [3] does not broadcast to yPred [2]'),
    );
    expect(counts(m)[0]).toEqual([1, 1, 0]);
    const multi = new AUC({ multiLabel: true });
    expect(() => multi.result()).toThrow(tg.ArgumentError);
    expect(() => multi.updateState([0, 1], [0.2, 0.8])).toThrow(
      new tg.ShapeError(
        'AUC.updateState: yPred must have rank 2 ([samples, labels]) when multiLabel is true, got shape [2]',
      ),
    );
    multi.updateState([[0, 1]], [[0.2, 0.8]]);
    expect(() => multi.updateState([[0, 1, 1]], [[0.2, 0.8, 0.5]])).toThrow(
      new tg.ShapeError('AUC.updateState: yPred has 3 labels, but this AUC was built for 2'),
    );
  });
});
