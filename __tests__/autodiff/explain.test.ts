import * as tg from '../../src';

const lines = (s: string) => s.split('\n');

describe('GradientTape.explain: why a gradient is null', () => {
  test('a tensor that was never watched', () => {
    const x = tg.scalar(3);
    using tape = new tg.GradientTape();
    const y = x.mul(x);
    expect(tape.gradient(y, x)).toBeNull();
    expect(tape.explain(y, x)).toBe(
      'gradient of the target with respect to the source is null: this tape does not watch the source. ' +
        'A tensor (not a variable) is watched only by tape.watch(x), before the ops that use it.',
    );
  });

  test('a tensor watched after the ops that used it', () => {
    const x = tg.scalar(3);
    using tape = new tg.GradientTape();
    const y = x.mul(x);
    tape.watch(x);
    expect(tape.explain(y, x)).toContain('the source was watched after the target was computed');
    expect(tape.gradient(y, x)).toBeNull();
  });

  test('a variable that is not trainable, and a tape that does not watch accessed variables', () => {
    const v = new tg.Variable(2, { name: 'v', trainable: false });
    const w = new tg.Variable(2, { name: 'w' });
    using tape = new tg.GradientTape();
    expect(tape.explain(v.mul(3), v)).toContain("variable 'v' is not trainable");
    using manual = new tg.GradientTape({ watchAccessedVariables: false });
    expect(manual.explain(w.mul(3), w)).toContain('watchAccessedVariables: false');
  });

  test('only through argMax (no derivative): the op is named and the unrecorded chain shown', () => {
    const x = new tg.Variable([1, 5, 2], { name: 'x' });
    using tape = new tg.GradientTape({ persistent: true });
    const i = tg.argMax(x).cast('float32'); // 1, as a float
    expect(tape.gradient(i, x)).toBeNull();
    expect(lines(tape.explain(i, x))).toEqual([
      "gradient of the target u2 with respect to variable 'x' is null: the target u2 depends on variable 'x' only " +
        "through ops that pass no gradient: 'argMax' is not differentiable (by design, as in TF).",
      '  u1 = argMax(x)   int32, not recorded: no derivative',
      '  u2 = cast(u1)    float32, not recorded: its inputs carry no gradient',
    ]);
  });

  test('an unrecorded result that a recorded op read is named u…, not by its value', () => {
    const x = new tg.Variable([1, 5, 2], { name: 'x' });
    using tape = new tg.GradientTape({ persistent: true });
    const best = tg.argMax(x).cast('float32'); // 1, a scalar the mul below reads
    const y = x.mul(best).sum();
    expect(lines(tape.explain(best, x))[2]).toBe(
      '  u2 = cast(u1)    float32, not recorded: its inputs carry no gradient',
    );
    expect(lines(tape.explain(y, x)).slice(0, 3)).toEqual([
      "the target t2 depends on variable 'x' through 2 recorded ops:",
      '  t1 = mul(x, u2)   [3] float32',
      '  t2 = sum(t1)      [] float32',
    ]);
  });

  test('only through a cast to int32, through floor, through stopGradient', () => {
    const x = tg.scalar(2.5);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const c = tg.cast(x, 'int32').cast('float32').mul(2); // 4: 2.5 truncated to 2, times 2
    const f = tg.floor(x).mul(3); // 6
    const s = tg.stopGradient(x).mul(4); // 10
    expect(c.item()).toBe(4);
    expect(tape.explain(c, x)).toContain("'cast to int32' gives an int32 result, which carries no gradient");
    expect(tape.explain(f, x)).toContain("'floor' is not differentiable");
    expect(tape.explain(s, x)).toContain("'stopGradient' stops gradients by design");
    expect(tape.gradient([c, f, s], x)).toBeNull();
  });

  test('an op run while the tape was paused by stopRecording', () => {
    const v = new tg.Variable(2, { name: 'v' });
    using tape = new tg.GradientTape();
    const y = tape.stopRecording(() => v.mul(3));
    expect(tape.gradient(y, v)).toBeNull();
    // the non-persistent tape kept what explain needs, since a gradient was null
    expect(lines(tape.explain(y, v))).toEqual([
      "gradient of the target u1 with respect to variable 'v' is null: the target u1 depends on variable 'v' only " +
        "through ops that pass no gradient: 'mul' ran while the tape was paused by stopRecording().",
      '  u1 = mul(v, _)   float32, not recorded: inside stopRecording()',
    ]);
  });

  test('recorded on another tape', () => {
    const x = tg.scalar(1);
    const y = tg.scalar(2);
    using outer = new tg.GradientTape();
    outer.watch(x);
    using inner = new tg.GradientTape();
    inner.watch(y);
    const f = y.mul(y);
    expect(outer.explain(f, y)).toContain('this tape does not watch the source');
    expect(outer.explain(f, y)).toContain('Another active tape watches it');
    expect(outer.explain(f, x)).toContain('no op of this tape produced the target; another active tape recorded it');
  });

  test('computed before the tape was made, or after it was disposed', () => {
    const v = new tg.Variable(2, { name: 'v' });
    const before = v.mul(3);
    const tape = new tg.GradientTape();
    v.mul(1);
    tape.dispose();
    const after = v.mul(3);
    expect(tape.explain(before, v)).toContain('the target was computed before this tape was made');
    expect(tape.explain(after, v)).toContain('the target was computed after this tape stopped recording');
  });

  test('non-float source or target, and the source itself', () => {
    const n = tg.tensor([1, 2], [2], 'int32');
    const y = tg.scalar(1);
    using tape = new tg.GradientTape();
    tape.watch(y);
    expect(tape.explain(y.mul(2), n)).toContain('the source has dtype int32');
    expect(tape.explain(tg.argMax(y.reshape([1])), y)).toContain('the target u1 has dtype int32');
    expect(tape.explain(y, y)).toContain('the target is the source itself');
  });

  test('a variable no op read while the tape recorded (kept after gradient() because a gradient was null)', () => {
    const x = new tg.Variable(2, { name: 'x' });
    const y = new tg.Variable(3, { name: 'y' });
    const tape = new tg.GradientTape();
    const f = x.mul(x);
    const [dx, dy] = tape.gradient(f, [x, y]);
    expect(dx?.item()).toBe(4); // 2x
    expect(dy).toBeNull();
    expect(tape.explain(f, y)).toContain("no op read variable 'y' while this tape recorded");
    expect(lines(tape.explain(f, x))).toEqual([
      "the target t1 depends on variable 'x' through 1 recorded op:",
      '  t1 = mul(x, x)   [] float32',
    ]);
  });
});

