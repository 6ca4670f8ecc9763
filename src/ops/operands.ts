// Turning op arguments into tensors: plain values take their partner's dtype; mixed dtypes are promoted.
import { isFloat, upcast } from '../core/dtype';
import { DTypeError, ShapeError } from '../core/errors';
import { broadcastShapes, fmtShape, sameShape } from '../core/shape';
import type { TensorLike } from '../core/as_tensor';
import { isTensorish, toTensor } from '../core/as_tensor';
import type { Tensor } from '../core/tensor';
import { cast } from './prims/cast';

/** The shape check of elementwise ops: the two shapes broadcast together. */
function broadcastCheck(op: string, x: Tensor, y: Tensor): void {
  broadcastShapes(op, x.shape, y.shape);
}

/**
 * Both operands as tensors of one dtype: a plain value takes the other's dtype, then the narrower
 * is cast up. `check` validates the pair first (default: the shapes broadcast), so that an op that
 * would refuse them does so before a cast that a tape records.
 */
export function binaryOperands(
  op: string,
  a: TensorLike,
  b: TensorLike,
  check: (op: string, x: Tensor, y: Tensor) => void = broadcastCheck,
): [Tensor, Tensor] {
  const hint = isTensorish(a) ? a.dtype : isTensorish(b) ? b.dtype : undefined;
  let x = toTensor(op, a, hint);
  let y = toTensor(op, b, hint);
  if (x.dtype !== y.dtype) {
    // NOTE: validated before the cast: a recorded cast of a watched operand would outlive the op
    // that then refused the pair
    check(op, x, y);
    const dt = upcast(x.dtype, y.dtype);
    x = cast(x, dt);
    y = cast(y, dt);
  }
  return [x, y];
}

/** Throws unless the tensor is float32 or float64. */
export function requireFloat(op: string, x: Tensor): void {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(
      `${op}: expected a float32 or float64 tensor, got ${x.dtype}; cast it first with cast(x, 'float32')`,
    );
  }
}

/** Throws for bool, which arithmetic does not take. */
export function requireNumeric(op: string, x: Tensor): void {
  if (x.dtype === 'bool') {
    throw new DTypeError(
      `${op}: expected a numeric tensor, got bool; cast it first with cast(x, 'int32') or cast(x, 'float32')`,
    );
  }
}

/** Throws unless the tensor is bool. */
export function requireBool(op: string, x: Tensor): void {
  if (x.dtype !== 'bool') throw new DTypeError(`${op}: expected a bool tensor, got ${x.dtype}`);
}

/** Throws unless a and b have one shape and one dtype (the fused internal ops take no broadcasting). */
export function requireSameShapeAndDType(op: string, a: Tensor, b: Tensor): void {
  if (!sameShape(a.shape, b.shape))
    throw new ShapeError(`${op}: expected two tensors of one shape, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.dtype !== b.dtype)
    throw new DTypeError(`${op}: expected two tensors of one dtype, got ${a.dtype} and ${b.dtype}`);
}

/** Refuses a non-bool condition; used by where. */
export function checkCondition(op: string, cond: Tensor): void {
  if (cond.dtype !== 'bool') throw new DTypeError(`${op}: the condition must be a bool tensor, got ${cond.dtype}`);
}
