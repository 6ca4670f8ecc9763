// The plane rotation both Jacobi solvers (eigh's two-sided, the SVD's one-sided) are built from.
import type { NumArray } from './offsets';

/**
 * tan θ of the rotation that zeroes the off-diagonal of a symmetric 2×2 block, from
 * ζ = (d₂ − d₁) / (2·off): the smaller root of t² + 2ζt − 1 = 0, computed without cancellation.
 */
export function jacobiTangent(zeta: number): number {
  return (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
}

/**
 * Rotates `len` pairs (x, y) = (m[i + k·stride], m[j + k·stride]) to (c·x − s·y, s·x + c·y): two
 * rows of a row-major matrix with stride 1, two columns with stride = the row length.
 */
export function rotatePairs(
  m: NumArray,
  i: number,
  j: number,
  stride: number,
  len: number,
  c: number,
  s: number,
): void {
  for (let k = 0; k < len; k++) {
    const x = m[i + k * stride];
    const y = m[j + k * stride];
    m[i + k * stride] = c * x - s * y;
    m[j + k * stride] = s * x + c * y;
  }
}
