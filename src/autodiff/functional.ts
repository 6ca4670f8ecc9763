// JAX-style function transforms built on the tape and the accumulator: grad, valueAndGrad, vjp,
// jvp, jacobian, hessian (forward-over-reverse, one pass per input element), hvp.
import { TapeError } from '../core/errors';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { isFloat } from '../core/dtype';
import { reshape } from '../ops/prims/shape';
import { oneHot } from '../ops/prims/shape';
import { stack } from '../ops/composite/shape';
import { zerosLike } from '../ops/create';
import { GradientTape } from './gradient_tape';
import { ForwardAccumulator } from './forward';

/** A function of tensors. */
export type Fn = (...xs: Tensor[]) => Tensor;

function inputs(op: string, args: readonly TensorLike[]): Tensor[] {
  return args.map((a, i) => {
    const t = toTensor(op, a);
    if (!isFloat(t.dtype))
      throw new TapeError(
        `${op}: argument ${i} has dtype ${t.dtype}; only float32 and float64 arguments can be differentiated`,
      );
    return t;
  });
}

function checkOutput(op: string, y: unknown): Tensor {
  if (!(y instanceof Tensor))
    throw new TapeError(`${op}: the function must return a Tensor, got ${y === null ? 'null' : typeof y}`);
  return y;
}

/** One tensor for one argument, an array for several. */
function oneOrMany(ts: Tensor[], n: number): Tensor | Tensor[] {
  return n === 1 ? ts[0] : ts;
}

/**
 * The value of `sum(f(...args))` and its gradient with respect to every argument (zeros where
 * unconnected); `grads` is one tensor when f takes one argument, an array otherwise.
 * @example
 * const { value, grads } = tg.valueAndGrad((x, y) => x.mul(y))(3, 4); // 12, [4, 3]
 */
export function valueAndGrad(f: Fn): (...args: TensorLike[]) => { value: Tensor; grads: Tensor | Tensor[] } {
  return (...args) => {
    const xs = inputs('valueAndGrad', args);
    const tape = new GradientTape();
    try {
      tape.watch(xs);
      const value = checkOutput('valueAndGrad', f(...xs));
      const grads = tape.gradient(value, xs, { unconnectedGradients: 'zero' }) as Tensor[];
      return { value, grads: oneOrMany(grads, xs.length) };
    } finally {
      tape.dispose();
    }
  };
}

/**
 * The gradient of `sum(f(...args))` with respect to every argument: one tensor for one argument,
 * an array for several.
 * @example
 * tg.grad((x) => x.pow(3))(2); // Tensor(12, …)  (3x²)
 */
export function grad(f: Fn): (...args: TensorLike[]) => Tensor | Tensor[] {
  const vg = valueAndGrad(f);
  return (...args) => vg(...args).grads;
}

/**
 * The value of `f(...primals)` and a function giving the vector-Jacobian product for any upstream
 * gradient `dy` (one gradient per primal; one tensor for one primal).
 * @example
 * const { value, vjp } = tg.vjp((x) => x.square(), tg.tensor([1, 2]));
 * vjp(tg.tensor([1, 10])); // [2, 40]
 */
export function vjp(f: Fn, ...primals: TensorLike[]): { value: Tensor; vjp: (dy: TensorLike) => Tensor | Tensor[] } {
  const xs = inputs('vjp', primals);
  const tape = new GradientTape({ persistent: true });
  let value: Tensor;
  try {
    tape.watch(xs);
    value = checkOutput('vjp', f(...xs));
  } finally {
    tape.dispose();
  }
  return {
    value,
    vjp: (dy) =>
      oneOrMany(tape.gradient(value, xs, { outputGradients: dy, unconnectedGradients: 'zero' }) as Tensor[], xs.length),
  };
}

/**
 * The value of `f(...primals)` and its directional derivative along `tangents` (forward mode).
 * @example
 * tg.jvp((x) => x.square(), [3], [1]); // { value: 9, tangent: 6 }
 */
export function jvp(
  f: Fn,
  primals: TensorLike | readonly TensorLike[],
  tangents: TensorLike | readonly TensorLike[],
): { value: Tensor; tangent: Tensor } {
  const many =
    Array.isArray(primals) && primals.length > 0 && (primals[0] instanceof Tensor || Array.isArray(tangents));
  const ps = inputs('jvp', many ? (primals as readonly TensorLike[]) : [primals as TensorLike]);
  const ts = many ? (tangents as readonly TensorLike[]) : [tangents as TensorLike];
  const acc = new ForwardAccumulator(ps, ts);
  try {
    const value = checkOutput('jvp', f(...ps));
    return { value, tangent: acc.jvp(value) ?? zerosLike(value) };
  } finally {
    acc.dispose();
  }
}

/**
 * The Jacobian of `f` at `x`: shape `[...f(x).shape, ...x.shape]`.
 * @example
 * tg.jacobian((x) => x.square())(tg.tensor([1, 2])); // [[2, 0], [0, 4]]
 */
export function jacobian(f: Fn): (x: TensorLike) => Tensor {
  return (x) => {
    const [t] = inputs('jacobian', [x]);
    const tape = new GradientTape();
    try {
      tape.watch(t);
      const y = checkOutput('jacobian', f(t));
      return tape.jacobian(y, t, { unconnectedGradients: 'zero' }) as Tensor;
    } finally {
      tape.dispose();
    }
  };
}

/**
 * The Hessian-vector product H·v of a scalar function at x, forward-over-reverse: one gradient
 * pass under a forward accumulator, without forming H.
 * @example
 * tg.hvp((x) => x.pow(3).sum(), tg.tensor([1, 2]), tg.tensor([1, 0])); // [6, 0]
 */
export function hvp(f: Fn, x: TensorLike, v: TensorLike): Tensor {
  const [t] = inputs('hvp', [x]);
  const acc = new ForwardAccumulator(t, v);
  try {
    const tape = new GradientTape();
    let g: Tensor | null;
    try {
      tape.watch(t);
      g = tape.gradient(checkOutput('hvp', f(t)), t);
    } finally {
      tape.dispose();
    }
    return g === null ? zerosLike(t) : (acc.jvp(g) ?? zerosLike(t));
  } finally {
    acc.dispose();
  }
}

/**
 * The Hessian of a scalar function at x, shape `[...x.shape, ...x.shape]`: one Hessian-vector
 * product per element of x (jacfwd of grad).
 * @example
 * tg.hessian((x) => x.pow(3).sum())(tg.tensor([1, 2])); // [[6, 0], [0, 12]]
 */
export function hessian(f: Fn): (x: TensorLike) => Tensor {
  return (x) => {
    const [t] = inputs('hessian', [x]);
    const rows = Array.from({ length: t.size }, (_, i) =>
      hvp(f, t, reshape(oneHot([i], t.size, 1, 0, t.dtype), t.shape)),
    );
    return reshape(stack(rows), [...t.shape, ...t.shape]);
  };
}
