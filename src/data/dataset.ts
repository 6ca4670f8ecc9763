// tg.data: TensorFlow's tf.data input pipelines, synchronous: fromTensorSlices and the Dataset transformations
// shuffle, batch, map, take, skip and repeat. Every one is lazy: an element is made when an iteration reaches it.
import { requireBoolean, requireFunction, requireInteger, requireOptions } from '../core/args';
import type { TensorLike } from '../core/as_tensor';
import { toTensor } from '../core/as_tensor';
import type { PlainValue } from '../core/convert';
import { allocate } from '../core/dtype';
import { ArgumentError, DTypeError, ShapeError, describe } from '../core/errors';
import { fmtShape, sameShape } from '../core/shape';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import { uniform53, xoshiro128 } from '../kernels/random';

/** An element of a Dataset: a tensor, an array of tensors (`[x, y]`) or a record of tensors (`{ x, y }`). */
export type Element = Tensor | Tensor[] | { [key: string]: Tensor };

/** Options of `Dataset.shuffle`. */
export interface ShuffleOptions {
  /** The same seed gives the same orders on every platform. Default: a random seed. */
  seed?: number;
  /** A new order on each iteration (TF's default), else the same order every time. Default true. */
  reshuffleEachIteration?: boolean;
}

/** Options of `Dataset.batch`. */
export interface BatchOptions {
  /** Leave out a last batch smaller than `batchSize`. Default false. */
  dropRemainder?: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isTensorish(v: unknown): v is Tensor | Variable {
  return v instanceof Tensor || v instanceof Variable;
}

/** Sets an own enumerable property, so that a key such as `__proto__` is a key like any other. */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One tensor of a structure: a Tensor, a Variable (read) or a plain value (a float32 tensor, as `tg.tensor`). */
function component(op: string, v: unknown): Tensor {
  if (isTensorish(v)) return toTensor(op, v);
  const plain =
    typeof v === 'number' ||
    typeof v === 'boolean' ||
    Array.isArray(v) ||
    (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!plain) throw new ArgumentError(`${op}: expected a tensor or an array of numbers, got ${describe(v)}`);
  return toTensor(op, v as PlainValue);
}

/**
 * An element from what the caller gave: a tensor (a plain nested array is one tensor); an array holding a
 * Tensor or Variable is an array of tensors; a plain object is a record of tensors.
 */
function structureOf(op: string, v: unknown): Element {
  if (Array.isArray(v) && v.some(isTensorish)) return v.map((c) => component(op, c));
  if (isPlainObject(v)) {
    const out: Record<string, Tensor> = {};
    for (const key of Object.keys(v)) put(out, key, component(op, v[key]));
    return out;
  }
  return component(op, v);
}

/** The parts of an element, each with its place for messages (`component 1`, `key "x"`), or null for a tensor. */
function partsOf(e: Element): [string, Tensor][] | null {
  if (e instanceof Tensor) return null;
  if (Array.isArray(e)) return e.map((t, i) => [`component ${i}`, t]);
  return Object.keys(e).map((k) => [`key ${JSON.stringify(k)}`, e[k]]);
}

/** Tensors of one shape and dtype stacked along a new first axis: a batch. */
function stackTensors(op: string, group: readonly Tensor[], where: string): Tensor {
  const first = group[0];
  const out = allocate(first.dtype, group.length * first.size);
  group.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape))
      throw new ShapeError(
        `${op}: cannot batch tensors of different shapes${where}: element 0 has shape ${fmtShape(first.shape)} and element ${i} has ${fmtShape(t.shape)}`,
      );
    if (t.dtype !== first.dtype)
      throw new DTypeError(
        `${op}: cannot batch tensors of different dtypes${where}: element 0 is ${first.dtype} and element ${i} is ${t.dtype}`,
      );
    out.set(t.values, i * first.size);
  });
  return new Tensor(out, Object.freeze([group.length, ...first.shape]), first.dtype);
}

