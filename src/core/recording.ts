// The stack of active recorders (gradient tapes, forward accumulators) that ops report to.
// It lives in core so that ops and variables can report without knowing what a tape is.
import type { Tensor } from './tensor';
import type { Variable } from './variable';

/** Gradients of an op's inputs from the gradient of its output; `needs[i]` false means input i may get `null`. */
export type Backward = (dy: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[];

/** What a recorder is told about one op that ran: its inputs, its output and how to differentiate it. */
export interface OpRecord {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly backward: Backward;
}

/** Something that listens to ops while it is active: a GradientTape or a ForwardAccumulator. */
export interface Recorder {
  /** True when the recorder would keep a record of an op on these inputs. */
  wants(inputs: readonly Tensor[]): boolean;
  /** Keeps the op; called only when `wants(op.inputs)` has just said yes. */
  record(op: OpRecord): void;
  /** A variable was read by an op (or by `value()`); `value` is the tensor that was read. */
  variableRead(variable: Variable, value: Tensor): void;
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
 * Hands an op to every active recorder that wants it. A recorder may push and pop helpers while it
 * records (a forward accumulator does), so the stack is back as it was before the next one is visited.
 */
export function recordIfWanted(op: OpRecord): void {
  const n = activeRecorders.length;
  for (let i = 0; i < n && i < activeRecorders.length; i++) {
    const r = activeRecorders[i];
    if (r.wants(op.inputs)) r.record(op);
  }
}

/** Tells every active recorder that a variable was read. */
export function notifyVariableRead(variable: Variable, value: Tensor): void {
  for (let i = 0; i < activeRecorders.length; i++) activeRecorders[i].variableRead(variable, value);
}

/** Runs `fn` with every active recorder set aside, so none of its ops are recorded. */
export function withoutRecorders<T>(fn: () => T): T {
  const saved = activeRecorders.splice(0);
  try {
    return fn();
  } finally {
    activeRecorders.splice(0, 0, ...saved);
  }
}
