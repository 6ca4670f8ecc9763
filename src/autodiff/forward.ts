// ForwardAccumulator: forward-mode autodiff on the same stack as the tapes. Tangents travel with
// values as ops run: each op's tangent comes from its primitive's tangent rule (jvp), evaluated
// with only the recorders outside this accumulator active, so tapes and accumulators around it
// differentiate the tangents themselves (reverse over forward, forward over forward).
import { isFloat } from '../core/dtype';
import { TapeError } from '../core/errors';
import type { Shape } from '../core/shape';
import { fmtShape, sameShape } from '../core/shape';
import type { OpRecord } from '../core/recording';
import { withRecordersOutside } from '../core/recording';
import type { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { cast } from '../ops/prims/cast';
import { zeros } from '../ops/create';
import type { UnconnectedGradients } from './gradient_tape';
import type { Source } from './structure';
import { isSource } from './structure';
import { RecorderBase } from './recorder';

/**
 * Computes Jacobian-vector products as ops run, like `tf.autodiff.ForwardAccumulator`.
 * Construction starts tracking; the end of a `using` block (or `dispose()`) stops it. `primals`
 * is one tensor or variable with one tangent, or an array of them with an array of tangents, one
 * per primal (as `tg.jvp`: a bare tensor is one primal, an array is a list).
 * @example
 * const x = tg.scalar(2);
 * using acc = new tg.ForwardAccumulator(x, tg.scalar(1));
 * const y = x.mul(x).mul(x);
 * acc.jvp(y); // Tensor(12, shape=[], dtype=float32)  (3x²)
 */
export class ForwardAccumulator extends RecorderBase {
  /** @internal */
  readonly forwardMode = true;
  private readonly tangents = new Map<number, Tensor>();
  private readonly variableTangents = new Map<number, Tensor>();
  /** Leading axes every tangent carries: `[]`, or `[k]` when k tangents travel at once (tg.hessian). */
  private batch: Shape = [];

  constructor(primals: Source | readonly Source[], tangents: TensorLike | readonly TensorLike[]) {
    super();
    this.start(primals, tangents);
  }

  /**
   * @internal An accumulator whose tangents carry leading `batch` axes: `tangent` has shape
   * `[...batch, ...primal.shape]`, and jvp(y) gives `[...batch, ...y.shape]`.
   */
  static batched(primal: Tensor, tangent: Tensor, batch: Shape): ForwardAccumulator {
    const acc = new ForwardAccumulator([], []);
    acc.batch = batch;
    acc.start([primal], [tangent]);
    return acc;
  }

  /** Takes the primals and their tangents; on bad input leaves the stack (nothing half-done) and throws. */
  private start(primals: Source | readonly Source[], tangents: TensorLike | readonly TensorLike[]): void {
    try {
      this.takeTangents(primals, tangents);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private takeTangents(primals: Source | readonly Source[], tangents: TensorLike | readonly TensorLike[]): void {
    const one = isSource(primals);
    if (!one && !Array.isArray(primals)) {
      throw new TapeError('ForwardAccumulator: primals must be a Tensor or Variable, or an array of them');
    }
    if (!one && !Array.isArray(tangents)) {
      throw new TapeError('ForwardAccumulator: for an array of primals, give an array of tangents, one per primal');
    }
    // NOTE: the rule of tg.jvp (JAX's): a bare primal is one primal with one tangent (a plain
    // array of numbers being one tensor); an array of primals is a list, with a list of tangents
    if (one && Array.isArray(tangents) && (tangents as readonly unknown[]).some((t) => isSource(t))) {
      throw new TapeError(
        'ForwardAccumulator: one primal takes one tangent, not an array of tensors; pass new ForwardAccumulator([x], [tx]) for a list',
      );
    }
    const ps: readonly Source[] = one ? [primals] : (primals as readonly Source[]);
    const ts: readonly TensorLike[] = one ? [tangents as TensorLike] : (tangents as readonly TensorLike[]);
    if (ts.length !== ps.length) {
      throw new TapeError(
        `ForwardAccumulator: ${ps.length} primals but ${ts.length} tangents; give one tangent per primal`,
      );
    }
    ps.forEach((p, i) => {
      if (!isSource(p)) throw new TapeError(`ForwardAccumulator: primal ${i} is not a Tensor or Variable`);
      if (!isFloat(p.dtype)) {
        throw new TapeError(
          `ForwardAccumulator: primal ${i} has dtype ${p.dtype}; only float32 and float64 primals have tangents`,
        );
      }
      const t = cast(toTensor('ForwardAccumulator', ts[i], p.dtype), p.dtype);
      const want = [...this.batch, ...p.shape];
      if (!sameShape(t.shape, want)) {
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
  }

  protected tracks(id: number): boolean {
    return this.tangents.has(id);
  }

  /** @internal The tangent of one op's output, from its primitive's tangent rule. */
  record(op: OpRecord): void {
    const n = op.inputs.length;
    const tin = new Array<Tensor | null>(n);
    for (let i = 0; i < n; i++) tin[i] = this.tangents.get(op.inputs[i].id) ?? null;
    const t = withRecordersOutside(this, () => op.jvp(tin, this.batch));
    if (t === null) return;
    const want = this.batch.length === 0 ? op.output.shape : [...this.batch, ...op.output.shape];
    if (!sameShape(t.shape, want) || t.dtype !== op.output.dtype) {
      throw new TapeError(
        `tangent of '${op.name}' has shape ${fmtShape(t.shape)} and dtype ${t.dtype}, which does not match ${fmtShape(want)} ${op.output.dtype}`,
      );
    }
    this.tangents.set(op.output.id, t);
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
   * const x = tg.tensor([1, 2]);
   * using acc = new tg.ForwardAccumulator(x, tg.tensor([1, 0]));
   * acc.jvp(x.square()); // [2, 0]
   */
  jvp(y: Source, options: { unconnectedGradients?: UnconnectedGradients } = {}): Tensor | null {
    if (!isSource(y)) throw new TapeError('ForwardAccumulator.jvp: expected a Tensor or Variable');
    const t =
      y instanceof Variable
        ? (this.variableTangents.get(y.id) ?? this.tangents.get(y.peek().id))
        : this.tangents.get(y.id);
    if (t !== undefined) return t;
    return options.unconnectedGradients === 'zero' ? zeros([...this.batch, ...y.shape], y.dtype) : null;
  }
}
