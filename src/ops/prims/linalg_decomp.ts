// The matrix decompositions of tg.linalg — qr, eigh, svd — as one primitive per output (each output's rules
// are TF's gradient with the other outputs' upstream gradients zero), plus the upper-triangular inverse
// their rules need. Rules call the decompositions again, so they are recorded and nest to any order.
import type { DType } from '../../core/dtype';
import { allocate } from '../../core/dtype';
import { requireBoolean, requireOptions } from '../../core/args';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { ArgumentError, ShapeError } from '../../core/errors';
import { fmtShape, sizeOf } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import { householderQr } from '../../kernels/linalg_qr';
import { symmetricEigen } from '../../kernels/linalg_eigh';
import { svdDecompose } from '../../kernels/spectral';
import { definePrimitive } from '../primitive';
import { requireFloat } from '../operands';
import { add, div, mul, sub } from './binary';
import { matmul } from './matmul';
import { sum } from './reduce';
import { neg } from './unary';
import { reshape, transpose } from './shape';

type NoAttrs = Record<string, never>;
interface FullAttrs {
  full: boolean;
}

// ---------------------------------------------------------------- helpers (library ops only)

function constant(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  out.set(values);
  return new Tensor(out, shape, dtype);
}

/** A `k × k` 0/1 matrix: the identity, the strict lower or the upper (with diagonal) triangle. */
function mask(k: number, kind: 'eye' | 'lower' | 'upper', dtype: DType): Tensor {
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) v[i * k + j] = (kind === 'eye' ? i === j : kind === 'lower' ? i > j : i <= j) ? 1 : 0;
  return constant(v, [k, k], dtype);
}

/** The `rows × cols` selector with ones at (offset + j, j): A·E picks columns offset … offset + cols − 1. */
function selector(rows: number, cols: number, offset: number, dtype: DType): Tensor {
  const v = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) v[(offset + j) * cols + j] = 1;
  return constant(v, [rows, cols], dtype);
}

/** The transpose of the last two axes. */
function mT(x: Tensor): Tensor {
  const r = x.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return transpose(x, perm);
}

/** diag(v) for vectors in the last axis. */
function matrixDiag(v: Tensor): Tensor {
  const k = v.shape[v.rank - 1];
  return mul(reshape(v, [...v.shape.slice(0, -1), 1, k]), mask(k, 'eye', v.dtype));
}

/** The diagonal of the matrices in the last two axes. */
function diagOf(x: Tensor): Tensor {
  return sum(mul(x, mask(x.shape[x.rank - 1], 'eye', x.dtype)), [-1]);
}

/** x / (x² + 1e-20): TF's _SafeReciprocal (0 at x = 0, not Inf). */
function safeReciprocal(x: Tensor): Tensor {
  return div(x, add(mul(x, x), constant([1e-20], [], x.dtype)));
}

/** F[i][j] = 1/(e_j − e_i) (safe) off the diagonal, 0 on it: the gaps of a spectrum `[..., k]`. */
function gaps(e: Tensor): Tensor {
  const k = e.shape[e.rank - 1];
  const row = reshape(e, [...e.shape.slice(0, -1), 1, k]);
  const col = reshape(e, [...e.shape.slice(0, -1), k, 1]);
  return mul(safeReciprocal(sub(row, col)), sub(constant([1], [], e.dtype), mask(k, 'eye', e.dtype)));
}

/** `[...batch, m, n]` of a float tensor of rank >= 2, refused otherwise. */
function matrixDims(op: string, a: Tensor): [number[], number, number] {
  requireFloat(op, a);
  if (a.rank < 2)
    throw new ShapeError(
      `${op}: expected a tensor of rank >= 2 (matrices in the last two axes), got ${fmtShape(a.shape)}`,
    );
  return [a.shape.slice(0, -2), a.shape[a.rank - 2], a.shape[a.rank - 1]];
}