describe('GradientTape.explain: connected', () => {
  test('the path of recorded ops, named as toString names them but for results it did not record, and the paths that pass nothing', () => {
    const x = new tg.Variable([1, 2], { name: 'x' });
    using tape = new tg.GradientTape({ persistent: true });
    const y = x.mul(x).sum(); // 1 + 4 = 5
    const z = y.mul(tg.stopGradient(y)); // 25
    expect(z.item()).toBe(25);
    // the same names as toString()
    expect(tape.toString().split('\n').slice(1)).toEqual([
      '  t1 = mul(x, x)    [2] float32',
      '  t2 = sum(t1)      [] float32',
      '  t3 = mul(t2, 5)   [] float32',
    ]);
    // toString() names the stopped value by its value; explain() knows it came from stopGradient
    expect(lines(tape.explain(z, x))).toEqual([
      "the target t3 depends on variable 'x' through 3 recorded ops:",
      '  t1 = mul(x, x)     [2] float32',
      '  t2 = sum(t1)       [] float32',
      '  t3 = mul(t2, u1)   [] float32',
      "Other paths pass no gradient: 'stopGradient' stops gradients by design.",
    ]);
    // d(y·sg(y))/dx = sg(y)·2x = 5·[2, 4]
    expect(tape.gradient(z, x)?.arraySync()).toEqual([10, 20]);
  });

  test('a non-persistent tape after a connected gradient: the records are gone, and it says how to keep them', () => {
    const x = new tg.Variable(2, { name: 'x' });
    const tape = new tg.GradientTape();
    const f = x.mul(x);
    expect(tape.gradient(f, x)?.item()).toBe(4);
    expect(tape.explain(f, x)).toContain('Make it with { persistent: true } to see the path.');
    expect(tape.toString()).toBe('GradientTape(persistent=false, 0 ops)');
  });

  test('bad arguments', () => {
    using tape = new tg.GradientTape();
    expect(() => tape.explain(null as unknown as tg.Tensor, tg.scalar(1))).toThrow(tg.TapeError);
    expect(() => tape.explain(tg.scalar(1), 3 as unknown as tg.Tensor)).toThrow(
      'GradientTape.explain: the source must be a Tensor or a Variable',
    );
  });
});

describe('notes of unrecorded ops', () => {
  test('no notes on ops that touch nothing the tape follows', () => {
    const x = tg.scalar(1);
    using tape = new tg.GradientTape();
    tg.argMax(tg.tensor([1, 2]))
      .cast('float32')
      .mul(x);
    // nothing is kept (nor allocated) for explain() until an op touches what the tape follows
    expect((tape as unknown as { explained: unknown }).explained).toBeNull();
    expect(tape.explain(x.mul(2), x)).toContain('this tape does not watch the source');
  });
});