/** Elements of one structure stacked part by part: a tensor batch, an array of batches, a record of batches. */
function stackElements<E extends Element>(op: string, group: readonly E[]): E {
  const first = group[0];
  const firstParts = partsOf(first);
  if (firstParts === null) {
    const i = group.findIndex((e) => !(e instanceof Tensor));
    if (i >= 0) throw new ArgumentError(`${op}: element ${i} is not a tensor as element 0 is`);
    return stackTensors(op, group as readonly Tensor[], '') as E;
  }
  const places = firstParts.map(([place]) => place).join();
  const all = group.map((e, i) => {
    const parts = partsOf(e);
    if (parts === null || Array.isArray(e) !== Array.isArray(first) || parts.map(([p]) => p).join() !== places)
      throw new ArgumentError(`${op}: element ${i} does not have the structure of element 0 (${places || 'empty'})`);
    return parts.map(([, t]) => t);
  });
  const stacked = firstParts.map(([place], j) =>
    stackTensors(
      op,
      all.map((parts) => parts[j]),
      ` (${place})`,
    ),
  );
  if (Array.isArray(first)) return stacked as E;
  const out: Record<string, Tensor> = {};
  Object.keys(first).forEach((key, j) => put(out, key, stacked[j]));
  return out as E;
}

/**
 * A synchronous, lazy sequence of elements, TF's `tf.data.Dataset`: iterate it with `for … of` (each iteration is
 * an epoch) and transform it with `shuffle`, `batch`, `map`, `take`, `skip` and `repeat`, each of which returns a
 * new Dataset. Make one with `tg.data.fromTensorSlices`.
 * @example
 * const ds = tg.data.fromTensorSlices([1, 2, 3, 4, 5]).map((x) => x.mul(10)).batch(2);
 * [...ds]; // [[10, 20], [30, 40], [50]]
 */
export class Dataset<E extends Element = Element> implements Iterable<E> {
  readonly #iterate: () => Iterator<E>;

  /** @internal Use `tg.data.fromTensorSlices`: `iterate` starts one iteration over the elements. */
  constructor(iterate: () => Iterator<E>) {
    this.#iterate = requireFunction<() => Iterator<E>>('Dataset', 'iterate', iterate);
  }

  /** A new iteration over the elements (an epoch). */
  [Symbol.iterator](): Iterator<E> {
    return this.#iterate();
  }

  /**
   * The elements in a random order, TF's `shuffle` and its buffer: the first `bufferSize` elements fill a
   * buffer; each element given out is drawn uniformly from the buffer, and its place is taken by the next
   * element of this dataset. A buffer at least as large as the dataset gives a uniformly random permutation;
   * a buffer of 1 changes nothing. Each iteration has a new order (`reshuffleEachIteration`, TF's default)
   * drawn from the seed and the number of the iteration, so two datasets built alike give the same orders on
   * every platform.
   * @example
   * const ds = tg.data.fromTensorSlices([0, 1, 2, 3]).shuffle(4, { seed: 1 });
   * [...ds].map((x) => x.item()).sort(); // [0, 1, 2, 3]
   */
  shuffle(bufferSize: number, options?: ShuffleOptions): Dataset<E> {
    const op = 'Dataset.shuffle';
    requireInteger(op, 'bufferSize', bufferSize, 1);
    const o = requireOptions<ShuffleOptions>(op, options, ['seed', 'reshuffleEachIteration']);
    const seed = o.seed === undefined ? Math.floor(Math.random() * 0x100000000) : requireInteger(op, 'seed', o.seed);
    const reshuffle =
      o.reshuffleEachIteration === undefined
        ? true
        : requireBoolean(op, 'reshuffleEachIteration', o.reshuffleEachIteration);
    // NOTE: as TF's seed generator: iteration k shuffles with the k-th number drawn from the seed's generator
    const seeds = xoshiro128(seed);
    const once = seeds();
    return new Dataset<E>(() => shuffled(this, bufferSize, reshuffle ? seeds() : once));
  }

  /**
   * Consecutive elements stacked into batches of `batchSize` along a new first axis: tensors give a tensor, arrays
   * an array of batches, records a record of batches. The last batch is smaller when the elements run out,
   * unless `dropRemainder`. Elements of different shapes are a ShapeError.
   * @example
   * const ds = tg.data.fromTensorSlices(tg.range(8));
   * [...ds.batch(3)]; // [[0, 1, 2], [3, 4, 5], [6, 7]]
   * [...ds.batch(3, { dropRemainder: true })]; // [[0, 1, 2], [3, 4, 5]]
   */
  batch(batchSize: number, options?: BatchOptions): Dataset<E> {
    const op = 'Dataset.batch';
    requireInteger(op, 'batchSize', batchSize, 1);
    const o = requireOptions<BatchOptions>(op, options, ['dropRemainder']);
    const dropRemainder = o.dropRemainder === undefined ? false : requireBoolean(op, 'dropRemainder', o.dropRemainder);
    return new Dataset<E>(() => batched(this, batchSize, dropRemainder));
  }