/** One decomposition per input tensor and attributes: the primitives of one call share it. */
const cache = new WeakMap<Tensor, Map<string, unknown>>();
function cached<T>(a: Tensor, key: string, compute: () => T): T {
  let m = cache.get(a);
  if (m === undefined) cache.set(a, (m = new Map()));
  if (!m.has(key)) m.set(key, compute());
  return m.get(key) as T;
}

// ---------------------------------------------------------------- upper-triangular inverse

/** −1 on the upper triangle (with the diagonal), 0 below. */
const negMask = (y: Tensor): Tensor => neg(mask(y.shape[y.rank - 1], 'upper', y.dtype));

const triInverseP = definePrimitive<NoAttrs>({
  name: 'linalg.upperTriangularInverse',
  forward: ([r]) => {
    const [batch, k] = matrixDims('upperTriangularInverse', r);
    const count = sizeOf(batch);
    const out = allocate(r.dtype, count * k * k);
    const col = new Float64Array(k);
    for (let b = 0; b < count; b++) {
      const base = b * k * k;
      for (let j = 0; j < k; j++) {
        // back substitution of R x = e_j
        for (let i = k - 1; i >= 0; i--) {
          let acc = i === j ? 1 : 0;
          for (let l = i + 1; l < k; l++) acc -= r.values[base + i * k + l] * col[l];
          col[i] = acc / r.values[base + i * k + i];
        }
        for (let i = 0; i < k; i++) out[base + i * k + j] = col[i];
      }
    }
    return new Tensor(out, r.shape.slice(), r.dtype);
  },
  // d(R⁻¹) = −R⁻¹ dR R⁻¹ with dR upper triangular (the lower triangle is never read): gR = triu(−R⁻ᵀ g R⁻ᵀ)
  vjp: (dy, _r, y) => [mul(matmul(y, matmul(dy, y, false, true), true, false), negMask(y))],
  jvp: ([t], _r, y) => neg(matmul(y, matmul(mul(t!, mask(y.shape[y.rank - 1], 'upper', y.dtype)), y))),
});

/** @internal R⁻¹ of upper-triangular matrices (the strict lower triangle ignored), differentiable. */
export function upperTriangularInverse(r: Tensor): Tensor {
  return triInverseP.run([r], {});
}

// ---------------------------------------------------------------- qr

function qrFactors(a: Tensor, full: boolean) {
  return cached(a, `qr${full}`, () => {
    const [batch, m, n] = matrixDims('linalg.qr', a);
    return householderQr(a.values, sizeOf(batch), m, n, full);
  });
}

function refuseQrGradient(a: Tensor, full: boolean): void {
  const [m, n] = a.shape.slice(-2);
  if (full && m > n)
    throw new ArgumentError(
      `linalg.qr: no gradient when fullMatrices is true and the matrix has more rows than columns (${m} > ${n}), as TF`,
    );
}

/** TF's gradient for m >= n (reduced): Q (dR + tril(QᵀdQ − dQᵀQ + R dRᵀ − dR Rᵀ) R⁻ᵀ) + (dQ − Q QᵀdQ) R⁻ᵀ. */
function qrGradDeep(q: Tensor, r: Tensor, dq: Tensor, dr: Tensor): Tensor {
  const k = r.shape[r.rank - 1];
  const rinvT = mT(upperTriangularInverse(r));
  const qdq = matmul(q, dq, true, false);
  const rdr = matmul(r, dr, false, true);
  const skew = sub(add(qdq, rdr), mT(add(qdq, rdr)));
  const tril = mul(skew, mask(k, 'lower', q.dtype));
  const ga = matmul(q, add(dr, matmul(tril, rinvT)));
  return add(ga, matmul(sub(dq, matmul(q, qdq)), rinvT));
}

