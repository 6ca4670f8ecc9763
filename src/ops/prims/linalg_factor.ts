// tg.linalg's factorisation ops: matrixTranspose, cholesky, triangularSolve, solve, inv, det, slogdet and
// logdet, on the last two axes with batch axes broadcast; primitives with TF's gradients (linalg_grad.py).
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { requireBoolean, requireOptions } from '../../core/args';
import type { DType } from '../../core/dtype';
import { allocate } from '../../core/dtype';
import { ArgumentError, DTypeError, ShapeError } from '../../core/errors';
import type { Shape } from '../../core/shape';
import { broadcastShapes, broadcastStrides, fmtShape, sizeOf } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import { choleskyBatch, triangularSolveBatch } from '../../kernels/linalg_cholesky';
import { luDeterminantBatch, luInverseBatch, luLogDeterminantBatch, luSolveBatch } from '../../kernels/linalg_lu';
import { offsets } from '../../kernels/offsets';
import { eye } from '../create';
import { requireFloat } from '../operands';
import { definePrimitive } from '../primitive';
import type { Primitive } from '../primitive';
import { add, mul, sub } from './binary';
import { diagPartOf } from './diag';
import { matmul } from './matmul';
import { sum } from './reduce';
import { reshape, transpose } from './shape';
import { sumToShape } from './sum_to_shape';
import { fit, lift } from './tangents';
import { log, neg } from './unary';

// ---- checks and helpers ------------------------------------------------------------------------------------

/** Refuses a non-float tensor or one without square matrices in its last two axes. */
function checkSquare(op: string, a: Tensor, name = 'the input'): number {
  requireFloat(op, a);
  if (a.rank < 2 || a.shape[a.rank - 1] !== a.shape[a.rank - 2])
    throw new ShapeError(
      `${op}: expected square matrices in the last two axes of ${name}, got shape ${fmtShape(a.shape)}`,
    );
  return a.shape[a.rank - 1];
}

/**
 * Checks a system `matrix · X = rhs` (matrix `[..., n, n]`, rhs `[..., n, k]`, one float dtype, batch
 * axes broadcasting) and returns n, k and the output's batch shape.
 */
function checkSystem(op: string, a: Tensor, b: Tensor): { n: number; k: number; batch: Shape } {
  const n = checkSquare(op, a, 'matrix');
  requireFloat(op, b);
  if (a.dtype !== b.dtype) throw new DTypeError(`${op}: matrix and rhs differ in dtype: ${a.dtype} and ${b.dtype}`);
  if (b.rank < 2 || b.shape[b.rank - 2] !== n)
    throw new ShapeError(
      `${op}: rhs must have shape [..., ${n}, k] for a matrix of shape ${fmtShape(a.shape)}, got ${fmtShape(b.shape)}`,
    );
  const batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  return { n, k: b.shape[b.rank - 1], batch };
}

/** A constant (not recorded) tensor. */
function constant(values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  out.set(values);
  return new Tensor(out, shape.slice(), dtype);
}

/** An n × n constant mask: 1 on the lower (or upper) triangle with the diagonal, whose entries are `diag`. */
function triangleMask(n: number, lower: boolean, diag: number, dtype: DType): Tensor {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) m[i * n + j] = i === j ? diag : (lower ? i > j : i < j) ? 1 : 0;
  return constant(m, [n, n], dtype);
}

/** Flat offsets of each batch's matrix in `x` (`[...xBatch, r, c]`) read as broadcast to `batch`. */
function matrixOffsets(x: Tensor, batch: Shape): Int32Array {
  const size = x.shape[x.rank - 1] * x.shape[x.rank - 2];
  return offsets(
    batch,
    broadcastStrides(x.shape.slice(0, -2), batch).map((s) => s * size),
  );
}

