// GradientTape: records the ops that touch what it watches, and answers gradient(), jacobian() and
// batchJacobian() by walking those records backwards (tape.ts; the Jacobians' assembly is in
// jacobian.ts). TensorFlow's semantics, spelled for TypeScript.
import { DISPOSE } from '../core/dispose';
import { isFloat } from '../core/dtype';
import { TapeError } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import type { OpRecord } from '../core/recording';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { add } from '../ops/prims/binary';
import { cast } from '../ops/prims/cast';
import { onesLike, zeros } from '../ops/create';
import { backprop } from './tape';
import { batchJacobianOf, jacobianOf } from './jacobian';
import { RecorderBase } from './recorder';
import { traceDot, traceLines } from './trace';
import type { GradientsOf, Source, Sources } from './structure';
import { flattenSources, isSource } from './structure';

/** Options of `new GradientTape()`. */
export interface GradientTapeOptions {
  /** A persistent tape answers `gradient()` any number of times. Default false. */
  persistent?: boolean;
  /** Watch trainable variables as soon as an op reads them. Default true. */
  watchAccessedVariables?: boolean;
}

/** What a source the target does not depend on gets: `null` (default) or zeros. */
export type UnconnectedGradients = 'none' | 'zero';

/** Options of `tape.gradient()`. */
export interface GradientOptions {
  /** The upstream gradient of each target (default: ones, i.e. the gradient of the sum). */
  outputGradients?: TensorLike | readonly TensorLike[];
  unconnectedGradients?: UnconnectedGradients;
}

/** Anything `watch()` accepts: a tensor or variable, an array of them, or a record of them. */
export type Watchable = Source | readonly Watchable[] | { readonly [name: string]: Watchable };

const USED_MESSAGE = 'GradientTape.gradient can only be called once on non-persistent tapes.';

/**
 * Records operations for automatic differentiation, like `tf.GradientTape`. Construction starts
 * recording; the end of a `using` block (or `dispose()`) stops it.
 * @example
 * const x = new tg.Variable(3);
 * const y = new tg.Variable(4);
 * {
 *   using tape = new tg.GradientTape();
 *   const f = x.mul(x).mul(y).add(y).add(2); // x²y + y + 2
 *   const [dx, dy] = tape.gradient(f, [x, y]);
 *   dx; // 24  (2xy)
 *   dy; // 10  (x² + 1)
 * } // the tape stops recording here
 */
