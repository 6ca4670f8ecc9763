// GradientTape: records the ops that touch what it watches, and answers gradient() by walking those
// records backwards (tape.ts), jacobian() and batchJacobian() by one forward walk with a batch of
// tangents or one backward walk per target element (jacobian.ts, jacobian_forward.ts).
// TensorFlow's semantics, spelled for TypeScript.
import { DISPOSE } from '../core/dispose';
import { isFloat } from '../core/dtype';
import { TapeError } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import type { OpRecord } from '../core/recording';
import { Tensor } from '../core/tensor';
import { TrackedSet } from '../core/tracked';
import { Variable } from '../core/variable';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import { add } from '../ops/prims/binary';
import { cast } from '../ops/prims/cast';
import { onesLike, zeros } from '../ops/create';
import { backpropSlots } from './tape';
import { batchJacobianOf, jacobianOf } from './jacobian';
import type { JacobianTape } from './jacobian';
import { RecorderBase, warnFirst } from './recorder';
import { traceDot, traceLines } from './trace';
import type { ExplainNotes, OtherTape } from './explain';
import { explainGradient } from './explain';
import { gradientListened, reportGradient } from './gradient_graph';
import { activeRecorders } from '../core/recording';
import { nextId } from '../core/ids';
import type { GradientsOf, Source, Sources } from './structure';
import { flattenLike, flattenSources, isSource, sourceList } from './structure';

/** A variable the tape watches: the ids of the values it read, the last one apart. */
interface WatchedVariable {
  readonly variable: Variable;
  readonly reads: number[];
  /** The slot of each value read in the tape's tracked set. */
  readonly slots: number[];
  /** The id of the value of the last read (-1 before one): reading it again changes nothing. */
  last: number;
}

/** Few variables are looked up in a list: a tape is made per step, and a Map costs W1 ~3%. */
const LIST_VARIABLES = 8;

/**
 * The watched variables by variable id, in the order first read: a short list searched in order,
 * with a Map index once it grows past LIST_VARIABLES.
 */
class WatchedVariables {
  private readonly list: WatchedVariable[] = [];
  private index: Map<number, WatchedVariable> | null = null;

  get(id: number): WatchedVariable | undefined {
    if (this.index !== null) return this.index.get(id);
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i].variable.id === id) return list[i];
    return undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Adds the entry of a variable not in the table yet. */
  add(entry: WatchedVariable): void {
    this.list.push(entry);
    if (this.index !== null) this.index.set(entry.variable.id, entry);
    else if (this.list.length > LIST_VARIABLES) this.index = new Map(this.list.map((e) => [e.variable.id, e]));
  }

  values(): readonly WatchedVariable[] {
    return this.list;
  }

  clear(): void {
    this.list.length = 0;
    this.index = null;
  }

  /** The entries as a Map by variable id (for explain()). */
  asMap(): Map<number, WatchedVariable> {
    return new Map(this.list.map((e) => [e.variable.id, e]));
  }
}

/** Options of `new GradientTape()`. */
export interface GradientTapeOptions {
  /** A persistent tape answers `gradient()` any number of times. Default false. */
  persistent?: boolean;
  /** Watch trainable variables as soon as an op reads them. Default true. */
  watchAccessedVariables?: boolean;
}

/** What a source the target does not depend on gets: `null` (default) or zeros. */
export type UnconnectedGradients = 'none' | 'zero';

/**
 * `outputGradients`: the target's structure, with one upstream gradient (or `null` for the
 * default, ones) in place of each target tensor.
 */
export type OutputGradients =
  TensorLike | null | readonly OutputGradients[] | { readonly [name: string]: OutputGradients };

/** Options of `tape.gradient()`. */
export interface GradientOptions {
  /**
   * The upstream gradient of each target (default: ones, i.e. the gradient of the sum), in the
   * target's structure: one gradient for one target tensor, an array for an array of targets
   * (`gradient([y], x, { outputGradients: [dy] })`), a record for a record.
   */
  outputGradients?: OutputGradients;
  unconnectedGradients?: UnconnectedGradients;
}

/** Anything `watch()` accepts: a tensor or variable, or any nesting of arrays and records of them. */
export type Watchable = Sources;