/** The axes of `x` with the last two swapped (no checks). */
function swapLast(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

/** `x` with two size-1 axes appended: a batch of scalars that multiplies a batch of matrices. */
function asMatrices(x: Tensor): Tensor {
  return reshape(x, [...x.shape, 1, 1]);
}

/** ½(x + xᵀ) over the last two axes. */
function symmetrize(x: Tensor): Tensor {
  return mul(add(x, swapLast(x)), 0.5);
}

/** The batch index as TF writes it in its errors, and the matrix's full index when there are batch axes. */
function batchText(i: number, batch: Shape): string {
  if (batch.length <= 1) return `batch ${i}`;
  const idx: number[] = [];
  let r = i;
  for (let d = batch.length - 1; d >= 0; d--) {
    idx.unshift(r % batch[d]);
    r = Math.floor(r / batch[d]);
  }
  return `batch ${i} (index [${idx.join(', ')}])`;
}

// ---- matrixTranspose ---------------------------------------------------------------------------------------

/**
 * The last two axes swapped (TF's `tf.linalg.matrix_transpose`): each matrix of a batch transposed.
 * @example
 * tg.linalg.matrixTranspose([[1, 2, 3], [4, 5, 6]]); // [[1, 4], [2, 5], [3, 6]]
 */
export function matrixTranspose(a: TensorLike): Tensor {
  const x = toTensor('linalg.matrixTranspose', a);
  if (x.rank < 2)
    throw new ShapeError(
      `linalg.matrixTranspose: expected a tensor of rank >= 2 (matrices in the last two axes), got ${fmtShape(x.shape)}`,
    );
  return swapLast(x);
}

// ---- triangularSolve ---------------------------------------------------------------------------------------

interface TriangularAttrs {
  lower: boolean;
  adjoint: boolean;
}

const triangularSolveP: Primitive<TriangularAttrs> = definePrimitive<TriangularAttrs>({
  name: 'linalg.triangularSolve',
  forward: ([a, b], { lower, adjoint }) => {
    const { n, k, batch } = checkSystem('linalg.triangularSolve', a, b);
    const shape = [...batch, n, k];
    const out = allocate(a.dtype, sizeOf(shape));
    const x = new Float64Array(out.length);
    triangularSolveBatch(a.values, matrixOffsets(a, batch), b.values, matrixOffsets(b, batch), n, k, x, lower, adjoint);
    out.set(x);
    return new Tensor(out, shape, a.dtype);
  },
  // X = op(T)⁻¹ B: dB = op(T)⁻ᴴ dX, dA = -op(dB Xᵀ) restricted to T's triangle (TF's MatrixTriangularSolve grad)
  vjp: (dy, [a, b], x, attrs, needs) => {
    const gb = triangularSolveP.run([a, dy], { lower: attrs.lower, adjoint: !attrs.adjoint });
    let ga: Tensor | null = null;
    if (needs[0]) {
      const full = attrs.adjoint ? matmul(x, gb, false, true) : matmul(gb, x, false, true);
      ga = sumToShape(neg(mul(full, triangleMask(a.shape[a.rank - 1], attrs.lower, 1, a.dtype))), a.shape);
    }
    return [ga, needs[1] ? sumToShape(gb, b.shape) : null];
  },
  // dX = op(T)⁻¹ (dB − op(dT) X), dT the same triangle of dA
  jvp: ([ta, tb], [a], x, attrs, batch) => {
    let rhs: Tensor | null = tb === null ? null : fit(tb, batch, x.shape);
    if (ta !== null) {
      const dt = mul(ta, triangleMask(a.shape[a.rank - 1], attrs.lower, 1, a.dtype));
      const prod = matmul(lift(attrs.adjoint ? swapLast(dt) : dt, batch, x.rank), x);
      rhs = rhs === null ? neg(prod) : sub(rhs, prod);
    }
    return triangularSolveP.run([a, fit(rhs!, batch, x.shape)], attrs);
  },
});

/** Options of `linalg.triangularSolve`. */
export interface TriangularSolveOptions {
  /** Use the lower triangle of `matrix` (default true), else the upper one; the other is never read. */
  lower?: boolean;
  /** Solve with the transpose of the triangle (default false). */
  adjoint?: boolean;
}

/**
 * X with op(T) X = rhs, T the lower (or upper) triangle of each `matrix` (`[..., n, n]`), rhs `[..., n, k]`,
 * batch axes broadcast (TF's `tf.linalg.triangular_solve`). A zero on T's diagonal gives Infinity/NaN, as TF.
 * @example
 * tg.linalg.triangularSolve([[2, 0], [1, 4]], [[2], [9]]); // [[1], [2]]  (2·1 = 2, 1·1 + 4·2 = 9)
 * tg.linalg.triangularSolve([[2, 0], [1, 4]], [[4], [8]], { adjoint: true }); // [[1], [2]]  (2·1 + 1·2, 4·2)
 */
export function triangularSolve(matrix: TensorLike, rhs: TensorLike, options?: TriangularSolveOptions): Tensor {
  const op = 'linalg.triangularSolve';
  const o = requireOptions<TriangularSolveOptions>(op, options, ['lower', 'adjoint']);
  const lower = o.lower === undefined ? true : requireBoolean(op, 'lower', o.lower);
  const adjoint = o.adjoint === undefined ? false : requireBoolean(op, 'adjoint', o.adjoint);
  const a = toTensor(op, matrix);
  const b = toTensor(op, rhs, a.dtype);
  checkSystem(op, a, b);
  return triangularSolveP.run([a, b], { lower, adjoint });
}

// ---- cholesky ----------------------------------------------------------------------------------------------

interface OpName {
  /** The public op called, for the error of a matrix that is not positive definite. */
  op: string;
}

const choleskyP = definePrimitive<OpName>({
  name: 'linalg.cholesky',
  forward: ([a], { op }) => {
    const n = checkSquare(op, a);
    const batch = a.shape.slice(0, -2);
    const x = new Float64Array(a.size);
    const bad = choleskyBatch(a.values, sizeOf(batch), n, x);
    if (bad >= 0)
      throw new ArgumentError(
        `${op}: Cholesky decomposition was not successful for ${batchText(bad, batch)}: the matrix is not ` +
          `positive definite (only its lower triangle is read). The input might not be valid.`,
      );
    return constant(x, a.shape, a.dtype);
  },
  // TF's Cholesky grad: Ā = ½(G + Gᵀ), G = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹, Φ = the lower triangle with the diagonal halved
  vjp: (dy, _a, l) => {
    const n = l.shape[l.rank - 1];
    const linv = triangularSolveP.run([l, eye(n, l.dtype)], { lower: true, adjoint: false });
    const middle = mul(matmul(l, dy, true, false), triangleMask(n, true, 0.5, l.dtype));
    return [symmetrize(matmul(matmul(linv, middle, true, false), linv))];
  },
  // dL = L Φ(L⁻¹ ½(dA + dAᵀ) L⁻ᵀ): the adjoint of the rule above (the input is read as symmetric)
  jvp: ([t], _a, l) => {
    const n = l.shape[l.rank - 1];
    const linv = triangularSolveP.run([l, eye(n, l.dtype)], { lower: true, adjoint: false });
    const inner = matmul(matmul(linv, symmetrize(t!)), linv, false, true);
    return matmul(l, mul(inner, triangleMask(n, true, 0.5, l.dtype)));
  },
});

/**
 * The Cholesky factor L (lower triangular, positive diagonal) of each symmetric positive-definite matrix
 * in the last two axes: a = L Lᵀ (TF's `tf.linalg.cholesky`). Only the lower triangle of `a` is read, and
 * the gradient is symmetric, as TF's. A matrix that is not positive definite is an ArgumentError naming
 * its batch index.
 * @example
 * tg.linalg.cholesky([[4, 2], [2, 10]]); // [[2, 0], [1, 3]]  (2·2 = 4, 1·2 = 2, 1·1 + 3·3 = 10)
 */
export function cholesky(a: TensorLike): Tensor {
  return choleskyOf(toTensor('linalg.cholesky', a), 'linalg.cholesky');
}

/** Cholesky for `op` (its name in the errors). */
function choleskyOf(a: Tensor, op: string): Tensor {
  checkSquare(op, a);
  return choleskyP.run([a], { op });
}

// ---- solve -------------------------------------------------------------------------------------------------

interface SolveAttrs {
  /** Solve with Aᵀ (used by the gradient). */
  adjoint: boolean;
}

const solveP: Primitive<SolveAttrs> = definePrimitive<SolveAttrs>({
  name: 'linalg.solve',
  forward: ([a, b], { adjoint }) => {
    const { n, k, batch } = checkSystem('linalg.solve', a, b);
    const shape = [...batch, n, k];
    const x = new Float64Array(sizeOf(shape));
    const bad = luSolveBatch(a.values, matrixOffsets(a, batch), b.values, matrixOffsets(b, batch), n, k, x, adjoint);
    if (bad >= 0)
      throw new ArgumentError(`linalg.solve: Input matrix is not invertible (${batchText(bad, batch)} is singular).`);
    return constant(x, shape, a.dtype);
  },
  // X = op(A)⁻¹ B: dB = op(A)⁻ᵀ dX, dA = -dB Xᵀ (or -X dBᵀ for the adjoint), as TF's MatrixSolve grad
  vjp: (dy, [a, b], x, { adjoint }, needs) => {
    const gb = solveP.run([a, dy], { adjoint: !adjoint });
    const ga = needs[0] ? neg(adjoint ? matmul(x, gb, false, true) : matmul(gb, x, false, true)) : null;
    return [ga && sumToShape(ga, a.shape), needs[1] ? sumToShape(gb, b.shape) : null];
  },
  // dX = op(A)⁻¹ (dB − op(dA) X)
  jvp: ([ta, tb], [a], x, attrs, batch) => {
    let rhs: Tensor | null = tb === null ? null : fit(tb, batch, x.shape);
    if (ta !== null) {
      const prod = matmul(lift(attrs.adjoint ? swapLast(ta) : ta, batch, x.rank), x);
      rhs = rhs === null ? neg(prod) : sub(rhs, prod);
    }
    return solveP.run([a, fit(rhs!, batch, x.shape)], attrs);
  },
});

/**
 * X with matrix · X = rhs for each square `matrix` (`[..., n, n]`) and `rhs` (`[..., n, k]`), batch axes
 * broadcast, by LU with partial pivoting (TF's `tf.linalg.solve`). A singular matrix (a zero pivot) is an
 * ArgumentError "Input matrix is not invertible", as TF.
 * @example
 * tg.linalg.solve([[2, 1], [1, 3]], [[3], [5]]); // [[0.8], [1.4]]  (2·0.8 + 1.4 = 3, 0.8 + 3·1.4 = 5)
 */
export function solve(matrix: TensorLike, rhs: TensorLike): Tensor {
  const a = toTensor('linalg.solve', matrix);
  const b = toTensor('linalg.solve', rhs, a.dtype);
  checkSystem('linalg.solve', a, b);
  return solveP.run([a, b], { adjoint: false });
}

// ---- inv ---------------------------------------------------------------------------------------------------

type NoAttrs = Record<string, never>;

const invP: Primitive<NoAttrs> = definePrimitive<NoAttrs>({
  name: 'linalg.inv',
  forward: ([a]) => {
    const n = checkSquare('linalg.inv', a);
    const batch = a.shape.slice(0, -2);
    const x = new Float64Array(a.size);
    const bad = luInverseBatch(a.values, sizeOf(batch), n, x);
    if (bad >= 0)
      throw new ArgumentError(`linalg.inv: Input is not invertible (${batchText(bad, batch)} is singular).`);
    return constant(x, a.shape, a.dtype);
  },
  // C = A⁻¹: dA = -Cᵀ dC Cᵀ (TF's MatrixInverse grad)
  vjp: (dy, _a, c) => [neg(matmul(c, matmul(dy, c, false, true), true, false))],
  // dC = -C dA C
  jvp: ([t], _a, c) => neg(matmul(matmul(c, t!), c)),
});

/**
 * The inverse of each square matrix in the last two axes, by LU with partial pivoting (TF's
 * `tf.linalg.inv`). A singular matrix (a zero pivot) is an ArgumentError "Input is not invertible", as TF.
 * @example
 * tg.linalg.inv([[2, 1], [1, 1]]); // [[1, -1], [-1, 2]]  (det 1)
 */
export function inv(a: TensorLike): Tensor {
  const x = toTensor('linalg.inv', a);
  checkSquare('linalg.inv', x);
  return invP.run([x], {});
}

// ---- det, slogdet, logdet ----------------------------------------------------------------------------------

const detP = definePrimitive<NoAttrs>({
  name: 'linalg.det',
  forward: ([a]) => {
    const n = checkSquare('linalg.det', a);
    const batch = a.shape.slice(0, -2);
    const x = new Float64Array(sizeOf(batch));
    luDeterminantBatch(a.values, x.length, n, x);
    return constant(x, batch, a.dtype);
  },
  // d det A = det A · tr(A⁻¹ dA): Ā = d̄ · det A · A⁻ᵀ (TF's MatrixDeterminant grad; singular A: inv's error)
  vjp: (dy, [a], d) => [mul(asMatrices(mul(dy, d)), swapLast(invP.run([a], {})))],
  jvp: ([t], [a], d) => mul(d, sum(mul(t!, swapLast(invP.run([a], {}))), [-2, -1])),
});

/**
 * The determinant of each square matrix in the last two axes, from its LU factors: sign(P)·Π U_ii
 * (TF's `tf.linalg.det`; 1 for a 0 × 0 matrix). Its gradient det·A⁻ᵀ needs A⁻¹: at a singular matrix it
 * is inv's error, as TF.
 * @example
 * tg.linalg.det([[1, 2], [3, 4]]); // -2  (1·4 − 2·3)
 */
export function det(a: TensorLike): Tensor {
  const x = toTensor('linalg.det', a);
  checkSquare('linalg.det', x);
  return detP.run([x], {});
}

const logAbsDetP = definePrimitive<NoAttrs>({
  name: 'linalg.slogdet',
  forward: ([a]) => {
    const n = checkSquare('linalg.slogdet', a);
    const batch = a.shape.slice(0, -2);
    const count = sizeOf(batch);
    const logAbs = new Float64Array(count);
    luLogDeterminantBatch(a.values, count, n, new Float64Array(count), logAbs);
    return constant(logAbs, batch, a.dtype);
  },
  // d log|det A| = tr(A⁻¹ dA): Ā = ḡ · A⁻ᵀ (TF's LogMatrixDeterminant grad; the sign has no gradient)
  vjp: (dy, [a]) => [mul(asMatrices(dy), swapLast(invP.run([a], {})))],
  jvp: ([t], [a]) => sum(mul(t!, swapLast(invP.run([a], {}))), [-2, -1]),
});

/** The two results of `linalg.slogdet`. */
export interface Slogdet {
  /** sign(det A): 1, -1, or 0 for a singular matrix (no gradient, as TF). */
  sign: Tensor;
  /** log |det A|: -Infinity for a singular matrix. */
  logAbsDet: Tensor;
}

/**
 * The sign and the log of the absolute value of the determinant of each square matrix in the last two axes,
 * from LU with partial pivoting (TF's `tf.linalg.slogdet`): det = sign · exp(logAbsDet), without overflow.
 * A singular matrix gives sign 0 and logAbsDet -Infinity, as TF; `sign` carries no gradient.
 * @example
 * tg.linalg.slogdet([[1, 2], [3, 4]]).sign; // -1
 * tg.linalg.slogdet([[1, 2], [3, 4]]).logAbsDet; // 0.6931471805599453  (log 2)
 */
export function slogdet(a: TensorLike): Slogdet {
  const x = toTensor('linalg.slogdet', a);
  const n = checkSquare('linalg.slogdet', x);
  const batch = x.shape.slice(0, -2);
  const count = sizeOf(batch);
  const sign = new Float64Array(count);
  luLogDeterminantBatch(x.values, count, n, sign, new Float64Array(count));
  return { sign: constant(sign, batch, x.dtype), logAbsDet: logAbsDetP.run([x], {}) };
}

/**
 * log det of each Hermitian positive-definite matrix in the last two axes, as TF's `tf.linalg.logdet`:
 * 2·Σ log diag(cholesky(a)). Only the lower triangle is read; a matrix that is not positive definite is
 * Cholesky's error, naming `linalg.logdet`.
 * @example
 * tg.linalg.logdet([[4, 2], [2, 10]]); // 3.58351893845611  (log 36 = 2·(log 2 + log 3))
 */
export function logdet(a: TensorLike): Tensor {
  const x = toTensor('linalg.logdet', a);
  checkSquare('linalg.logdet', x);
  const l = choleskyOf(x, 'linalg.logdet');
  return mul(sum(log(diagPartOf(l, [...x.shape.slice(0, -2).map((_, i) => [i]), [x.rank - 2, x.rank - 1]])), -1), 2);
}