export class GradientTape extends RecorderBase {
  /** @internal */
  readonly forwardMode = false;
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
  private records: OpRecord[] = [];
  private readonly watched = new Set<number>();
  /** Watched variables in first-watched order, with every value of theirs that was read. */
  private readonly variables = new Map<number, { variable: Variable; reads: number[] }>();
  private used = false;
  constructor(options: GradientTapeOptions = {}) {
    // the tape is itself the recorder the op stack talks to (its recorder methods are @internal)
    super();
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  protected tracks(id: number): boolean {
    return this.watched.has(id);
  }

  /** @internal */
  record(op: OpRecord): void {
    this.records.push(op);
    this.watched.add(op.output.id);
  }

  /** @internal */
  variableRead(variable: Variable, value: Tensor): void {
    if (!this.recording) return;
    const auto = this.watchAccessedVariables && variable.trainable && isFloat(variable.dtype);
    if (!this.variables.has(variable.id) && !auto) return;
    this.watchVariable(variable, value);
  }

  private watchVariable(variable: Variable, value: Tensor): void {
    let entry = this.variables.get(variable.id);
    if (!entry) this.variables.set(variable.id, (entry = { variable, reads: [] }));
    if (!this.watched.has(value.id)) {
      this.watched.add(value.id);
      entry.reads.push(value.id);
    }
  }

  /**
   * Watches tensors (constants are not watched by default) or variables: a tensor, an array of
   * them or a record of them. Only float tensors can be watched.
   * @example
   * const x = tg.scalar(3);
   * using tape = new tg.GradientTape();
   * tape.watch(x);
   * tape.gradient(x.mul(x), x); // 6
   */
  watch(x: Watchable): void {
    if (isSource(x)) {
      if (!isFloat(x.dtype)) {
        throw new TapeError(
          `GradientTape.watch: cannot watch a ${x.dtype} tensor of shape ${fmtShape(x.shape)}: only float32 and float64 tensors carry gradients; cast it first with cast(x, 'float32')`,
        );
      }
      if (x instanceof Variable) this.watchVariable(x, x.peek());
      else this.watched.add(x.id);
    } else if (Array.isArray(x)) {
      for (const item of x) this.watch(item);
    } else if (x !== null && typeof x === 'object') {
      for (const item of Object.values(x)) this.watch(item as Watchable);
    } else {
      throw new TapeError(
        `GradientTape.watch: expected a tensor, a variable, an array or a record of them, got ${String(x)}`,
      );
    }
  }

  /**
   * The variables this tape watches, in the order they were first watched.
   * @example
   * const x = new tg.Variable(1, { name: 'x' });
   * const y = new tg.Variable(2, { name: 'y' });
   * using tape = new tg.GradientTape();
   * y.mul(x);
   * tape.watchedVariables().map((v) => v.name); // ['y', 'x']
   */
  watchedVariables(): Variable[] {
    return Array.from(this.variables.values(), (e) => e.variable);
  }

  /**
   * Forgets everything recorded and watched, as if a new tape had been started in its place.
   * @example
   * const x = new tg.Variable(3);
   * using tape = new tg.GradientTape();
   * x.mul(x);
   * tape.reset();
   * tape.watchedVariables(); // []
   * String(tape); // 'GradientTape(persistent=false, 0 ops)'
   */
  reset(): void {
    this.records = [];
    this.watched.clear();
    this.variables.clear();
    this.used = false;
  }

  /**
   * Pauses recording: `using _ = tape.stopRecording();` until the end of the block, or
   * `tape.stopRecording(() => …)` for the callback's duration (returning its result).
   * @example
   * const x = new tg.Variable(3);
   * using tape = new tg.GradientTape();
   * const y = x.mul(x);
   * const z = tape.stopRecording(() => y.mul(2)); // not recorded
   * tape.gradient(y.add(z), x); // 6  (2x: z counts as a constant)
   */
  stopRecording(): Disposable;
  stopRecording<T>(fn: () => T): T;
  stopRecording<T>(fn?: () => T): T | Disposable {
    if (!this.active)
      throw new TapeError('GradientTape.stopRecording: the tape is not recording (it was disposed or used up)');
    this.paused++;
    let resumed = false;
    const resume = () => {
      if (!resumed) this.paused--;
      resumed = true;
    };
    if (fn === undefined) return { [DISPOSE]: resume };
    try {
      return fn();
    } finally {
      resume();
    }
  }

  /** Each value read from a watched variable, named after the variable. */
  private variableNames(): Map<number, string> {
    const names = new Map<number, string>();
    for (const { variable, reads } of this.variables.values())
      reads.forEach((id, k) => names.set(id, reads.length > 1 ? `${variable.name}@${k}` : variable.name));
    return names;
  }

  /**
   * What the tape recorded, one line per op in execution order, with each result's shape and dtype.
   * Variables appear by name, watched constants as x0, x1 …, results as t1, t2 …
   * @example
   * const x = new tg.Variable(3, { name: 'x' });
   * using tape = new tg.GradientTape();
   * x.mul(x).add(2);
   * const [head, ...ops] = tape.toString().split('\n');
   * head; // 'GradientTape(persistent=false, 2 ops)'
   * ops; // ['  t1 = mul(x, x)    [] float32', '  t2 = add(t1, 2)   [] float32']
   */
  override toString(): string {
    const lines = traceLines(this.records, this.variableNames());
    const head = `GradientTape(persistent=${this.persistent}, ${lines.length} op${lines.length === 1 ? '' : 's'})`;
    return [head, ...lines.map((l) => `  ${l}`)].join('\n');
  }

  /**
   * The recorded graph in Graphviz DOT (tensors as ellipses, variables shaded, ops as boxes):
   * `dot -Tsvg tape.dot -o tape.svg` draws it.
   * @example
   * const x = new tg.Variable(3, { name: 'x' });
   * using tape = new tg.GradientTape();
   * x.mul(x);
   * const dot = tape.toDot(); // write it to tape.dot to draw it
   * dot.startsWith('digraph'); // true
   * dot.includes('label="mul"'); // true
   */
  toDot(): string {
    return traceDot(this.records, this.variableNames());
  }

  /**
   * The gradient of the target(s) with respect to the sources, in the sources' structure. A list
   * of targets, or a non-scalar target, means their sum (unless `outputGradients` is given).
   * A source the target does not depend on gets `null` (or zeros with `unconnectedGradients: 'zero'`).
   * @example
   * const x = new tg.Variable(3);
   * using tape = new tg.GradientTape();
   * const y = x.mul(x);
   * tape.gradient(y, x); // Tensor(6, shape=[], dtype=float32)
   */
  gradient<S extends Sources>(
    target: Source | readonly Source[],
    sources: S,
    options: GradientOptions = {},
  ): GradientsOf<S> {
    const targets = this.checkTargets('gradient', target);
    const { flat, rebuild } = flattenSources<S, Tensor | null>(sources);
    const srcs = this.checkSources('gradient', flat);
    const ups =
      options.outputGradients === undefined
        ? undefined
        : Array.isArray(options.outputGradients) && !isSource(options.outputGradients) && targets.length > 1
          ? options.outputGradients
          : [options.outputGradients];
    if (ups !== undefined && ups.length !== targets.length) {
      throw new TapeError(
        `GradientTape.gradient: ${ups.length} outputGradients for ${targets.length} targets; give one per target`,
      );
    }
    const seeds: Tensor[] = new Array(targets.length);
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      if (ups === undefined) {
        seeds[i] = onesLike(t);
        continue;
      }
      const g = cast(toTensor('gradient', ups[i] as TensorLike, t.dtype), t.dtype);
      if (!sameShape(g.shape, t.shape)) {
        throw new TapeError(
          `GradientTape.gradient: outputGradients[${i}] has shape ${fmtShape(g.shape)} but its target has shape ${fmtShape(t.shape)}`,
        );
      }
      seeds[i] = g;
    }
    const grads = this.use(() => this.gradientsOf(targets, seeds, srcs));
    for (let i = 0; i < srcs.length; i++) grads[i] = this.resolve(srcs[i], grads[i], options.unconnectedGradients);
    return rebuild(grads);
  }