function qrVjp(a: Tensor, full: boolean, dq: Tensor | null, dr: Tensor | null): Tensor {
  refuseQrGradient(a, full);
  const { q, r } = qr(a, { fullMatrices: full });
  const gq = dq ?? mul(q, 0);
  const gr = dr ?? mul(r, 0);
  const [m, n] = a.shape.slice(-2);
  if (m >= n) return qrGradDeep(q, r, gq, gr);
  // wide: A = [X | Y] with X = Q U square, Y = Q V, as TF
  const e1 = selector(n, m, 0, a.dtype);
  const e2 = selector(n, n - m, m, a.dtype);
  const y = matmul(a, e2);
  const dv = matmul(gr, e2);
  const dx = qrGradDeep(q, matmul(r, e1), add(gq, matmul(y, dv, false, true)), matmul(gr, e1));
  return add(matmul(dx, e1, false, true), matmul(matmul(q, dv), e2, false, true));
}

/** The tangents (dQ, dR) of a square or tall A = QR: with C = Qᵀ dA R⁻¹ and Ω = L − Lᵀ (L = C's strict lower part), dR = (C − Ω) R, dQ = dA R⁻¹ − Q (C − Ω). */
function qrJvpDeep(q: Tensor, r: Tensor, da: Tensor): [Tensor, Tensor] {
  const k = r.shape[r.rank - 1];
  const rinv = upperTriangularInverse(r);
  const dar = matmul(da, rinv);
  const c = matmul(q, dar, true, false);
  const low = mul(c, mask(k, 'lower', c.dtype));
  const upper = add(sub(c, low), mT(low));
  return [sub(dar, matmul(q, upper)), matmul(upper, r)];
}

function qrJvp(a: Tensor, full: boolean, da: Tensor): [Tensor, Tensor] {
  refuseQrGradient(a, full);
  const { q, r } = qr(a, { fullMatrices: full });
  const [m, n] = a.shape.slice(-2);
  if (m >= n) return qrJvpDeep(q, r, da);
  const e1 = selector(n, m, 0, a.dtype);
  const e2 = selector(n, n - m, m, a.dtype);
  const [dq, du] = qrJvpDeep(q, matmul(r, e1), matmul(da, e1));
  const dv = add(matmul(dq, matmul(a, e2), true, false), matmul(q, matmul(da, e2), true, false));
  return [dq, add(matmul(du, e1, false, true), matmul(dv, e2, false, true))];
}

const qrQP = definePrimitive<FullAttrs>({
  name: 'linalg.qrQ',
  forward: ([a], { full }) => {
    const { q, kq } = qrFactors(a, full);
    return constant(q, [...a.shape.slice(0, -1), kq], a.dtype);
  },
  // TF's _QrGrad with dR = 0
  vjp: (dy, [a], _y, { full }) => [qrVjp(a, full, dy, null)],
  jvp: ([t], [a], _y, { full }) => qrJvp(a, full, t!)[0],
});

const qrRP = definePrimitive<FullAttrs>({
  name: 'linalg.qrR',
  forward: ([a], { full }) => {
    const { r, kq } = qrFactors(a, full);
    return constant(r, [...a.shape.slice(0, -2), kq, a.shape[a.rank - 1]], a.dtype);
  },
  // TF's _QrGrad with dQ = 0
  vjp: (dy, [a], _y, { full }) => [qrVjp(a, full, null, dy)],
  jvp: ([t], [a], _y, { full }) => qrJvp(a, full, t!)[1],
});

/** Options of {@link qr}. */
export interface QrOptions {
  /** Q `m × m` and R `m × n` instead of `m × p` and `p × n` (p = min(m, n)). Default false. */
  fullMatrices?: boolean;
}

/**
 * The QR decomposition of the matrices in the last two axes: A = Q R with Q's columns orthonormal and R
 * upper triangular, by Householder reflections as LAPACK (R's diagonal may be negative, as in TF).
 * Gradients as TF's, except with `fullMatrices` on a matrix with more rows than columns (refused, as TF).
 * @example
 * tg.linalg.qr([[3, 1], [4, 2]]).r; // [[-5, -2.2], [0, 0.4]]  (−‖(3, 4)‖ = −5; −(3·1 + 4·2)/5)
 */
