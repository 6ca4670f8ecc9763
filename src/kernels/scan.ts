// Scans along the last axis: the first-order linear recurrence z = a·z_prev + b, forward or reverse,
// of which exclusive cumulative products (TF's cumprod(exclusive=True)) are the case b = e₀.
import type { NumArray } from './offsets';

/**
 * For each of the `rows` rows of length `n`, forward: z[0] = b[0], z[i] = a[i]·z[i-1] + b[i];
 * reverse: z[n-1] = b[n-1], z[i] = a[i+1]·z[i+1] + b[i]. The coefficient a[i] belongs to the link
 * between i-1 and i in both directions, so a[0] is never read. In float32 the product is rounded to
 * float32 before the sum and each z is stored before it is read back, as separate float32 ops would.
 */
export function linearScanKernel(
  a: NumArray,
  b: NumArray,
  rows: number,
  n: number,
  reverse: boolean,
  out: NumArray,
): void {
  const f32 = out instanceof Float32Array;
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    if (n === 0) continue;
    if (!reverse) {
      out[base] = b[base];
      for (let i = 1; i < n; i++) {
        const p = a[base + i] * out[base + i - 1];
        out[base + i] = (f32 ? Math.fround(p) : p) + b[base + i];
      }
    } else {
      out[base + n - 1] = b[base + n - 1];
      for (let i = n - 2; i >= 0; i--) {
        const p = a[base + i + 1] * out[base + i + 1];
        out[base + i] = (f32 ? Math.fround(p) : p) + b[base + i];
      }
    }
  }
}
