// where(cond, a, b): elementwise selection with three-way broadcasting.
import { allocate } from '../../core/dtype';
import { broadcastShapes, broadcastStrides, sizeOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { offsets } from '../../kernels/offsets';
import { select } from '../../kernels/movement';
import { definePrimitive } from '../primitive';
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

/**
 * `a` where `cond` is true, `b` elsewhere; all three broadcast together.
 * @example
 * tg.where([true, false], [1, 2], [10, 20]); // Tensor([1, 20], shape=[2], dtype=float32)
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor('where', cond, 'bool');
  // the condition and all three shapes are checked before a mixed-dtype pair is cast
  const [x, y] = binaryOperands('where', a, b, (op, t, f) => {
    checkCondition(op, c);
    broadcastShapes(op, broadcastShapes(op, c.shape, t.shape), f.shape);
  });
  return whereP.run([c, x, y], null);
}
