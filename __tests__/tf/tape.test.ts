// GradientTape, ForwardAccumulator and the functional transforms against TensorFlow's semantics
// (tensorflow/python/eager/backprop.py and JAX's argument rule): structures, reset, watched
// variables, non-float sources and targets, forgotten tapes, argument counts.
import * as tg from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { expectTensor } from '../helpers';

afterEach(() => {
  // no test may leave a tape recording
  expect(activeRecorders.length).toBe(0);
});

/** Runs `fn` with console.warn replaced by a spy; returns the messages it was given. */
function warnings(fn: () => void): string[] {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    fn();
    return warn.mock.calls.map((c) => String(c[0]));
  } finally {
    warn.mockRestore();
  }
}

describe('outputGradients mirrors the target structure', () => {
  test('one target in a list takes one gradient in a list (TF: nest.flatten of both)', () => {
    const x = new tg.Variable(3);
    using tape = new tg.GradientTape({ persistent: true });
    const y = x.mul(x);
    // d(x²)/dx · dy = 2·3·2 = 12
    expectTensor(tape.gradient([y], x, { outputGradients: [tg.scalar(2)] }), 12);
    expectTensor(tape.gradient([y], x, { outputGradients: [2] }), 12);
    // a single target takes a single gradient, itself possibly a plain array
    const v = x.mul(tg.tensor([1, 2])); // [x, 2x]
    expectTensor(tape.gradient(v, x, { outputGradients: [10, 1] }), 12); // 10·1 + 1·2
    expectTensor(tape.gradient([v], x, { outputGradients: [[10, 1]] }), 12);
  });

  test('nested targets: one gradient per target tensor, in the same structure; null is the default (ones)', () => {
    const x = new tg.Variable(2);
    using tape = new tg.GradientTape({ persistent: true });
    const a = x.mul(3); // da/dx = 3
    const b = x.square(); // db/dx = 2x = 4
    // 3·10 + 4·1
    expectTensor(tape.gradient({ a, rest: [b] }, x, { outputGradients: { a: 10, rest: [1] } }), 34);
    // a missing gradient is ones, as TF's None: 3·1 + 4·5
    expectTensor(tape.gradient([a, b], x, { outputGradients: [null, 5] }), 23);
    // no outputGradients: the sum, 3 + 4
    expectTensor(tape.gradient([[a], { b }], x), 7);
  });

  test('a structure that differs from the target is a TapeError naming where', () => {
    const x = new tg.Variable(2);
    using tape = new tg.GradientTape({ persistent: true });
    const y = x.mul(3);
    expect(() => tape.gradient([y], x, { outputGradients: [1, 2] })).toThrow(
      /^GradientTape\.gradient: outputGradients has 2 entries for 1 targets/,
    );
    expect(() => tape.gradient([y, y], x, { outputGradients: tg.scalar(1) })).toThrow(
      /outputGradients should be an array of 2/,
    );
    expect(() => tape.gradient({ y }, x, { outputGradients: { z: 1 } })).toThrow(/outputGradients\.z has no target/);
    expect(() => tape.gradient({ y }, x, { outputGradients: {} })).toThrow(/outputGradients\.y is missing/);
    // the tape was not touched: it still answers
    expectTensor(tape.gradient([y], x, { outputGradients: [2] }), 6);
  });
});

