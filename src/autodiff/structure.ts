// Sources (and targets) come as one tensor or any nesting of arrays and records of them, as TF's
// `nest`; results mirror that structure.
import { TapeError } from '../core/errors';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';

/** A tensor or a variable: what gradients can be taken with respect to. */
export type Source = Tensor | Variable;

/**
 * One source, or any nesting of arrays and records of sources (`[[w]]`, `{ a: [w, b] }`, …),
 * like the nested structures TF's `tape.gradient` accepts.
 */
export type Sources = Source | readonly Sources[] | { readonly [name: string]: Sources };

/**
 * The gradient structure for a given sources structure: the same nesting, with `G` (by default
 * `Tensor | null`) in place of each source. A tuple maps to a tuple of the same length (so
 * `const [dx, dy] = tape.gradient(f, [x, y])` gives two `Tensor | null`, also under
 * `noUncheckedIndexedAccess`), an array to an array, a record to a record with the same keys.
 * @example
 * const x = new tg.Variable(3);
 * const y = new tg.Variable(4);
 * using tape = new tg.GradientTape();
 * const f = x.mul(y);
 * const [dx, dy] = tape.gradient(f, [x, y]); // GradientsOf<[Variable, Variable]>: [Tensor | null, Tensor | null]
 * dx; // 4
 * dy; // 3
 */
export type GradientsOf<S, G = Tensor | null> = [Sources] extends [S]
  ? Gradients<G>
  : S extends Source
    ? G
    : { -readonly [K in keyof S]: GradientsOf<S[K], G> };

/** Gradients of a structure known only as `Sources`: `G`, or arrays and records of them, nested. */
export type Gradients<G = Tensor | null> = G | Gradients<G>[] | { [name: string]: Gradients<G> };

/** True for a Tensor or Variable. */
export function isSource(x: unknown): x is Source {
  return x instanceof Tensor || x instanceof Variable;
}

/** True for an object literal (or `Object.create(null)`): a record whose values are nested sources. */
function isRecord(x: unknown): x is { readonly [name: string]: unknown } {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || isSource(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The rebuilders of the two usual structures, made once (gradient() is W1's hot path). */
const first = (values: readonly unknown[]): unknown => values[0];
const same = (values: readonly unknown[]): unknown => values;

function allSources(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (!isSource(list[i])) return false;
  return true;
}

/** `sources` itself when it is a flat array of tensors and variables (read, never kept), else null. */
export function sourceList(sources: unknown): readonly Source[] | null {
  return Array.isArray(sources) && allSources(sources) ? (sources as readonly Source[]) : null;
}

/** How one node of a structure is rebuilt from the flat values. */
type Node = { leaf: number } | { list: Node[] } | { record: [string, Node][] };

/**
 * The leaves of a nested structure in order (arrays in index order, records in key order), with
 * a function that rebuilds the structure from one value per leaf (`single`: the structure is one
 * leaf). Anything that is not an array
 * or a plain record is a leaf, so a wrong leaf (`null`, a string) reaches the caller's own check.
 * A structure that contains itself is a TapeError naming `op`.
 */
export function flattenSources<S, G>(
  sources: S,
  op = 'GradientTape.gradient',
): { flat: unknown[]; rebuild: (values: G[]) => GradientsOf<S, G>; single: boolean } {
  // NOTE: the usual shapes first, one source or a flat list of them: gradient() is W1's hot path
  if (isSource(sources)) return { flat: [sources], rebuild: first as (values: G[]) => GradientsOf<S, G>, single: true };
  if (Array.isArray(sources) && allSources(sources)) {
    return { flat: sources.slice(), rebuild: same as (values: G[]) => GradientsOf<S, G>, single: false };
  }
  const flat: unknown[] = [];
  const open = new Set<object>();
  const walk = (x: unknown): Node => {
    if (!Array.isArray(x) && !isRecord(x)) {
      flat.push(x);
      return { leaf: flat.length - 1 };
    }
    if (open.has(x)) throw new TapeError(`${op}: the structure contains itself (a cycle); pass a tree of tensors`);
    open.add(x);
    const node: Node = Array.isArray(x)
      ? { list: (x as readonly unknown[]).map(walk) }
      : { record: Object.keys(x).map((k): [string, Node] => [k, walk(x[k])]) };
    open.delete(x);
    return node;
  };
  const root = walk(sources);
  const build = (n: Node, values: readonly G[]): unknown =>
    'leaf' in n
      ? values[n.leaf]
      : 'list' in n
        ? n.list.map((c) => build(c, values))
        : Object.fromEntries(n.record.map(([k, c]) => [k, build(c, values)]));
  return { flat, rebuild: (values) => build(root, values) as GradientsOf<S, G>, single: 'leaf' in root };
}

/**
 * The values of `values` at the leaves of `like`'s structure: where `like` has a leaf, `values`
 * has one value (which may itself be an array, e.g. a plain nested number array), so the two
 * structures must match down to `like`'s leaves. Used for `outputGradients`, which mirrors the
 * target's structure. Returns the flat values, or a message (starting with `name` and the path
 * within it) saying where they differ.
 */
export function flattenLike(like: unknown, values: unknown, name: string): unknown[] | string {
  const out: unknown[] = [];
  const walk = (l: unknown, v: unknown, path: string): string | null => {
    if (Array.isArray(l)) {
      if (!Array.isArray(v)) return `${path} should be an array of ${l.length}, like the target`;
      if (v.length !== l.length) return `${path} has ${v.length} entries for ${l.length} targets; give one per target`;
      for (let i = 0; i < l.length; i++) {
        const err = walk(l[i], (v as readonly unknown[])[i], `${path}[${i}]`);
        if (err !== null) return err;
      }
      return null;
    }
    if (isRecord(l)) {
      if (!isRecord(v)) return `${path} should be a record with the target's keys`;
      const keys = Object.keys(l);
      for (const k of Object.keys(v))
        if (!keys.includes(k)) return `${path}.${k} has no target; give one per target, with the target's keys`;
      for (const k of keys) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) return `${path}.${k} is missing; give one per target`;
        const err = walk(l[k], v[k], `${path}.${k}`);
        if (err !== null) return err;
      }
      return null;
    }
    out.push(v);
    return null;
  };
  const err = walk(like, values, name);
  return err === null ? out : err;
}
