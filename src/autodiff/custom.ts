// customGradient: a function whose gradient is the one the user gives (tf.custom_gradient, tf.customGrad).
import { isFloat } from '../core/dtype';
import { TapeError } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import { activeRecorders, recordIfWanted, withoutRecorders } from '../core/recording';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { Tensor } from '../core/tensor';

/** What the wrapped function returns: its value and the rule for its inputs' gradients. */
export interface CustomGradientResult {
  value: Tensor;
  /** The gradient of each input given the upstream gradient `dy` (one tensor for one input). */
  grad: (dy: Tensor) => Tensor | readonly (Tensor | null)[];
}

/**
 * Wraps `f` so that its gradient is the one `f` returns. The forward computation inside `f` is not
 * recorded; the `grad` function runs with the library's ops, so outer tapes record it (second
 * derivatives work when `grad` is itself differentiable).
 * @example
 * // log(1 + e^x) with a stable gradient
 * const logExp = tg.customGradient((x) => ({
 *   value: tg.log1p(tg.exp(x)),
 *   grad: (dy) => dy.mul(tg.sigmoid(x)),
 * }));
 */
export function customGradient(f: (...inputs: Tensor[]) => CustomGradientResult): (...inputs: TensorLike[]) => Tensor {
  return (...args: TensorLike[]) => {
    const inputs = args.map((a) => toTensor('customGradient', a));
    const result = withoutRecorders(() => f(...inputs));
    if (!result || !(result.value instanceof Tensor) || typeof result.grad !== 'function') {
      throw new TapeError('customGradient: the function must return { value: Tensor, grad: (dy) => gradients }');
    }
    const { value, grad } = result;
    // a fresh tensor, so the record's output is this call's own
    const output = new Tensor(value.values, value.shape, value.dtype);
    if (activeRecorders.length !== 0 && isFloat(output.dtype)) {
      recordIfWanted({
        name: 'customGradient',
        inputs,
        output,
        backward: (dy) => {
          const g = grad(dy);
          const list = g instanceof Tensor ? [g] : Array.from(g);
          if (list.length !== inputs.length) {
            throw new TapeError(`customGradient: grad returned ${list.length} gradients for ${inputs.length} inputs`);
          }
          return list.map((t, i) => {
            if (t !== null && !sameShape(t.shape, inputs[i].shape)) {
              throw new TapeError(
                `customGradient: gradient ${i} has shape ${fmtShape(t.shape)}, expected the input's shape ${fmtShape(inputs[i].shape)}`,
              );
            }
            return t;
          });
        },
      });
    }
    return output;
  };
}
