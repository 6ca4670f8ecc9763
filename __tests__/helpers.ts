// Shared test helpers: read values and compare with tolerance.
import type { Tensor } from '../src';

/** The tensor's values as a flat JS array of numbers. */
export function flat(t: Tensor | null): number[] {
  if (t === null) throw new Error('expected a tensor, got null');
  return Array.from(t.dataSync(), Number);
}

/** Asserts shape and values within `tol` (absolute, plus relative to the expected value). */
export function expectTensor(
  t: Tensor | null,
  expected: number[] | number,
  shape?: readonly number[],
  tol = 1e-6,
): void {
  if (t === null) throw new Error('expected a tensor, got null');
  const want = typeof expected === 'number' ? [expected] : expected;
  if (shape) expect(t.shape).toEqual(shape);
  const got = flat(t);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (Number.isNaN(w)) expect(g).toBeNaN();
    else if (!Number.isFinite(w)) expect(g).toBe(w);
    // NOTE: written as !(… <= …) so that a NaN where a number is expected fails (NaN > tol is false)
    else if (!(Math.abs(g - w) <= tol * (1 + Math.abs(w))))
      throw new Error(`element ${i}: got ${g}, expected ${w} (tolerance ${tol}); all: [${got.join(', ')}]`);
  });
}
