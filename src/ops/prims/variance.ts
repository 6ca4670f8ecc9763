// The population variance over adjacent axes as one primitive (the variance of tg.moments, tg.variance
// and tg.std), its values bit for bit those of mean((x − mean(x))²), and its backward pass as another,
// TF's (2·dy/n)·(x − mean(x)) in one pass instead of eight ops. Both are differentiable to any order:
// the mean is not held constant (see composite/moments.ts).
import { allocate } from '../../core/dtype';
import { sizeOf } from '../../core/shape';
import type { Shape } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import { varianceGradKernel, varianceKernel } from '../../kernels/moments';
import type { Primitive } from '../primitive';
import { definePrimitive } from '../primitive';
import { div, mul, sub } from './binary';
import { sum } from './reduce';
import { reshape } from './shape';
import { shiftAxes, sumTerms } from './tangents';

interface VarianceAttrs {
  /** The reduced axes: adjacent, ascending, at least one. */
  axes: number[];
  keepDims: boolean;
}

/** x seen as [outer, n, inner] around the adjacent axes. */
function extents(shape: Shape, axes: readonly number[]): [number, number, number] {
  const first = axes[0];
  const last = axes[axes.length - 1];
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

/** The shape with the axes kept as 1 (keepDims), or dropped. */
function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  return shape.flatMap((d, i) => (axes.includes(i) ? (keepDims ? [1] : []) : [d]));
}

/** mean(x) over the axes (shifted past `b` batch axes), kept: sum, then divided by the count. */
function meanKept(x: Tensor, axes: readonly number[], b: number, n: number): Tensor {
  return div(sum(x, shiftAxes(axes, b), true), n);
}

/**
 * (2·g/n)·(x − mean(x)) over adjacent axes, g with the axes kept as 1. Its own derivatives, exact
 * (the mean moves with x): d/dg = Σ h·(x − mean(x))·2/n, d/dx = (h − mean(h))·g·2/n.
 */
const varianceGradP: Primitive<VarianceAttrs> = definePrimitive<VarianceAttrs>({
  name: 'varianceGrad',
  forward: ([x, g], { axes }) => {
    const [outer, n, inner] = extents(x.shape, axes);
    const out = allocate(x.dtype, x.size);
    varianceGradKernel(x.values, g.values, outer, n, inner, out);
    return new Tensor(out, x.shape, x.dtype);
  },
  vjp: (h, [x, g], _out, { axes }, needs) => {
    const n = extents(x.shape, axes)[1];
    return [
      needs[0] ? mul(mul(sub(h, meanKept(h, axes, 0, n)), g), 2 / n) : null,
      needs[1] ? mul(sum(mul(h, sub(x, meanKept(x, axes, 0, n))), axes, true), 2 / n) : null,
    ];
  },
  // d out = 2/n·(t_g·(x − mean(x)) + g·(t_x − mean(t_x)))
  jvp: ([tx, tg], [x, g], out, { axes }, batch) => {
    const n = extents(x.shape, axes)[1];
    const b = batch.length;
    const terms = [tg && mul(tg, sub(x, meanKept(x, axes, 0, n))), tx && mul(sub(tx, meanKept(tx, axes, b, n)), g)];
    const total = sumTerms(terms, batch, out);
    return total === null ? null : mul(total, 2 / n);
  },
});

/** The variance's backward pass over adjacent `axes`: g (the variance's shape, kept or not) spread over x. */
export function varianceGrad(x: Tensor, g: Tensor, axes: number[]): Tensor {
  return varianceGradP.run([x, reshape(g, reducedShape(x.shape, axes, true))], { axes, keepDims: true });
}

const varianceP: Primitive<VarianceAttrs> = definePrimitive<VarianceAttrs>({
  name: 'variance',
  forward: ([x], { axes, keepDims }) => {
    const [outer, n, inner] = extents(x.shape, axes);
    const out = allocate(x.dtype, outer * inner);
    varianceKernel(x.values, outer, n, inner, out);
    return new Tensor(out, reducedShape(x.shape, axes, keepDims), x.dtype);
  },
  // NOTE: TF's gradient of reduce_variance, (2·dy/n)·(x − mean(x)), in one pass (varianceGrad)
  vjp: (dy, [x], _y, { axes }) => [varianceGrad(x, dy, axes)],
  // d var = Σ t·(x − mean(x))·2/n
  jvp: ([t], [x], _y, { axes, keepDims }, batch) => {
    const n = extents(x.shape, axes)[1];
    return mul(sum(mul(t!, sub(x, meanKept(x, axes, 0, n))), shiftAxes(axes, batch.length), keepDims), 2 / n);
  },
});

/**
 * The population variance of a float tensor over `axes` (normalised, ascending) by the fused primitive
 * where the axes are adjacent and not empty, else null (the caller then composes the ops).
 */
export function fusedVariance(x: Tensor, axes: readonly number[], keepDims: boolean): Tensor | null {
  if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1] + 1)) return null;
  if (sizeOf(axes.map((a) => x.shape[a])) === 0) return null;
  return varianceP.run([x], { axes: axes.slice(), keepDims });
}
