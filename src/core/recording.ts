// The stack of active recorders (gradient tapes, forward accumulators) that ops report to.
// It lives in core so that ops and variables can report without knowing what a tape is.
import type { Shape } from './shape';
import type { Tensor } from './tensor';
import type { Variable } from './variable';

/** What a recorder is told about one op that ran: its inputs, its output and how to differentiate it. */
export interface OpRecord {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /**
   * Reverse mode: the gradient of each input from the gradient `dy` of the output; `needs[i]` false
   * means input i may get `null`.
   */
  vjp(dy: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[];
  /**
   * Forward mode: the output's tangent from the inputs' tangents (`null` for an input without one).
   * Every tangent carries `batch` as leading axes (`[]` but for batched Hessians): shape
   * `[...batch, ...primal.shape]`. `null` when the output has no tangent.
   */
  jvp(tangents: readonly (Tensor | null)[], batch: Shape): Tensor | null;
}

/** Something that listens to ops while it is active: a GradientTape or a ForwardAccumulator. */
export interface Recorder {
  /** True for a forward accumulator: customGradient lets these see the ops of its forward function. */
  readonly forwardMode: boolean;
  /** True when the recorder would keep a record of an op on these inputs. */
  wants(inputs: readonly Tensor[]): boolean;
  /** Keeps the op; called only when `wants(op.inputs)` has just said yes. */
  record(op: OpRecord): void;
  /** A variable was read by an op (or by `value()`); `value` is the tensor that was read. */
  variableRead(variable: Variable, value: Tensor): void;
  /**
   * An op ran that this recorder did not record (no derivative, a non-float result, inputs it does
   * not track, or it is paused): a tape keeps a note of it (ids only) for `explain()` when an input
   * is one it follows. Optional: accumulators have none.
   */
  note?(name: string, inputs: readonly Tensor[], output: Tensor, differentiable: boolean): void;
}

/** The active recorders, innermost last. */
export const activeRecorders: Recorder[] = [];

/** Puts a recorder on top of the stack. */
export function pushRecorder(r: Recorder): void {
  activeRecorders.push(r);
}

/** Takes a recorder off the stack wherever it stands; a no-op if it is not there. */
export function removeRecorder(r: Recorder): void {
  // nearly always the innermost one, as `using` blocks close in reverse order
  if (activeRecorders[activeRecorders.length - 1] === r) {
    activeRecorders.pop();
    return;
  }
  const i = activeRecorders.lastIndexOf(r);
  if (i >= 0) activeRecorders.splice(i, 1);
}

/**
 * Hands an op to every active recorder that wants it, outermost first. A recorder may change the
 * stack while it records (an accumulator runs its rule with only the recorders below it), so the
 * stack is back as it was before the next one is visited.
 */
export function recordIfWanted(op: OpRecord): void {
  const n = activeRecorders.length;
  for (let i = 0; i < n && i < activeRecorders.length; i++) {
    const r = activeRecorders[i];
    if (r.wants(op.inputs)) r.record(op);
    else if (r.note !== undefined) r.note(op.name, op.inputs, op.output, true);
  }
}

/** Tells every active recorder that an op ran which no recorder may record (see `Recorder.note`). */
export function noteIfWanted(name: string, inputs: readonly Tensor[], output: Tensor, differentiable: boolean): void {
  for (let i = 0; i < activeRecorders.length; i++) {
    const r = activeRecorders[i];
    if (r.note !== undefined) r.note(name, inputs, output, differentiable);
  }
}

/** Tells every active recorder that a variable was read. */
export function notifyVariableRead(variable: Variable, value: Tensor): void {
  for (let i = 0; i < activeRecorders.length; i++) activeRecorders[i].variableRead(variable, value);
}

/** Runs `fn` with only the recorders that `keep` accepts on the stack; the stack is restored after. */
function withRecorders<T>(keep: (r: Recorder, index: number) => boolean, fn: () => T): T {
  const saved = activeRecorders.splice(0);
  for (let i = 0; i < saved.length; i++) if (keep(saved[i], i)) activeRecorders.push(saved[i]);
  try {
    return fn();
  } finally {
    activeRecorders.length = 0;
    for (let i = 0; i < saved.length; i++) activeRecorders.push(saved[i]);
  }
}

/** Runs `fn` with every active recorder set aside, so none of its ops are recorded. */
export function withoutRecorders<T>(fn: () => T): T {
  return withRecorders(() => false, fn);
}

/** Runs `fn` with the gradient tapes set aside: only forward accumulators see its ops. */
export function withoutTapes<T>(fn: () => T): T {
  return withRecorders((r) => r.forwardMode, fn);
}

/**
 * Runs `fn` with only the recorders pushed before `r` (outside it) on the stack. A recorder's own
 * rules run this way, as in TF: what an accumulator computes for its tangents is recorded by the
 * tapes and accumulators around it (reverse over forward, forward over forward), not by itself or
 * by those opened inside it.
 */
export function withRecordersOutside<T>(r: Recorder, fn: () => T): T {
  const at = activeRecorders.indexOf(r);
  if (at < 0) return withoutRecorders(fn);
  const inner = activeRecorders.splice(at);
  try {
    return fn();
  } finally {
    activeRecorders.length = at;
    for (let i = 0; i < inner.length; i++) activeRecorders.push(inner[i]);
  }
}
