// customGradient: a function whose gradient is the one the user gives (tf.custom_gradient, tf.customGrad).
import { isFloat } from '../core/dtype';
import { TapeError } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import type { OpRecord } from '../core/recording';
import { activeRecorders, recordIfWanted, withoutTapes } from '../core/recording';
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
 * Wraps `f` so that its gradient is the one `f` returns. Tapes do not record the forward computation
 * inside `f`; the `grad` function runs with the library's ops, so outer tapes record it (second
 * derivatives work when `grad` is itself differentiable). Forward mode, as in TensorFlow, does not
 * use `grad`: a ForwardAccumulator differentiates the ops `f` runs.
 * @example
 * // log(1 + e^x) with a stable gradient
 * const logExp = tg.customGradient((x) => ({
 *   value: tg.log1p(tg.exp(x)),
 *   grad: (dy) => dy.mul(tg.sigmoid(x)),
 * }));
 * const x = tg.scalar(100);
 * using tape = new tg.GradientTape({ persistent: true });
 * tape.watch(x);
 * tape.gradient(logExp(x), x); // Tensor(1, shape=[], dtype=float32)  (sigmoid(100))
 * tape.gradient(tg.log1p(tg.exp(x)), x); // NaN  (without the rule: e^100 overflows float32)
 */
export function customGradient(f: (...inputs: Tensor[]) => CustomGradientResult): (...inputs: TensorLike[]) => Tensor {
  return (...args: TensorLike[]) => {
    const inputs = args.map((a) => toTensor('customGradient', a));
    // NOTE: accumulators see f's ops (TF's forward mode differentiates the forward function);
    // tapes do not, as the custom rule replaces them
    const result = withoutTapes(() => f(...inputs));
    if (!result || !(result.value instanceof Tensor) || typeof result.grad !== 'function') {
      throw new TapeError('customGradient: the function must return { value: Tensor, grad: (dy) => gradients }');
    }
    // a fresh tensor, so the record's output is this call's own
    const output = new Tensor(result.value.values, result.value.shape, result.value.dtype);
    if (activeRecorders.length !== 0 && isFloat(output.dtype)) {
      recordIfWanted(new CustomRecord(inputs, result.value, output, result.grad));
    }
    return output;
  };
}

/**
 * One call of a custom-gradient function. Its inputs are the call's arguments followed by the
 * value f computed: a tape differentiates with the user's rule (the value gets no gradient), an
 * accumulator takes the value's tangent, which it computed while f ran.
 */
class CustomRecord implements OpRecord {
  readonly name = 'customGradient';
  readonly inputs: readonly Tensor[];

  constructor(
    private readonly args: readonly Tensor[],
    value: Tensor,
    readonly output: Tensor,
    private readonly grad: CustomGradientResult['grad'],
  ) {
    this.inputs = [...args, value];
  }

  vjp(dy: Tensor): readonly (Tensor | null)[] {
    const g = this.grad(dy);
    const list = g instanceof Tensor ? [g] : Array.from(g);
    if (list.length !== this.args.length) {
      throw new TapeError(`customGradient: grad returned ${list.length} gradients for ${this.args.length} inputs`);
    }
    list.forEach((t, i) => {
      if (t !== null && !sameShape(t.shape, this.args[i].shape)) {
        throw new TapeError(
          `customGradient: gradient ${i} has shape ${fmtShape(t.shape)}, expected the input's shape ${fmtShape(this.args[i].shape)}`,
        );
      }
    });
    return [...list, null];
  }

  jvp(tangents: readonly (Tensor | null)[]): Tensor | null {
    return tangents[tangents.length - 1];
  }
}
