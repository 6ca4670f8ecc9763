// matmul: a primitive of its own for speed (not reshape-multiply-sum), with batch dimensions broadcast.
import { allocate } from '../../core/dtype';
import { ShapeError } from '../../core/errors';
import { broadcastShapes, broadcastStrides, fmtShape, sizeOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { offsets } from '../../kernels/offsets';
import { gemm, gemmBatch } from '../../kernels/matmul';
import { definePrimitive } from '../primitive';
import { binaryOperands, requireNumeric } from '../operands';
import { requireBoolean } from '../../core/args';
import { sumToShape } from './sum_to_shape';
import { lift, sumTerms } from './tangents';

interface MatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Refuses operands matmul cannot multiply (naming both shapes); returns m, k and n. */
function checkMatmul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): [number, number, number] {
  requireNumeric('matmul', a);
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(
      `matmul: both operands need rank >= 2, got ${fmtShape(a.shape)} x ${fmtShape(b.shape)}; use dot for vectors`,
    );
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const [k2, n] = transposeB ? [bc, br] : [br, bc];
  if (k !== k2) {
    const flags = transposeA || transposeB ? ` (transposeA=${transposeA}, transposeB=${transposeB})` : '';
    throw new ShapeError(`matmul: inner dimensions differ: ${fmtShape(a.shape)} x ${fmtShape(b.shape)}${flags}`);
  }
  broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [m, k, n];
}

// NOTE: a primitive for speed; the rule is TF's MatMul gradient for each transpose combination
const matmulP = definePrimitive<MatmulAttrs>({
  name: 'matmul',
  forward: ([a, b], { transposeA, transposeB }) => {
    const [m, k, n] = checkMatmul(a, b, transposeA, transposeB);
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const shape = [...batch, m, n];
    const out = allocate(a.dtype, sizeOf(shape));
    const aOff = offsets(
      batch,
      broadcastStrides(a.shape.slice(0, -2), batch).map((s) => s * m * k),
    );
    const bOff = offsets(
      batch,
      broadcastStrides(b.shape.slice(0, -2), batch).map((s) => s * k * n),
    );
    const args = {
      a: a.values,
      aOff: aOff.length === 0 ? 0 : aOff[0],
      b: b.values,
      bOff: bOff.length === 0 ? 0 : bOff[0],
      out,
      outOff: 0,
      m,
      k,
      n,
      transA: transposeA,
      transB: transposeB,
    };
    // one product, or a batch (copied into WebAssembly memory once, and shared with the helper thread)
    if (aOff.length === 1) gemm(args);
    else gemmBatch(args, aOff, bOff);
    return new Tensor(out, shape, a.dtype);
  },
  // C = A B: dA = dC Bᵀ, dB = Aᵀ dC (and the transposed variants), then summed over broadcast batch dims
  vjp: (dy, [a, b], _y, { transposeA: tA, transposeB: tB }, needs) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[0]) da = tA ? matmul(b, dy, tB, true) : matmul(dy, b, false, !tB);
    if (needs[1]) db = tB ? matmul(dy, a, true, tA) : matmul(a, dy, !tA, false);
    return [da && sumToShape(da, a.shape), db && sumToShape(db, b.shape)];
  },
  // d(A B) = dA B + A dB (bilinear); batch axes of a tangent broadcast as matmul's batch dims do
  jvp: ([ta, tb], [a, b], y, { transposeA, transposeB }, batch) =>
    sumTerms(
      [
        ta && matmul(lift(ta, batch, y.rank), b, transposeA, transposeB),
        tb && matmul(a, lift(tb, batch, y.rank), transposeA, transposeB),
      ],
      batch,
      y,
    ),
});

/**
 * Matrix product of the last two axes; leading (batch) axes broadcast.
 * @example
 * tg.matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]); // [[19, 22], [43, 50]]  (1*5 + 2*7 = 19 …)
 */
export function matmul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  requireBoolean('matmul', 'transposeA', transposeA);
  requireBoolean('matmul', 'transposeB', transposeB);
  // the operands are checked before a mixed-dtype pair is cast, so a refused pair leaves no cast recorded
  const operands = binaryOperands('matmul', a, b, (_op, x, y) => checkMatmul(x, y, transposeA, transposeB));
  return matmulP.run(operands, { transposeA, transposeB });
}
