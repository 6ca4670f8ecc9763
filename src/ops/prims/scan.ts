// Internal scan primitive (not a public op): the linear recurrence z = a·z_prev + b along one axis,
// forward or reverse, the exclusive cumulative products built from it for prod's rules, and the
// one-place shifts along an axis that the rules of scans are written with.
import { allocate } from '../../core/dtype';
import { ShapeError } from '../../core/errors';
import { sizeOf } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import { linearScanKernel } from '../../kernels/scan';
import type { Primitive } from '../primitive';
import { definePrimitive } from '../primitive';
import { requireFloat, requireSameShapeAndDType } from '../operands';
import { mul } from './binary';
import { broadcastTo, pad, stridedSliceNormalized } from './shape';
import { sumTerms } from './tangents';

interface ScanAttrs {
  reverse: boolean;
  /** The scanned axis, non-negative. */
  axis: number;
}

/**
 * @internal The places `from` to `from + count` of z along `axis` (a slice along one axis).
 * For example along axis 0 of [1, 2, 3], from 1 count 2 gives [2, 3].
 */
export function sliceAlong(z: Tensor, axis: number, from: number, count: number): Tensor {
  return stridedSliceNormalized(z, {
    begin: z.shape.map((_, i) => (i === axis ? from : 0)),
    strides: z.shape.map(() => 1),
    size: z.shape.map((d, i) => (i === axis ? count : d)),
  });
}

/** @internal z padded along `axis` with `before` zeros in front and `after` behind. */
export function padAlong(z: Tensor, axis: number, before: number, after: number): Tensor {
  return pad(
    z,
    z.shape.map((_, i): [number, number] => (i === axis ? [before, after] : [0, 0])),
  );
}

/**
 * @internal z[i-1] at place i along `axis` (default the last), 0 at the first place: z shifted one
 * place later. For example [1, 2, 3] gives [0, 1, 2]. The adjoint of `next`.
 */
export function previous(z: Tensor, axis = z.rank - 1): Tensor {
  const n = z.shape[axis];
  if (z.size === 0) return z;
  return padAlong(sliceAlong(z, axis, 0, n - 1), axis, 1, 0);
}

/**
 * @internal z[i+1] at place i along `axis` (default the last), 0 at the last place: z shifted one
 * place earlier. For example [1, 2, 3] gives [2, 3, 0]. The adjoint of `previous`.
 */
export function next(z: Tensor, axis = z.rank - 1): Tensor {
  const n = z.shape[axis];
  if (z.size === 0) return z;
  return padAlong(sliceAlong(z, axis, 1, n - 1), axis, 0, 1);
}

/** [outer, n, inner] around `axis`. */
function view(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/**
 * Along `axis`, forward: z[0] = b[0], z[i] = a[i]·z[i-1] + b[i]; reverse: z[n-1] = b[n-1],
 * z[i] = a[i+1]·z[i+1] + b[i] (a[0] is never read). z = M(a)·b with M[i][j] = Π_{j<k≤i} a[k], and
 * the reverse scan with the same a is Mᵀ: each direction's gradient is the other direction.
 */
const linearScanP: Primitive<ScanAttrs> = definePrimitive<ScanAttrs>({
  name: 'linearScan',
  forward: ([a, b], { reverse, axis }) => {
    requireFloat('linearScan', a);
    requireSameShapeAndDType('linearScan', a, b);
    if (a.rank === 0) throw new ShapeError('linearScan: expected a tensor of rank 1 or more, got a scalar');
    const out = allocate(a.dtype, a.size);
    const [outer, n, inner] = view(a.shape, axis);
    linearScanKernel(a.values, b.values, outer, n, inner, reverse, out);
    return new Tensor(out, a.shape, a.dtype);
  },
  // forward: gb = Mᵀg = reverse scan(a, g); a[i] enters as a[i]·z[i-1], so ga = previous(z)·gb
  // reverse: gb = forward scan(a, g); a[i] enters as a[i]·z[i] into place i-1, so ga = z·previous(gb)
  vjp: (g, [a], z, { reverse, axis }, needs) => {
    const gb = linearScanP.run([a, g], { reverse: !reverse, axis });
    const ga = needs[0] ? (reverse ? mul(z, previous(gb, axis)) : mul(previous(z, axis), gb)) : null;
    return [ga, needs[1] ? gb : null];
  },
  // forward: dz = scan(a, da·previous(z) + db); reverse: dz = reverse scan(a, next(da·z) + db)
  jvp: ([ta, tb], [a], z, { reverse, axis }, batch) => {
    const at = axis + batch.length;
    const fromA = ta && (reverse ? next(mul(ta, z), at) : mul(ta, previous(z, axis)));
    const source = sumTerms([fromA, tb], batch, z)!;
    const coefficients = batch.length === 0 ? a : broadcastTo(a, source.shape);
    return linearScanP.run([coefficients, source], { reverse, axis: at });
  },
});

/**
 * @internal The linear recurrence along `axis` (default the last) of two same-shape float tensors:
 * forward z[i] = a[i]·z[i-1] + b[i] from z[0] = b[0], reverse z[i] = a[i+1]·z[i+1] + b[i] from
 * z[n-1] = b[n-1]. For example a = [0, 2, 3], b = [1, 1, 1] gives [1, 3, 10] forward (1, 2·1 + 1, 3·3 + 1).
 */
export function linearScan(a: Tensor, b: Tensor, reverse: boolean, axis = a.rank - 1): Tensor {
  return linearScanP.run([a, b], { reverse, axis });
}

/**
 * @internal Exclusive cumulative products along the last axis, as TF's `cumprod(x, exclusive=True,
 * reverse)`: forward out[i] = x[0]·…·x[i-1], reverse out[i] = x[i+1]·…·x[n-1] (an empty product is 1),
 * multiplied one factor at a time from the start (or the end), with no division, so exact at zeros.
 * For example [2, 3, 4] gives [1, 2, 6] forward and [12, 4, 1] reverse.
 */
export function exclusiveCumprod(x: Tensor, reverse: boolean): Tensor {
  if (x.size === 0) return x;
  const n = x.shape[x.rank - 1];
  // b = 1 at the scan's first place of every row (the empty product), 0 elsewhere: a constant
  const start = allocate(x.dtype, x.size);
  for (let i = reverse ? n - 1 : 0; i < x.size; i += n) start[i] = 1;
  const b = new Tensor(start, x.shape, x.dtype);
  // forward: z[i] = x[i-1]·z[i-1], so a = previous(x); reverse: z[i] = x[i+1]·z[i+1], so a = x
  return linearScanP.run([reverse ? x : previous(x), b], { reverse, axis: x.rank - 1 });
}