  /**
   * The Jacobian of `target` with respect to each source: shape `[...target.shape, ...source.shape]`.
   * @example
   * const x = tg.tensor([1, 2]);
   * using tape = new tg.GradientTape();
   * tape.watch(x);
   * const y = x.mul(x);
   * tape.jacobian(y, x); // [[2, 0], [0, 4]]
   */
  jacobian<S extends Sources>(
    target: Tensor,
    sources: S,
    options: { unconnectedGradients?: UnconnectedGradients } = {},
  ): GradientsOf<S> {
    const [t] = this.checkTargets('jacobian', target);
    const { flat, rebuild } = flattenSources<S, Tensor | null>(sources);
    const srcs = this.checkSources('jacobian', flat);
    return rebuild(jacobianOf(t, srcs, (seeds) => this.seededGradients(t, srcs, seeds), options.unconnectedGradients));
  }

  /**
   * For a target `[B, ...]` and a source `[B, ...]` whose batch rows are independent: the Jacobian
   * of each row, shape `[B, ...targetRest, ...sourceRest]`.
   * @example
   * const x = tg.tensor([[1, 2], [3, 4]]);
   * using tape = new tg.GradientTape();
   * tape.watch(x);
   * tape.batchJacobian(x.mul(x), x); // [[[2, 0], [0, 4]], [[6, 0], [0, 8]]]
   */
  batchJacobian(
    target: Tensor,
    source: Source,
    options: { unconnectedGradients?: UnconnectedGradients } = {},
  ): Tensor | null {
    const [t] = this.checkTargets('batchJacobian', target);
    const [s] = this.checkSources('batchJacobian', [source]);
    if (t.rank < 1 || s.rank < 1 || t.shape[0] !== s.shape[0]) {
      throw new TapeError(
        `GradientTape.batchJacobian: target ${fmtShape(t.shape)} and source ${fmtShape(s.shape)} need the same leading batch dimension`,
      );
    }
    return batchJacobianOf(t, s, (seeds) => this.seededGradients(t, [s], seeds), options.unconnectedGradients);
  }

  /** One backward walk per seed of `t`, the whole counting as one use of the tape. */
  private seededGradients(t: Tensor, srcs: Source[], seeds: readonly Tensor[]): (Tensor | null)[][] {
    return this.use(() => seeds.map((seed) => this.gradientsOf([t], [seed], srcs)));
  }

