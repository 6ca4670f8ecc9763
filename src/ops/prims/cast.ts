// cast, identity and stopGradient: the primitives that keep values and change only dtype or gradient flow.
import type { DType } from '../../core/dtype';
import { allocate, checkDType, isFloat } from '../../core/dtype';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import { castInto } from '../../kernels/movement';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';

const castP = definePrimitive<{ dtype: DType }>({
  name: 'cast',
  forward: ([x], { dtype }) => {
    const out = allocate(dtype, x.size);
    castInto(x.values, out, dtype === 'bool');
    return new Tensor(out, x.shape, dtype);
  },
  // d cast(x) = cast(dy) back to x's dtype; an integer or bool input has no gradient
  vjp: (dy, [x]) => [isFloat(x.dtype) ? cast(dy, x.dtype) : null],
  // d cast(x) = cast(dx): only a float input has a tangent, and only a float output is recorded
  jvp: ([t], _x, y) => cast(t!, y.dtype),
});

/**
 * Converts to another dtype: float to int32 truncates toward zero, anything to bool is `x != 0`.
 * Returns `x` itself when the dtype already matches.
 * @example
 * tg.cast([1.7, -1.7], 'int32'); // Tensor([1, -1], shape=[2], dtype=int32)
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = toTensor('cast', x);
  checkDType('cast', dtype);
  return t.dtype === dtype ? t : castP.run([t], { dtype });
}

const identityP = definePrimitive<null>({
  name: 'identity',
  // the values are immutable, so the output can share them
  forward: ([x]) => new Tensor(x.values, x.shape, x.dtype),
  vjp: (dy) => [dy],
  jvp: ([t]) => t,
});

/**
 * The same values as a new tensor (a new id); gradients pass through unchanged.
 * @example
 * tg.identity([1, 2]); // Tensor([1, 2], shape=[2], dtype=float32)
 */
export function identity(x: TensorLike): Tensor {
  return identityP.run([toTensor('identity', x)], null);
}

const stopGradientP = definePrimitive<null>({
  name: 'stopGradient',
  forward: ([x]) => new Tensor(x.values, x.shape, x.dtype),
  // NOTE: no gradient by design: this is what stopGradient is for
  vjp: NOT_DIFFERENTIABLE,
  jvp: NOT_DIFFERENTIABLE,
});

/**
 * The value of `x`, with no gradient flowing through it (TF's `tf.stop_gradient`).
 * @example
 * const x = new tg.Variable(3);
 * using tape = new tg.GradientTape();
 * const y = x.mul(tg.stopGradient(x));
 * tape.gradient(y, x); // 3  (not 6: the second factor is a constant)
 */
export function stopGradient(x: TensorLike): Tensor {
  return stopGradientP.run([toTensor('stopGradient', x)], null);
}
