// ForwardAccumulator: forward-mode autodiff on the same stack as the tapes. Tangents travel with
// values as ops run. Each op's tangent rule is derived from its gradient rule by the double-vjp
// trick (as TF does for ops without a hand-written jvp): a rule is linear in dy, so
// J·t = d/d(dy) <vjp(dy), t>. That needs no second table of rules, covers customGradient too,
// and nests: the trick's own ops are recorded by every other active tape and accumulator.
import { DISPOSE } from '../core/dispose';
import { isFloat } from '../core/dtype';
import { TapeError } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import type { OpRecord, Recorder } from '../core/recording';
import { pushRecorder, removeRecorder } from '../core/recording';
import type { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { add, mul } from '../ops/prims/binary';
import { sum } from '../ops/prims/reduce';
import { cast } from '../ops/prims/cast';
import { zeros, zerosLike } from '../ops/create';
import { GradientTape } from './gradient_tape';
import type { UnconnectedGradients } from './gradient_tape';
import type { Source } from './structure';
import { isSource } from './structure';

/**
 * Computes Jacobian-vector products as ops run, like `tf.autodiff.ForwardAccumulator`.
 * Construction starts tracking; the end of a `using` block (or `dispose()`) stops it.
 * @example
 * const x = tg.scalar(2);
 * using acc = new tg.ForwardAccumulator(x, tg.scalar(1));
 * const y = x.mul(x).mul(x);
 * acc.jvp(y); // Tensor(12, shape=[], dtype=float32)  (3x²)
 */
export class ForwardAccumulator {
  private readonly tangents = new Map<number, Tensor>();
  private readonly variableTangents = new Map<number, Tensor>();
  private active = true;
  private paused = 0;

  constructor(primals: Source | readonly Source[], tangents: TensorLike | readonly TensorLike[]) {
    const ps = isSource(primals) ? [primals] : Array.from(primals);
    const ts =
      ps.length === 1 && !(Array.isArray(tangents) && tangents.length === 1 && isSource(tangents[0]))
        ? [tangents as TensorLike]
        : Array.from(tangents as readonly TensorLike[]);
    if (ts.length !== ps.length)
      throw new TapeError(
        `ForwardAccumulator: ${ps.length} primals but ${ts.length} tangents; give one tangent per primal`,
      );
    ps.forEach((p, i) => {
      if (!isSource(p)) throw new TapeError(`ForwardAccumulator: primal ${i} is not a Tensor or Variable`);
      if (!isFloat(p.dtype))
        throw new TapeError(
          `ForwardAccumulator: primal ${i} has dtype ${p.dtype}; only float32 and float64 primals have tangents`,
        );
      const t = cast(toTensor('ForwardAccumulator', ts[i], p.dtype), p.dtype);
      if (!sameShape(t.shape, p.shape)) {
        throw new TapeError(
          `ForwardAccumulator: tangent ${i} has shape ${fmtShape(t.shape)} but its primal has shape ${fmtShape(p.shape)}`,
        );
      }
      if (p instanceof Variable) {
        this.variableTangents.set(p.id, t);
        this.tangents.set(p.peek().id, t);
      } else {
        this.tangents.set(p.id, t);
      }
    });
    // the accumulator is itself the recorder the op stack talks to, as a tape is
    pushRecorder(this satisfies Recorder);
  }

  private get recording(): boolean {
    return this.active && this.paused === 0;
  }

  /** @internal */
  wants(inputs: readonly Tensor[]): boolean {
    if (!this.recording) return false;
    for (let i = 0; i < inputs.length; i++) if (this.tangents.has(inputs[i].id)) return true;
    return false;
  }

  /** The tangent of one op's output, by differentiating its gradient rule with respect to dy. */
  /** @internal */
  record(op: OpRecord): void {
    const tin = op.inputs.map((t) => this.tangents.get(t.id) ?? null);
    this.paused++;
    try {
      const dy = zerosLike(op.output);
      const tape = new GradientTape();
      let total: Tensor | null = null;
      try {
        tape.watch(dy);
        const grads = op.backward(
          dy,
          tin.map((t) => t !== null),
        );
        grads.forEach((g, i) => {
          const t = tin[i];
          if (g === null || t === null) return;
          const term = sum(mul(g, t));
          total = total === null ? term : add(total, term);
        });
      } finally {
        tape.dispose();
      }
      const tangent = total === null ? null : tape.gradient(total, dy);
      this.tangents.set(op.output.id, tangent ?? zerosLike(op.output));
    } finally {
      this.paused--;
    }
  }

  /** @internal A read of a primal variable carries its tangent. */
  variableRead(variable: Variable, value: Tensor): void {
    const t = this.variableTangents.get(variable.id);
    if (t !== undefined && this.recording) this.tangents.set(value.id, t);
  }

  /**
   * The tangent of `y`: the directional derivative along the tangents given at construction.
   * `null` when y does not depend on the primals (or zeros with `unconnectedGradients: 'zero'`).
   * @example
   * acc.jvp(y); // J·t
   */
  jvp(y: Source, options: { unconnectedGradients?: UnconnectedGradients } = {}): Tensor | null {
    if (!isSource(y)) throw new TapeError('ForwardAccumulator.jvp: expected a Tensor or Variable');
    const t =
      y instanceof Variable
        ? (this.variableTangents.get(y.id) ?? this.tangents.get(y.peek().id))
        : this.tangents.get(y.id);
    if (t !== undefined) return t;
    return options.unconnectedGradients === 'zero' ? zeros(y.shape, y.dtype) : null;
  }

  /** Stops tracking and leaves the stack; tangents computed so far stay readable. */
  dispose(): void {
    this.active = false;
    removeRecorder(this);
  }

  /** The end of a `using` block. */
  [DISPOSE](): void {
    this.dispose();
  }
}
