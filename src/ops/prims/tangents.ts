// Tools for tangent rules: fitting a tangent to its output's shape (the forward-mode twin of
// sumToShape), the zero tangent, and the combinators that make most rules one line.
import type { Shape } from '../../core/shape';
import { sameShape } from '../../core/shape';
import type { Tensor } from '../../core/tensor';
import { zeros } from '../create';
import type { JvpRule, VjpRule } from '../primitive';
import { add, mul } from './binary';
import { broadcastTo, reshape } from './shape';

/**
 * A tangent `[...batch, ...s]` with size-1 axes inserted after the batch axes so that it has
 * `rank` axes past them: then it broadcasts against anything of that rank as its primal would.
 * Without batch axes broadcasting needs no help, and the tangent comes back as it is.
 */
export function lift(t: Tensor, batch: Shape, rank: number): Tensor {
  const b = batch.length;
  const missing = rank - (t.rank - b);
  if (b === 0 || missing <= 0) return t;
  return reshape(t, [...t.shape.slice(0, b), ...new Array<number>(missing).fill(1), ...t.shape.slice(b)]);
}

/** A tangent broadcast to `[...batch, ...shape]`: an input's tangent seen as the output's. */
export function fit(t: Tensor, batch: Shape, shape: Shape): Tensor {
  const target = [...batch, ...shape];
  if (sameShape(t.shape, target)) return t;
  return broadcastTo(lift(t, batch, shape.length), target);
}

/** The zero tangent of `x`: connected, but nothing flows (the derivative is 0 everywhere). */
export function zeroTangent(x: Tensor, batch: Shape): Tensor {
  return zeros([...batch, ...x.shape], x.dtype);
}

/**
 * The sum of the terms that exist, fitted to the output; `null` when none does. Each term is lifted
 * to the output's rank first: with batch axes, terms from inputs of different ranks would otherwise
 * line a batch axis up with a primal one.
 */
export function sumTerms(terms: readonly (Tensor | null)[], batch: Shape, output: Tensor): Tensor | null {
  let total: Tensor | null = null;
  for (const t of terms) {
    if (t === null) continue;
    const term = lift(t, batch, output.rank);
    total = total === null ? term : add(total, term);
  }
  return total === null ? null : fit(total, batch, output.shape);
}

/** Elementwise f with f' known: d f(x) = f'(x)·dx. `derivative` gets the input and the output. */
export function elementwise<A>(derivative: (x: Tensor, y: Tensor, attrs: A) => Tensor): JvpRule<A> {
  return ([t], [x], y, attrs) => mul(t!, derivative(x, y, attrs));
}

/**
 * A one-input op linear in its input (reshape, transpose, slices, sums …): the tangent is the op
 * itself applied to the tangent, with the batch axes passed through. `apply` gets how many leading
 * batch axes the tangent has, and the batch shape.
 */
export function linear<A>(apply: (t: Tensor, attrs: A, batch: Shape, input: Tensor) => Tensor): JvpRule<A> {
  return ([t], [x], _y, attrs, batch) => apply(t!, attrs, batch, x);
}

/** The axes of a primal shifted past `b` leading batch axes. */
export function shiftAxes(axes: readonly number[], b: number): number[] {
  return b === 0 ? axes.slice() : axes.map((a) => a + b);
}

/**
 * Both rules of an elementwise op from one function: its Jacobian is diagonal, so the gradient
 * and the tangent are the same product `scale(g) = f'(x)·g`, with g the upstream gradient `dy`
 * or the tangent `dx` (which may carry leading batch axes: scale must broadcast).
 */
export function diagonal<A>(scale: (g: Tensor, x: Tensor, y: Tensor, attrs: A) => Tensor): {
  vjp: VjpRule<A>;
  jvp: JvpRule<A>;
} {
  return {
    vjp: (dy, [x], y, attrs) => [scale(dy, x, y, attrs)],
    jvp: ([t], [x], y, attrs) => scale(t!, x, y, attrs),
  };
}
