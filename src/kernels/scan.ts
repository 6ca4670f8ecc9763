// Scans along one axis of an [outer, n, inner] view: the first-order linear recurrence z = a·z_prev + b
// (forward or reverse; exclusive cumulative products are its case b = e₀), and the cumulative sum,
// product and log-sum-exp of TF's Cumsum, Cumprod and CumulativeLogsumexp. Each is one pass, O(size).
import { float64Array } from '../core/arena';
import type { NumArray } from './offsets';

/**
 * For each of the `outer·inner` lines of length `n` (stride `inner`), forward: z[0] = b[0],
 * z[i] = a[i]·z[i-1] + b[i]; reverse: z[n-1] = b[n-1], z[i] = a[i+1]·z[i+1] + b[i]. The coefficient
 * a[i] belongs to the link between i-1 and i in both directions, so a[0] is never read. In float32 the
 * product is rounded to float32 before the sum and each z is stored before it is read back, as
 * separate float32 ops would.
 */
export function linearScanKernel(
  a: NumArray,
  b: NumArray,
  outer: number,
  n: number,
  inner: number,
  reverse: boolean,
  out: NumArray,
): void {
  if (n === 0 || inner === 0) return;
  const f32 = out instanceof Float32Array;
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const first = base + (reverse ? (n - 1) * inner : 0);
    for (let j = 0; j < inner; j++) out[first + j] = b[first + j];
    for (let s = 1; s < n; s++) {
      const row = base + (reverse ? n - 1 - s : s) * inner;
      // the link's coefficient sits at the larger index of the two
      const prev = reverse ? row + inner : row - inner;
      const link = reverse ? prev : row;
      for (let j = 0; j < inner; j++) {
        const p = a[link + j] * out[prev + j];
        out[row + j] = (f32 ? Math.fround(p) : p) + b[row + j];
      }
    }
  }
}

/** The scans of TF's Cumsum, Cumprod and CumulativeLogsumexp. */
export type CumulativeName = 'sum' | 'prod' | 'logSumExp';

/**
 * TF's LogSumExp reducer: log(exp(a) + exp(b)) as max + log1p(exp(min - max)), finite for ±1000;
 * -inf when both are -inf (the identity), NaN when either is NaN.
 */
function logAddExp(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  const hi = a > b ? a : b;
  const lo = a > b ? b : a;
  return hi === -Infinity ? hi : Math.log1p(Math.exp(lo - hi)) + hi;
}

/**
 * The cumulative sum, product or log-sum-exp along the middle extent of `x` seen as [outer, n, inner]:
 * inclusive out[i] = x[0] ∘ … ∘ x[i], exclusive out[i] = x[0] ∘ … ∘ x[i-1] (the identity 0, 1 or -inf
 * at the first place), `reverse` from the end. Floats accumulate in doubles and round once per store;
 * int32 (sum and prod) wraps around as TF's int32 arithmetic does.
 */
export function cumulativeKernel(
  name: CumulativeName,
  x: NumArray,
  outer: number,
  n: number,
  inner: number,
  exclusive: boolean,
  reverse: boolean,
  out: NumArray,
): void {
  if (n === 0 || inner === 0) return;
  const int = out instanceof Int32Array;
  const acc = float64Array(inner);
  // NOTE: one loop per reducer with its step written out: a step passed as a function is a call V8
  // does not inline once the site has seen several (measured here, 1e6 elements in [1e4, 100]: the
  // sum 16-27 ms that way, the log-sum-exp 100-160 ms)
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    if (name === 'sum') scanSum(x, base, n, inner, exclusive, reverse, int, acc, out);
    else if (name === 'prod') scanProd(x, base, n, inner, exclusive, reverse, int, acc, out);
    else scanLogSumExp(x, base, n, inner, exclusive, reverse, acc, out);
  }
}

function scanSum(
  x: NumArray,
  base: number,
  n: number,
  inner: number,
  exclusive: boolean,
  reverse: boolean,
  int: boolean,
  acc: Float64Array,
  out: NumArray,
): void {
  acc.fill(0);
  for (let s = 0; s < n; s++) {
    const row = base + (reverse ? n - 1 - s : s) * inner;
    for (let j = 0; j < inner; j++) {
      const before = acc[j];
      const next = int ? (before + x[row + j]) | 0 : before + x[row + j];
      acc[j] = next;
      out[row + j] = exclusive ? before : next;
    }
  }
}

function scanProd(
  x: NumArray,
  base: number,
  n: number,
  inner: number,
  exclusive: boolean,
  reverse: boolean,
  int: boolean,
  acc: Float64Array,
  out: NumArray,
): void {
  acc.fill(1);
  for (let s = 0; s < n; s++) {
    const row = base + (reverse ? n - 1 - s : s) * inner;
    for (let j = 0; j < inner; j++) {
      const before = acc[j];
      const next = int ? Math.imul(before, x[row + j]) : before * x[row + j];
      acc[j] = next;
      out[row + j] = exclusive ? before : next;
    }
  }
}

function scanLogSumExp(
  x: NumArray,
  base: number,
  n: number,
  inner: number,
  exclusive: boolean,
  reverse: boolean,
  acc: Float64Array,
  out: NumArray,
): void {
  acc.fill(-Infinity);
  for (let s = 0; s < n; s++) {
    const row = base + (reverse ? n - 1 - s : s) * inner;
    for (let j = 0; j < inner; j++) {
      const before = acc[j];
      const next = logAddExp(before, x[row + j]);
      acc[j] = next;
      out[row + j] = exclusive ? before : next;
    }
  }
}
