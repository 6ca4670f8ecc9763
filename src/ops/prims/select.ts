// where(cond, a, b): elementwise selection with three-way broadcasting; where(cond): the coordinates of
// the true (nonzero) elements, a non-differentiable primitive whose output shape depends on the values.
import { allocate } from '../../core/dtype';
import { broadcastShapes, broadcastStrides, sizeOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { offsets } from '../../kernels/offsets';
import { select } from '../../kernels/movement';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';
import { ArgumentError } from '../../core/errors';
import { nonzeroCoordinates } from '../../kernels/scatter';
import { binaryOperands } from '../operands';
import { checkCondition } from '../operands';
import { sumToShape } from './sum_to_shape';
import { lift, sumTerms } from './tangents';
import { zerosLike } from '../create';

const whereP = definePrimitive<null>({
  name: 'where',
  forward: ([cond, a, b]) => {
    checkCondition('where', cond);
    const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape);
    const out = allocate(a.dtype, sizeOf(shape));
    const at = (t: Tensor) => offsets(shape, broadcastStrides(t.shape, shape));
    select(cond.values, at(cond), a.values, at(a), b.values, at(b), out);
    return new Tensor(out, shape, a.dtype);
  },
  // NOTE: the branch not taken gets zero gradient, never a share of dy
  vjp: (dy, [cond, a, b]) => {
    const zero = zerosLike(dy);
    return [null, sumToShape(where(cond, dy, zero), a.shape), sumToShape(where(cond, zero, dy), b.shape)];
  },
  // d where(c, a, b) = where(c, da, db); the condition has no tangent
  jvp: ([, ta, tb], [cond], y, _attrs, batch) => {
    const at = (t: Tensor | null) => (t === null ? 0 : lift(t, batch, y.rank));
    return sumTerms([where(cond, at(ta), at(tb))], batch, y);
  },
});

const whereIndicesP = definePrimitive<null>({
  name: 'whereIndices',
  forward: ([cond]) => {
    const { coords, count } = nonzeroCoordinates(cond.values, cond.shape);
    return new Tensor(coords, [count, cond.rank], 'int32');
  },
  // NOTE: no gradient by design: the output is integer coordinates
  vjp: NOT_DIFFERENTIABLE,
  jvp: NOT_DIFFERENTIABLE,
});

/**
 * With three arguments, `a` where `cond` is true and `b` elsewhere, all three broadcast together. With
 * one, the int32 coordinates `[n, rank]` of the n true (for a numeric `cond`, nonzero) elements in
 * row-major order, as TF's one-argument `where`; its shape depends on the values (synchronous here).
 * @example
 * tg.where([true, false], [1, 2], [10, 20]); // Tensor([1, 20], shape=[2], dtype=float32)
 * tg.where([[true, false], [false, true]]); // Tensor([[0, 0], [1, 1]], shape=[2,2], dtype=int32)
 */
export function where(cond: TensorLike): Tensor;
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor;
export function where(cond: TensorLike, a?: TensorLike, b?: TensorLike): Tensor {
  if (a === undefined && b === undefined) {
    // TF's one-argument where takes a numeric condition too: nonzero is true
    return whereIndicesP.run([toTensor('where', cond)], null);
  }
  if (a === undefined || b === undefined)
    throw new ArgumentError('where: a and b must both be given or both be omitted');
  const c = toTensor('where', cond, 'bool');
  // the condition and all three shapes are checked before a mixed-dtype pair is cast
  const [x, y] = binaryOperands('where', a, b, (op, t, f) => {
    checkCondition(op, c);
    broadcastShapes(op, broadcastShapes(op, c.shape, t.shape), f.shape);
  });
  return whereP.run([c, x, y], null);
}
