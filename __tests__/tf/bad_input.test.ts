// Bad input to creation, conversion and the optimizers: TF's answer where TF has one, else a named
// ArgumentError/ShapeError/DTypeError whose message starts with the public function called, and
// nothing half-done (no variable changed by a refused step).
import * as tg from '../../src';
import { requireOptions, requireScalar } from '../../src/core/args';

/** The error a call throws (fails the test when it returns). */
function caught(call: () => unknown): Error {
  try {
    call();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}

describe('creation', () => {
  test('range(limit): one argument is the limit, as TF', () => {
    // tf.range(5): "if limit is None: start, limit = 0, start" (tensorflow/python/ops/math_ops.py)
    const r = tg.range(5);
    expect(r.arraySync()).toEqual([0, 1, 2, 3, 4]);
    expect(r.dtype).toBe('int32');
  });

  test('range refuses a step pointing away from the stop, as TF', () => {
    // TF's Range kernel: "Requires start <= limit when delta > 0" (tensorflow/core/kernels/sequence_ops.cc)
    const e = caught(() => tg.range(5, 0));
    expect(e).toBeInstanceOf(tg.ArgumentError);
    expect(e.message).toBe('range: start must be <= stop when step is positive, got start 5, stop 0, step 1');
    expect(tg.range(1, 0, -0.25).arraySync()).toEqual([1, 0.75, 0.5, 0.25]); // 1 - 0.25·i for i < ceil(1/0.25)
    expect(caught(() => tg.range('5' as unknown as number))).toBeInstanceOf(tg.ArgumentError);
    expect(caught(() => tg.range(0, 5, 1, 'complex' as tg.DType)).message).toMatch(/^range: unknown dtype "complex"/);
    expect(caught(() => tg.range(0, 2 ** 40, 1, 'int32')).message).toBe(
      'range: stop 1099511627776 cannot be stored as int32',
    );
    expect(caught(() => tg.range(0, 1e300, 1e-300)).message).toMatch(
      /^range: from 0 to 1e\+300 by 1e-300 has Infinity elements/,
    );
  });

  test('fill takes a scalar tensor value (as TF, with its dtype) and refuses a missing or string value', () => {
    // tf.fill(dims, value): value is a 0-D tensor and the result has its dtype
    const t = tg.fill([2], tg.scalar(3));
    expect(t.arraySync()).toEqual([3, 3]);
    expect(t.dtype).toBe('float32');
    expect(tg.fill([2], tg.scalar(3, 'int32')).dtype).toBe('int32');
    expect(caught(() => tg.fill([2], undefined as unknown as number)).message).toBe(
      'fill: value must be a number, a boolean or a rank-0 tensor, got undefined',
    );
    const s = caught(() => tg.fill([2], 'abc' as unknown as number));
    expect(s).toBeInstanceOf(tg.ArgumentError);
    expect(s.message).toBe('fill: value must be a number, a boolean or a rank-0 tensor, got "abc"');
    expect(caught(() => tg.fill([2], tg.tensor([1, 2]))).message).toBe(
      'fill: value must be a scalar (a rank-0 tensor), got a tensor of shape [2]',
    );
    expect(caught(() => tg.fill([2], tg.scalar(3), 'int32')).message).toBe(
      "fill: dtype int32 differs from the value's dtype float32",
    );
    // an int32 fill refuses a fraction as tensor() does (the typed array would truncate 1.5 to 1)
    expect(caught(() => tg.fill([2], 1.5, 'int32'))).toBeInstanceOf(tg.DTypeError);
  });

  test("fill's tensor value is differentiable: TF's Fill gradient sums the upstream gradient", () => {
    const v = tg.scalar(2);
    using tape = new tg.GradientTape();
    tape.watch(v);
    const y = tg.sum(tg.mul(tg.fill([3], v), tg.tensor([1, 2, 3])));
    // y = 2·1 + 2·2 + 2·3 = 12; dy/dv = 1 + 2 + 3 = 6
    expect(y.item()).toBe(12);
    expect(tape.gradient(y, v)!.item()).toBe(6);
  });

  test('zeros, ones and eye report in their own name, and huge shapes name the element count', () => {
    expect(caught(() => tg.zeros([1e9, 1e9])).message).toBe(
      'zeros: shape [1000000000,1000000000] has 1e18 elements, more than 2147483647 (2^31 - 1), the most a tensor can hold',
    );
    expect(caught(() => tg.zeros([1e9, 1e9]))).toBeInstanceOf(tg.ShapeError);
    expect(caught(() => tg.ones([-1])).message).toBe('ones: a shape must hold non-negative integers, got [-1]');
    expect(caught(() => tg.ones('abc' as unknown as number[])).message).toBe(
      'ones: a shape must be an array of non-negative integers, got "abc"',
    );
    expect(caught(() => tg.zeros([2], null as unknown as tg.DType)).message).toMatch(/^zeros: unknown dtype null/);
    expect(caught(() => tg.eye(2.5)).message).toBe('eye: n must be an integer >= 0, got 2.5');
    expect(caught(() => tg.eye(1e5)).message).toMatch(/^eye: shape \[100000,100000\] has 10000000000 elements/);
  });

  test('linspace: numbers or rank-0 float tensors for the bounds, a positive integer count', () => {
    // tf.linspace(start, stop, num): start and stop are 0-D float tensors, the result has their dtype
    const t = tg.linspace(tg.scalar(0, 'float64'), tg.scalar(1, 'float64'), 3);
    expect(t.dtype).toBe('float64');
    expect(t.arraySync()).toEqual([0, 0.5, 1]); // 0 + i·(1 - 0)/2
    expect(caught(() => tg.linspace('0' as unknown as number, 1, 3)).message).toBe(
      'linspace: start must be a number or a rank-0 tensor, got "0"',
    );
    expect(caught(() => tg.linspace(0, 1, 2.5)).message).toBe('linspace: num must be an integer >= 1, got 2.5');
    expect(caught(() => tg.linspace(tg.scalar(0, 'int32'), 1, 3))).toBeInstanceOf(tg.DTypeError);
  });

  test('random options: own properties only, known names, numbers', () => {
    expect(caught(() => tg.randomNormal([2], null as unknown as tg.RandomNormalOptions)).message).toBe(
      'randomNormal: options must be a plain object or undefined, got null',
    );
    expect(caught(() => tg.randomUniform([2], { maxval: 'x' as unknown as number })).message).toBe(
      'randomUniform: maxval must be a finite number, got "x"',
    );
    expect(caught(() => tg.randomNormal([2], { sed: 1 } as tg.RandomNormalOptions)).message).toBe(
      'randomNormal: unknown option "sed"; expected mean, stddev, seed, dtype',
    );
  });
});

describe('conversion', () => {
  test('an int32 tensor refuses values outside int32, as TF', () => {
    // TF: "Can't convert Python sequence with out-of-range integer to int32 Tensor."
    // (tensorflow/python/lib/core/py_seq_tensor.cc); a typed array would wrap 2^40 to 0
    const e = caught(() => tg.tensor([2 ** 40], [1], 'int32'));
    expect(e).toBeInstanceOf(tg.DTypeError);
    expect(e.message).toBe('tensor: 1099511627776 is out of the int32 range [-2147483648, 2147483647]');
    expect(tg.tensor([2 ** 31 - 1, -(2 ** 31)], [2], 'int32').arraySync()).toEqual([2147483647, -2147483648]);
    expect(caught(() => tg.tensor(2 ** 31, [], 'int32'))).toBeInstanceOf(tg.DTypeError);
  });

  test('booleans and numbers do not mix, as TF', () => {
    // TF: "Can't convert Python sequence with mixed types to Tensor." (py_seq_tensor.cc)
    const e = caught(() => tg.tensor([true, 2]));
    expect(e).toBeInstanceOf(tg.DTypeError);
    expect(e.message).toBe('tensor: the values mix booleans and numbers (true and 2); use one kind, or cast after');
    expect(caught(() => tg.tensor([[1], [false]]))).toBeInstanceOf(tg.DTypeError);
  });

  test('a cyclic or absurdly deep array is a clear error, not a crash', () => {
    const a: unknown[] = [1];
    a[0] = a;
    const e = caught(() => tg.tensor(a as number[]));
    expect(e).toBeInstanceOf(tg.ArgumentError);
    expect(e.message).toBe('tensor: the nested array contains itself at depth 1');
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(caught(() => tg.tensor(deep as number[])).message).toBe(
      'tensor: the nested array is deeper than 254 levels, the most a tensor can have',
    );
  });

  test('one value fills a shape without a JS array of that size, checked once', () => {
    expect(tg.tensor(7, [2, 2]).arraySync()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(caught(() => tg.tensor(0.5, [3], 'int32'))).toBeInstanceOf(tg.DTypeError);
  });

  test('axes: a non-integer is an ArgumentError, an integer out of range a ShapeError', () => {
    const x = tg.ones([2, 3]);
    expect(caught(() => tg.sum(x, '0' as unknown as number)).message).toBe(
      'sum: axis must be an integer or an array of integers, got "0"',
    );
    expect(caught(() => tg.sum(x, '0' as unknown as number))).toBeInstanceOf(tg.ArgumentError);
    expect(caught(() => tg.sum(x, 5))).toBeInstanceOf(tg.ShapeError);
  });
});

describe('argument helpers', () => {
  test('requireOptions reads own properties only: a polluted Object.prototype changes nothing', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.momentum = 0.9;
    proto.learningRate = 'abc';
    try {
      expect({ ...requireOptions<{ momentum?: number }>('SGD', {}, ['momentum']) }).toEqual({});
      const opt = new tg.SGD({ learningRate: 0.1 });
      expect(opt.momentum).toBe(0); // the default, not the polluted 0.9
      const w = new tg.Variable(1);
      new tg.SGD().applyGradients([[tg.scalar(2), w]]);
      expect(w.value().item()).toBeCloseTo(0.98, 6); // 1 - 0.01·2 (the default learning rate 0.01)
    } finally {
      delete proto.momentum;
      delete proto.learningRate;
    }
  });

  test('requireScalar takes numbers, booleans and rank-0 tensors', () => {
    expect(requireScalar('pad', 'value', 2).value).toBe(2);
    expect(requireScalar('pad', 'value', true).value).toBe(1);
    expect(requireScalar('oneHot', 'onValue', tg.scalar(5, 'int32')).dtype).toBe('int32');
    expect(caught(() => requireScalar('oneHot', 'onValue', true, false)).message).toBe(
      'oneHot: onValue must be a number or a rank-0 tensor, got true',
    );
  });
});

describe('optimizers', () => {
  test('bad options are ArgumentErrors naming the optimizer', () => {
    expect(caught(() => new tg.SGD(null as unknown as tg.SGDOptions)).message).toBe(
      'SGD: options must be a plain object or undefined, got null',
    );
    expect(caught(() => new tg.SGD({ momentum: '0.9' as unknown as number })).message).toBe(
      'SGD: momentum must be a finite number, got "0.9"',
    );
    expect(caught(() => new tg.Adam({ amsgrad: 1 as unknown as boolean })).message).toBe(
      'Adam: amsgrad must be true or false, got 1',
    );
    expect(caught(() => new tg.AdamW({ learning_rate: 0.1 } as tg.AdamOptions)).message).toMatch(
      /^AdamW: unknown option "learning_rate"; expected learningRate, /,
    );
    expect(caught(() => new tg.RMSprop({ clipNorm: 'x' as unknown as number }))).toBeInstanceOf(tg.ArgumentError);
    expect(caught(() => new tg.Adagrad({ learningRate: -1 })).message).toBe(
      'Adagrad: learningRate must be a non-negative number or a schedule, got -1',
    );
    expect(
      caught(() => tg.exponentialDecay(null as unknown as Parameters<typeof tg.exponentialDecay>[0])),
    ).toBeInstanceOf(tg.ArgumentError);
  });

  test.each([
    ['a string', () => 'abc'],
    ['undefined', () => undefined],
    ['NaN', () => NaN],
  ])('a schedule returning %s is refused at the step and changes no variable', (_name, schedule) => {
    const w = new tg.Variable([1, 2]);
    const opt = new tg.SGD({ learningRate: schedule as unknown as tg.LearningRateSchedule, momentum: 0.5 });
    const e = caught(() => opt.applyGradients([[tg.tensor([1, 1]), w]]));
    expect(e).toBeInstanceOf(tg.ArgumentError);
    expect(e.message).toMatch(/^SGD: the learningRate schedule returned .* at step 0; expected a finite number$/);
    expect(w.value().arraySync()).toEqual([1, 2]);
    expect(opt.iterations).toBe(0);
  });

  test('applyGradients refuses what is not pairs, by name', () => {
    const opt = new tg.Adam();
    expect(caught(() => opt.applyGradients(null as unknown as [])).message).toBe(
      'Adam.applyGradients: expected an iterable of [gradient, variable] pairs, got null',
    );
    expect(caught(() => opt.applyGradients([[tg.scalar(1), 3]] as unknown as tg.GradientPair[])).message).toBe(
      'Adam.applyGradients: expected [gradient, variable] pairs (gradient a Tensor or null), got an array of length 2',
    );
    expect(caught(() => opt.applyGradients([[null, new tg.Variable(1, { name: 'w' })]])).message).toBe(
      "Adam.applyGradients: no gradients provided for any variable ('w'); check that the loss depends on them",
    );
    expect(caught(() => opt.minimize('loss' as unknown as () => tg.Tensor, [])).message).toBe(
      'Adam.minimize: lossFn must be a function, got "loss"',
    );
  });

  test('a variable listed twice gets both updates, as Keras 3', () => {
    // Keras 3 BaseOptimizer.apply → _backend_update_step: update_step(grad, var) for each pair in turn
    // (keras/src/optimizers/base_optimizer.py), so the second update starts from the first one's result
    const w = new tg.Variable(1);
    new tg.SGD({ learningRate: 0.1 }).applyGradients([
      [tg.scalar(2), w],
      [tg.scalar(3), w],
    ]);
    expect(w.value().item()).toBeCloseTo(0.5, 6); // 1 - 0.1·2 - 0.1·3

    // with momentum the slot is shared: m1 = -0.1·2 = -0.2, w = 0.8; m2 = 0.5·(-0.2) - 0.1·2 = -0.3, w = 0.5
    const v = new tg.Variable(1);
    const opt = new tg.SGD({ learningRate: 0.1, momentum: 0.5 });
    opt.applyGradients([
      [tg.scalar(2), v],
      [tg.scalar(2), v],
    ]);
    expect(v.value().item()).toBeCloseTo(0.5, 6);
    expect(opt.iterations).toBe(1);

    // weight decay is applied once per listed pair, before the updates (Keras's _apply_weight_decay
    // loops over the list): w = 1·(1 - 0.5·0.1) twice = 0.9025, then - 0.1·1 twice = 0.7025
    const u = new tg.Variable(1);
    new tg.SGD({ learningRate: 0.1, weightDecay: 0.5 }).applyGradients([
      [tg.scalar(1), u],
      [tg.scalar(1), u],
    ]);
    expect(u.value().item()).toBeCloseTo(0.7025, 6);
  });
});
