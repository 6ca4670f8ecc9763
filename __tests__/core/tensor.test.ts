// Tensor creation, conversion, printing and immutability.
import * as util from 'node:util';
import * as tg from '../../src';
import { expectTensor } from '../helpers';
import { portableLog } from '../../src/kernels/random';

describe('creation', () => {
  test('tensor from numbers, nested arrays, typed arrays, booleans; dtype defaults', () => {
    expect(tg.tensor(3).shape).toEqual([]);
    expect(
      tg.tensor([
        [1, 2],
        [3, 4],
      ]).dtype,
    ).toBe('float32');
    expect(tg.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tg.tensor([true, false]).dtype).toBe('bool');
    expect(tg.tensor([1, 2, 3, 4], [2, 2]).shape).toEqual([2, 2]);
    expect(tg.tensor(5, [2, 2]).arraySync()).toEqual([
      [5, 5],
      [5, 5],
    ]);
    expect(tg.constant([1, 2], undefined, 'float64').dtype).toBe('float64');
    expect(tg.scalar(24).rank).toBe(0);
    expect(tg.tensor(tg.tensor([1, 2]), [2, 1]).shape).toEqual([2, 1]);
  });

  test('ragged arrays, bad sizes, NaN shapes, unknown dtypes are clear errors', () => {
    expect(() => tg.tensor([[1, 2], [3]])).toThrow(
      new tg.ShapeError('tensor: ragged nested array at [1]: expected 2 elements along axis 1 for shape [2,2], got 1'),
    );
    expect(() => tg.tensor([[1, 2], 3] as unknown as number[][])).toThrow(/ragged nested array at \[1\]/);
    expect(() => tg.tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2,2\] \(4 elements\)/);
    expect(() => tg.zeros([2, NaN])).toThrow(/^zeros: a shape must hold non-negative integers, got \[2,NaN\]$/);
    expect(() => tg.zeros([1.5])).toThrow(tg.ShapeError);
    expect(() => tg.tensor([1], [1], 'complex64' as tg.DType)).toThrow(tg.DTypeError);
    expect(() => tg.tensor('abc' as unknown as number)).toThrow(/cannot make a tensor from string/);
  });

  test('fill, zeros, ones, zerosLike, onesLike, eye, range, linspace', () => {
    expectTensor(tg.fill([2], 7), [7, 7]);
    expectTensor(tg.zerosLike(tg.tensor([[1, 2]], undefined, 'int32')), [0, 0], [1, 2]);
    expect(tg.onesLike(tg.tensor([1], [1], 'float64')).dtype).toBe('float64');
    expectTensor(tg.eye(3), [1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]);
    expect(tg.range(0, 5, 2).arraySync()).toEqual([0, 2, 4]);
    expect(tg.range(0, 5, 2).dtype).toBe('int32');
    expect(tg.range(1, 0, -0.25).arraySync()).toEqual([1, 0.75, 0.5, 0.25]);
    expectTensor(tg.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    expect(() => tg.range(0, 1, 0)).toThrow(/range: step must be a finite non-zero number/);
  });

  test('seeded random numbers repeat exactly and have the right moments', () => {
    const a = tg.randomNormal([1000], { seed: 42 });
    expect(Array.from(a.dataSync())).toEqual(Array.from(tg.randomNormal([1000], { seed: 42 }).dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(tg.randomNormal([1000], { seed: 43 }).dataSync()));
    const n = tg.randomNormal([20000], { seed: 1, mean: 2, stddev: 3, dtype: 'float64' });
    expect(tg.mean(n).item()).toBeCloseTo(2, 1);
    expect(Math.sqrt(tg.mean(tg.square(n.sub(2))).item())).toBeCloseTo(3, 1);
    const u = tg.randomUniform([20000], { minval: -1, maxval: 3, seed: 5 });
    expect(tg.min(u).item()).toBeGreaterThanOrEqual(-1);
    expect(tg.max(u).item()).toBeLessThan(3);
    expect(tg.mean(u).item()).toBeCloseTo(1, 1);
    const i = tg.randomUniform([100], { minval: 0, maxval: 3, dtype: 'int32', seed: 5 });
    expect(new Set(i.dataSync()).size).toBe(3);
  });

  test('normal samples use a logarithm made of + - * / only, as accurate as Math.log', () => {
    // Math.log may differ in the last bit between engines; portableLog cannot
    for (const x of [1e-300, 1e-7, 0.1, 0.5, 0.999999, 1, 1.5, 2, 1e10]) {
      expect(Math.abs(portableLog(x) - Math.log(x))).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(Math.log(x))));
    }
  });
});