describe('nested sources give nested gradients (TF: nest.pack_sequence_as(sources, grads))', () => {
  test('[[w]], { a: [w, b] }, records in arrays', () => {
    const w = new tg.Variable(3, { name: 'w' });
    const b = new tg.Variable(5, { name: 'b' });
    using tape = new tg.GradientTape({ persistent: true });
    const y = w.mul(b).add(b); // dy/dw = b = 5, dy/db = w + 1 = 4
    const g1: (tg.Tensor | null)[][] = tape.gradient(y, [[w]]);
    expect(g1.length).toBe(1);
    expectTensor(g1[0][0], 5);
    const g2: { a: (tg.Tensor | null)[] } = tape.gradient(y, { a: [w, b] });
    expect(Object.keys(g2)).toEqual(['a']);
    expectTensor(g2.a[0], 5);
    expectTensor(g2.a[1], 4);
    const g3 = tape.gradient(y, [{ w }, [b, { deep: [w] }]]);
    expectTensor((g3[0] as { w: tg.Tensor | null }).w, 5);
    const inner = g3[1] as [tg.Tensor | null, { deep: (tg.Tensor | null)[] }];
    expectTensor(inner[0], 4);
    expectTensor(inner[1].deep[0], 5);
    expect(tape.gradient(y, [])).toEqual([]);
    expect(tape.gradient(y, { e: [] })).toEqual({ e: [] });
  });

  test('jacobian takes nested sources too', () => {
    const x = tg.tensor([1, 2]);
    const w = tg.scalar(3);
    using tape = new tg.GradientTape();
    tape.watch({ x, w });
    const y = x.mul(w); // dy/dx = diag(w), dy/dw = x
    const j = tape.jacobian(y, { p: [x], q: { w } });
    expectTensor(j.p[0], [3, 0, 0, 3], [2, 2]);
    expectTensor(j.q.w, [1, 2], [2]);
  });

  test('a structure that contains itself is a TapeError, not a stack overflow', () => {
    const x = new tg.Variable(1);
    const cyclic: unknown[] = [x];
    cyclic.push(cyclic);
    using tape = new tg.GradientTape({ persistent: true });
    const y = x.mul(2);
    expect(() => tape.gradient(y, cyclic as tg.Sources)).toThrow(
      /^GradientTape\.gradient: the structure contains itself/,
    );
    expect(() => tape.watch(cyclic as tg.Sources)).toThrow(/^GradientTape\.watch: the structure contains itself/);
    expectTensor(tape.gradient(y, x), 2);
  });
});

// TF backprop.py GradientTape.reset: pop the tape (raising "Tape is not recording." if it is not), push a new one
describe('reset', () => {
  test('inside the block it forgets what was recorded, persistent or not', () => {
    const x = new tg.Variable(2);
    using tape = new tg.GradientTape({ persistent: true });
    const a = x.mul(x);
    expectTensor(tape.gradient(a, x), 4); // a persistent tape used inside its block is still recording
    tape.reset();
    expect(tape.gradient(a, x)).toBeNull();
    expect(tape.watchedVariables()).toEqual([]);
    expectTensor(tape.gradient(x.mul(5), x), 5);
  });

  test('after dispose, after a non-persistent gradient(), and inside stopRecording, it raises', () => {
    const x = new tg.Variable(2);
    const used = new tg.GradientTape();
    used.gradient(x.mul(x), x);
    expect(() => used.reset()).toThrow(/^GradientTape\.reset: Tape is not recording/);

    const closed = new tg.GradientTape({ persistent: true });
    x.mul(x);
    closed.dispose();
    expect(() => closed.reset()).toThrow(/^GradientTape\.reset: Tape is not recording \(it was disposed\)/);
    expect(String(closed).split('\n')[0]).toBe('GradientTape(persistent=true, 1 op)'); // nothing forgotten

    using paused = new tg.GradientTape();
    paused.stopRecording(() => {
      expect(() => paused.reset()).toThrow(/Tape is not recording \(inside stopRecording\(\)\)/);
    });
    paused.reset(); // recording again
  });
});

