// Sum and Mean against Keras 3: its docstring examples, and reduce_to_samplewise_values's shape rules
// worked by hand; float32 state as Keras keeps it; nothing recorded on an active tape.
import * as tg from '../../src';
import { Mean, Sum } from '../../src/metrics';

const f32 = Math.fround;

describe('Sum', () => {
  test("Keras's examples: 16, and 4 with weights [1, 1, 0, 0]", () => {
    const m = new Sum();
    m.updateState([1, 3, 5, 7]);
    expect(m.result().item()).toBe(16); // 1 + 3 + 5 + 7
    const w = new Sum();
    w.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expect(w.result().item()).toBe(4); // 1 + 3
  });

  test('accumulates over batches, sums each sample of rank-2 values, and resets', () => {
    const m = new Sum();
    m.updateState(
      [
        [1, 2],
        [3, 4],
      ],
      [1, 0],
    ); // (1 + 2)·1 + (3 + 4)·0
    expect(m.result().item()).toBe(3);
    m.updateState(5);
    expect(m.result().item()).toBe(8);
    m.resetState();
    expect(m.result().item()).toBe(0);
    expect(m.total.value().item()).toBe(0);
  });

  test('a scalar weight: the values are summed first, then weighted (Keras)', () => {
    const m = new Sum();
    m.updateState([1, 3], 2);
    expect(m.result().item()).toBe(8); // (1 + 3) · 2
  });

  test('the state is float32, as Keras: 2^24 + 1 rounds back to 2^24', () => {
    const m = new Sum();
    m.updateState(16777216);
    m.updateState(1);
    expect(m.result().item()).toBe(16777216);
    expect(m.result().dtype).toBe('float32');
    expect(m.result().shape).toEqual([]);
  });
});

describe('Mean', () => {
  test("Keras's examples: 4, then 2 with weights [1, 1, 0, 0] after a reset", () => {
    const m = new Mean();
    m.updateState([1, 3, 5, 7]);
    expect(m.result().item()).toBe(4); // 16 / 4
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expect(m.result().item()).toBe(2); // (1 + 3) / 2
  });

  test('0 before any value (divide_no_nan)', () => {
    expect(new Mean().result().item()).toBe(0);
  });

  test('a scalar counts as one sample, a vector as its length', () => {
    const m = new Mean();
    m.updateState(2);
    m.updateState([4, 6]);
    expect(m.result().item()).toBe(4); // (2 + 4 + 6) / 3
    expect(m.count.value().item()).toBe(3);
  });

  test('rank-2 values are averaged per sample; the count is the number of samples', () => {
    const m = new Mean();
    m.updateState([
      [1, 2],
      [3, 5],
    ]); // per sample 1.5, 4
    expect(m.result().item()).toBe(2.75); // (1.5 + 4) / 2
  });

  test('a weight per sample on rank-2 values', () => {
    const m = new Mean();
    m.updateState(
      [
        [1, 2],
        [3, 5],
      ],
      [1, 0],
    ); // 1.5·1 + 4·0, count 1
    expect(m.result().item()).toBe(1.5);
  });

  test('a weight per element: the weighted values and the weights are both averaged per sample (Keras)', () => {
    const m = new Mean();
    m.updateState(
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1, 0],
        [1, 1],
      ],
    );
    // values·w = [[1, 0], [3, 4]] → per-sample means [0.5, 3.5], total 4; weights → means [0.5, 1], count 1.5
    expect(m.result().item()).toBe(f32(4 / 1.5));
    expect(m.total.value().item()).toBe(4);
    expect(m.count.value().item()).toBe(1.5);
  });

  test('a [B, 1] value against a [B] weight: the weight gets a trailing axis', () => {
    const m = new Mean();
    m.updateState([[2], [4], [6]], [1, 1, 0]);
    expect(m.result().item()).toBe(3); // (2 + 4) / 2
  });

  test('float64 and int32 values are cast to float32', () => {
    const m = new Mean();
    m.updateState(tg.tensor([0.1], [1], 'float64'));
    expect(m.result().item()).toBe(f32(0.1));
    const i = new Mean();
    i.updateState(tg.tensor([1, 2], [2], 'int32'));
    expect(i.result().item()).toBe(1.5);
  });

  test('the variables: non-trainable float32 scalars named <name>/total and <name>/count', () => {
    const m = new Mean({ name: 'loss' });
    expect(m.name).toBe('loss');
    expect(m.variables.map((v) => [v.name, v.trainable, v.dtype, v.shape])).toEqual([
      ['loss/total', false, 'float32', []],
      ['loss/count', false, 'float32', []],
    ]);
    expect(new Sum().variables.map((v) => v.name)).toEqual(['sum/total']);
    expect(new Mean().name).toBe('mean');
  });
});

describe('off the tape', () => {
  test('updateState inside a tape records nothing and reads no variable; the loss keeps its gradient', () => {
    const w = new tg.Variable(3, { name: 'w' });
    const m = new Mean();
    const s = new Sum();
    using tape = new tg.GradientTape({ persistent: true });
    const loss = w.mul(w); // one op
    m.updateState(loss);
    s.updateState(w, loss);
    m.updateState(loss, w);
    expect(tape.toString()).toBe('GradientTape(persistent=true, 1 op)\n  t1 = mul(w, w)   [] float32');
    expect(tape.watchedVariables()).toEqual([w]);
    expect(tape.gradient(loss, w)?.item()).toBe(6);
    expect(m.result().item()).toBe(9); // (9 + 9·3) / (1 + 3)
    expect(s.result().item()).toBe(27); // 3 · 9
  });
});

describe('bad input', () => {
  test('a weight that does not broadcast to the values is a ShapeError naming the method', () => {
    const m = new Mean();
    expect(() => m.updateState([1, 2], [1, 2, 3])).toThrow(
      new tg.ShapeError('Mean.updateState: sampleWeight [3] does not broadcast to the values [2]'),
    );
    expect(() => new Sum().updateState(5, [1, 2])).toThrow(tg.ShapeError);
    // nothing changed
    expect(m.count.value().item()).toBe(0);
  });

  test('missing values, unknown options, a bad name', () => {
    expect(() => new Mean().updateState(undefined as unknown as number)).toThrow(
      new tg.ArgumentError('Mean.updateState: values is required, got undefined'),
    );
    expect(() => new Mean({ nmae: 'x' } as never)).toThrow(
      new tg.ArgumentError('Mean: unknown option "nmae"; expected name'),
    );
    expect(() => new Sum({ name: 3 } as never)).toThrow(new tg.ArgumentError('Sum: name must be a string, got 3'));
  });
});