describe('reading values', () => {
  test('dataSync is a copy; arraySync is nested; item needs one element', () => {
    const t = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    const d = t.dataSync();
    d[0] = 100;
    expect(t.dataSync()[0]).toBe(1);
    expect(t.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tg.scalar(5).arraySync()).toBe(5);
    expect(tg.tensor([[7]]).item()).toBe(7);
    expect(() => t.item()).toThrow(/item: expected a tensor with one element, got shape \[2,2\] with 4/);
    expect(tg.tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
  });

  test('ids are unique and increasing', () => {
    const a = tg.scalar(1);
    const b = tg.scalar(1);
    const v = new tg.Variable(1);
    expect(b.id).toBeGreaterThan(a.id);
    expect(v.id).toBeGreaterThan(b.id);
  });
});

describe('printing', () => {
  test('scalars and matrices as API.md shows', () => {
    expect(String(tg.scalar(24))).toBe('Tensor(24, shape=[], dtype=float32)');
    expect(
      String(
        tg.tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe('Tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32)');
    expect(String(tg.tensor([true, false]))).toBe('Tensor([true, false], shape=[2], dtype=bool)');
  });

  test('float32 in its shortest round-trip form; float64 in full', () => {
    expect(String(tg.scalar(Math.fround(-0.9999999)))).toBe('Tensor(-0.9999999, shape=[], dtype=float32)');
    expect(String(tg.scalar(0.1))).toBe('Tensor(0.1, shape=[], dtype=float32)');
    expect(String(tg.scalar(0.1, 'float64').add(0.2))).toBe('Tensor(0.30000000000000004, shape=[], dtype=float64)');
    expect(String(tg.tensor([NaN, Infinity, -0]))).toBe('Tensor([NaN, Infinity, -0], shape=[3], dtype=float32)');
  });

  test('console.log and util.inspect show the same text', () => {
    const t = tg.tensor([1.5]);
    expect(util.inspect(t)).toBe(String(t));
    expect(util.inspect(new tg.Variable(2, { name: 'w' }))).toBe("Variable('w', shape=[], dtype=float32, value=2)");
  });

  test('large tensors are summarised with ..., never megabytes of text', () => {
    const s = String(tg.zeros([1000, 1000]));
    expect(s.length).toBeLessThan(600);
    expect(s).toContain('...');
    expect(String(tg.range(0, 2000))).toBe('Tensor([0, 1, 2, ..., 1997, 1998, 1999], shape=[2000], dtype=int32)');
  });

  test('long rows go one per line, aligned under the bracket', () => {
    const s = String(tg.fill([2, 10], 0.123));
    expect(s.split('\n').length).toBe(2);
    expect(s.split('\n')[1].startsWith('        [0.123')).toBe(true);
  });
});

describe('Variable', () => {
  test('assign, assignAdd, assignSub change the value in place and return the variable', () => {
    const v = new tg.Variable([1, 2], { name: 'v' });
    expect(v.assign([3, 4])).toBe(v);
    expectTensor(v.value(), [3, 4]);
    v.assignAdd([10, 10]);
    expectTensor(v.value(), [13, 14]);
    v.assignSub(tg.tensor([1, 1]));
    expectTensor(v.value(), [12, 13]);
    expect([v.name, v.trainable, v.shape, v.dtype]).toEqual(['v', true, [2], 'float32']);
  });

  test('a wrong shape or dtype is an error that leaves the variable unchanged', () => {
    const v = new tg.Variable([1, 2], { name: 'w' });
    expect(() => v.assign([1, 2, 3])).toThrow(
      new tg.ShapeError("Variable.assign: variable 'w' has shape [2], got a value of shape [3]"),
    );
    expect(() => v.assignAdd(tg.tensor([1, 2], [2], 'float64'))).toThrow(
      /variable 'w' has dtype float32, got a value of dtype float64/,
    );
    expectTensor(v.value(), [1, 2]);
  });

  test('value() snapshots are immutable: a later assign does not change them', () => {
    const v = new tg.Variable([1, 2]);
    const before = v.value();
    v.assign([5, 6]);
    expectTensor(before, [1, 2]);
  });

  test('a variable has every op as a method and goes wherever a tensor does', () => {
    const v = new tg.Variable([1, 2]);
    expectTensor(v.mul(2).add(v), [3, 6]);
    expectTensor(tg.matmul(tg.reshape(v, [1, 2]), [[1], [1]]), [3]);
    expect(new tg.Variable(new tg.Variable([1])).shape).toEqual([1]);
    expect(() => new tg.Variable(tg.tensor([1]), { dtype: 'int32' })).toThrow(
      /initial value has dtype float32 but dtype int32/,
    );
  });
});