// TF: "in order of construction" (backprop.py); pywrap_tfe_src.cc keeps them in a std::set ordered by id
describe('watchedVariables', () => {
  test('creation order, whatever the order of the reads', () => {
    const first = new tg.Variable(1, { name: 'first' });
    const second = new tg.Variable(2, { name: 'second' });
    const third = new tg.Variable(3, { name: 'third' });
    using tape = new tg.GradientTape();
    third.mul(first);
    tape.watch(second);
    expect(tape.watchedVariables().map((v) => v.name)).toEqual(['first', 'second', 'third']);
  });

  test('an int32 variable read on a tape is listed (TF watches every trainable variable read) and gets null', () => {
    const n = new tg.Variable(4, { name: 'n', dtype: 'int32' });
    const x = new tg.Variable(3, { name: 'x' });
    using tape = new tg.GradientTape({ persistent: true });
    const y = x.mul(tg.cast(n, 'float32')); // x·n
    expect(tape.watchedVariables().map((v) => v.name)).toEqual(['n', 'x']);
    const [gn, gx] = tape.gradient(y, [n, x]);
    expect(gn).toBeNull();
    expectTensor(gx, 4); // d(x·n)/dx = n
    // with unconnectedGradients 'zero', int32 zeros of its shape (TF: zeros_like(source))
    const z = tape.gradient(y, n, { unconnectedGradients: 'zero' });
    expectTensor(z, 0, []);
    expect(z?.dtype).toBe('int32');
  });
});

// TF: imperative_grad gives a non-float source or target no gradient; watch() warns with log_first_n(WARN, …, 5)
describe('non-float sources and targets', () => {
  test('an int32 target gives null for every source, zeros on request', () => {
    const x = new tg.Variable([1.5, 2.5]);
    const w = tg.scalar(2);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(w);
    const t = tg.cast(x.mul(w), 'int32');
    expect(tape.gradient(t, [x, w])).toEqual([null, null]);
    const z = tape.gradient(t, { x }, { unconnectedGradients: 'zero' });
    expectTensor(z.x, [0, 0], [2]);
    // beside a float target, an int32 target adds nothing: d(sum(x·w))/dx = w = 2
    expectTensor(tape.gradient([t, x.mul(w)], x), [2, 2]);
    expect(tape.jacobian(t, x)).toBeNull();
  });

  test('watch of an int32 tensor or variable warns the first 5 times, naming the method, and watches nothing', () => {
    const i = tg.tensor([1, 2], [2], 'int32');
    const n = new tg.Variable(1, { name: 'n', dtype: 'int32', trainable: false });
    const messages = warnings(() => {
      using tape = new tg.GradientTape({ persistent: true });
      tape.watch(i);
      tape.watch([n, { i }]);
      for (let k = 0; k < 5; k++) tape.watch(i);
      const y = tg.cast(i, 'float32').add(tg.cast(n, 'float32'));
      expect(String(tape)).toBe('GradientTape(persistent=true, 0 ops)'); // nothing recorded
      expect(tape.gradient(y, [i, n])).toEqual([null, null]);
      expect(tape.watchedVariables()).toEqual([n]); // a watched variable is listed, as TF
    });
    expect(messages.length).toBe(5); // 8 non-float leaves watched, 5 warnings
    expect(messages[0]).toMatch(
      /^GradientTape\.watch: the dtype of the watched tensor must be floating \(float32 or float64\), got int32 \(shape \[2\]\)/,
    );
    expect(messages[1]).toMatch(/^GradientTape\.watch: the dtype of the watched variable 'n' must be floating/);
  });
});

describe('forgotten tapes', () => {
  test('more than 64 active recorders: one console.warn naming the count and how to dispose', () => {
    const tapes: tg.GradientTape[] = [];
    try {
      const messages = warnings(() => {
        for (let k = 0; k < 70; k++) tapes.push(new tg.GradientTape({ persistent: true }));
      });
      expect(messages.length).toBe(1); // once, at the 65th
      expect(messages[0]).toMatch(/^tapegrad: 65 gradient tapes and forward accumulators are active at once/);
      expect(messages[0]).toMatch(/using tape = new tg\.GradientTape\(\)/);
      expect(messages[0]).toMatch(/tape\.dispose\(\)/);
    } finally {
      for (const t of tapes) t.dispose();
    }
  });

  test('a non-persistent tape leaves the stack at its first gradient(), as TF pops it', () => {
    const x = new tg.Variable(3);
    const tape = new tg.GradientTape();
    expect(activeRecorders).toContain(tape);
    expectTensor(tape.gradient(x.mul(x), x), 6);
    expect(activeRecorders).not.toContain(tape);
  });
});