/** TF's `log_first_n(WARN, …, 5)`: the non-float watch warning is given the first 5 times. */
const WATCH_WARNINGS = 5;

const USED_MESSAGE = 'GradientTape.gradient can only be called once on non-persistent tapes.';

/**
 * Records operations for automatic differentiation, like `tf.GradientTape`. Construction starts
 * recording; the end of a `using` block (or `dispose()`) stops it.
 *
 * A tape records until it is disposed, where TF's records only inside its `with` block: make it
 * with `using tape = new tg.GradientTape()`, or call `tape.dispose()`. A forgotten persistent
 * tape keeps every later op on what it watches (and the tensors they touch) for as long as it
 * lives, and costs every such op a little time; when more than 64 tapes and accumulators are
 * active at once, tapegrad warns once (`console.warn`) with the count. A non-persistent tape
 * stops recording at its first `gradient()` (or `jacobian()`), as in TF.
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
  /** What the tape follows: the tensors it watches and the outputs of what it recorded. */
  private tracked = new TrackedSet();
  /** Watched variables (non-float ones too: listed, never differentiated), with every value read. */
  private readonly variables = new WatchedVariables();
  private used = false;
  /**
   * For explain(), made on first use (a tape is made per step in a training loop): the ops seen on
   * what the tape follows but not recorded (ids only) and their outputs, when watch() took each
   * tensor, the values of variables read while paused; and the ids when the tape started and stopped.
   */
  private explained: ExplainNotes | null = null;
  private readonly startId = nextId();
  /** The id counter when the tape stopped recording (-1 while it records), and whether gradient() stopped it. */
  private stopId = -1;
  private stoppedByUse = false;
  /** A non-persistent tape keeps its records after gradient() when a gradient was null, for explain(). */
  private sawNull = false;
  private recordsDropped = false;
  constructor(options: GradientTapeOptions = {}) {
    // the tape is itself the recorder the op stack talks to (its recorder methods are @internal)
    super();
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  protected tracks(id: number): boolean {
    return this.tracked.hasId(id);
  }

  /** @internal RecorderBase's, with the tensors' own field in place of an id lookup (W1's hot path). */
  override wants(inputs: readonly Tensor[]): boolean {
    if (!this.active || this.paused !== 0) return false;
    const tracked = this.tracked;
    for (let i = 0; i < inputs.length; i++) if (tracked.has(inputs[i])) return true;
    return false;
  }

  /** @internal */
  record(op: OpRecord): void {
    this.records.push(op);
    this.tracked.add(op.output);
  }

  private get notes(): ExplainNotes {
    return (this.explained ??= { notes: [], noted: new Set(), watchTimes: new Map(), pausedReads: new Map() });
  }

  /** @internal */
  note(name: string, inputs: readonly Tensor[], output: Tensor, differentiable: boolean): void {
    if (!this.active) return;
    const paused = this.paused !== 0;
    const noted = this.explained?.noted;
    // a recordable op the tape did not want has no watched input: only noted ones matter
    if (!paused && differentiable && noted === undefined && isFloat(output.dtype)) return;
    let follows = false;
    for (let i = 0; i < inputs.length && !follows; i++)
      follows = this.tracked.has(inputs[i]) || noted?.has(inputs[i].id) === true;
    if (!follows) return;
    const why = paused
      ? 'paused'
      : !differentiable
        ? 'no-derivative'
        : !isFloat(output.dtype)
          ? 'non-float'
          : 'untracked';
    const n = this.notes;
    n.notes.push({ name, inputs: inputs.map((t) => t.id), output: output.id, dtype: output.dtype, why });
    n.noted.add(output.id);
  }

  /** @internal */
  variableRead(variable: Variable, value: Tensor): void {
    if (this.active && this.paused === 0) {
      const entry = this.variables.get(variable.id);
      // NOTE: the hot path: a read of the value this tape took at the variable's last read
      if (entry !== undefined && entry.last === value.id) return;
      // as TF (resource_variable_ops.variable_accessed): any trainable variable read is watched,
      // whatever its dtype; a non-float one is listed by watchedVariables() but never differentiated
      if (entry === undefined && !(this.watchAccessedVariables && variable.trainable)) return;
      this.watchVariable(variable, value, entry);
    } else if (this.active && this.pausedRead(variable) && isFloat(value.dtype) && !this.tracked.has(value)) {
      // for explain(): ops on a value read while paused are noted as such
      const n = this.notes;
      let read = n.pausedReads.get(variable.id);
      if (!read) n.pausedReads.set(variable.id, (read = { name: variable.name, ids: [] }));
      if (!read.ids.includes(value.id)) read.ids.push(value.id);
      n.noted.add(value.id);
    }
  }

  /** True when a read of this variable would be watched were the tape not paused. */
  private pausedRead(variable: Variable): boolean {
    return this.variables.has(variable.id) || (this.watchAccessedVariables && variable.trainable);
  }

  private watchVariable(
    variable: Variable,
    value: Tensor,
    known: WatchedVariable | undefined = this.variables.get(variable.id),
  ): void {
    // NOTE: TF records an op only if a watched input has a float dtype (tape.h ShouldRecord), so a
    // non-float value is never tracked: nothing is recorded on it and it gets no gradient.
    const float = isFloat(value.dtype);
    const added = float && this.tracked.add(value);
    if (known === undefined) {
      // the first read, made in one go (each training step's tape reads every variable anew)
      const entry = added
        ? { variable, reads: [value.id], slots: [value.slot], last: value.id }
        : { variable, reads: [], slots: [], last: float ? value.id : -1 };
      this.variables.add(entry);
      return;
    }
    if (added) {
      known.reads.push(value.id);
      known.slots.push(value.slot);
    }
    if (float) known.last = value.id;
  }

  /**
   * Watches tensors (constants are not watched by default) or variables: a tensor, or any nesting
   * of arrays and records of them. As in TF, a non-float tensor is not watched (it could carry no
   * gradient): `watch` warns (the first 5 times) and ignores it; a non-float variable is listed
   * by `watchedVariables()` but gets no gradient either.
   * @example
   * const x = tg.scalar(3);
   * using tape = new tg.GradientTape();
   * tape.watch(x);
   * tape.gradient(x.mul(x), x); // 6
   */
  watch(x: Watchable): void {
    const { flat } = flattenSources(x, 'GradientTape.watch');
    // every leaf is checked before anything is watched: a refused call changes nothing
    flat.forEach((s, i) => {
      if (!isSource(s)) {
        throw new TapeError(
          `GradientTape.watch: expected a tensor, a variable, or arrays and records of them, got ${s === null ? 'null' : typeof s}${flat.length > 1 ? ` (leaf ${i})` : ''}`,
        );
      }
    });
    for (const s of flat as Source[]) {
      if (!isFloat(s.dtype)) {
        // NOTE: as TF (GradientTape.watch logs "The dtype of the watched tensor must be floating"
        // with log_first_n(WARN, …, 5) and goes on): a warning, not an error
        warnFirst(
          'GradientTape.watch',
          WATCH_WARNINGS,
          `GradientTape.watch: the dtype of the watched ${s instanceof Variable ? `variable '${s.name}'` : 'tensor'} must be floating (float32 or float64), got ${s.dtype} (shape ${fmtShape(s.shape)}); it gets no gradient. Cast it first: cast(x, 'float32')`,
        );
      }
      if (s instanceof Variable) this.watchVariable(s, s.peek());
      else if (isFloat(s.dtype)) {
        this.tracked.add(s);
        const times = this.notes.watchTimes;
        if (!times.has(s.id)) times.set(s.id, nextId());
      }
    }
  }

  /**
   * The variables this tape watches, in the order they were created (TF sorts them by id), non-float
   * ones included.
   * @example
   * const x = new tg.Variable(1, { name: 'x' });
   * const y = new tg.Variable(2, { name: 'y' });
   * using tape = new tg.GradientTape();
   * y.mul(x); // y is read first
   * tape.watchedVariables().map((v) => v.name); // ['x', 'y']
   */
  watchedVariables(): Variable[] {
    // as TF (pywrap_tfe_src.cc: watched variables are a std::set ordered by the handle's id, which
    // is taken when the variable is made); ids here are increasing with creation too
    return Array.from(this.variables.values(), (e) => e.variable).sort((a, b) => a.id - b.id);
  }

  /**
   * Forgets everything recorded and watched, as if a new tape had been started in its place.
   * Only while the tape records: as TF ("Tape is not recording"), it is a TapeError after
   * `dispose()` (the end of its `using` block), after `gradient()` on a non-persistent tape, and
   * inside `stopRecording()`.
   * @example
   * const x = new tg.Variable(3);
   * using tape = new tg.GradientTape();
   * x.mul(x);
   * tape.reset();
   * tape.watchedVariables(); // []
   * String(tape); // 'GradientTape(persistent=false, 0 ops)'
   */
  reset(): void {
    if (!this.recording) {
      // as TF: GradientTape.reset pops the tape, and _pop_tape raises "Tape is not recording."
      throw new TapeError(
        `GradientTape.reset: Tape is not recording (${this.active ? 'inside stopRecording()' : this.used ? 'a non-persistent tape stops at its gradient()' : 'it was disposed'}); reset() only works while the tape records. Use a new tape instead`,
      );
    }
    this.records = [];
    this.tracked = new TrackedSet();
    this.variables.clear();
    this.explained = null;
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
   * Why the gradient of `target` with respect to `source` is `null` — the source is not watched
   * (or watched too late), a variable is not trainable, the target was computed before the tape was
   * made or after it stopped, on another tape, or only through ops that pass no gradient (named:
   * `argMax`, `floor`, a cast to int32, `stopGradient`, an op inside `stopRecording()`) — or, when
   * they are connected, the recorded ops from the source to the target, named as in `toString()`.
   * A non-persistent tape keeps its records after `gradient()` only when a gradient was null; make
   * it persistent to see the path of a gradient that was not.
   * @example
   * const x = new tg.Variable([1, 5, 2], { name: 'x' });
   * using tape = new tg.GradientTape();
   * const i = tg.argMax(x).cast('float32'); // 1
   * tape.gradient(i, x); // null
   * const why = tape.explain(i, x).split('\n');
   * why[0].endsWith("only through ops that pass no gradient: 'argMax' is not differentiable (by design, as in TF)."); // true
   * why[1]; // '  u1 = argMax(x)   int32, not recorded: no derivative'
   * why[2]; // '  u2 = cast(u1)    float32, not recorded: its inputs carry no gradient'
   */
  explain(target: Source, source: Source): string {
    const t = target instanceof Variable ? target.peek() : target;
    if (!(t instanceof Tensor)) throw new TapeError('GradientTape.explain: the target must be a Tensor or a Variable');
    if (!isSource(source)) throw new TapeError('GradientTape.explain: the source must be a Tensor or a Variable');
    const others: OtherTape[] = [];
    for (const r of activeRecorders) if (r instanceof GradientTape && r !== this) others.push(r.asOther());
    const n = this.notes;
    return explainGradient(
      {
        persistent: this.persistent,
        watchAccessedVariables: this.watchAccessedVariables,
        records: this.records,
        recordsDropped: this.recordsDropped,
        notes: n.notes,
        watched: this.tracked.idSet(),
        watchTimes: n.watchTimes,
        variables: this.variables.asMap(),
        pausedReads: n.pausedReads,
        variableNames: this.variableNames(),
        startId: this.startId,
        stop: this.stopId < 0 ? null : { id: this.stopId, used: this.stoppedByUse },
        others,
      },
      t,
      target instanceof Variable ? `variable '${target.name}'` : null,
      source,
      source instanceof Variable,
    );
  }

  private asOther(): OtherTape {
    return {
      produces: (id) => this.records.some((r) => r.output.id === id),
      watches: (id) => this.tracked.hasId(id),
    };
  }

  /** @internal RecorderBase's dispose(), noting when the tape stopped (for explain()). */
  override dispose(): void {
    if (this.active) {
      this.stopId = nextId();
      this.stoppedByUse = this.used;
    }
    super.dispose();
  }

  /**
   * The gradient of the target(s) with respect to the sources, in the sources' structure (a
   * source, or any nesting of arrays and records of them). Several targets (any nesting too), or a
   * non-scalar target, mean their sum (unless `outputGradients` is given, in the target's
   * structure). A source the target does not depend on gets `null` (or zeros with
   * `unconnectedGradients: 'zero'`); so does, as in TF, a non-float source, and every source of a
   * non-float target.
   * @example
   * const x = new tg.Variable(3);
   * using tape = new tg.GradientTape();
   * const y = x.mul(x);
   * tape.gradient(y, x); // Tensor(6, shape=[], dtype=float32)
   */
  gradient<const S extends Sources>(target: Sources, sources: S, options: GradientOptions = {}): GradientsOf<S> {
    let targets: Tensor[];
    let nested = false;
    // NOTE: one tensor, the usual target, has no structure to walk (W1's hot path)
    if (target instanceof Tensor) targets = [target];
    else {
      const { flat: flatTargets, single } = flattenSources(target, 'GradientTape.gradient');
      nested = !single;
      targets = this.checkTargets('gradient', flatTargets, nested);
    }
    // NOTE: a flat list of sources, the usual form, is taken as it is, without a rebuild (W1's hot path)
    let srcs = sourceList(sources);
    let rebuild: ((values: (Tensor | null)[]) => GradientsOf<S>) | null = null;
    if (srcs === null) {
      const structure = flattenSources<S, Tensor | null>(sources, 'GradientTape.gradient');
      srcs = this.checkSources('gradient', structure.flat);
      rebuild = structure.rebuild;
    }
    let ups: unknown[] | undefined;
    if (options.outputGradients !== undefined) {
      // NOTE: outputGradients mirrors the target's structure (TF flattens both with nest): one
      // gradient for one target tensor, even a plain array like [1, 2]; an array for an array.
      const flatUps = flattenLike(target, options.outputGradients, 'outputGradients');
      if (typeof flatUps === 'string') throw new TapeError(`GradientTape.gradient: ${flatUps}`);
      ups = flatUps;
    }
    const seeds: (Tensor | null)[] = new Array(targets.length);
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      const u = ups?.[i];
      // as TF, a missing (null) output gradient is the default, ones
      const g =
        u === undefined || u === null ? onesLike(t) : cast(toTensor('gradient', u as TensorLike, t.dtype), t.dtype);
      if (g.shape !== t.shape && !sameShape(g.shape, t.shape)) {
        throw new TapeError(
          `GradientTape.gradient: outputGradients${nested ? `[${i}]` : ''} has shape ${fmtShape(g.shape)} but its target has shape ${fmtShape(t.shape)}`,
        );
      }
      // as TF, a non-float target has no gradient to give (Cast's gradient to an int is None)
      seeds[i] = isFloat(t.dtype) ? g : null;
    }
    const unconnected = checkUnconnected('gradient', options.unconnectedGradients);
    let allLive = true;
    for (let i = 0; i < seeds.length; i++) allLive &&= seeds[i] !== null;
    const live = allLive ? targets : targets.filter((_, i) => seeds[i] !== null);
    const liveSeeds = allLive ? (seeds as Tensor[]) : seeds.filter((g): g is Tensor => g !== null);
    this.startUse();
    let grads: (Tensor | null)[];
    try {
      grads = this.gradientsOf(live, liveSeeds, srcs, true);
    } finally {
      this.endUse();
    }
    for (let i = 0; i < srcs.length; i++) {
      const g = grads[i];
      if (g === null && unconnected === 'zero') grads[i] = zeros(srcs[i].shape, srcs[i].dtype);
    }
    return rebuild === null ? (grads as GradientsOf<S>) : rebuild(grads);
  }

  /**
   * The Jacobian of `target` with respect to each source (a source, or any nesting of arrays and
   * records of them): shape `[...target.shape, ...source.shape]`.
   * @example
   * const x = tg.tensor([1, 2]);
   * using tape = new tg.GradientTape();
   * tape.watch(x);
   * const y = x.mul(x);
   * tape.jacobian(y, x); // [[2, 0], [0, 4]]
   */
  jacobian<const S extends Sources>(
    target: Tensor,
    sources: S,
    options: { unconnectedGradients?: UnconnectedGradients } = {},
  ): GradientsOf<S> {
    const [t] = this.checkTargets('jacobian', [target], false);
    const { flat, rebuild } = flattenSources<S, Tensor | null>(sources, 'GradientTape.jacobian');
    const srcs = this.checkSources('jacobian', flat);
    const unconnected = checkUnconnected('jacobian', options.unconnectedGradients);
    return rebuild(this.use(() => jacobianOf(t, srcs, this.jacobianTape(t), unconnected)));
  }

  /**
   * For a target `[B, ...]` and a source `[B, ...]` whose batch rows are independent: the Jacobian
   * of each row, shape `[B, ...targetRest, ...sourceRest]`. Zeros where the target does not
   * depend on the source (TF returns zeros there, whatever `unconnectedGradients` says).
   * @example
   * const x = tg.tensor([[1, 2], [3, 4]]);
   * using tape = new tg.GradientTape();
   * tape.watch(x);
   * tape.batchJacobian(x.mul(x), x); // [[[2, 0], [0, 4]], [[6, 0], [0, 8]]]
   */
  batchJacobian(target: Tensor, source: Source, options: { unconnectedGradients?: UnconnectedGradients } = {}): Tensor {
    const [t] = this.checkTargets('batchJacobian', [target], false);
    const [s] = this.checkSources('batchJacobian', [source]);
    const unconnected = checkUnconnected('batchJacobian', options.unconnectedGradients);
    if (t.rank < 1 || s.rank < 1 || t.shape[0] !== s.shape[0]) {
      throw new TapeError(
        `GradientTape.batchJacobian: target ${fmtShape(t.shape)} and source ${fmtShape(s.shape)} need the same leading batch dimension`,
      );
    }
    return this.use(() => batchJacobianOf(t, s, this.jacobianTape(t), unconnected));
  }

  /** One backward walk per seed of `t` (inside the one use() of the jacobian that asks for them). */
  private seededGradients(t: Tensor, srcs: readonly Source[], seeds: readonly Tensor[]): (Tensor | null)[][] {
    // a non-float target gives every source null, as in gradient()
    return seeds.map((seed) => (isFloat(t.dtype) ? this.gradientsOf([t], [seed], srcs) : srcs.map(() => null)));
  }

  /**
   * What jacobian.ts needs of this tape for a Jacobian of `t`: the records (walked forward with a
   * batch of tangents where that is cheaper), the ids of a source, and the reverse walks.
   */
  private jacobianTape(t: Tensor): JacobianTape {
    return {
      records: this.records,
      sourceIds: (s) => this.sourceIds(s),
      walk: (srcs, seeds) => this.seededGradients(t, srcs, seeds),
      sawNull: () => {
        this.sawNull = true;
      },
    };
  }

  private checkTargets(op: string, list: readonly unknown[], nested: boolean): Tensor[] {
    const tensors: Tensor[] = new Array(list.length);
    let variables = false;
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      variables ||= t instanceof Variable;
      const x = t instanceof Variable ? t.peek() : t;
      if (!(x instanceof Tensor)) {
        throw new TapeError(
          `GradientTape.${op}: target ${nested ? `[${i}] ` : ''}is ${x === null ? 'null' : typeof x}, not a Tensor; pass the tensor that the recorded ops returned`,
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
      // a non-float source is allowed and gets null, as in TF
      out[i] = s;
    }
    return out;
  }

  /**
   * Runs `fn` as one use of the tape: a non-persistent tape allows one, and stops recording at
   * its start; its records are dropped at the end.
   */
  private use<T>(fn: () => T): T {
    this.startUse();
    try {
      return fn();
    } finally {
      this.endUse();
    }
  }

  /** The start of `use` (gradient() calls it and endUse without a closure: W1's hot path). */
  private startUse(): void {
    if (this.used) throw new TapeError(USED_MESSAGE);
    if (!this.persistent) {
      // NOTE: as TF, a non-persistent tape stops recording at its first gradient() (its own
      // backward ops go only to outer tapes); a persistent tape keeps recording, so calling
      // gradient() inside its block records the gradient computation and allows second derivatives.
      this.used = true;
      this.dispose();
    }
  }

  /** The end of `use`. */
  private endUse(): void {
    if (this.persistent) return;
    // a used non-persistent tape asks for no slot again (only explain(), by id)
    this.tracked.retire();
    // NOTE: kept when a gradient was null, so that explain() can say why
    if (!this.sawNull) {
      this.records = [];
      this.recordsDropped = true;
    }
  }

  /** One backward walk: the gradient of each source (a variable's summed over every value read). */
  private gradientsOf(
    targets: readonly Tensor[],
    seeds: readonly Tensor[],
    srcs: readonly Source[],
    reporting = false,
  ): (Tensor | null)[] {
    const tracked = this.tracked;
    const slots: (readonly number[])[] = new Array(srcs.length);
    const sourceSlots: number[] = [];
    for (let i = 0; i < srcs.length; i++) {
      const list = this.sourceSlots(srcs[i]);
      slots[i] = list;
      for (let j = 0; j < list.length; j++) sourceSlots.push(list[j]);
    }
    const grads = new Array<Tensor | undefined>(tracked.size);
    for (let i = 0; i < targets.length; i++) {
      // an untracked target reaches no source
      const s = tracked.slotOf(targets[i]);
      if (s < 0) continue;
      const prev = grads[s];
      grads[s] = prev === undefined ? seeds[i] : add(prev, seeds[i]);
    }
    const listened = reporting && gradientListened();
    backpropSlots(this.records, tracked, grads, sourceSlots, listened);
    if (listened) this.reportSlots(targets, srcs, slots, grads);
    const out: (Tensor | null)[] = new Array(srcs.length);
    for (let i = 0; i < srcs.length; i++) {
      let total: Tensor | null = null;
      const list = slots[i];
      for (let j = 0; j < list.length; j++) {
        const g = grads[list[j]];
        if (g !== undefined) total = total === null ? g : add(total, g);
      }
      if (total === null) this.sawNull = true;
      out[i] = total;
    }
    return out;
  }

  /** `report` of a walk over slots: its slots as tensor ids. */
  private reportSlots(
    targets: readonly Tensor[],
    srcs: readonly Source[],
    slots: readonly (readonly number[])[],
    grads: readonly (Tensor | undefined)[],
  ): void {
    const tracked = this.tracked;
    const byId = new Map<number, Tensor>();
    for (let s = 0; s < grads.length; s++) {
      const g = grads[s];
      if (g !== undefined) byId.set(tracked.idAt(s), g);
    }
    const ids = slots.map((list) => list.map((s) => tracked.idAt(s)));
    this.report(targets, srcs, ids, byId);
  }

  /** Hands the graph of this walk to `debugging.onGradient`'s listeners. */
  private report(
    targets: readonly Tensor[],
    srcs: readonly Source[],
    ids: readonly (readonly number[])[],
    grads: ReadonlyMap<number, Tensor>,
  ): void {
    const names = new Map<number, string>();
    const values = new Map<number, Tensor>();
    for (let i = 0; i < srcs.length; i++) {
      const s = srcs[i];
      if (s instanceof Variable) {
        for (const id of ids[i]) names.set(id, s.name);
      } else if (ids[i].length > 0) {
        names.set(s.id, 'watched');
        values.set(s.id, s);
      }
    }
    // a variable's reads are the tensors the records took as inputs
    for (const r of this.records) for (const x of r.inputs) if (names.has(x.id)) values.set(x.id, x);
    for (const t of targets) if (names.has(t.id)) values.set(t.id, t);
    reportGradient(this.records, targets, names, values, grads);
  }

  /** The tracked slots that stand for a source: a variable's every value read, a watched tensor itself. */
  private sourceSlots(s: Source): readonly number[] {
    if (!isFloat(s.dtype)) return [];
    if (s instanceof Variable) return this.variables.get(s.id)?.slots ?? [];
    // as TF, a tensor the tape never watched gets no gradient even if it fed a recorded op
    const slot = this.tracked.slotOf(s);
    return slot >= 0 ? [slot] : [];
  }

  /** The tensor ids that stand for a source: a variable's every value read, a watched tensor itself. */
  private sourceIds(s: Source): readonly number[] {
    if (!isFloat(s.dtype)) return [];
    if (s instanceof Variable) return this.variables.get(s.id)?.reads ?? [];
    // as TF, a tensor the tape never watched gets no gradient even if it fed a recorded op
    return this.tracked.has(s) ? [s.id] : [];
  }
}

/** The `unconnectedGradients` option, checked before the tape is used. */
function checkUnconnected(op: string, u: UnconnectedGradients | undefined): UnconnectedGradients {
  if (u === undefined) return 'none';
  if (u !== 'none' && u !== 'zero') {
    throw new TapeError(`GradientTape.${op}: unconnectedGradients must be 'none' or 'zero', got ${JSON.stringify(u)}`);
  }
  return u;
}
