// JAX-style function transforms built on the tape and the accumulator: grad, valueAndGrad, vjp,
// jvp, jacobian, hvp and hessian (both forward over reverse; the Hessian pushes its seeds through
// together, as one batch of tangents). As in JAX, the arguments of a function are always a list:
// `grad(f)(a, b)`, `jvp(f, [a, b], [ta, tb])`; a bare tensor or number passed to jvp is one
// argument. No transform takes more arguments than f declares, and jacobian, hvp and hessian,
// which differentiate with respect to one x, refuse a second one.
import { TapeError } from '../core/errors';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { isFloat } from '../core/dtype';
import { reshape } from '../ops/prims/shape';
import { concat } from '../ops/prims/shape';
import { stridedSlice } from '../ops/composite/shape';
import { eye, zerosLike } from '../ops/create';
import { GradientTape } from './gradient_tape';
import { ForwardAccumulator } from './forward';

/** A function of tensors. */
export type Fn = (...xs: Tensor[]) => Tensor;

/** `V` in place of each element of the tuple (or array) `T`. */
type Each<T extends readonly unknown[], V> = { [K in keyof T]: V };

/**
 * The arguments the transforms take for `f`: a `TensorLike` in place of each of f's tensor
 * parameters (`[TensorLike, TensorLike]` for `(x, y) => …`); `TensorLike[]` for a rest parameter
 * or none (then, as at run time, the count is not checked).
 * @example
 * const f = (x: tg.Tensor, y: tg.Tensor) => x.mul(y);
 * const args: tg.FnArgs<typeof f> = [3, tg.tensor(4)];
 * tg.grad(f)(...args); // [Tensor(4, …), Tensor(3, …)]
 */
export type FnArgs<F extends Fn> = Parameters<F> extends [] ? TensorLike[] : Each<Parameters<F>, TensorLike>;

/**
 * The gradients `grad(f)` gives: one `Tensor` for a one-argument `f`, a tuple with one tensor per
 * parameter for several (`[Tensor, Tensor]` for `(x, y) => …`), and `Tensor | Tensor[]` when the
 * count is not known from the type (a rest parameter, as `Fn`, or none).
 * @example
 * const dx: tg.FnGrads<(x: tg.Tensor) => tg.Tensor> = tg.grad((x) => x.square())(3);
 * dx; // Tensor(6, …)
 * const [da, db] = tg.grad((a, b) => a.mul(b))(3, 4); // FnGrads: [Tensor, Tensor]
 * da; // Tensor(4, …)
 * db; // Tensor(3, …)
 */
export type FnGrads<F extends Fn> =
  Parameters<F> extends [Tensor]
    ? Tensor
    : Parameters<F> extends []
      ? Tensor | Tensor[]
      : number extends Parameters<F>['length']
        ? Tensor | Tensor[]
        : Each<Parameters<F>, Tensor>;

/**
 * The arguments as float tensors, refusing more of them than `f` declares: JavaScript would drop
 * the extra ones silently (jvp(f, [1, 2], …) on a one-argument f is two arguments, not a vector).
 */
