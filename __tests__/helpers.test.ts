// The shared assertion helper must be able to fail: most value tests rest on it.
import * as tg from '../src';
import { expectTensor, flat } from './helpers';

test('expectTensor passes within the tolerance and fails on a wrong value, NaN, a wrong length or shape', () => {
  expectTensor(tg.tensor([1, 2]), [1, 2 + 1e-7], [2]);
  expectTensor(tg.tensor([NaN, Infinity]), [NaN, Infinity]);
  expect(() => expectTensor(tg.tensor([1, 2]), [1, 2.1])).toThrow(/element 1: got 2, expected 2.1/);
  // NaN is not within any tolerance of a number
  expect(() => expectTensor(tg.tensor([NaN]), [1])).toThrow(/element 0: got NaN, expected 1/);
  expect(() => expectTensor(tg.tensor([1]), [NaN])).toThrow();
  expect(() => expectTensor(tg.tensor([1, 2]), [1])).toThrow();
  expect(() => expectTensor(tg.tensor([1, 2]), [1, 2], [2, 1])).toThrow();
  expect(() => expectTensor(null, [1])).toThrow(/expected a tensor, got null/);
  expect(() => flat(null)).toThrow(/expected a tensor, got null/);
});