export function qr(a: TensorLike, options?: QrOptions): { q: Tensor; r: Tensor } {
  const o = requireOptions<QrOptions>('linalg.qr', options, ['fullMatrices']);
  const full = requireBoolean('linalg.qr', 'fullMatrices', o.fullMatrices ?? false);
  const x = toTensor('linalg.qr', a);
  matrixDims('linalg.qr', x);
  return { q: qrQP.run([x], { full }), r: qrRP.run([x], { full }) };
}

// ---------------------------------------------------------------- eigh

function eighFactors(a: Tensor) {
  return cached(a, 'eigh', () => {
    const [batch, n] = matrixDims('linalg.eigh', a);
    return symmetricEigen(a.values, sizeOf(batch), n);
  });
}

/** The gradient of a function of the symmetric matrix read from A's lower triangle: tril(G + Gᵀ) with G's own diagonal. */
function fromLowerGrad(g: Tensor): Tensor {
  const k = g.shape[g.rank - 1];
  return add(mul(add(g, mT(g)), mask(k, 'lower', g.dtype)), mul(g, mask(k, 'eye', g.dtype)));
}

/** The symmetric matrix A's lower triangle stands for (the tangent of what the kernel reads). */
function fromLower(t: Tensor): Tensor {
  const k = t.shape[t.rank - 1];
  const low = mul(t, mask(k, 'lower', t.dtype));
  return add(add(low, mT(low)), mul(t, mask(k, 'eye', t.dtype)));
}

const eighValuesP = definePrimitive<NoAttrs>({
  name: 'linalg.eighValues',
  forward: ([a]) => constant(eighFactors(a).w, a.shape.slice(0, -1), a.dtype),
  // gA = V diag(gλ) Vᵀ, read back onto the lower triangle (TF's _SelfAdjointEigV2Grad)
  vjp: (dy, [a]) => {
    const v = eigh(a).eigenvectors;
    return [fromLowerGrad(matmul(v, matmul(matrixDiag(dy), v, false, true)))];
  },
  // dλ = diag(Vᵀ dA V)
  jvp: ([t], [a]) => {
    const v = eigh(a).eigenvectors;
    return diagOf(matmul(v, matmul(fromLower(t!), v), true, false));
  },
});

const eighVectorsP = definePrimitive<NoAttrs>({
  name: 'linalg.eighVectors',
  forward: ([a]) => constant(eighFactors(a).v, a.shape.slice(), a.dtype),
  // gA = V (F ∘ Vᵀ gV) Vᵀ with F[i][j] = 1/(λ_j − λ_i) (TF's _SafeReciprocal: 0 at equal eigenvalues)
  vjp: (dy, [a]) => {
    const { eigenvalues: e, eigenvectors: v } = eigh(a);
    return [fromLowerGrad(matmul(v, matmul(mul(gaps(e), matmul(v, dy, true, false)), v, false, true)))];
  },
  // dV = V (F ∘ Vᵀ dA V)
  jvp: ([t], [a]) => {
    const { eigenvalues: e, eigenvectors: v } = eigh(a);
    return matmul(v, mul(gaps(e), matmul(v, matmul(fromLower(t!), v), true, false)));
  },
});

/**
 * The eigendecomposition of symmetric matrices (the last two axes; only the lower triangle is read, as TF):
 * eigenvalues ascending `[..., n]` and unit eigenvectors as columns `[..., n, n]`, A = V diag(λ) Vᵀ, by
 * cyclic Jacobi. Each eigenvector's largest-magnitude entry is positive (TF leaves the sign to LAPACK).
 * The eigenvectors' gradient divides by eigenvalue gaps: 0 for exactly equal ones (TF's safe reciprocal), huge near them.
 * @example
 * tg.linalg.eigh([[2, 1], [1, 2]]).eigenvalues; // [1, 3]  (2 ∓ 1)
 */
