// The reverse walk: two pure steps over records in execution order (already topological).
// 1. keep the records on a path from the sources; 2. walk them backwards, accumulating in a Map.
import type { OpRecord } from '../core/recording';
import type { Tensor } from '../core/tensor';
import { TapeError } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import { add } from '../ops/prims/binary';
import { numerics } from '../ops/primitive';

/** The records whose output depends on a source, and the ids of the outputs that do (sources not included). */
export function pathFromSources(
  records: readonly OpRecord[],
  sourceIds: ReadonlySet<number>,
): { path: OpRecord[]; reached: Set<number> } {
  const reached = new Set<number>();
  const path: OpRecord[] = [];
  for (let k = 0; k < records.length; k++) {
    const r = records[k];
    for (let i = 0; i < r.inputs.length; i++) {
      const id = r.inputs[i].id;
      if (reached.has(id) || sourceIds.has(id)) {
        path.push(r);
        reached.add(r.output.id);
        break;
      }
    }
  }
  return { path, reached };
}

/** Checks one rule's results: one per input, each with its input's shape and dtype. */
function checkRule(r: OpRecord, grads: readonly (Tensor | null)[]): void {
  if (grads.length !== r.inputs.length) {
    throw new TapeError(`gradient of '${r.name}' returned ${grads.length} gradients for ${r.inputs.length} inputs`);
  }
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    const x = r.inputs[i];
    if (g === null) continue;
    if (!sameShape(g.shape, x.shape)) {
      throw new TapeError(
        `gradient of '${r.name}' for input ${i} has shape ${fmtShape(g.shape)}, which does not match the shape of the input ${fmtShape(x.shape)}`,
      );
    }
    if (g.dtype !== x.dtype) {
      throw new TapeError(
        `gradient of '${r.name}' for input ${i} has dtype ${g.dtype}, which does not match the input's dtype ${x.dtype}`,
      );
    }
  }
}

/**
 * Backpropagates `seeds` (tensor id → upstream gradient) through `records` and returns the
 * gradient of every tensor on the path from `sourceIds`. Rules run with the library's own ops,
 * so any recorder still active records them: that is what gives higher derivatives.
 * The seed map is taken over (it becomes the result), not copied. With `keepAll` the result keeps
 * the gradient of every intermediate too (for `debugging.onGradient`).
 */
export function backprop(
  records: readonly OpRecord[],
  seeds: Map<number, Tensor>,
  sourceIds: ReadonlySet<number>,
  keepAll = false,
): Map<number, Tensor> {
  const { path, reached } = pathFromSources(records, sourceIds);
  const grads = seeds;
  for (let k = path.length - 1; k >= 0; k--) {
    const r = path[k];
    const dy = grads.get(r.output.id);
    if (dy === undefined) continue;
    // an intermediate's gradient is not needed once its producer has used it
    if (!keepAll && !sourceIds.has(r.output.id)) grads.delete(r.output.id);
    const needs = new Array<boolean>(r.inputs.length);
    for (let i = 0; i < needs.length; i++) needs[i] = reached.has(r.inputs[i].id) || sourceIds.has(r.inputs[i].id);
    const inputGrads = numerics.enabled ? vjpNamed(r, dy, needs) : r.vjp(dy, needs);
    checkRule(r, inputGrads);
    for (let i = 0; i < inputGrads.length; i++) {
      const g = inputGrads[i];
      if (g === null || !needs[i]) continue;
      const id = r.inputs[i].id;
      const prev = grads.get(id);
      grads.set(id, prev === undefined ? g : add(prev, g));
    }
  }
  return grads;
}

/** `r.vjp` with checkNumerics told whose gradient rule runs, so an error can name the recorded op. */
function vjpNamed(r: OpRecord, dy: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
  const outer = numerics.gradientOf;
  numerics.gradientOf = r.name;
  try {
    return r.vjp(dy, needs);
  } finally {
    numerics.gradientOf = outer;
  }
}