function inputs(op: string, args: readonly TensorLike[], f?: Fn): Tensor[] {
  if (typeof f !== 'function' && f !== undefined) throw new TapeError(`${op}: expected a function, got ${typeof f}`);
  if (f !== undefined && f.length > 0 && args.length > f.length) {
    throw new TapeError(
      `${op}: the function takes ${f.length} argument${f.length === 1 ? '' : 's'} but ${args.length} were given; ` +
        'arguments are always a list (wrap a vector as one tensor: [tg.tensor([1, 2])])',
    );
  }
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

/**
 * The one argument of a one-argument transform (jacobian, hessian): JavaScript would drop the
 * extra ones silently, so `jacobian(f)(x, 5)` is an error.
 */
function oneArgument(op: string, args: readonly TensorLike[]): TensorLike {
  if (args.length !== 1) {
    throw new TapeError(
      `${op}: takes one argument x (the function is differentiated with respect to it), but ${args.length} were given; ` +
        'for several inputs, use a function of one tensor or tg.grad / tg.jvp',
    );
  }
  return args[0];
}

/** One tensor for one argument, an array for several. */
function oneOrMany(ts: Tensor[], n: number): Tensor | Tensor[] {
  return n === 1 ? ts[0] : ts;
}

/**
 * The value of `sum(f(...args))` and its gradient with respect to every argument (zeros where
 * unconnected); `grads` is one tensor when f takes one argument, an array otherwise.
 * @example
 * const { value, grads } = tg.valueAndGrad((x, y) => x.mul(y))(3, 4);
 * value; // 12
 * grads; // [4, 3]  (d/dx = y, d/dy = x)
 */
export function valueAndGrad<F extends Fn>(
  f: F,
): {
  (...args: FnArgs<F>): { value: Tensor; grads: FnGrads<F> };
  (...args: TensorLike[]): { value: Tensor; grads: Tensor | Tensor[] };
} {
  return (...args: TensorLike[]) => {
    const xs = inputs('valueAndGrad', args, f);
    const tape = new GradientTape();
    try {
      tape.watch(xs);
      const value = checkOutput('valueAndGrad', f(...xs));
      const grads = tape.gradient(value, xs, { unconnectedGradients: 'zero' }) as Tensor[];
      return { value, grads: oneOrMany(grads, xs.length) as FnGrads<F> & (Tensor | Tensor[]) };
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
export function grad<F extends Fn>(
  f: F,
): { (...args: FnArgs<F>): FnGrads<F>; (...args: TensorLike[]): Tensor | Tensor[] } {
  const vg: (...args: TensorLike[]) => { grads: Tensor | Tensor[] } = valueAndGrad(f);
  return (...args: TensorLike[]) => vg(...args).grads as FnGrads<F> & (Tensor | Tensor[]);
}

/**
 * The value of `f(...primals)` and a function giving the vector-Jacobian product for any upstream
 * gradient `dy` (one gradient per primal; one tensor for one primal).
 * @example
 * const { value, vjp } = tg.vjp((x) => x.square(), tg.tensor([1, 2]));
 * vjp(tg.tensor([1, 10])); // [2, 40]
 */
export function vjp<F extends Fn>(f: F, ...primals: FnArgs<F>): { value: Tensor; vjp: (dy: TensorLike) => FnGrads<F> };
export function vjp(f: Fn, ...primals: TensorLike[]): { value: Tensor; vjp: (dy: TensorLike) => Tensor | Tensor[] };
export function vjp(f: Fn, ...primals: TensorLike[]): { value: Tensor; vjp: (dy: TensorLike) => Tensor | Tensor[] } {
  const xs = inputs('vjp', primals, f);
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

/** A list of arguments: an array is the list, anything else (a tensor, a number) is one argument. */
function argumentList(x: TensorLike | readonly TensorLike[]): readonly TensorLike[] {
  return Array.isArray(x) ? (x as readonly TensorLike[]) : [x as TensorLike];
}

/**
 * The value of `f(...primals)` and its directional derivative along `tangents` (forward mode).
 * `primals` and `tangents` are lists of arguments, one tangent per primal; a bare tensor or number
 * is one argument.
 * @example
 * const { value, tangent } = tg.jvp((x) => x.square(), [3], [1]); // one argument, 3, with tangent 1
 * value; // 9
 * tangent; // 6  (2x)
 * tg.jvp((x, y) => x.mul(y), [2, 5], [1, 0]).tangent; // 5  (d(xy) along x)
 */
export function jvp(
  f: Fn,
  primals: TensorLike | readonly TensorLike[],
  tangents: TensorLike | readonly TensorLike[],
): { value: Tensor; tangent: Tensor } {
  const ps = inputs('jvp', argumentList(primals), f);
  const ts = argumentList(tangents);
  if (ts.length !== ps.length) {
    throw new TapeError(`jvp: ${ps.length} primals but ${ts.length} tangents; give one tangent per primal`);
  }
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
  return (...args: TensorLike[]) => {
    const [t] = inputs('jacobian', [oneArgument('jacobian', args)], f);
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

/** The gradient of f at t, taken on a tape inside whatever accumulators are active. */
function gradientAt(op: string, f: Fn, t: Tensor): Tensor | null {
  const tape = new GradientTape();
  try {
    tape.watch(t);
    return tape.gradient(checkOutput(op, f(t)), t);
  } finally {
    tape.dispose();
  }
}

/**
 * The Hessian-vector product H·v of a scalar function at x, forward over reverse: one gradient
 * pass under a forward accumulator, without forming H.
 * @example
 * tg.hvp((x) => x.pow(3).sum(), tg.tensor([1, 2]), tg.tensor([1, 0])); // [6, 0]
 */
export function hvp(f: Fn, x: TensorLike, v: TensorLike, ...extra: readonly never[]): Tensor {
  if (extra.length > 0) {
    throw new TapeError(
      `hvp: takes (f, x, v), one point x and one direction v, but ${3 + extra.length} arguments were given`,
    );
  }
  if (v === undefined) throw new TapeError('hvp: takes (f, x, v): the direction v is missing');
  const [t] = inputs('hvp', [x], f);
  const acc = new ForwardAccumulator(t, v);
  try {
    const g = gradientAt('hvp', f, t);
    return (g && acc.jvp(g)) ?? zerosLike(t);
  } finally {
    acc.dispose();
  }
}

/** Hessian rows pushed through one forward-over-reverse pass; more would hold that many tangents of every intermediate. */
const HESSIAN_BATCH = 128;

/**
 * The Hessian of a scalar function at x, shape `[...x.shape, ...x.shape]`: forward over reverse
 * (jacfwd of grad), with up to 128 basis tangents pushed through each pass together.
 * @example
 * tg.hessian((x) => x.pow(3).sum())(tg.tensor([1, 2])); // [[6, 0], [0, 12]]
 */
export function hessian(f: Fn): (x: TensorLike) => Tensor {
  return (...args: TensorLike[]) => {
    const [t] = inputs('hessian', [oneArgument('hessian', args)], f);
    const n = t.size;
    const basis = eye(n, t.dtype);
    const blocks: Tensor[] = [];
    for (let start = 0; start < n || blocks.length === 0; start += HESSIAN_BATCH) {
      const k = Math.min(HESSIAN_BATCH, n - start);
      const rows = k === n ? basis : stridedSlice(basis, [start, 0], [start + k, n]);
      // H is symmetric: the tangent of the gradient along e_i is row i
      const acc = ForwardAccumulator.batched(t, reshape(rows, [k, ...t.shape]), [k]);
      try {
        const g = gradientAt('hessian', f, t);
        blocks.push((g && acc.jvp(g)) ?? zerosLike(reshape(rows, [k, ...t.shape])));
      } finally {
        acc.dispose();
      }
      if (n === 0) break;
    }
    return reshape(blocks.length === 1 ? blocks[0] : concat(blocks, 0), [...t.shape, ...t.shape]);
  };
}