export function eigh(a: TensorLike): { eigenvalues: Tensor; eigenvectors: Tensor } {
  const x = toTensor('linalg.eigh', a);
  const [, m, n] = matrixDims('linalg.eigh', x);
  if (m !== n) throw new ShapeError(`linalg.eigh: expected square matrices, got shape ${fmtShape(x.shape)}`);
  return { eigenvalues: eighValuesP.run([x], {}), eigenvectors: eighVectorsP.run([x], {}) };
}

// ---------------------------------------------------------------- svd

function svdFactors(a: Tensor, full: boolean) {
  return cached(a, `svd${full}`, () => {
    const [batch, m, n] = matrixDims('linalg.svd', a);
    return svdDecompose(a.values, sizeOf(batch), m, n, full);
  });
}

function refuseSvdGradient(a: Tensor, full: boolean): void {
  const [m, n] = a.shape.slice(-2);
  if (full && m !== n)
    throw new ArgumentError(
      `linalg.svd: no gradient of u or v when fullMatrices is true and the matrix is not square (${m} × ${n})`,
    );
}

/** TF's _SvdGrad (the complex term omitted): with m <= n after transposing, U, S and V₁ = V[:, :m]. */
function svdVjp(a: Tensor, full: boolean, gs: Tensor | null, gu: Tensor | null, gv: Tensor | null): Tensor {
  if (gu === null && gv === null) {
    const { u, v } = svd(a);
    return matmul(u, matmul(matrixDiag(gs!), v, false, true));
  }
  refuseSvdGradient(a, full);
  const parts = svd(a);
  const s = parts.s;
  let { u, v } = parts;
  let [m, n] = a.shape.slice(-2);
  const swap = m > n;
  if (swap) {
    [m, n] = [n, m];
    [u, v] = [v, u];
    [gu, gv] = [gv, gu];
  }
  const gS = gs === null ? mul(matrixDiag(s), 0) : matrixDiag(gs);
  const sMat = matrixDiag(s);
  const f = gaps(mul(s, s));
  const gU = gu ?? mul(u, 0);
  const gV = gv ?? mul(v, 0);
  const fu = mul(f, matmul(u, gU, true, false));
  const fv = mul(f, matmul(v, gV, true, false));
  const inner = add(add(gS, matmul(add(fu, mT(fu)), sMat)), matmul(sMat, add(fv, mT(fv))));
  let ga = matmul(u, matmul(inner, v, false, true));
  if (m !== n) {
    const gvt = mT(gV);
    const rest = sub(gvt, matmul(matmul(gvt, v), v, false, true));
    ga = add(ga, matmul(matmul(u, matrixDiag(safeReciprocal(s))), rest));
  }
  return swap ? mT(ga) : ga;
}

/** Tangents (dS, dU, dV) of A = U S Vᵀ, m >= n: dP = Uᵀ dA V, dS = diag(dP), dU = U (F ∘ (dP S + S dPᵀ)) + (dA V − U dP) S⁻¹, dV = V (F ∘ (S dP + dPᵀ S)), F[i][j] = 1/(s_j² − s_i²). */
function svdJvp(a: Tensor, full: boolean, da: Tensor, which: 's' | 'u' | 'v'): Tensor {
  const parts = svd(a);
  const s = parts.s;
  let { u, v } = parts;
  const [m, n] = a.shape.slice(-2);
  let t = da;
  if (which === 's') return diagOf(matmul(u, matmul(t, v), true, false));
  refuseSvdGradient(a, full);
  const swap = m < n;
  if (swap) {
    [u, v] = [v, u];
    t = mT(t);
  }
  const sMat = matrixDiag(s);
  const f = gaps(mul(s, s));
  const tv = matmul(t, v);
  const dp = matmul(u, tv, true, false);
  const du = add(
    matmul(u, mul(f, add(matmul(dp, sMat), matmul(sMat, mT(dp))))),
    matmul(sub(tv, matmul(u, dp)), matrixDiag(safeReciprocal(s))),
  );
  const dv = matmul(v, mul(f, add(matmul(sMat, dp), matmul(mT(dp), sMat))));
  return (which === 'u') !== swap ? du : dv;
}