  private checkTargets(op: string, target: Source | readonly Source[]): Tensor[] {
    const list: readonly Source[] = Array.isArray(target) ? target : [target];
    const tensors: Tensor[] = new Array(list.length);
    let variables = false;
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      variables ||= t instanceof Variable;
      const x = t instanceof Variable ? t.peek() : t;
      if (!(x instanceof Tensor)) {
        throw new TapeError(
          `GradientTape.${op}: target ${Array.isArray(target) ? `[${i}] ` : ''}is ${x === null ? 'null' : typeof x}, not a Tensor; pass the tensor that the recorded ops returned`,
        );
      }
      if (!isFloat(x.dtype)) {
        throw new TapeError(
          `GradientTape.${op}: the target has dtype ${x.dtype}; only float32 and float64 targets can be differentiated (cast before the op, not after)`,
        );
      }
      tensors[i] = x;
    }
    // only once every target is valid: a variable as the target (TF: `result = v0`) is its
    // current value, read on this tape
    if (variables) {
      for (const t of list) {
        if (t instanceof Variable && (this.variables.has(t.id) || (this.watchAccessedVariables && t.trainable)))
          this.watchVariable(t, t.peek());
      }
    }
    return tensors;
  }

  private checkSources(op: string, flat: unknown[]): Source[] {
    const out: Source[] = new Array(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const s = flat[i];
      if (!isSource(s)) {
        throw new TapeError(
          `GradientTape.${op}: source ${i} is ${s === null ? 'null' : typeof s}, not a Tensor or Variable; pass the tensors or variables to differentiate with respect to`,
        );
      }
      if (!isFloat(s.dtype)) {
        throw new TapeError(
          `GradientTape.${op}: source ${i} has dtype ${s.dtype}; only float32 and float64 sources have gradients`,
        );
      }
      out[i] = s;
    }
    return out;
  }

  /**
   * Runs `fn` as one use of the tape: a non-persistent tape allows one, and stops recording at
   * its start; its records are dropped at the end.
   */
  private use<T>(fn: () => T): T {
    if (this.used) throw new TapeError(USED_MESSAGE);
    if (!this.persistent) {
      // NOTE: as TF, a non-persistent tape stops recording at its first gradient() (its own
      // backward ops go only to outer tapes); a persistent tape keeps recording, so calling
      // gradient() inside its block records the gradient computation and allows second derivatives.
      this.used = true;
      this.dispose();
    }
    try {
      return fn();
    } finally {
      if (!this.persistent) this.records = [];
    }
  }

  /** One backward walk: the gradient of each source (a variable's summed over every value read). */
  private gradientsOf(
    targets: readonly Tensor[],
    seeds: readonly Tensor[],
    srcs: readonly Source[],
  ): (Tensor | null)[] {
    const ids: (readonly number[])[] = new Array(srcs.length);
    const sourceIds = new Set<number>();
    for (let i = 0; i < srcs.length; i++) {
      const list = this.sourceIds(srcs[i]);
      ids[i] = list;
      for (let j = 0; j < list.length; j++) sourceIds.add(list[j]);
    }
    const seedMap = new Map<number, Tensor>();
    for (let i = 0; i < targets.length; i++) {
      const prev = seedMap.get(targets[i].id);
      seedMap.set(targets[i].id, prev === undefined ? seeds[i] : add(prev, seeds[i]));
    }
    const grads = backprop(this.records, seedMap, sourceIds);
    const out: (Tensor | null)[] = new Array(srcs.length);
    for (let i = 0; i < srcs.length; i++) {
      let total: Tensor | null = null;
      for (const id of ids[i]) {
        const g = grads.get(id);
        if (g !== undefined) total = total === null ? g : add(total, g);
      }
      out[i] = total;
    }
    return out;
  }

  /** The tensor ids that stand for a source: a variable's every value read, a watched tensor itself. */
  private sourceIds(s: Source): readonly number[] {
    if (s instanceof Variable) return this.variables.get(s.id)?.reads ?? [];
    // as TF, a tensor the tape never watched gets no gradient even if it fed a recorded op
    return this.watched.has(s.id) ? [s.id] : [];
  }

  private resolve(s: Source, g: Tensor | null, unconnected: UnconnectedGradients = 'none'): Tensor | null {
    if (unconnected !== 'none' && unconnected !== 'zero') {
      throw new TapeError(
        `GradientTape.gradient: unconnectedGradients must be 'none' or 'zero', got ${JSON.stringify(unconnected)}`,
      );
    }
    if (g === null) return unconnected === 'zero' ? zeros(s.shape, s.dtype) : null;
    return g;
  }
}
