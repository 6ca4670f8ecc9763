// Seeded float64 inputs for the gradient-check tables: uniform values, and values spaced apart
// (no ties, none at a kink) for ops with kinks (max, relu, sort, pooling …).
import * as tg from '../../src';
import type { Tensor } from '../../src';

/** Uniform float64 values in [lo, hi), the same for the same seed. */
export const uniform = (shape: number[], lo: number, hi: number, seed: number): Tensor =>
  tg.randomUniform(shape, { minval: lo, maxval: hi, seed, dtype: 'float64' });
/** Values in [-2, 2). */
export const any = (shape: number[], seed = 1): Tensor => uniform(shape, -2, 2, seed);
/** Values in [0.5, 2): away from 0, for logs, roots and divisors. */
export const pos = (shape: number[], seed = 2): Tensor => uniform(shape, 0.5, 2, seed);
/** Values in [-0.9, 0.9): inside the domains of asin, acos and atanh. */
export const unit = (shape: number[], seed = 3): Tensor => uniform(shape, -0.9, 0.9, seed);

/**
 * The values (k - n/2 + 1/2)·spacing + offset for k = 0 … n-1 in a seeded random order: `spacing`
 * apart, so no two tie, and none at 0 with the default offset.
 */
export const distinct = (shape: number[], seed = 4, spacing = 0.4, offset = 0.1): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from(tg.randomUniform([n], { seed }).dataSync())
    .map((r, i) => [r, i])
    .sort((a, b) => a[0] - b[0])
    .map((p) => p[1]);
  return tg.tensor(
    order.map((k) => (k - n / 2 + 0.5) * spacing + offset),
    shape,
    'float64',
  );
};