  /**
   * `fn` applied to each element as it is reached. `fn` receives the element as it is (a tensor, an array or a
   * record: unlike TF, an array is not spread into arguments) and returns a tensor, an array of tensors or a
   * record of tensors (plain numbers become float32 tensors).
   * @example
   * const ds = tg.data.fromTensorSlices({ x: [1, 2], y: [3, 4] }).map(({ x, y }) => x.add(y));
   * [...ds]; // [4, 6]
   */
  map<R extends Element>(fn: (element: E) => R): Dataset<R> {
    const op = 'Dataset.map';
    requireFunction(op, 'fn', fn);
    return new Dataset<R>(() => mapped(this, fn));
  }

  /**
   * The first `count` elements (all of them when `count` is negative, as TF's -1).
   * @example
   * [...tg.data.fromTensorSlices(tg.range(10)).take(3)]; // [0, 1, 2]
   */
  take(count: number): Dataset<E> {
    requireInteger('Dataset.take', 'count', count);
    return new Dataset<E>(() => taken(this, count));
  }

  /**
   * The elements after the first `count` (none when `count` is negative, as TF's -1).
   * @example
   * [...tg.data.fromTensorSlices(tg.range(10)).skip(7)]; // [7, 8, 9]
   */
  skip(count: number): Dataset<E> {
    requireInteger('Dataset.skip', 'count', count);
    return new Dataset<E>(() => skipped(this, count));
  }

  /**
   * The elements `count` times over, each time a new iteration of this dataset (so a shuffle before `repeat`
   * gives a new order each time); forever without `count` (or with a negative one, as TF's -1). A dataset with
   * no elements repeated forever has none.
   * @example
   * [...tg.data.fromTensorSlices([1, 2, 3]).repeat(2)]; // [1, 2, 3, 1, 2, 3]
   */
  repeat(count?: number): Dataset<E> {
    const times = count === undefined || count === null ? -1 : requireInteger('Dataset.repeat', 'count', count);
    return new Dataset<E>(() => repeated(this, times));
  }
}

function* batched<E extends Element>(source: Iterable<E>, batchSize: number, dropRemainder: boolean): Generator<E> {
  let group: E[] = [];
  for (const e of source) {
    group.push(e);
    if (group.length === batchSize) {
      yield stackElements('Dataset.batch', group);
      group = [];
    }
  }
  if (group.length > 0 && !dropRemainder) yield stackElements('Dataset.batch', group);
}

function* mapped<E extends Element, R extends Element>(source: Iterable<E>, fn: (element: E) => R): Generator<R> {
  for (const e of source) yield structureOf('Dataset.map', fn(e)) as R;
}

function* taken<E extends Element>(source: Iterable<E>, count: number): Generator<E> {
  if (count < 0) {
    yield* source;
    return;
  }
  if (count === 0) return;
  let n = 0;
  for (const e of source) {
    yield e;
    if (++n === count) return;
  }
}

function* skipped<E extends Element>(source: Iterable<E>, count: number): Generator<E> {
  let seen = 0;
  for (const e of source) {
    if (count >= 0 && seen >= count) yield e;
    else seen++;
  }
}

function* repeated<E extends Element>(source: Iterable<E>, times: number): Generator<E> {
  for (let k = 0; times < 0 || k < times; k++) {
    let any = false;
    for (const e of source) {
      any = true;
      yield e;
    }
    // NOTE: as TF's RepeatDataset: an epoch with no element ends the repetition instead of looping forever
    if (!any) return;
  }
}

/** One iteration of a shuffle: TF's ShuffleDataset iterator (a ring of bufferSize; the drawn slot swaps with the front). */
function* shuffled<E extends Element>(source: Iterable<E>, bufferSize: number, seed: number): Generator<E> {
  const next = xoshiro128(seed);
  const input = source[Symbol.iterator]();
  // only appended to until full (`end % bufferSize` is then a freed slot), so a huge bufferSize costs nothing
  const buffer: (E | undefined)[] = [];
  let start = 0;
  let end = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && end - start < bufferSize) {
        const r = input.next();
        if (r.done) exhausted = true;
        else buffer[end++ % bufferSize] = r.value;
      }
      if (end === start) return;
      const front = start % bufferSize;
      const index = (start + Math.floor(uniform53(next) * (end - start))) % bufferSize;
      const out = buffer[index] as E;
      buffer[index] = buffer[front];
      buffer[front] = undefined;
      start++;
      yield out;
    }
  } finally {
    if (!exhausted) input.return?.();
  }
}

