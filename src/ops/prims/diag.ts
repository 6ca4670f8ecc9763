// Diagonal primitives: diagPart reads a generalised diagonal (axes grouped, each group walked with one
// index, as einsum's 'ii->i' or matrix_diag_part), diagPlace writes one into zeros (matrix_diag, 'i->ii').
// The two are adjoint, so each one's gradient is the other.
import { allocate } from '../../core/dtype';
import type { Shape } from '../../core/shape';
import { sizeOf, stridesOf } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import { gatherAt, offsets, putAt } from '../../kernels/offsets';
import { definePrimitive } from '../primitive';
import type { Primitive } from '../primitive';
import { linear } from './tangents';

/**
 * A diagonal of a "full" tensor: `groups[k]` lists the full axes walked together by axis k of the
 * diagonal (every full axis in exactly one group); axis k has the smallest size of its group.
 */
export interface DiagAttrs {
  fullShape: Shape;
  groups: number[][];
}

/** The shape of the diagonal. */
export function diagShape({ fullShape, groups }: DiagAttrs): number[] {
  return groups.map((g) => Math.min(...g.map((a) => fullShape[a])));
}

/** The flat offsets into the full tensor of every element of the diagonal. */
function diagOffsets(attrs: DiagAttrs): Int32Array {
  const strides = stridesOf(attrs.fullShape);
  return offsets(
    diagShape(attrs),
    attrs.groups.map((g) => g.reduce((s, a) => s + strides[a], 0)),
  );
}

/** The attributes for a tangent with `b` leading batch axes: each batch axis a group of its own. */
function batched(attrs: DiagAttrs, batch: Shape): DiagAttrs {
  const b = batch.length;
  if (b === 0) return attrs;
  return {
    fullShape: [...batch, ...attrs.fullShape],
    groups: [...batch.map((_, i) => [i]), ...attrs.groups.map((g) => g.map((a) => a + b))],
  };
}

const diagPartP: Primitive<DiagAttrs> = definePrimitive<DiagAttrs>({
  name: 'diagPart',
  forward: ([x], attrs) => {
    const shape = diagShape(attrs);
    const out = allocate(x.dtype, sizeOf(shape));
    gatherAt(x.values, diagOffsets(attrs), out);
    return new Tensor(out, shape, x.dtype);
  },
  // linear: the gradient puts dy back on the diagonal of zeros (TF's MatrixDiagPart gradient is matrix_diag)
  vjp: (dy, _x, _y, attrs) => [diagPlaceP.run([dy], attrs)],
  jvp: linear((t, attrs, batch) => diagPartP.run([t], batched(attrs, batch))),
});

const diagPlaceP: Primitive<DiagAttrs> = definePrimitive<DiagAttrs>({
  name: 'diagPlace',
  forward: ([d], attrs) => {
    const out = allocate(d.dtype, sizeOf(attrs.fullShape));
    putAt(d.values, diagOffsets(attrs), out);
    return new Tensor(out, attrs.fullShape, d.dtype);
  },
  // linear, the adjoint of diagPart: the gradient reads the diagonal of dy (TF's MatrixDiag gradient)
  vjp: (dy, _d, _y, attrs) => [diagPartP.run([dy], attrs)],
  jvp: linear((t, attrs, batch) => diagPlaceP.run([t], batched(attrs, batch))),
});

/** @internal The diagonal of `x` along grouped axes (validated by the caller). */
export function diagPartOf(x: Tensor, groups: number[][]): Tensor {
  return diagPartP.run([x], { fullShape: x.shape.slice(), groups });
}

/** @internal `d` written on the diagonal of zeros of `fullShape` (validated by the caller). */
export function diagPlaceOf(d: Tensor, fullShape: Shape, groups: number[][]): Tensor {
  return diagPlaceP.run([d], { fullShape: fullShape.slice(), groups });
}
