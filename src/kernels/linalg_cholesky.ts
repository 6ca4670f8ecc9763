// Cholesky factorisation (reading the lower triangle only, as TF) and triangular solves, for batches of
// square matrices, in float64.
import type { NumArray } from './offsets';

/**
 * L with A = L Lᵀ for `count` matrices `n × n` one after another in `a`, reading only A's lower triangle
 * (as TF); L written into `out` with zeros above its diagonal. Returns the index of the first matrix
 * that is not positive definite (a pivot <= 0, Eigen's LLT test: NaN passes through), or -1; the
 * matrices past it are not written.
 */
export function choleskyBatch(a: NumArray, count: number, n: number, out: NumArray): number {
  const l = new Float64Array(n * n);
  for (let b = 0; b < count; b++) {
    const off = b * n * n;
    l.fill(0);
    for (let j = 0; j < n; j++) {
      let d = a[off + j * n + j];
      for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
      if (d <= 0) return b;
      const ljj = Math.sqrt(d);
      l[j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let s = a[off + i * n + j];
        for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
        l[i * n + j] = s / ljj;
      }
    }
    for (let i = 0; i < n * n; i++) out[off + i] = l[i];
  }
  return -1;
}

/**
 * X = op(T)⁻¹ B for each matrix of a batch, by substitution: T the lower (`lower`) or upper triangle of
 * A (`n × n` at `a[aOff[i] …]`, the other triangle never read), op(T) = T or Tᵀ (`adjoint`), B `n × k`
 * at `b[bOff[i] …]`, X at `out[i·n·k …]`. A zero on the diagonal gives Infinity/NaN, as TF (no check).
 */
export function triangularSolveBatch(
  a: NumArray,
  aOff: Int32Array,
  b: NumArray,
  bOff: Int32Array,
  n: number,
  k: number,
  out: NumArray,
  lower: boolean,
  adjoint: boolean,
): void {
  const x = new Float64Array(n * k);
  // op(T)[i][j] is A[i][j], or A[j][i] for the adjoint; op(T) is lower when exactly one of the two holds
  const forward = lower !== adjoint;
  const rs = adjoint ? 1 : n;
  const cs = adjoint ? n : 1;
  for (let m = 0; m < aOff.length; m++) {
    const ao = aOff[m];
    for (let j = 0; j < n * k; j++) x[j] = b[bOff[m] + j];
    for (let step = 0; step < n; step++) {
      const i = forward ? step : n - 1 - step;
      const [from, to] = forward ? [0, i] : [i + 1, n];
      for (let j = from; j < to; j++) {
        const t = a[ao + i * rs + j * cs];
        for (let c = 0; c < k; c++) x[i * k + c] -= t * x[j * k + c];
      }
      const d = a[ao + i * rs + i * cs];
      for (let c = 0; c < k; c++) x[i * k + c] /= d;
    }
    for (let j = 0; j < n * k; j++) out[m * n * k + j] = x[j];
  }
}