describe('batchJacobian of an unconnected target', () => {
  test('zeros of shape [B, ...targetRest, ...sourceRest], as TF (backprop.py: output None → zeros(new_shape))', () => {
    const x = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    const c = tg.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const y = c.mul(2); // does not depend on x
    const j = tape.batchJacobian(y, x);
    expectTensor(j, new Array(12).fill(0), [2, 3, 2]);
    expect(j.dtype).toBe('float32');
    expectTensor(tape.batchJacobian(y, x, { unconnectedGradients: 'zero' }), new Array(12).fill(0), [2, 3, 2]);
  });
});

describe('functional transforms: arguments are a list, never more than f takes (JAX)', () => {
  const square = (x: tg.Tensor) => x.square();

  test('jvp: a bare tensor or number is one argument, an array a list', () => {
    expect(() => tg.jvp(square, [1, 2], [1, 0])).toThrow(/^jvp: the function takes 1 argument but 2 were given/);
    expectTensor(tg.jvp(square, [3], [1]).tangent, 6); // 2·3·1
    expectTensor(tg.jvp(square, 3, 1).tangent, 6);
    expectTensor(tg.jvp(square, [tg.tensor([1, 2])], [tg.tensor([1, 0])]).tangent, [2, 0]); // 2x·t
  });

  test('jacobian, hessian and hvp take one x and refuse a second argument', () => {
    const jac = tg.jacobian(square) as (...a: unknown[]) => tg.Tensor;
    expect(() => jac(tg.tensor([1, 2]), 5)).toThrow(/^jacobian: takes one argument x .* but 2 were given/);
    expect(() => (tg.jacobian(square) as (...a: unknown[]) => tg.Tensor)()).toThrow(/^jacobian: takes one argument x/);
    expect(() => (tg.hessian((x) => x.pow(3).sum()) as (...a: unknown[]) => tg.Tensor)(1, 2)).toThrow(
      /^hessian: takes one argument x .* but 2 were given/,
    );
    const hvp = tg.hvp as (...a: unknown[]) => tg.Tensor;
    expect(() => hvp((x: tg.Tensor) => x.pow(3).sum(), [1, 2], [1, 0], [0, 1])).toThrow(
      /^hvp: takes \(f, x, v\).* but 4 arguments were given/,
    );
    expect(() => hvp((x: tg.Tensor) => x.pow(3).sum(), [1, 2])).toThrow(/^hvp: .*the direction v is missing/);
    // d²(x³)/dx² = 6x: H·[1, 0] at [1, 2] = [6, 0]
    expectTensor(
      tg.hvp((x) => x.pow(3).sum(), [1, 2], [1, 0]),
      [6, 0],
    );
    expectTensor(tg.jacobian(square)([1, 2]), [2, 0, 0, 4], [2, 2]);
  });

  test('grad, valueAndGrad and vjp refuse more arguments than f declares', () => {
    expect(() => tg.grad(square)(1, 2)).toThrow(/^valueAndGrad: the function takes 1 argument but 2 were given/);
    expect(() => tg.vjp(square, 1, 2)).toThrow(/^vjp: the function takes 1 argument but 2 were given/);
  });

  test('ForwardAccumulator: one primal takes one tangent, an array of primals an array of tangents', () => {
    const x = tg.tensor([1, 2]);
    expect(() => new tg.ForwardAccumulator(x, [tg.tensor([1, 0])])).toThrow(
      /^ForwardAccumulator: one primal takes one tangent, not an array of tensors/,
    );
    expect(() => new tg.ForwardAccumulator([x], tg.tensor([1, 0]))).toThrow(/give an array of tangents/);
    expect(() => new tg.ForwardAccumulator([x], [1, 0])).toThrow(/1 primals but 2 tangents/);
    {
      using acc = new tg.ForwardAccumulator(x, [1, 0]); // [1, 0] is one tangent, a tensor
      expectTensor(acc.jvp(x.square()), [2, 0]); // 2x·t
    }
    using acc = new tg.ForwardAccumulator([x], [[0, 1]]);
    expectTensor(acc.jvp(x.square()), [0, 4]);
  });
});