/** The tensors to slice, from what `fromTensorSlices` was given. */
function slicesOf(op: string, x: unknown): Element {
  const s = structureOf(op, x);
  const parts = partsOf(s) ?? [['the tensor', s as Tensor]];
  if (parts.length === 0)
    throw new ArgumentError(`${op}: nothing to slice: an empty ${Array.isArray(s) ? 'array' : 'record'}`);
  const [firstPlace, first] = parts[0];
  for (const [place, t] of parts) {
    if (t.rank === 0)
      throw new ShapeError(`${op}: a scalar cannot be sliced: ${place} has shape [] (slices are along the first axis)`);
    if (t.shape[0] !== first.shape[0])
      throw new ShapeError(
        `${op}: every tensor must have the same first dimension, but ${firstPlace} has shape ${fmtShape(first.shape)} and ${place} has ${fmtShape(t.shape)}`,
      );
  }
  return s;
}

/** Row i of t: a view of its elements (t is immutable, so nothing is copied). */
function row(t: Tensor, i: number, shape: readonly number[], width: number): Tensor {
  return new Tensor(t.values.subarray(i * width, (i + 1) * width), shape, t.dtype);
}

/** A slicer of one tensor along its first axis. */
function rows(t: Tensor): (i: number) => Tensor {
  const shape = Object.freeze(t.shape.slice(1));
  const width = shape.reduce((a, d) => a * d, 1);
  return (i) => row(t, i, shape, width);
}

/** Slices of one tensor along its first axis. */
export function fromTensorSlices(x: Tensor | Variable): Dataset<Tensor>;
/** Slices of tensors along their first axis: an element is the array of their i-th slices. */
export function fromTensorSlices(x: readonly (Tensor | Variable)[]): Dataset<Tensor[]>;
/** Slices of a plain nested array (one float32 tensor) along its first axis. */
export function fromTensorSlices(x: PlainValue): Dataset<Tensor>;
/** Slices of tensors along their first axis: an element is the record of their i-th slices. */
export function fromTensorSlices<K extends string>(x: { readonly [key in K]: TensorLike }): Dataset<Record<K, Tensor>>;
/**
 * A dataset of the slices of `x` along its first axis, TF's `tf.data.Dataset.from_tensor_slices`: element i is
 * `x[i]` for a tensor (a plain nested array is one tensor, float32 as `tg.tensor`), `[x[i], y[i]]` for an array
 * of tensors `[x, y]`, `{ x: x[i], y: y[i] }` for a record `{ x, y }`. Every tensor must have the same first
 * dimension. Nothing is copied: element i is a view of row i, made when an iteration reaches it.
 * @example
 * const ds = tg.data.fromTensorSlices([tg.tensor([[1, 2], [3, 4]]), tg.tensor([0, 1])]);
 * const [x, y] = [...ds][1];
 * x; // Tensor([3, 4], shape=[2], dtype=float32)
 * y; // Tensor(1, shape=[], dtype=float32)
 */
export function fromTensorSlices(x: unknown): Dataset<Element> {
  const op = 'fromTensorSlices';
  const s = slicesOf(op, x);
  if (s instanceof Tensor) {
    const slice = rows(s);
    return new Dataset<Element>(function* () {
      for (let i = 0; i < s.shape[0]; i++) yield slice(i);
    });
  }
  const parts = partsOf(s)!;
  const n = parts[0][1].shape[0];
  const slicers = parts.map(([, t]) => rows(t));
  if (Array.isArray(s)) {
    return new Dataset<Element>(function* () {
      for (let i = 0; i < n; i++) yield slicers.map((slice) => slice(i));
    });
  }
  const keys = Object.keys(s);
  return new Dataset<Element>(function* () {
    for (let i = 0; i < n; i++) {
      const out: Record<string, Tensor> = {};
      keys.forEach((key, j) => put(out, key, slicers[j](i)));
      yield out;
    }
  });
}
