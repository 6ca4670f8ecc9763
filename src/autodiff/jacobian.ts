// Jacobians on a tape: one forward walk carrying a batch of tangents, one per source element
// (jacobian_forward.ts), where it can and costs less; otherwise one backward walk per element of
// the target (or per element of a batch row), each seeded with a one-hot upstream gradient,
// stacked into the Jacobian's shape.
import { isFloat } from '../core/dtype';
import type { OpRecord } from '../core/recording';
import type { Tensor } from '../core/tensor';
import { broadcastTo, oneHot, reshape } from '../ops/prims/shape';
import { zeros } from '../ops/create';
import { stack } from '../ops/composite/shape';
import type { Source } from './structure';
import { forwardBatchJacobian, forwardJacobian } from './jacobian_forward';
import type { WalkSource } from './jacobian_forward';

/** What an unconnected source gets: `null` (default) or zeros. */
type Unconnected = 'none' | 'zero' | undefined;

/** Walks the tape once per seed; row k holds the gradient of every source for seed k. */
export type SeededWalk = (srcs: readonly Source[], seeds: readonly Tensor[]) => (Tensor | null)[][];

/** What the Jacobians need of a tape (all within one use of it). */
export interface JacobianTape {
  /** The recorded ops, in execution order. */
  readonly records: readonly OpRecord[];
  /** The tensor ids that stand for a source (none when it cannot get a gradient). */
  sourceIds(s: Source): readonly number[];
  /** The reverse walks. */
  readonly walk: SeededWalk;
  /** Told when a source gets no gradient (a non-persistent tape then keeps its records, for explain()). */
  sawNull(): void;
}

function walkSource(tape: JacobianTape, s: Source): WalkSource {
  return { ids: tape.sourceIds(s), shape: s.shape, dtype: s.dtype };
}

/**
 * The Jacobian of `t` with respect to each source, shape `[...t.shape, ...source.shape]`: row i
 * is the gradient of the i-th element of t. One forward walk (in chunks) where it can, else one
 * reverse walk per element of t.
 */
export function jacobianOf(
  t: Tensor,
  srcs: readonly Source[],
  tape: JacobianTape,
  unconnected: Unconnected,
): (Tensor | null)[] {
  const forward = forwardJacobian(
    tape.records,
    t,
    srcs.map((s) => walkSource(tape, s)),
  );
  if (forward !== null && forward.every((j) => j === null || allFinite(j))) {
    return forward.map((j, k) => {
      if (j !== null) return j;
      tape.sawNull();
      return unconnected === 'zero' ? zeros([...t.shape, ...srcs[k].shape], srcs[k].dtype) : null;
    });
  }
  const seeds = Array.from({ length: t.size }, (_, i) => reshape(oneHot([i], t.size, 1, 0, t.dtype), t.shape));
  const rows = tape.walk(srcs, seeds);
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
 * forward walk whose tangent j is e_j in every source row at once, where it can; else one reverse
 * walk per element of a target row, seeded with that element in every row at once.
 */
export function batchJacobianOf(t: Tensor, s: Source, tape: JacobianTape, unconnected: Unconnected): Tensor {
  const shape = [t.shape[0], ...t.shape.slice(1), ...s.shape.slice(1)];
  const forward = forwardBatchJacobian(tape.records, t, walkSource(tape, s));
  if (forward === 'unconnected') tape.sawNull();
  if (forward !== null && forward !== 'unconnected' && allFinite(forward)) return forward;
  // as TF (backprop.py batch_jacobian: `if output is None: output = array_ops.zeros(new_shape)`):
  // an unconnected source gets zeros, never None, whatever unconnectedGradients says.
  // NOTE: TF's zeros there are float32 whatever the dtypes; here a float64 source keeps float64.
  // (with 'zero', an int source's zeros are int32, as assemble() makes them below)
  if (forward === 'unconnected') return zeros(shape, isFloat(s.dtype) || unconnected === 'zero' ? s.dtype : 'float32');
  const batch = t.shape[0];
  const rest = t.size / Math.max(batch, 1);
  const seeds = Array.from({ length: rest }, (_, j) =>
    reshape(broadcastTo(oneHot([j], rest, 1, 0, t.dtype), [batch, rest]), t.shape),
  );
  const rows = tape.walk([s], seeds).map((r) => r[0]);
  if (unconnected !== 'zero' && rows.every((r) => r === null))
    return zeros(shape, isFloat(s.dtype) ? s.dtype : 'float32');
  return assemble(rows, s, 'zero', (g) => reshape(g, shape), 1) as Tensor;
}

/**
 * True when every element is finite. A forward Jacobian that is not is done again by the reverse
 * walks: where a derivative is infinite, 0·∞ gives NaN in other entries forward (the element's
 * row) than backward (its column), and guarded gradients (sqrt's: 0 where dy is) have unguarded
 * tangents; the reverse walks give TF's entries.
 */
function allFinite(t: Tensor): boolean {
  const v = t.values;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
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
