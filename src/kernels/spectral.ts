// Singular value decomposition of a batch of small matrices by one-sided Jacobi rotations, in float64.
import type { NumArray } from './offsets';
import { jacobiTangent, rotatePairs } from './jacobi';

/** The thin SVD of `batch` matrices `m × n`: p = min(m, n) singular values each, largest first. */
export interface ThinSvd {
  /** `[batch, p]`, non-negative, in non-increasing order. */
  s: Float64Array;
  /** `[batch, m, p]`: the left singular vectors as columns (a zero column for a zero singular value when m > n). */
  u: Float64Array;
  /** `[batch, n, p]`: the right singular vectors as columns (a zero column for a zero singular value when m < n). */
  v: Float64Array;
}

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 100;

/**
 * One-sided (Hestenes) Jacobi on the `c` columns of `w` (`r × c`, column k at `w[k·r …]`, r >= c):
 * rotates pairs of columns until every pair is orthogonal to the last bit, applying the same rotations
 * to `q` (`c × c`, starts as the identity). Then w = W₀ q, with orthogonal columns: their norms are the
 * singular values, q's columns the right singular vectors.
 */
function jacobi(w: Float64Array, r: number, c: number, q: Float64Array): void {
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let i = 0; i < c - 1; i++) {
      for (let j = i + 1; j < c; j++) {
        let a = 0;
        let b = 0;
        let g = 0;
        for (let k = 0; k < r; k++) {
          const x = w[i * r + k];
          const y = w[j * r + k];
          a += x * x;
          b += y * y;
          g += x * y;
        }
        if (g === 0 || Math.abs(g) <= EPS * Math.sqrt(a * b)) continue;
        rotated = true;
        // the rotation that zeroes the off-diagonal of [[a, g], [g, b]]: tan θ = t
        const zeta = (b - a) / (2 * g);
        const t = jacobiTangent(zeta);
        const cs = 1 / Math.hypot(1, t);
        const sn = cs * t;
        rotatePairs(w, i * r, j * r, 1, r, cs, sn);
        rotatePairs(q, i * c, j * c, 1, c, cs, sn);
      }
    }
    if (!rotated) return;
  }
}

/**
 * The thin SVD of each `m × n` matrix of `x` (row-major, `batch` of them one after another): A = U Σ Vᵀ.
 * A wide matrix is decomposed as its transpose, with U and V swapped.
 */
export function thinSvd(x: NumArray, batch: number, m: number, n: number): ThinSvd {
  const p = Math.min(m, n);
  const s = new Float64Array(batch * p);
  const u = new Float64Array(batch * m * p);
  const v = new Float64Array(batch * n * p);
  const tall = m >= n;
  // the working matrix is r × c with r >= c: A itself (tall) or Aᵀ (wide), stored by columns
  const r = tall ? m : n;
  const c = p;
  const w = new Float64Array(r * c);
  const q = new Float64Array(c * c);
  const order = Array.from({ length: c }, (_, k) => k);
  const norms = new Float64Array(c);
  for (let b = 0; b < batch; b++) {
    const base = b * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        // column j of A holds A[i][j] at row i; column i of Aᵀ holds it at row j
        if (tall) w[j * r + i] = x[base + i * n + j];
        else w[i * r + j] = x[base + i * n + j];
      }
    }
    q.fill(0);
    for (let k = 0; k < c; k++) q[k * c + k] = 1;
    jacobi(w, r, c, q);
    for (let k = 0; k < c; k++) {
      let ss = 0;
      for (let i = 0; i < r; i++) ss += w[k * r + i] * w[k * r + i];
      norms[k] = Math.sqrt(ss);
      order[k] = k;
    }
    order.sort((i, j) => norms[j] - norms[i] || i - j);
    // left: the normalised columns of w (r rows); right: the columns of q (c rows)
    const [left, lRows, right, rRows] = tall ? [u, m, v, n] : [v, n, u, m];
    for (let k = 0; k < c; k++) {
      const src = order[k];
      const sigma = norms[src];
      s[b * p + k] = sigma;
      for (let i = 0; i < r; i++) left[b * lRows * p + i * p + k] = sigma > 0 ? w[src * r + i] / sigma : 0;
      for (let i = 0; i < c; i++) right[b * rRows * p + i * p + k] = q[src * c + i];
    }
  }
  return { s, u, v };
}

