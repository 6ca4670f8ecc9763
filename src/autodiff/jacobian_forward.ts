// The vectorised Jacobian: one forward walk over a tape's records carries a batch of tangents, one
// per column of the Jacobian (a basis vector of the sources), through every recorded op's tangent
// rule at once — where the reverse walk would run once per element of the target. Both walks are
// exact and use adjoint rules, so they give the same Jacobian to rounding.
import { allocate, isFloat } from '../core/dtype';
import type { DType } from '../core/dtype';
import { TapeError } from '../core/errors';
import type { OpRecord } from '../core/recording';
import type { Shape } from '../core/shape';
import { fmtShape, sameShape, sizeOf } from '../core/shape';
import { Tensor } from '../core/tensor';
import { add } from '../ops/prims/binary';
import { cast } from '../ops/prims/cast';
import { concat, reshape, stridedSliceNormalized, transpose } from '../ops/prims/shape';
import { zeros } from '../ops/create';
import { inRuleOf, numerics, primitives } from '../ops/primitive';

/** A source as the walk sees it: the tensor ids that stand for it (a variable's every read), shape and dtype. */
export interface WalkSource {
  readonly ids: readonly number[];
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Go forward when the columns (source elements) are at most this many times the rows (target
 * elements), each of which the reverse way is a walk of its own. Measured (docs/design.md): at 1
 * the forward walk wins on elementwise chains, matrix-vector products and W5 (2–20×); at 2 it
 * still wins on elementwise chains but loses on matrix-vector products, whose batched tangent
 * rule is one small product per column.
 */
const FORWARD_RATIO = 1;

/**
 * The most tangent elements one walk holds for its largest tensor (columns × elements): more
 * columns are split into chunks, each a walk of its own. 2^20 float32 elements are 4 MB.
 */
const TANGENT_BUDGET = 1 << 20;

/**
 * The records the target depends on through a path from the sources, in execution order: those on
 * a path from a source whose output the target (or a later such record) reads.
 */
export function pathToTarget(
  records: readonly OpRecord[],
  sourceIds: ReadonlySet<number>,
  targetId: number,
): OpRecord[] {
  const reached = new Set<number>(sourceIds);
  const onPath: OpRecord[] = [];
  for (let k = 0; k < records.length; k++) {
    const r = records[k];
    for (let i = 0; i < r.inputs.length; i++) {
      if (reached.has(r.inputs[i].id)) {
        onPath.push(r);
        reached.add(r.output.id);
        break;
      }
    }
  }
  const needed = new Set<number>([targetId]);
  const path: OpRecord[] = [];
  for (let k = onPath.length - 1; k >= 0; k--) {
    const r = onPath[k];
    if (!needed.has(r.output.id)) continue;
    path.push(r);
    for (let i = 0; i < r.inputs.length; i++) needed.add(r.inputs[i].id);
  }
  return path.reverse();
}

/**
 * True when a forward walk can stand for the reverse one: every record is a primitive's, whose
 * tangent rule is the adjoint of its gradient rule. A customGradient record is not: its reverse
 * rule is the user's, and its tangent comes from ops the tape never saw.
 */
export function walkable(path: readonly OpRecord[]): boolean {
  for (let k = 0; k < path.length; k++) if (!primitives.has(path[k].name)) return false;
  return true;
}

/**
 * True when `ids` (a source) reaches the target along `path`, or is the target: connected as the
 * reverse walk sees it, even through ops whose derivative is zero (sign's gradient is zeros).
 */
function connects(path: readonly OpRecord[], ids: readonly number[], targetId: number): boolean {
  if (ids.length === 0) return false;
  if (ids.includes(targetId)) return true;
  const own = new Set(ids);
  for (let k = 0; k < path.length; k++) for (const x of path[k].inputs) if (own.has(x.id)) return true;
  return false;
}

/** The largest number of elements of a tensor on the path (the sources' and the target's included). */
function largest(path: readonly OpRecord[], sizes: readonly number[]): number {
  let most = Math.max(1, ...sizes);
  for (let k = 0; k < path.length; k++) most = Math.max(most, path[k].output.size);
  return most;
}

/**
 * Pushes `seeds` (tensor id → tangent with leading `batch` axes) through `path` and returns the
 * target's tangent, or null when none reaches it (all its columns are zero). Rules run with the
 * library's ops, so every active recorder sees them (an outer tape differentiates the Jacobian).
 * A rule may give no tangent (sign's): that is zero, and nothing flows on from it.
 */
export function pushTangents(
  path: readonly OpRecord[],
  seeds: ReadonlyMap<number, Tensor>,
  batch: Shape,
  targetId: number,
): Tensor | null {
  // the last step that reads each id, so that a tangent is dropped once no rule needs it
  const lastUse = new Map<number, number>();
  for (let k = 0; k < path.length; k++) for (const x of path[k].inputs) lastUse.set(x.id, k);
  const tangents = new Map(seeds);
  for (let k = 0; k < path.length; k++) {
    const r = path[k];
    const n = r.inputs.length;
    const tin = new Array<Tensor | null>(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      const t = tangents.get(r.inputs[i].id) ?? null;
      tin[i] = t;
      any ||= t !== null;
    }
    if (any) {
      const t = numerics.enabled ? inRuleOf(r.name, () => r.jvp(tin, batch)) : r.jvp(tin, batch);
      if (t !== null) {
        const want = [...batch, ...r.output.shape];
        if (!sameShape(t.shape, want) || t.dtype !== r.output.dtype) {
          throw new TapeError(
            `tangent of '${r.name}' has shape ${fmtShape(t.shape)} and dtype ${t.dtype}, which does not match ${fmtShape(want)} ${r.output.dtype}`,
          );
        }
        // a source computed on the tape: its own columns add to what flows into it
        const seed = seeds.get(r.output.id);
        tangents.set(r.output.id, seed === undefined ? t : add(t, seed));
      }
    }
    for (let i = 0; i < n; i++) {
      const id = r.inputs[i].id;
      if (lastUse.get(id) === k && id !== targetId) tangents.delete(id);
    }
  }
  return tangents.get(targetId) ?? null;
}

/**
 * A block of the identity as a tangent `[rows, ...shape]`, `shape` being `repeat` batch rows of
 * `n` elements each: row `at + i` is e_(first + i) in every batch row, for i < count (other rows zero).
 */
function basis(rows: number, at: number, count: number, first: number, shape: Shape, dtype: DType, repeat = 1): Tensor {
  const size = sizeOf(shape);
  const n = size / repeat;
  const v = allocate(dtype, rows * size);
  for (let i = 0; i < count; i++) for (let b = 0; b < repeat; b++) v[(at + i) * size + b * n + first + i] = 1;
  return new Tensor(v, [rows, ...shape], dtype);
}

/** Sets `seed` as the tangent of every id of a source, adding where an id already has one (a source given twice). */
function seedIds(seeds: Map<number, Tensor>, ids: readonly number[], seed: Tensor): void {
  for (const id of ids) {
    const prev = seeds.get(id);
    seeds.set(id, prev === undefined ? seed : add(prev, seed));
  }
}

/** Rows `[from, to)` of `t` along its first axis. */
function rowsOf(t: Tensor, from: number, to: number): Tensor {
  if (from === 0 && to === t.shape[0]) return t;
  return stridedSliceNormalized(t, {
    begin: t.shape.map((_, i) => (i === 0 ? from : 0)),
    strides: t.shape.map(() => 1),
    size: t.shape.map((d, i) => (i === 0 ? to - from : d)),
  });
}

/**
 * Columns `[from, to)` of the Jacobian out of a walk's tangent `[k, ...tShape]` (rows `from…` of
 * it), as a block `[m, to - from]`. Transposed a walk at a time: one transpose of the whole
 * Jacobian would build an index of all its elements at once.
 */
function block(cols: Tensor, from: number, to: number): Tensor {
  const k = to - from;
  const m = cols.size / cols.shape[0];
  const rows = reshape(rowsOf(cols, from, to), [k, m]);
  return m === 1 || k === 1 ? reshape(rows, [m, k]) : transpose(rows, [1, 0]);
}

/** Blocks `[m, …]` side by side as the Jacobian `[...tShape, ...sShape]`, in the source's dtype. */
function joinBlocks(blocks: readonly Tensor[], tShape: Shape, sShape: Shape, dtype: DType): Tensor {
  const j = reshape(blocks.length === 1 ? blocks[0] : concat(blocks, 1), [...tShape, ...sShape]);
  return j.dtype === dtype ? j : cast(j, dtype);
}

/**
 * The Jacobian of `target` with respect to each source by forward walks (columns `null` where a
 * source is unconnected), or `null` when the reverse walks are the way: a record on the path
 * cannot be walked forward, or the target has fewer elements than the sources by more than
 * FORWARD_RATIO.
 */
export function forwardJacobian(
  records: readonly OpRecord[],
  target: Tensor,
  sources: readonly WalkSource[],
): (Tensor | null)[] | null {
  // an empty target or source: the reverse walks have (next to) nothing to do
  if (!isFloat(target.dtype) || target.size === 0 || sources.some((s) => sizeOf(s.shape) === 0)) return null;
  const all = new Set<number>();
  for (const s of sources) for (const id of s.ids) all.add(id);
  const path = pathToTarget(records, all, target.id);
  const live = sources.map((s) => connects(path, s.ids, target.id));
  // the columns of the live sources side by side: source k's are offsets[k] …
  const offsets: number[] = [];
  let columns = 0;
  sources.forEach((s, k) => {
    offsets.push(columns);
    if (live[k]) columns += sizeOf(s.shape);
  });
  if (columns > FORWARD_RATIO * target.size || !walkable(path)) return null;
  const chunk = Math.max(
    1,
    Math.floor(TANGENT_BUDGET / largest(path, [target.size, ...sources.map((s) => sizeOf(s.shape))])),
  );
  const pieces: Tensor[][] = sources.map(() => []);
  for (let c0 = 0; c0 < columns; c0 += chunk) {
    const c1 = Math.min(columns, c0 + chunk);
    const seeds = new Map<number, Tensor>();
    const spans = sources.map((s, k) =>
      live[k] ? [Math.max(c0, offsets[k]), Math.min(c1, offsets[k] + sizeOf(s.shape))] : [0, 0],
    );
    sources.forEach((s, k) => {
      const [a, b] = spans[k];
      if (a < b) seedIds(seeds, s.ids, basis(c1 - c0, a - c0, b - a, a - offsets[k], s.shape, s.dtype));
    });
    const cols = pushTangents(path, seeds, [c1 - c0], target.id) ?? zeros([c1 - c0, ...target.shape], target.dtype);
    spans.forEach(([a, b], k) => {
      if (a < b) pieces[k].push(block(cols, a - c0, b - c0));
    });
  }
  return sources.map((s, k) => (live[k] ? joinBlocks(pieces[k], target.shape, s.shape, s.dtype) : null));
}

/**
 * batchJacobian by forward walks: the tangent batch is a row's elements d, column j seeded with
 * e_j in every batch row at once, so `[d, B, ...tRest]` becomes `[B, ...tRest, ...sRest]`. `null`
 * when the reverse walks are the way; `'unconnected'` when the target does not depend on the source.
 */
export function forwardBatchJacobian(
  records: readonly OpRecord[],
  target: Tensor,
  source: WalkSource,
): Tensor | 'unconnected' | null {
  const batch = target.shape[0];
  const rowSize = sizeOf(source.shape) / Math.max(batch, 1);
  const targetRow = target.size / Math.max(batch, 1);
  if (!isFloat(target.dtype) || batch === 0 || rowSize === 0 || targetRow === 0) return null;
  const path = pathToTarget(records, new Set(source.ids), target.id);
  if (!connects(path, source.ids, target.id)) return 'unconnected';
  if (rowSize > FORWARD_RATIO * targetRow || !walkable(path)) return null;
  const chunk = Math.max(1, Math.floor(TANGENT_BUDGET / largest(path, [target.size, sizeOf(source.shape)])));
  const pieces: Tensor[] = [];
  for (let c0 = 0; c0 < rowSize; c0 += chunk) {
    const c1 = Math.min(rowSize, c0 + chunk);
    const seeds = new Map<number, Tensor>();
    seedIds(seeds, source.ids, basis(c1 - c0, 0, c1 - c0, c0, source.shape, source.dtype, batch));
    const cols = pushTangents(path, seeds, [c1 - c0], target.id) ?? zeros([c1 - c0, ...target.shape], target.dtype);
    pieces.push(block(cols, 0, c1 - c0));
  }
  // [B·tRest, d] → [B, ...tRest, ...sRest]
  return joinBlocks(pieces, target.shape, source.shape.slice(1), source.dtype);
}
