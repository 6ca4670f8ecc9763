// Internal scan primitive (not a public op): the linear recurrence z = a·z_prev + b along the last
// axis, forward or reverse, and the exclusive cumulative products built from it for prod's rules.
import { allocate } from '../../core/dtype';
import { ShapeError } from '../../core/errors';
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
}

/** z shifted one place along its last axis, a zero coming in: `toward` 'later' gives z[i-1] at i, 'earlier' z[i+1] at i. */
function shift(z: Tensor, toward: 'later' | 'earlier'): Tensor {
  const r = z.rank;
  const n = z.shape[r - 1];
  if (z.size === 0) return z;
  const kept = stridedSliceNormalized(z, {
    begin: z.shape.map((_, i) => (i === r - 1 && toward === 'earlier' ? 1 : 0)),
    strides: z.shape.map(() => 1),
    size: z.shape.map((d, i) => (i === r - 1 ? n - 1 : d)),
  });
  return pad(
    kept,
    z.shape.map((_, i): [number, number] => (i !== r - 1 ? [0, 0] : toward === 'later' ? [1, 0] : [0, 1])),
  );
}

/** z[i-1] at i, 0 at the first place of the last axis. */
const previous = (z: Tensor): Tensor => shift(z, 'later');
/** z[i+1] at i, 0 at the last place of the last axis. */
const next = (z: Tensor): Tensor => shift(z, 'earlier');

/**
 * Along the last axis, forward: z[0] = b[0], z[i] = a[i]·z[i-1] + b[i]; reverse: z[n-1] = b[n-1],
 * z[i] = a[i+1]·z[i+1] + b[i] (a[0] is never read). z = M(a)·b with M[i][j] = Π_{j<k≤i} a[k], and
 * the reverse scan with the same a is Mᵀ: each direction's gradient is the other direction.
 */
const linearScanP: Primitive<ScanAttrs> = definePrimitive<ScanAttrs>({
  name: 'linearScan',
  forward: ([a, b], { reverse }) => {
    requireFloat('linearScan', a);
    requireSameShapeAndDType('linearScan', a, b);
    if (a.rank === 0) throw new ShapeError('linearScan: expected a tensor of rank 1 or more, got a scalar');
    const n = a.shape[a.rank - 1];
    const out = allocate(a.dtype, a.size);
    linearScanKernel(a.values, b.values, n === 0 ? 0 : a.size / n, n, reverse, out);
    return new Tensor(out, a.shape, a.dtype);
  },
  // forward: gb = Mᵀg = reverse scan(a, g); a[i] enters as a[i]·z[i-1], so ga = previous(z)·gb
  // reverse: gb = forward scan(a, g); a[i] enters as a[i]·z[i] into place i-1, so ga = z·previous(gb)
  vjp: (g, [a], z, { reverse }, needs) => {
    const gb = linearScanP.run([a, g], { reverse: !reverse });
    const ga = needs[0] ? (reverse ? mul(z, previous(gb)) : mul(previous(z), gb)) : null;
    return [ga, needs[1] ? gb : null];
  },
  // forward: dz = scan(a, da·previous(z) + db); reverse: dz = reverse scan(a, next(da·z) + db)
  jvp: ([ta, tb], [a], z, { reverse }, batch) => {
    const fromA = ta && (reverse ? next(mul(ta, z)) : mul(ta, previous(z)));
    const source = sumTerms([fromA, tb], batch, z)!;
    const coefficients = batch.length === 0 ? a : broadcastTo(a, source.shape);
    return linearScanP.run([coefficients, source], { reverse });
  },
});

/**
 * @internal The linear recurrence along the last axis of two same-shape float tensors: forward
 * z[i] = a[i]·z[i-1] + b[i] from z[0] = b[0], reverse z[i] = a[i+1]·z[i+1] + b[i] from z[n-1] = b[n-1].
 * For example a = [0, 2, 3], b = [1, 1, 1] gives [1, 3, 10] forward (1, 2·1 + 1, 3·3 + 1).
 */
export function linearScan(a: Tensor, b: Tensor, reverse: boolean): Tensor {
  return linearScanP.run([a, b], { reverse });
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
  return linearScanP.run([reverse ? x : previous(x), b], { reverse });
}
