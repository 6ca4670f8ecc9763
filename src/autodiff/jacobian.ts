// Jacobians on a tape: one backward walk per element of the target (or per element of a batch
// row), each seeded with a one-hot upstream gradient, stacked into the Jacobian's shape.
import { isFloat } from '../core/dtype';
import type { Tensor } from '../core/tensor';
import { broadcastTo, oneHot, reshape } from '../ops/prims/shape';
import { zeros } from '../ops/create';
import { stack } from '../ops/composite/shape';
import type { Source } from './structure';

/** What an unconnected source gets: `null` (default) or zeros. */
type Unconnected = 'none' | 'zero' | undefined;

/** Walks the tape once per seed; row k holds the gradient of every source for seed k. */
export type SeededWalk = (seeds: readonly Tensor[]) => (Tensor | null)[][];

/**
 * The Jacobian of `t` with respect to each source, shape `[...t.shape, ...source.shape]`: row i
 * is the gradient of the i-th element of t.
 */
export function jacobianOf(
  t: Tensor,
  srcs: readonly Source[],
  walk: SeededWalk,
  unconnected: Unconnected,
): (Tensor | null)[] {
  const seeds = Array.from({ length: t.size }, (_, i) => reshape(oneHot([i], t.size, 1, 0, t.dtype), t.shape));
  const rows = walk(seeds);
  return srcs.map((s, k) =>
    assemble(
      rows.map((r) => r[k]),
      s,
      unconnected,
      (g) => reshape(g, [...t.shape, ...s.shape]),
    ),
  );
}

/**
 * For batch rows that do not interact: the Jacobian of each row, `[B, ...tRest, ...sRest]`. One
 * walk per element of a row, seeded with that element in every row at once.
 */
export function batchJacobianOf(t: Tensor, s: Source, walk: SeededWalk, unconnected: Unconnected): Tensor {
  const batch = t.shape[0];
  const rest = t.size / Math.max(batch, 1);
  const seeds = Array.from({ length: rest }, (_, j) =>
    reshape(broadcastTo(oneHot([j], rest, 1, 0, t.dtype), [batch, rest]), t.shape),
  );
  const rows = walk(seeds).map((r) => r[0]);
  const shape = [batch, ...t.shape.slice(1), ...s.shape.slice(1)];
  // as TF (backprop.py batch_jacobian: `if output is None: output = array_ops.zeros(new_shape)`):
  // an unconnected source gets zeros, never None, whatever unconnectedGradients says.
  // NOTE: TF's zeros there are float32 whatever the dtypes; here a float64 source keeps float64.
  if (unconnected !== 'zero' && rows.every((r) => r === null))
    return zeros(shape, isFloat(s.dtype) ? s.dtype : 'float32');
  return assemble(rows, s, 'zero', (g) => reshape(g, shape), 1) as Tensor;
}

/** Stacks per-row gradients (zeros for unconnected rows), or null when no row is connected. */
function assemble(
  rows: (Tensor | null)[],
  s: Source,
  unconnected: Unconnected,
  shape: (g: Tensor) => Tensor,
  axis = 0,
): Tensor | null {
  if (rows.every((r) => r === null) && unconnected !== 'zero') return null;
  if (rows.length === 0) return shape(zeros([0, ...s.shape], s.dtype));
  const zero = zeros(s.shape, s.dtype);
  return shape(
    stack(
      rows.map((r) => r ?? zero),
      axis,
    ),
  );
}
