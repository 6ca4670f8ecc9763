// What GradientTape and ForwardAccumulator share as recorders on the stack: being active until
// disposed, pausing, and "an op is mine if one of its inputs is a tensor I track".
import { DISPOSE } from '../core/dispose';
import type { OpRecord } from '../core/recording';
import { activeRecorders, pushRecorder, removeRecorder } from '../core/recording';
import type { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';

/**
 * More recorders than this active at once is almost surely a leak (tapes made without `using` and
 * never disposed): every op on a watched tensor is offered to, and kept by, each of them.
 */
export const MANY_ACTIVE_RECORDERS = 64;
let warnedMany = false;

/** How many times each warning was given, for `warnFirst`. */
const warned = new Map<string, number>();

/**
 * `console.warn(message)` for the first `n` times `key` comes up in this process, then silence:
 * TF's `logging.log_first_n` (it warns about a non-float `watch` the first 5 times).
 */
export function warnFirst(key: string, n: number, message: string): void {
  const k = warned.get(key) ?? 0;
  if (k >= n) return;
  warned.set(key, k + 1);
  console.warn(message);
}

/** A recorder that pushes itself on the stack when made and leaves it when disposed. */
export abstract class RecorderBase {
  /** @internal */
  abstract readonly forwardMode: boolean;
  /** False once disposed: a disposed recorder never records again. */
  protected active = true;
  /** Open `stopRecording` scopes (tapes) or rule evaluations (accumulators). */
  protected paused = 0;

  constructor() {
    // structurally a Recorder (its recorder members are @internal, so no `implements` in the .d.ts)
    pushRecorder(this);
    // NOTE: TF records only inside `with`; here a recorder made without `using` and never disposed
    // keeps recording every later op on what it tracks, so say so, once per process.
    if (activeRecorders.length > MANY_ACTIVE_RECORDERS && !warnedMany) {
      warnedMany = true;
      console.warn(
        `tapegrad: ${activeRecorders.length} gradient tapes and forward accumulators are active at once; each keeps ` +
          'recording every later op on what it watches until it is disposed. Dispose them: ' +
          '`using tape = new tg.GradientTape()` (the end of the block disposes it), or `tape.dispose()`.',
      );
    }
  }

  /** True while this recorder takes ops. */
  protected get recording(): boolean {
    return this.active && this.paused === 0;
  }

  /** True when the tensor with this id is one this recorder follows (watched, or has a tangent). */
  protected abstract tracks(id: number): boolean;

  /** @internal */
  wants(inputs: readonly Tensor[]): boolean {
    if (!this.recording) return false;
    for (let i = 0; i < inputs.length; i++) if (this.tracks(inputs[i].id)) return true;
    return false;
  }

  /** @internal */
  abstract record(op: OpRecord): void;

  /** @internal */
  abstract variableRead(variable: Variable, value: Tensor): void;

  /**
   * Stops recording and takes this off the stack, wherever it stands. What was recorded is kept.
   * @example
   * const x = new tg.Variable(3);
   * const tape = new tg.GradientTape();
   * const y = x.mul(x); // recorded
   * tape.dispose();
   * y.mul(2); // not recorded
   * String(tape).split('\n')[0]; // 'GradientTape(persistent=false, 1 op)'
   * tape.gradient(y, x); // 6  (what was recorded is kept)
   */
  dispose(): void {
    this.active = false;
    removeRecorder(this);
  }

  /** The end of a `using` block. */
  [DISPOSE](): void {
    this.dispose();
  }
}
