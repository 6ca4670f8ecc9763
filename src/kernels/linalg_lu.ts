// LU factorisation with partial pivoting (LAPACK getrf's pivots) of batches of square matrices, in float64,
// and what it gives: solves, inverses, determinants and log-determinants.
import type { NumArray } from './offsets';

/**
 * Factors the `n × n` row-major matrix at `a[off …]` into `lu` (`n × n`): P A = L U, L unit lower
 * (below the diagonal of `lu`), U upper (on and above it), row i of P A being row `perm[i]` of A.
 * The pivot of column j is the first largest |value| on or below the diagonal; a zero pivot column is
 * left as it is (as getrf), so a singular matrix gives a zero on U's diagonal and no NaN.
 * Returns the permutation's sign (+1 or -1).
 */
export function luFactor(a: NumArray, off: number, n: number, lu: Float64Array, perm: Int32Array): number {
  for (let i = 0; i < n * n; i++) lu[i] = a[off + i];
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign = 1;
  for (let j = 0; j < n; j++) {
    let p = j;
    let big = Math.abs(lu[j * n + j]);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + j]);
      if (v > big) {
        big = v;
        p = i;
      }
    }
    if (p !== j) {
      for (let k = 0; k < n; k++) {
        const t = lu[j * n + k];
        lu[j * n + k] = lu[p * n + k];
        lu[p * n + k] = t;
      }
      const t = perm[j];
      perm[j] = perm[p];
      perm[p] = t;
      sign = -sign;
    }
    const d = lu[j * n + j];
    if (d === 0) continue;
    for (let i = j + 1; i < n; i++) {
      const l = lu[i * n + j] / d;
      lu[i * n + j] = l;
      if (l === 0) continue;
      for (let k = j + 1; k < n; k++) lu[i * n + k] -= l * lu[j * n + k];
    }
  }
  return sign;
}

/** The smallest |U_ii| of a factored matrix (Infinity for n = 0): 0 means singular. */
function minAbsPivot(lu: Float64Array, n: number): number {
  let m = Infinity;
  for (let i = 0; i < n; i++) m = Math.min(m, Math.abs(lu[i * n + i]));
  return m;
}

/**
 * Solves op(A) X = B in place in `x` (`n × k`, row-major, holding B) from A's factors: op(A) = A, or
 * Aᵀ when `adjoint`. A = Pᵀ L U, so A X = B is L U X = P B, and Aᵀ X = B is Uᵀ Lᵀ (P X) = B.
 */
function luSolveInPlace(lu: Float64Array, perm: Int32Array, n: number, x: Float64Array, k: number, adjoint: boolean) {
  const t = new Float64Array(n * k);
  if (!adjoint) {
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) t[i * k + c] = x[perm[i] * k + c];
    // L y = P b (unit diagonal), then U x = y
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) {
        const l = lu[i * n + j];
        if (l !== 0) for (let c = 0; c < k; c++) t[i * k + c] -= l * t[j * k + c];
      }
    for (let i = n - 1; i >= 0; i--) {
      for (let j = i + 1; j < n; j++) {
        const u = lu[i * n + j];
        if (u !== 0) for (let c = 0; c < k; c++) t[i * k + c] -= u * t[j * k + c];
      }
      const d = lu[i * n + i];
      for (let c = 0; c < k; c++) t[i * k + c] /= d;
    }
    x.set(t);
    return;
  }
  // Uᵀ z = b (lower), then Lᵀ w = z (unit upper), then X = Pᵀ w
  t.set(x);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const u = lu[j * n + i];
      if (u !== 0) for (let c = 0; c < k; c++) t[i * k + c] -= u * t[j * k + c];
    }
    const d = lu[i * n + i];
    for (let c = 0; c < k; c++) t[i * k + c] /= d;
  }
  for (let i = n - 1; i >= 0; i--)
    for (let j = i + 1; j < n; j++) {
      const l = lu[j * n + i];
      if (l !== 0) for (let c = 0; c < k; c++) t[i * k + c] -= l * t[j * k + c];
    }
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[perm[i] * k + c] = t[i * k + c];
}

/**
 * X = op(A)⁻¹ B for each matrix of a batch: A `n × n` at `a[aOff[i] …]`, B `n × k` at `b[bOff[i] …]`,
 * X written at `out[i·n·k …]`. Returns the index of the first singular A (a zero pivot, TF's test),
 * or -1; nothing past it is written.
 */
export function luSolveBatch(
  a: NumArray,
  aOff: Int32Array,
  b: NumArray,
  bOff: Int32Array,
  n: number,
  k: number,
  out: NumArray,
  adjoint: boolean,
): number {
  const lu = new Float64Array(n * n);
  const perm = new Int32Array(n);
  const x = new Float64Array(n * k);
  for (let i = 0; i < aOff.length; i++) {
    luFactor(a, aOff[i], n, lu, perm);
    if (!(minAbsPivot(lu, n) > 0) && n > 0) return i;
    for (let j = 0; j < n * k; j++) x[j] = b[bOff[i] + j];
    luSolveInPlace(lu, perm, n, x, k, adjoint);
    for (let j = 0; j < n * k; j++) out[i * n * k + j] = x[j];
  }
  return -1;
}

/** A⁻¹ for `count` matrices `n × n` one after another in `a`, into `out`; the first singular index, or -1. */
export function luInverseBatch(a: NumArray, count: number, n: number, out: NumArray): number {
  const lu = new Float64Array(n * n);
  const perm = new Int32Array(n);
  const x = new Float64Array(n * n);
  for (let i = 0; i < count; i++) {
    luFactor(a, i * n * n, n, lu, perm);
    if (!(minAbsPivot(lu, n) > 0) && n > 0) return i;
    x.fill(0);
    for (let j = 0; j < n; j++) x[j * n + j] = 1;
    luSolveInPlace(lu, perm, n, x, n, false);
    for (let j = 0; j < n * n; j++) out[i * n * n + j] = x[j];
  }
  return -1;
}

/** det A = sign(P) · Π U_ii for `count` matrices `n × n` (1 for n = 0), into `out`. */
export function luDeterminantBatch(a: NumArray, count: number, n: number, out: NumArray): void {
  const lu = new Float64Array(n * n);
  const perm = new Int32Array(n);
  for (let i = 0; i < count; i++) {
    let d = luFactor(a, i * n * n, n, lu, perm);
    for (let j = 0; j < n; j++) d *= lu[j * n + j];
    out[i] = d;
  }
}

/**
 * sign(det A) and log |det A| = Σ log |U_ii| for `count` matrices, into `sign` and `logAbs`; as TF's
 * LogMatrixDeterminant, a non-finite log |det| (a singular matrix) gives sign 0 and log |det| -Infinity
 * (+Infinity if it overflowed upwards), and n = 0 gives sign 1 and 0.
 */
export function luLogDeterminantBatch(a: NumArray, count: number, n: number, sign: NumArray, logAbs: NumArray): void {
  const lu = new Float64Array(n * n);
  const perm = new Int32Array(n);
  for (let i = 0; i < count; i++) {
    let s = luFactor(a, i * n * n, n, lu, perm);
    let l = 0;
    for (let j = 0; j < n; j++) {
      const d = lu[j * n + j];
      l += Math.log(Math.abs(d));
      if (d < 0) s = -s;
    }
    if (!Number.isFinite(l)) {
      s = 0;
      l = l > 0 ? Infinity : -Infinity;
    }
    sign[i] = s;
    logAbs[i] = l;
  }
}
