// Every op is a chainable method of Tensor and Variable.
import * as tg from '../../src';
import { methodNames } from '../../src/ops/methods';
import { expectTensor } from '../helpers';

test('every method name is a function on Tensor and Variable, and an export of the package', () => {
  const t = tg.scalar(1) as unknown as Record<string, unknown>;
  const v = new tg.Variable(1) as unknown as Record<string, unknown>;
  const api = tg as unknown as Record<string, unknown>;
  // the list is not empty, so the loop below checks something
  expect(methodNames).toEqual(expect.arrayContaining(['add', 'matmul', 'sum', 'reshape', 'concat', 'stack']));
  for (const name of methodNames) {
    expect(typeof t[name]).toBe('function');
    expect(typeof v[name]).toBe('function');
    expect(typeof api[name]).toBe('function');
  }
});

test('chains read like the math: x·x·y + y + 2', () => {
  const x = tg.scalar(3);
  const y = tg.scalar(4);
  expectTensor(x.mul(x).mul(y).add(y).add(2), 42);
  expectTensor(
    tg
      .tensor([
        [1, 2],
        [3, 4],
      ])
      .matmul([
        [5, 6],
        [7, 8],
      ])
      .sum(1),
    [41, 93],
  ); // 19 + 22, 43 + 50
});

test('concat and stack as methods take one tensor or a list', () => {
  const a = tg.tensor([1, 2]);
  expectTensor(a.concat([3]), [1, 2, 3]);
  expectTensor(a.concat([tg.tensor([3]), tg.tensor([4])]), [1, 2, 3, 4]);
  expectTensor(a.stack([3, 4]), [1, 2, 3, 4], [2, 2]);
});
