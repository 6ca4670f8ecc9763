// softmax as one primitive (TF's Softmax op): one kernel for the forward pass, the values bit for bit
// those of exp(x − max) / sum, and TF's SoftmaxGrad, (dy − Σ dy·y)·y, as another for the backward pass.
import { allocate } from '../../core/dtype';
import { sizeOf } from '../../core/shape';
import type { Shape } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import { softmaxGradKernel, softmaxKernel } from '../../kernels/softmax';
import type { Primitive } from '../primitive';
import { definePrimitive } from '../primitive';
import { requireFloat, requireSameShapeAndDType } from '../operands';
import { mul, sub } from './binary';
import { sum } from './reduce';
import { sumTerms } from './tangents';

/** The line of `axis` in a tensor of `shape`: [outer, n, inner]. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/**
 * (g − Σ g·y)·y along `axis` (kept) with the ops, for g of y's shape or with leading batch axes (y
 * broadcasts against them): softmax's Jacobian diag(y) − y yᵀ applied to g (it is symmetric, so this is
 * the gradient and the tangent alike).
 */
function softmaxScaleOps(g: Tensor, y: Tensor, axis: number): Tensor {
  const a = axis + (g.rank - y.rank);
  return mul(sub(g, sum(mul(g, y), a, true)), y);
}

/**
 * TF's SoftmaxGrad, (dy − Σ dy·y)·y along the axis, in one pass, bit for bit the four ops. Its own
 * derivatives: linear in dy (softmaxGrad again: the Jacobian is symmetric), and for y,
 * h·(dy − Σ dy·y) − dy·Σ h·y.
 */
const softmaxGradP: Primitive<{ axis: number }> = definePrimitive<{ axis: number }>({
  name: 'softmaxGrad',
  forward: ([y, dy], { axis }) => {
    requireFloat('softmaxGrad', y);
    requireSameShapeAndDType('softmaxGrad', y, dy);
    const out = allocate(y.dtype, y.size);
    softmaxGradKernel(y.values, dy.values, ...around(y.shape, axis), out);
    return new Tensor(out, y.shape, y.dtype);
  },
  vjp: (h, [y, dy], _out, { axis }, needs) => [
    needs[0] ? sub(mul(h, sub(dy, sum(mul(dy, y), axis, true))), mul(dy, sum(mul(h, y), axis, true))) : null,
    needs[1] ? softmaxScale(h, y, axis) : null,
  ],
  // d out = t_y·(dy − Σ dy·y) − y·Σ dy·t_y + softmaxGrad(y, t_dy)
  jvp: ([ty, tdy], [y, dy], out, { axis }, batch) => {
    const a = axis + batch.length;
    return sumTerms(
      [
        ty && sub(mul(ty, sub(dy, sum(mul(dy, y), axis, true))), mul(y, sum(mul(dy, ty), a, true))),
        tdy && softmaxScale(tdy, y, axis),
      ],
      batch,
      out,
    );
  },
});

/** TF's SoftmaxGrad, (dy − Σ dy·y)·y along the normalised `axis`, for same-shape float y and dy. */
export function softmaxGrad(y: Tensor, dy: Tensor, axis: number): Tensor {
  return softmaxGradP.run([y, dy], { axis });
}

/** (g − Σ g·y)·y along `axis`: the fused kernel where g has y's shape, the ops where it carries batch axes. */
function softmaxScale(g: Tensor, y: Tensor, axis: number): Tensor {
  return g.rank === y.rank ? softmaxGrad(y, g, axis) : softmaxScaleOps(g, y, axis);
}

const softmaxP: Primitive<{ axis: number }> = definePrimitive<{ axis: number }>({
  name: 'softmax',
  forward: ([x], { axis }) => {
    requireFloat('softmax', x);
    const out = allocate(x.dtype, x.size);
    softmaxKernel(x.values, ...around(x.shape, axis), out);
    return new Tensor(out, x.shape, x.dtype);
  },
  // NOTE: TF's _SoftmaxGrad, (dy − sum(dy·y, axis))·y in one pass (softmaxGrad); the same as
  // differentiating exp(x − max) / sum up to rounding
  vjp: (dy, _x, y, { axis }) => [softmaxScale(dy, y, axis)],
  jvp: ([t], _x, y, { axis }) => softmaxScale(t!, y, axis),
});

/** softmax of a float tensor along a normalised axis (the public softmax checks its arguments first). */
export function softmaxFloat(x: Tensor, axis: number): Tensor {
  return softmaxP.run([x], { axis });
}