/**
 * Fills the columns of `mat` (`rows × cols`, row-major, starting at `off`) from `from` on with unit
 * vectors orthogonal to every earlier column and to each other (Gram–Schmidt of the standard basis,
 * twice, taking the candidate that keeps most of its norm). The first `from` columns must be orthonormal.
 */
export function completeColumns(mat: Float64Array, off: number, rows: number, cols: number, from: number): void {
  const cand = new Float64Array(rows);
  for (let k = from; k < cols; k++) {
    let best = -1;
    let bestNorm = 0;
    const bestVec = new Float64Array(rows);
    for (let e = 0; e < rows; e++) {
      cand.fill(0);
      cand[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < k; j++) {
          let d = 0;
          for (let i = 0; i < rows; i++) d += mat[off + i * cols + j] * cand[i];
          for (let i = 0; i < rows; i++) cand[i] -= d * mat[off + i * cols + j];
        }
      }
      let nn = 0;
      for (let i = 0; i < rows; i++) nn += cand[i] * cand[i];
      if (nn > bestNorm + 1e-12) {
        best = e;
        bestNorm = nn;
        bestVec.set(cand);
      }
      if (nn > 0.5) break;
    }
    if (best < 0) return;
    const inv = 1 / Math.sqrt(bestNorm);
    for (let i = 0; i < rows; i++) mat[off + i * cols + k] = bestVec[i] * inv;
  }
}

/**
 * The SVD as tg.linalg.svd returns it: `thinSvd`, then U (and V) made orthonormal where a zero singular
 * value left a zero column, and widened to `m × m` and `n × n` when `full`. Returns kU = m or p, kV = n or p.
 */
export function svdDecompose(
  x: NumArray,
  batch: number,
  m: number,
  n: number,
  full: boolean,
): { s: Float64Array; u: Float64Array; v: Float64Array; ku: number; kv: number } {
  const p = Math.min(m, n);
  const thin = thinSvd(x, batch, m, n);
  const ku = full ? m : p;
  const kv = full ? n : p;
  const u = new Float64Array(batch * m * ku);
  const v = new Float64Array(batch * n * kv);
  for (let b = 0; b < batch; b++) {
    let rank = 0;
    while (rank < p && thin.s[b * p + rank] > 0) rank++;
    for (let i = 0; i < m; i++)
      for (let k = 0; k < rank; k++) u[b * m * ku + i * ku + k] = thin.u[b * m * p + i * p + k];
    for (let i = 0; i < n; i++)
      for (let k = 0; k < rank; k++) v[b * n * kv + i * kv + k] = thin.v[b * n * p + i * p + k];
    // the columns past the rank: those of the Jacobi side are exact (orthonormal rotations), keep them
    if (m >= n)
      for (let i = 0; i < n; i++)
        for (let k = rank; k < p; k++) v[b * n * kv + i * kv + k] = thin.v[b * n * p + i * p + k];
    else
      for (let i = 0; i < m; i++)
        for (let k = rank; k < p; k++) u[b * m * ku + i * ku + k] = thin.u[b * m * p + i * p + k];
    completeColumns(u, b * m * ku, m, ku, m >= n ? rank : p);
    completeColumns(v, b * n * kv, n, kv, m >= n ? p : rank);
    // a deterministic sign, smooth in A: each of the first p columns of V has its largest-magnitude entry positive
    for (let k = 0; k < p; k++) {
      let big = 0;
      for (let i = 0; i < n; i++)
        if (Math.abs(v[b * n * kv + i * kv + k]) > Math.abs(big)) big = v[b * n * kv + i * kv + k];
      if (big >= 0) continue;
      for (let i = 0; i < n; i++) v[b * n * kv + i * kv + k] = -v[b * n * kv + i * kv + k];
      for (let i = 0; i < m; i++) u[b * m * ku + i * ku + k] = -u[b * m * ku + i * ku + k];
    }
  }
  return { s: thin.s, u, v, ku, kv };
}
