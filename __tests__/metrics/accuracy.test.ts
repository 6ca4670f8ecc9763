// The accuracy metrics against Keras 3: each docstring's example (with and without sample weights),
// Keras's shape handling, TF's in_top_k for ties and non-finite scores, and the errors.
import * as tg from '../../src';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from '../../src/metrics';

const f32 = Math.fround;
const PRED3 = [
  [0.1, 0.9, 0.8],
  [0.05, 0.95, 0],
];

describe("Keras's docstring examples", () => {
  test('Accuracy: 0.75, then 0.5 with weights [1, 1, 0, 0]', () => {
    const m = new Accuracy();
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
    expect(m.result().item()).toBe(0.75); // 3 of 4 equal
    m.resetState();
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]);
    expect(m.result().item()).toBe(0.5); // (0 + 1) / 2
  });

  test('BinaryAccuracy: 0.75, then 0.5 with weights [1, 0, 0, 1]', () => {
    const m = new BinaryAccuracy();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]); // predicted 1, 1, 0, 1
    expect(m.result().item()).toBe(0.75);
    m.resetState();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
    expect(m.result().item()).toBe(0.5); // (1 + 0) / 2
  });

  test('CategoricalAccuracy: 0.5, then 0.3 with weights [0.7, 0.3]', () => {
    const m = new CategoricalAccuracy();
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      PRED3,
    ); // argmax 1 vs 2, 1 vs 1
    expect(m.result().item()).toBe(0.5);
    m.resetState();
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      PRED3,
      [0.7, 0.3],
    );
    expect(m.result().item()).toBe(f32(f32(0.3) / f32(f32(0.7) + f32(0.3)))); // 0.3 / 1
  });

  test('SparseCategoricalAccuracy: 0.5, then 0.3 with weights [0.7, 0.3]', () => {
    const m = new SparseCategoricalAccuracy();
    m.updateState(
      [[2], [1]],
      [
        [0.1, 0.6, 0.3],
        [0.05, 0.95, 0],
      ],
    ); // argmax 1 vs 2, 1 vs 1
    expect(m.result().item()).toBe(0.5);
    m.resetState();
    m.updateState(
      [[2], [1]],
      [
        [0.1, 0.6, 0.3],
        [0.05, 0.95, 0],
      ],
      [0.7, 0.3],
    );
    expect(m.result().item()).toBe(f32(0.3));
  });

  test('TopKCategoricalAccuracy(k = 1): 0.5, then 0.3 with weights [0.7, 0.3]', () => {
    const m = new TopKCategoricalAccuracy({ k: 1 });
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      PRED3,
    );
    expect(m.result().item()).toBe(0.5);
    m.resetState();
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      PRED3,
      [0.7, 0.3],
    );
    expect(m.result().item()).toBe(f32(0.3));
  });
});

describe('defaults and options', () => {
  test("Keras's names, thresholds and k", () => {
    expect(new Accuracy().name).toBe('accuracy');
    expect(new BinaryAccuracy().name).toBe('binary_accuracy');
    expect(new BinaryAccuracy().threshold).toBe(0.5);
    expect(new CategoricalAccuracy().name).toBe('categorical_accuracy');
    expect(new SparseCategoricalAccuracy().name).toBe('sparse_categorical_accuracy');
    expect(new TopKCategoricalAccuracy().name).toBe('top_k_categorical_accuracy');
    expect(new TopKCategoricalAccuracy().k).toBe(5);
    expect(new Accuracy({ name: 'acc' }).variables.map((v) => `${v.name} ${v.trainable}`)).toEqual([
      'acc/total false',
      'acc/count false',
    ]);
  });

  test('BinaryAccuracy: a prediction exactly at the threshold is 0; threshold 0.7 moves 0.6 to 0', () => {
    const m = new BinaryAccuracy();
    m.updateState([0, 1], [0.5, 0.5]); // 0.5 > 0.5 is false: predicted 0, 0
    expect(m.result().item()).toBe(0.5);
    const t = new BinaryAccuracy({ threshold: 0.7 });
    t.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]); // predicted 1, 1, 0, 0
    expect(t.result().item()).toBe(1);
  });

  test('BinaryAccuracy: integer predictions and bool labels', () => {
    const m = new BinaryAccuracy();
    m.updateState(tg.tensor([true, true, false], [3], 'bool'), tg.tensor([0, 1, 2], [3], 'int32'));
    expect(m.result().item()).toBe(f32(1 / 3)); // predicted 0, 1, 1: only the middle one matches
  });

  test('TopK with the default k = 5 and 3 classes: every label is in the top 5', () => {
    const m = new TopKCategoricalAccuracy();
    m.updateState(
      [
        [1, 0, 0],
        [0, 0, 1],
      ],
      PRED3,
    );
    expect(m.result().item()).toBe(1);
  });

  test('TopK k = 2: class 0 of row 1 has two larger scores, class 0 of row 2 one', () => {
    const m = new TopKCategoricalAccuracy({ k: 2 });
    m.updateState(
      [
        [1, 0, 0],
        [1, 0, 0],
      ],
      PRED3,
    ); // 0.1 < 0.9, 0.8; 0.05 < 0.95 only
    expect(m.result().item()).toBe(0.5);
  });
});

