// The reverse walk over records in execution order (already topological): 1. mark the records on a
// path from the sources; 2. walk them backwards, accumulating each gradient in its tensor's slot.
import type { OpRecord } from '../core/recording';
import type { Tensor } from '../core/tensor';
import { TapeError } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import { add } from '../ops/prims/binary';
import { inRuleOf, numerics } from '../ops/primitive';
import type { TrackedSet } from '../core/tracked';
import { uint8Array } from '../core/arena';

/** Checks one rule's results: one per input, each with its input's shape and dtype. */
function checkRule(r: OpRecord, grads: readonly (Tensor | null)[]): void {
  if (grads.length !== r.inputs.length) {
    throw new TapeError(`gradient of '${r.name}' returned ${grads.length} gradients for ${r.inputs.length} inputs`);
  }
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    const x = r.inputs[i];
    if (g === null) continue;
    if (g.shape !== x.shape && !sameShape(g.shape, x.shape)) {
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

/** The marks of `backpropSlots`'s slots. */
const ON_PATH = 1;
const SOURCE = 2;

/**
 * `backprop` over the slots of the tape's tracked set (which gives every record's output one):
 * `grads` (slot → upstream gradient, the seeds) is taken over and returned, holding the gradient of
 * each source slot, and with `keepAll` of every slot reached.
 * NOTE: arrays indexed by slot, where Maps and Sets keyed by id cost a scalar graph (W1) ~25%.
 */
export function backpropSlots(
  records: readonly OpRecord[],
  tracked: TrackedSet,
  grads: (Tensor | undefined)[],
  sourceSlots: readonly number[],
  keepAll = false,
): (Tensor | undefined)[] {
  // NOTE: a zero-length typed array costs V8 ~200 ns (an off-heap buffer); nothing tracked, nothing to walk
  if (tracked.size === 0) return grads;
  const n = tracked.size;
  // NOTE: the marks live in one shared zeroed array (a new typed array costs W1 ~2%); a walk that
  // starts while another holds it (a nested tape's, inside a rule) takes a new one. A walk that
  // throws drops the array it held, and the next one makes another.
  const shared = scratch !== null && scratch.length >= n;
  const state = shared ? (scratch as Uint8Array) : uint8Array(n);
  if (shared) scratch = null;
  for (let i = 0; i < sourceSlots.length; i++) state[sourceSlots[i]] = SOURCE;
  // forwards: a record is on a path from a source when one of its inputs is
  for (let k = 0; k < records.length; k++) {
    const inputs = records[k].inputs;
    for (let i = 0; i < inputs.length; i++) {
      const s = tracked.slotOf(inputs[i]);
      if (s >= 0 && state[s] !== 0) {
        state[tracked.slotOf(records[k].output)] |= ON_PATH;
        break;
      }
    }
  }
  // one `needs` array per input count, reused: rules read it only while they run
  const needsOf: boolean[][] = [];
  for (let k = records.length - 1; k >= 0; k--) {
    const r = records[k];
    const o = tracked.slotOf(r.output);
    if ((state[o] & ON_PATH) === 0) continue;
    const dy = grads[o];
    if (dy === undefined) continue;
    // an intermediate's gradient is not needed once its producer has used it
    if (!keepAll && (state[o] & SOURCE) === 0) grads[o] = undefined;
    const inputs = r.inputs;
    const needs = (needsOf[inputs.length] ??= new Array<boolean>(inputs.length));
    for (let i = 0; i < inputs.length; i++) {
      const s = tracked.slotOf(inputs[i]);
      needs[i] = s >= 0 && state[s] !== 0;
    }
    const inputGrads = numerics.enabled ? inRuleOf(r.name, () => r.vjp(dy, needs)) : r.vjp(dy, needs);
    checkRule(r, inputGrads);
    for (let i = 0; i < inputGrads.length; i++) {
      const g = inputGrads[i];
      if (g === null || !needs[i]) continue;
      const s = tracked.slotOf(inputs[i]);
      const prev = grads[s];
      grads[s] = prev === undefined ? g : add(prev, g);
    }
  }
  if (n <= MAX_SCRATCH && (scratch === null || state.length > scratch.length)) {
    for (let i = 0; i < n; i++) state[i] = 0;
    scratch = state;
  }
  return grads;
}

/** The longest marks array kept for the next walk. */
const MAX_SCRATCH = 4096;
/** The zeroed marks array the next walk may take (null while a walk holds it). */
let scratch: Uint8Array | null = new Uint8Array(64);