const svdSP = definePrimitive<NoAttrs>({
  name: 'linalg.svdS',
  forward: ([a]) => {
    const [batch, m, n] = matrixDims('linalg.svd', a);
    return constant(svdFactors(a, false).s, [...batch, Math.min(m, n)], a.dtype);
  },
  // gA = U diag(gS) Vᵀ; dS = diag(Uᵀ dA V)
  vjp: (dy, [a]) => [svdVjp(a, false, dy, null, null)],
  jvp: ([t], [a]) => svdJvp(a, false, t!, 's'),
});

const svdUP = definePrimitive<FullAttrs>({
  name: 'linalg.svdU',
  forward: ([a], { full }) => {
    const { u, ku } = svdFactors(a, full);
    return constant(u, [...a.shape.slice(0, -1), ku], a.dtype);
  },
  // TF's _SvdGrad with gS = 0, gV = 0
  vjp: (dy, [a], _y, { full }) => [svdVjp(a, full, null, dy, null)],
  jvp: ([t], [a], _y, { full }) => svdJvp(a, full, t!, 'u'),
});

const svdVP = definePrimitive<FullAttrs>({
  name: 'linalg.svdV',
  forward: ([a], { full }) => {
    const { v, kv } = svdFactors(a, full);
    return constant(v, [...a.shape.slice(0, -2), a.shape[a.rank - 1], kv], a.dtype);
  },
  // TF's _SvdGrad with gS = 0, gU = 0
  vjp: (dy, [a], _y, { full }) => [svdVjp(a, full, null, null, dy)],
  jvp: ([t], [a], _y, { full }) => svdJvp(a, full, t!, 'v'),
});

/** Options of {@link svd}. */
export interface SvdOptions {
  /** U `m × m` and V `n × n` instead of `m × p` and `n × p` (p = min(m, n)). Default false. */
  fullMatrices?: boolean;
  /** Compute U and V. Default true; false gives `{ s }` alone. */
  computeUv?: boolean;
}

/** What {@link svd} returns. */
export interface SvdResult {
  s: Tensor;
  u: Tensor;
  v: Tensor;
}

/**
 * The singular value decomposition of the matrices in the last two axes, A = U diag(s) Vᵀ: singular values
 * descending `[..., p]`, U `[..., m, p]` and V `[..., n, p]` (note: V, not Vᵀ, as TF), by one-sided Jacobi.
 * Gradients as TF's _SvdGrad (u and v's divide by gaps between singular values: 0 for exactly equal ones).
 * @example
 * tg.linalg.svd([[3, 0], [0, -4]]).s; // [4, 3]
 */
export function svd(a: TensorLike, options: SvdOptions & { computeUv: false }): { s: Tensor };
export function svd(a: TensorLike, options?: SvdOptions): SvdResult;
export function svd(a: TensorLike, options?: SvdOptions): SvdResult | { s: Tensor } {
  const o = requireOptions<SvdOptions>('linalg.svd', options, ['fullMatrices', 'computeUv']);
  const full = requireBoolean('linalg.svd', 'fullMatrices', o.fullMatrices ?? false);
  const uv = requireBoolean('linalg.svd', 'computeUv', o.computeUv ?? true);
  const x = toTensor('linalg.svd', a);
  matrixDims('linalg.svd', x);
  const s = svdSP.run([x], {});
  if (!uv) return { s };
  return { s, u: svdUP.run([x], { full }), v: svdVP.run([x], { full }) };
}