describe("Keras's shapes", () => {
  test('Accuracy: [B] labels against [B, 1] predictions, and labels cast to the prediction dtype', () => {
    const m = new Accuracy();
    m.updateState([1, 2, 3], [[1], [2], [0]]);
    expect(m.result().item()).toBe(f32(2 / 3));
    const i = new Accuracy();
    i.updateState([1.5, 2], tg.tensor([1, 2], [2], 'int32')); // 1.5 → int32 1
    expect(i.result().item()).toBe(1);
  });

  test('SparseCategoricalAccuracy: int32 labels [B] and float labels [B, 1] agree', () => {
    const a = new SparseCategoricalAccuracy();
    a.updateState(tg.tensor([2, 1], [2], 'int32'), [
      [0.1, 0.6, 0.3],
      [0.05, 0.95, 0],
    ]);
    const b = new SparseCategoricalAccuracy();
    b.updateState(
      [[2], [1]],
      [
        [0.1, 0.6, 0.3],
        [0.05, 0.95, 0],
      ],
    );
    expect(a.result().item()).toBe(0.5);
    expect(b.result().item()).toBe(0.5);
  });

  test('SparseCategoricalAccuracy over a sequence: labels [B, T], predictions [B, T, C]', () => {
    const m = new SparseCategoricalAccuracy();
    const pred = [
      [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
      [
        [0.3, 0.7],
        [0.6, 0.4],
      ],
    ]; // argmax [[0, 1], [1, 0]]
    m.updateState(
      [
        [0, 1],
        [0, 0],
      ],
      pred,
    ); // matches [[1, 1], [0, 1]] → per sample 1, 0.5
    expect(m.result().item()).toBe(0.75);
  });

  test('CategoricalAccuracy: logits work as probabilities; ties go to the first class', () => {
    const m = new CategoricalAccuracy();
    m.updateState(
      [
        [1, 0],
        [1, 0],
      ],
      [
        [3, -1],
        [2, 2],
      ],
    ); // argmax 0, 0 (the first of a tie)
    expect(m.result().item()).toBe(1);
  });

  test('TopK over a sequence: one-hot labels [B, T, C]', () => {
    const m = new TopKCategoricalAccuracy({ k: 1 });
    m.updateState(
      [
        [
          [1, 0],
          [0, 1],
        ],
      ],
      [
        [
          [0.9, 0.1],
          [0.8, 0.2],
        ],
      ],
    ); // matches [[1, 0]]: one sample with mean 0.5
    expect(m.result().item()).toBe(0.5);
    expect(m.count.value().item()).toBe(1);
  });
});

describe("TF's in_top_k", () => {
  test('ties at the k-th place are all in the top k', () => {
    const m = new TopKCategoricalAccuracy({ k: 1 });
    m.updateState(
      [
        [0, 1, 0],
        [1, 0, 0],
      ],
      [
        [0.5, 0.5, 0],
        [0.5, 0.5, 0],
      ],
    ); // no score larger than 0.5
    expect(m.result().item()).toBe(1);
  });

  test('a non-finite score at the label is never in the top k', () => {
    const m = new TopKCategoricalAccuracy({ k: 3 });
    m.updateState(
      [
        [0, 1, 0],
        [1, 0, 0],
      ],
      [
        [0.1, NaN, 0.3],
        [Infinity, 0, 0],
      ],
    );
    expect(m.result().item()).toBe(0);
  });
});

describe('off the tape', () => {
  test('updateState inside a tape records nothing and reads no variable', () => {
    const p = new tg.Variable([[0.2, 0.8]], { name: 'p' });
    const x = tg.tensor([[0.3, 0.7]]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    for (const m of [
      new Accuracy(),
      new BinaryAccuracy(),
      new CategoricalAccuracy(),
      new TopKCategoricalAccuracy({ k: 1 }),
    ]) {
      m.updateState([[0, 1]], p);
      m.updateState([[0, 1]], x, x.sum(1)); // the sum is the one op recorded per metric
    }
    new SparseCategoricalAccuracy().updateState([1], x);
    expect(tape.toString().split('\n')[0]).toBe('GradientTape(persistent=true, 4 ops)');
    expect(tape.watchedVariables()).toEqual([]);
  });
});

describe('bad input', () => {
  test('shapes that do not fit', () => {
    expect(() => new Accuracy().updateState([1, 2, 3], [1, 2])).toThrow(
      new tg.ShapeError('Accuracy.updateState: yTrue [3] and yPred [2] must have one shape or broadcast together'),
    );
    expect(() =>
      new CategoricalAccuracy().updateState(
        [
          [0, 1],
          [1, 0],
        ],
        [0.2, 0.8],
      ),
    ).toThrow(
      new tg.ShapeError(
        "CategoricalAccuracy.updateState: yTrue [2,2] does not fit yPred [2]: expected one-hot labels of yPred's rank",
      ),
    );
    expect(() => new SparseCategoricalAccuracy().updateState([1], 3)).toThrow(
      new tg.ShapeError('SparseCategoricalAccuracy.updateState: yPred [] needs a non-empty last axis of classes'),
    );
    expect(() =>
      new TopKCategoricalAccuracy().updateState(
        [[0, 1]],
        [
          [0.5, 0.5],
          [0.1, 0.9],
        ],
      ),
    ).toThrow(
      new tg.ShapeError(
        'TopKCategoricalAccuracy.updateState: yTrue [1,2] and yPred [2,2] must be one-hot labels and predictions of one shape [..., classes]',
      ),
    );
    expect(() => new BinaryAccuracy().updateState([1, 0], [0.5, 0.5], [1, 1, 1])).toThrow(
      new tg.ShapeError('BinaryAccuracy.updateState: sampleWeight [3] does not broadcast to the values [2]'),
    );
  });

  test('missing arguments and bad options', () => {
    expect(() => new Accuracy().updateState([1], undefined as unknown as number[])).toThrow(
      new tg.ArgumentError('Accuracy.updateState: yPred is required, got undefined'),
    );
    expect(() => new BinaryAccuracy({ threshold: '0.5' } as never)).toThrow(
      new tg.ArgumentError('BinaryAccuracy: threshold must be a number, got "0.5"'),
    );
    expect(() => new TopKCategoricalAccuracy({ k: 1.5 })).toThrow(
      new tg.ArgumentError('TopKCategoricalAccuracy: k must be an integer >= 0, got 1.5'),
    );
    expect(() => new CategoricalAccuracy({ k: 1 } as never)).toThrow(
      new tg.ArgumentError('CategoricalAccuracy: unknown option "k"; expected name'),
    );
  });

  test('a refused update changes nothing', () => {
    const m = new Accuracy();
    m.updateState([1, 2], [1, 0]);
    expect(() => m.updateState([1, 2], [1, 2], [1, 2, 3])).toThrow(tg.ShapeError);
    expect([m.total.value().item(), m.count.value().item()]).toEqual([1, 2]);
  });
});
