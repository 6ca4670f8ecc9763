// The symmetric eigendecomposition of a batch of small matrices in float64 by cyclic Jacobi rotations
// (accurate to the last bits, relative to ‖A‖), reading each matrix's lower triangle as TF does.
import type { NumArray } from './offsets';
import { jacobiTangent, rotatePairs } from './jacobi';

/** Eigenvalues ascending and their eigenvectors as columns. */
export interface EighFactors {
  /** `[batch, n]`, ascending. */
  w: Float64Array;
  /** `[batch, n, n]`: column k is the unit eigenvector of w[k], its largest-magnitude entry positive. */
  v: Float64Array;
}

const MAX_SWEEPS = 100;

/** A = V diag(w) Vᵀ for each `n × n` matrix of `x` (row-major), the upper triangle ignored. */
export function symmetricEigen(x: NumArray, batch: number, n: number): EighFactors {
  const w = new Float64Array(batch * n);
  const v = new Float64Array(batch * n * n);
  const a = new Float64Array(n * n);
  const q = new Float64Array(n * n);
  const order = Array.from({ length: n }, (_, k) => k);
  const d = new Float64Array(n);
  for (let b = 0; b < batch; b++) {
    const base = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        a[i * n + j] = x[base + i * n + j];
        a[j * n + i] = x[base + i * n + j];
      }
    }
    q.fill(0);
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let off = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
      if (off === 0) break;
      let rotated = false;
      for (let p = 0; p < n - 1; p++) {
        for (let r = p + 1; r < n; r++) {
          const apr = a[p * n + r];
          const app = a[p * n + p];
          const arr = a[r * n + r];
          if (apr === 0) continue;
          // an entry below the last bit of both diagonal entries is dropped (as Numerical Recipes' jacobi)
          const g = 100 * Math.abs(apr);
          if (Math.abs(app) + g === Math.abs(app) && Math.abs(arr) + g === Math.abs(arr)) {
            a[p * n + r] = 0;
            a[r * n + p] = 0;
            continue;
          }
          rotated = true;
          const theta = (arr - app) / (2 * apr);
          const t = jacobiTangent(theta);
          const c = 1 / Math.hypot(1, t);
          const s = t * c;
          // A ← Jᵀ A J with J the rotation in the (p, r) plane
          rotatePairs(a, p, r, n, n, c, s);
          rotatePairs(a, p * n, r * n, 1, n, c, s);
          // the new diagonal in the accurate form app − t·apr, arr + t·apr (what the loops above give up to rounding)
          a[p * n + p] = app - t * apr;
          a[r * n + r] = arr + t * apr;
          a[p * n + r] = 0;
          a[r * n + p] = 0;
          rotatePairs(q, p, r, n, n, c, s);
        }
      }
      if (!rotated) break;
    }
    for (let k = 0; k < n; k++) {
      d[k] = a[k * n + k];
      order[k] = k;
    }
    order.sort((i, j) => d[i] - d[j] || i - j);
    for (let k = 0; k < n; k++) {
      const src = order[k];
      w[b * n + k] = d[src];
      let big = 0;
      for (let i = 0; i < n; i++) if (Math.abs(q[i * n + src]) > Math.abs(big)) big = q[i * n + src];
      const sign = big < 0 ? -1 : 1;
      for (let i = 0; i < n; i++) v[base + i * n + k] = sign * q[i * n + src];
    }
  }
  return { w, v };
}
