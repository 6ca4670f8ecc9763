// tg.Checkpoint (tf.train.Checkpoint): modules, optimizers, metrics and variables saved as safetensors bytes under
// their attribute paths, and restored all or nothing, so that training resumes bit for bit.
import { requireBoolean, requireOptions } from '../core/args';
import { ArgumentError, DTypeError, ShapeError, describe } from '../core/errors';
import { isFloat } from '../core/dtype';
import { fmtShape, sameShape } from '../core/shape';
import type { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import { Metric } from '../metrics/metric';
import type { GlobalEntry, SlotEntry } from '../optimizers/optimizer';
import { Optimizer } from '../optimizers/optimizer';
import { Layer } from '../layers/layer';
import { Module, flattenModule } from '../layers/module';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

/**
 * What a checkpoint can hold: Modules (layers, models), optimizers, metrics, Variables, and arrays, Maps and plain
 * objects of them.
 */
export type Checkpointable =
  | Module
  | Optimizer
  | Metric
  | Variable
  | readonly Checkpointable[]
  | ReadonlyMap<unknown, Checkpointable>
  | { readonly [key: string]: Checkpointable };

/** Options of `Checkpoint.restore`. */
export interface RestoreOptions {
  /**
   * Accept names the objects have but the checkpoint lacks (they keep their values) and names the checkpoint has
   * but the objects lack (they are ignored): TF's `expect_partial()`. Default false. A shape or dtype that differs
   * is an error all the same.
   */
  allowPartial?: boolean;
}

/** What `Checkpoint.restore` did not match (only ever non-empty with `allowPartial`). */
export interface RestoreResult {
  /** Names the objects have that the checkpoint lacks; those kept their values. */
  missing: string[];
  /** Names in the checkpoint that nothing took. */
  unexpected: string[];
}

/** The `__metadata__` every checkpoint is written with. */
export const CHECKPOINT_METADATA: Readonly<Record<string, string>> = Object.freeze({
  format: 'tapegrad-checkpoint',
  version: '1',
});

/** Everything reachable from a checkpoint's objects. */
interface Graph {
  /** Each variable once, under the first path that reaches it, in the order found. */
  variables: Map<string, Variable>;
  pathOf: Map<Variable, string>;
  optimizers: { path: string; optimizer: Optimizer }[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const isTracked = (v: unknown): v is Module | Variable | Metric | Optimizer =>
  v instanceof Module || v instanceof Variable || v instanceof Metric || v instanceof Optimizer;

/** `'a', 'b', 'c'`. */
const quoteAll = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

/**
 * Finds every variable and optimizer reachable from `objects`, as tf.Module finds variables: plain-object keys
 * sorted, arrays in index order, Maps in insertion order, inside a Module its `flattenModule` order. In the
 * checkpoint's own containers every leaf must be trackable; inside Modules and metrics other values are ignored.
 * Unbuilt layers and name collisions are errors naming `op`.
 */
function collect(op: string, objects: Record<string, Checkpointable>): Graph {
  const graph: Graph = { variables: new Map(), pathOf: new Map(), optimizers: [] };
  const seen = new Set<object>();
  const unbuilt: string[] = [];
  const clashes: string[] = [];
  const addVariable = (v: Variable, path: string[]) => {
    if (graph.pathOf.has(v)) return;
    const name = path.join('/');
    if (graph.variables.has(name)) clashes.push(name);
    else {
      graph.variables.set(name, v);
      graph.pathOf.set(v, name);
    }
  };
  const checkBuilt = (m: Module, path: string[]) => {
    if (m instanceof Layer && !m.built) unbuilt.push(`layer '${m.name}' at '${path.join('/')}'`);
  };
  const walk = (v: unknown, path: string[], strict: boolean, stack: Set<object>): void => {
    if (v instanceof Variable) return addVariable(v, path);
    if (v instanceof Optimizer) {
      if (!seen.has(v)) graph.optimizers.push({ path: path.join('/'), optimizer: v });
      seen.add(v);
      return;
    }
    if (v instanceof Module) {
      if (seen.has(v)) return;
      seen.add(v);
      checkBuilt(v, path);
      for (const e of flattenModule(v, isTracked)) {
        const full = [...path, ...e.path];
        if (e.value instanceof Module) checkBuilt(e.value, full);
        else walk(e.value, full, false, new Set());
      }
      return;
    }
    if (v instanceof Metric) {
      if (seen.has(v)) return;
      seen.add(v);
      const own = v as unknown as Record<string, unknown>;
      for (const key of Object.keys(own).sort()) walk(own[key], [...path, key], false, new Set([v]));
      return;
    }
    if (Array.isArray(v) || v instanceof Map || isPlainObject(v)) {
      if (stack.has(v)) return;
      stack.add(v);
      if (Array.isArray(v)) v.forEach((e, i) => walk(e, [...path, String(i)], strict, stack));
      else if (v instanceof Map) for (const [k, e] of v) walk(e, [...path, String(k)], strict, stack);
      else for (const k of Object.keys(v).sort()) walk(v[k], [...path, k], strict, stack);
      stack.delete(v);
      return;
    }
    if (strict)
      throw new ArgumentError(
        `${op}: '${path.join('/')}' is ${describe(v)}; a checkpoint holds Modules, optimizers, metrics, Variables and arrays, Maps and plain objects of them`,
      );
  };
  for (const key of Object.keys(objects).sort()) walk(objects[key], [key], true, new Set());
  if (unbuilt.length > 0)
    throw new ArgumentError(
      `${op}: ${unbuilt.join(', ')} ${unbuilt.length === 1 ? 'is' : 'are'} not built, so ${unbuilt.length === 1 ? 'its' : 'their'} variables do not exist yet; apply the model to an input once (or give inputShape) first`,
    );
  if (clashes.length > 0)
    throw new ArgumentError(`${op}: different variables have the same path ${quoteAll([...new Set(clashes)])}`);
  return graph;
}

/** A variable's slots of one optimizer, by slot name. */
function slotsByVariable(entries: readonly SlotEntry[]): Map<Variable, Map<string, Tensor>> {
  const out = new Map<Variable, Map<string, Tensor>>();
  for (const { slot, variable, value } of entries) {
    const slots = out.get(variable) ?? new Map<string, Tensor>();
    slots.set(slot, value);
    out.set(variable, slots);
  }
  return out;
}

/** The optimizers' state for variables the checkpoint does not reach: an error naming each, else nothing. */
function checkReachable(op: string, graph: Graph): void {
  const lost: string[] = [];
  for (const { path, optimizer } of graph.optimizers)
    for (const v of slotsByVariable(optimizer.slotEntries()).keys())
      if (!graph.pathOf.has(v)) lost.push(`'${path}' has state for variable '${v.name}'`);
  if (lost.length > 0)
    throw new ArgumentError(
      `${op}: ${lost.join('; ')}, which the checkpoint does not reach; add the model (or variable) it belongs to`,
    );
}

/**
 * A checkpoint of named objects, as `tf.train.Checkpoint`: `save()` writes every variable of the objects and
 * every optimizer's state (its slots, `iterations` and any optimizer-wide state) as safetensors bytes, and
 * `restore(bytes)` puts them back, so that training restored into fresh objects goes on bit for bit as if it
 * had never stopped.
 *
 * Names are attribute paths joined by `/`: `model/layers/0/kernel` (a Module's variables in tf.Module's order,
 * plain-object keys sorted, arrays by index, Maps by key; a variable reachable twice is saved once, under its
 * first path), a metric's variables under its property names (`acc/total`), an optimizer's slots as
 * `<optimizer path>/<slot>/<variable path>` (`optimizer/m/model/layers/0/kernel`), its step count as
 * `optimizer/iterations` (int32). The file's `__metadata__` is `{ format: 'tapegrad-checkpoint', version: '1' }`.
 * Layers must be built (applied once) before saving or restoring, and an optimizer's variables must be reachable
 * from the checkpoint. Learning-rate schedules, options and dropout's random state are not saved.
 * @example
 * const w = new tg.Variable([1, 2]);
 * const bytes = new tg.Checkpoint({ w }).save();
 * const w2 = new tg.Variable([0, 0]);
 * new tg.Checkpoint({ w: w2 }).restore(bytes);
 * w2.value(); // Tensor([1, 2], shape=[2], dtype=float32)
 */
export class Checkpoint {
  readonly #objects: Record<string, Checkpointable>;

  /**
   * `objects`: names and what to save under them (Modules, optimizers, metrics, Variables, and arrays, Maps and
   * plain objects of them). The containers are read again at each save and restore.
   */
  constructor(objects: Record<string, Checkpointable>) {
    const op = 'Checkpoint';
    if (!isPlainObject(objects))
      throw new ArgumentError(
        `${op}: expected a plain object of named objects ({ model, optimizer, … }), got ${describe(objects)}`,
      );
    const copy: Record<string, Checkpointable> = {};
    for (const key of Object.keys(objects)) {
      if (key === '' || key.includes('/') || key === '__metadata__')
        throw new ArgumentError(
          `${op}: ${describe(key)} cannot name an object (names are non-empty, without '/', and not "__metadata__")`,
        );
      Object.defineProperty(copy, key, { value: objects[key], enumerable: true, writable: true, configurable: true });
    }
    this.#objects = copy;
    // check what was given now (unbuilt layers are fine until saving or restoring)
    const strictOnly = (v: unknown, path: string, stack: Set<object>): void => {
      if (isTracked(v)) return;
      if (Array.isArray(v) || v instanceof Map || isPlainObject(v)) {
        if (stack.has(v)) return;
        stack.add(v);
        const entries: [string, unknown][] = Array.isArray(v)
          ? v.map((e, i) => [String(i), e])
          : v instanceof Map
            ? [...v].map(([k, e]) => [String(k), e])
            : Object.keys(v).map((k) => [k, v[k]]);
        for (const [k, e] of entries) strictOnly(e, `${path}/${k}`, stack);
        stack.delete(v);
        return;
      }
      throw new ArgumentError(
        `${op}: '${path}' is ${describe(v)}; a checkpoint holds Modules, optimizers, metrics, Variables and arrays, Maps and plain objects of them`,
      );
    };
    for (const key of Object.keys(copy)) strictOnly(copy[key], key, new Set());
  }

  /**
   * The safetensors bytes of every variable and optimizer state reachable from the objects (see the class).
   * An unbuilt layer, or optimizer state for a variable the checkpoint does not reach, is an ArgumentError.
   * @example
   * const step = new tg.Variable(7, { dtype: 'int32' });
   * const bytes = new tg.Checkpoint({ step }).save();
   * tg.io.decodeSafetensors(bytes).tensors.step; // Tensor(7, shape=[], dtype=int32)
   * tg.io.decodeSafetensors(bytes).metadata.format; // 'tapegrad-checkpoint'
   */
  save(): Uint8Array {
    const op = 'Checkpoint.save';
    const graph = collect(op, this.#objects);
    checkReachable(op, graph);
    const named = new Map<string, Tensor>();
    const clashes: string[] = [];
    const add = (name: string, t: Tensor) => {
      if (named.has(name)) clashes.push(name);
      named.set(name, t);
    };
    for (const [name, v] of graph.variables) add(name, v.peek());
    for (const { path, optimizer } of graph.optimizers) {
      for (const { name, value } of optimizer.globalEntries()) add(`${path}/${name}`, value);
      for (const { slot, variable, value } of optimizer.slotEntries())
        add(`${path}/${slot}/${graph.pathOf.get(variable) as string}`, value);
    }
    if (clashes.length > 0)
      throw new ArgumentError(`${op}: two things would be saved under the same name ${quoteAll(clashes)}`);
    const tensors: Record<string, Tensor> = {};
    for (const [name, t] of named)
      Object.defineProperty(tensors, name, { value: t, enumerable: true, writable: true, configurable: true });
    return encodeSafetensors(tensors, { ...CHECKPOINT_METADATA });
  }

  /**
   * Puts the values of a checkpoint (bytes from `save()`) back into the objects: every variable, and each
   * optimizer's `iterations`, optimizer-wide state and slots (a fresh optimizer takes its slots from the
   * checkpoint). A name of the objects missing from the checkpoint, a name of the checkpoint nothing takes, or
   * a shape or dtype that differs is one error naming each path, and nothing is changed; with `allowPartial`
   * missing and unexpected names are accepted (and returned). Layers must be built first.
   * @example
   * const a = new tg.Variable([1, 2]);
   * const bytes = new tg.Checkpoint({ a }).save();
   * const b = new tg.Variable([5, 6]);
   * const more = new tg.Variable(3);
   * new tg.Checkpoint({ a: b, more }).restore(bytes, { allowPartial: true }).missing; // ['more']
   * b.value(); // Tensor([1, 2], shape=[2], dtype=float32)
   */
  restore(bytes: Uint8Array | ArrayBuffer, options?: RestoreOptions): RestoreResult {
    const op = 'Checkpoint.restore';
    const o = requireOptions<RestoreOptions>(op, options, ['allowPartial']);
    const allowPartial =
      o.allowPartial === undefined || o.allowPartial === null
        ? false
        : requireBoolean(op, 'allowPartial', o.allowPartial);
    let contents: ReturnType<typeof decodeSafetensors>;
    try {
      contents = decodeSafetensors(bytes);
    } catch (e) {
      if (e instanceof ArgumentError) throw new ArgumentError(e.message.replace(/^decodeSafetensors:/, `${op}:`));
      throw e;
    }
    const { tensors, metadata } = contents;
    if (metadata.format === CHECKPOINT_METADATA.format && metadata.version !== CHECKPOINT_METADATA.version)
      throw new ArgumentError(
        `${op}: the checkpoint is of version ${describe(metadata.version)}; this tapegrad reads version ${CHECKPOINT_METADATA.version}`,
      );
    const graph = collect(op, this.#objects);
    checkReachable(op, graph);

    const saved = new Map<string, Tensor>(Object.keys(tensors).map((k) => [k, tensors[k]]));
    const used = new Set<string>();
    const missing: string[] = [];
    const shapeProblems: string[] = [];
    const dtypeProblems: string[] = [];
    const otherProblems: string[] = [];
    /** The checkpoint's tensor for `name` if it fits `shape` and `dtype`; a problem noted otherwise. */
    const take = (name: string, shape: readonly number[], dtype: string): Tensor | undefined => {
      const t = saved.get(name);
      if (t === undefined) return undefined;
      used.add(name);
      if (!sameShape(t.shape, shape)) {
        shapeProblems.push(`'${name}' is ${fmtShape(t.shape)} in the checkpoint but ${fmtShape(shape)} here`);
        return undefined;
      }
      if (t.dtype !== dtype) {
        dtypeProblems.push(`'${name}' is ${t.dtype} in the checkpoint but ${dtype} here`);
        return undefined;
      }
      return t;
    };

    const assigns: [Variable, Tensor][] = [];
    for (const [name, v] of graph.variables) {
      if (!saved.has(name)) missing.push(name);
      const t = take(name, v.shape, v.dtype);
      if (t !== undefined) assigns.push([v, t]);
    }

    const optimizerWork: { optimizer: Optimizer; globals: GlobalEntry[]; slots: SlotEntry[] }[] = [];
    for (const { path, optimizer } of graph.optimizers) {
      const globals: GlobalEntry[] = [];
      const iterName = `${path}/iterations`;
      if (!saved.has(iterName)) missing.push(iterName);
      const iterations = take(iterName, [], 'int32');
      if (iterations !== undefined) {
        if (iterations.item() < 0)
          otherProblems.push(`'${iterName}' is ${iterations.item()}, expected a non-negative count`);
        else globals.push({ name: 'iterations', value: iterations });
      }
      // the rule's optimizer-wide state (Nadam's uProduct): all of it or none
      const current = new Map(optimizer.globalEntries().map((e) => [e.name, e.value]));
      const ruleNames = optimizer.globalNames().filter((n) => n !== 'iterations');
      const ruleGiven = ruleNames.filter((n) => saved.has(`${path}/${n}`));
      const ruleGlobals: GlobalEntry[] = [];
      for (const n of ruleNames) {
        const name = `${path}/${n}`;
        const have = current.get(n);
        if (!saved.has(name)) {
          if (have !== undefined || ruleGiven.length > 0) missing.push(name);
          continue;
        }
        const t = saved.get(name) as Tensor;
        const want = have?.dtype ?? (isFloat(t.dtype) ? t.dtype : 'float32');
        const value = take(name, [], want);
        if (value !== undefined) ruleGlobals.push({ name: n, value });
      }
      if (ruleGlobals.length === ruleNames.length) globals.push(...ruleGlobals);

      // slots: `<path>/<slot>/<variable path>`, for the variables this optimizer has state for or the
      // checkpoint gives state for
      const now = slotsByVariable(optimizer.slotEntries());
      const given = new Set<Variable>();
      const prefix = `${path}/`;
      for (const name of saved.keys()) {
        if (!name.startsWith(prefix)) continue;
        const rest = name.slice(prefix.length);
        const cut = rest.indexOf('/');
        const v = cut > 0 ? graph.variables.get(rest.slice(cut + 1)) : undefined;
        if (v !== undefined) given.add(v);
      }
      const slots: SlotEntry[] = [];
      // in the checkpoint's order of variables, so that a fresh optimizer's state is in first-found order
      for (const v of graph.variables.values()) {
        if (!now.has(v) && !given.has(v)) continue;
        const vpath = graph.pathOf.get(v) as string;
        const has = now.get(v);
        const specs = optimizer.slotSpecs(v);
        const found = specs.filter((s) => saved.has(`${path}/${s.slot}/${vpath}`));
        const entries: SlotEntry[] = [];
        for (const { slot, shape, dtype } of specs) {
          const name = `${path}/${slot}/${vpath}`;
          if (!saved.has(name)) {
            if (has !== undefined || found.length > 0) missing.push(name);
            const kept = has?.get(slot);
            if (kept !== undefined) entries.push({ slot, variable: v, value: kept });
            continue;
          }
          const value = take(name, shape, dtype);
          if (value !== undefined) entries.push({ slot, variable: v, value });
        }
        // a fresh variable's state given only in part cannot be set (with allowPartial it is left to be made)
        if (found.length > 0 && entries.length === specs.length) slots.push(...entries);
      }
      optimizerWork.push({ optimizer, globals, slots });
    }

    const unexpected = [...saved.keys()].filter((n) => !used.has(n));
    const nameProblems = allowPartial
      ? []
      : [
          ...(missing.length > 0 ? [`missing from the checkpoint: ${quoteAll(missing)}`] : []),
          ...(unexpected.length > 0 ? [`in the checkpoint but not in the objects: ${quoteAll(unexpected)}`] : []),
        ];
    const problems = [...nameProblems, ...otherProblems, ...shapeProblems, ...dtypeProblems];
    if (problems.length > 0) {
      const hint =
        nameProblems.length > 0 ? ' (restore(bytes, { allowPartial: true }) accepts missing and unexpected names)' : '';
      const message = `${op}: the checkpoint does not fit the objects, and nothing was restored: ${problems.join('; ')}${hint}`;
      if (problems.length === shapeProblems.length) throw new ShapeError(message);
      if (problems.length === dtypeProblems.length) throw new DTypeError(message);
      throw new ArgumentError(message);
    }
    // everything was checked above: from here nothing can fail
    for (const [v, t] of assigns) v.assign(t);
    for (const { optimizer, globals, slots } of optimizerWork) {
      optimizer.setGlobalEntries(globals);
      optimizer.setSlotEntries(slots);
    }
    return { missing: allowPartial ? missing : [], unexpected: allowPartial ? unexpected : [] };
  }
}
