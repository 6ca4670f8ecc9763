// Householder QR of a batch of small matrices in float64, as LAPACK's geqrf/orgqr compute it (R's diagonal
// is −sign(α)·‖x‖, a reflector skipped where the column below the diagonal is already zero).
import type { NumArray } from './offsets';

/** The QR factors of `batch` matrices `m × n`. */
export interface QrFactors {
  /** `[batch, m, kq]` with orthonormal columns (kq = m when full, else min(m, n)). */
  q: Float64Array;
  /** `[batch, kq, n]`, upper triangular. */
  r: Float64Array;
  kq: number;
}

/**
 * A = Q R for each `m × n` matrix of `x` (row-major, one after another). Reflector k is
 * H = I − τ v vᵀ with v₀ = 1, chosen so that H x = β e₁ with β = −sign(x₀)‖x‖ (sign(0) = +, as
 * LAPACK's dlarfg and Eigen's makeHouseholder); Q = H₁ H₂ … applied to the identity's first kq columns.
 */
export function householderQr(x: NumArray, batch: number, m: number, n: number, full: boolean): QrFactors {
  const p = Math.min(m, n);
  const kq = full ? m : p;
  const q = new Float64Array(batch * m * kq);
  const r = new Float64Array(batch * kq * n);
  const a = new Float64Array(m * n);
  const vs = new Float64Array(p * m);
  const taus = new Float64Array(p);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < m * n; i++) a[i] = x[b * m * n + i];
    vs.fill(0);
    for (let k = 0; k < p; k++) {
      const alpha = a[k * n + k];
      let tail = 0;
      for (let i = k + 1; i < m; i++) tail += a[i * n + k] * a[i * n + k];
      if (tail === 0) {
        taus[k] = 0;
        continue;
      }
      const norm = Math.hypot(alpha, Math.sqrt(tail));
      const beta = alpha >= 0 ? -norm : norm;
      taus[k] = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      vs[k * m + k] = 1;
      for (let i = k + 1; i < m; i++) vs[k * m + i] = a[i * n + k] * scale;
      // apply H to the trailing columns
      for (let j = k; j < n; j++) {
        let d = 0;
        for (let i = k; i < m; i++) d += vs[k * m + i] * a[i * n + j];
        d *= taus[k];
        for (let i = k; i < m; i++) a[i * n + j] -= d * vs[k * m + i];
      }
      a[k * n + k] = beta;
      for (let i = k + 1; i < m; i++) a[i * n + k] = 0;
    }
    for (let i = 0; i < kq; i++) for (let j = i; j < n; j++) r[b * kq * n + i * n + j] = a[i * n + j];
    // Q = H₁ … H_p [I_m]_{:, :kq}: apply the reflectors last to first
    const qb = q.subarray(b * m * kq, (b + 1) * m * kq);
    for (let i = 0; i < kq; i++) qb[i * kq + i] = 1;
    for (let k = p - 1; k >= 0; k--) {
      if (taus[k] === 0) continue;
      for (let j = 0; j < kq; j++) {
        let d = 0;
        for (let i = k; i < m; i++) d += vs[k * m + i] * qb[i * kq + j];
        d *= taus[k];
        for (let i = k; i < m; i++) qb[i * kq + j] -= d * vs[k * m + i];
      }
    }
  }
  return { q, r, kq };
}
