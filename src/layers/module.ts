// Module: tf.Module's container, finding the variables and submodules reachable through own enumerable
// properties (Modules, arrays, plain objects, Maps), each once, in tf.Module's order.
import { ArgumentError, describe } from '../core/errors';
import { Variable } from '../core/variable';

/** A value found inside a module and the attribute path that reaches it (`['layers', '0', 'kernel']`). */
export interface ModuleEntry<T> {
  path: string[];
  value: T;
}

/** `MyModel` → `my_model`, `Dense` → `dense`, `BatchNormalization` → `batch_normalization` (tf.Module's camel_to_snake). */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The leaves of a nested value, as TF's `nest.flatten_with_tuple_paths`: arrays in index order,
 * plain-object keys sorted, Maps in insertion order; anything else (a Module, a Variable, a number) is a
 * leaf. A container already on the path (a cycle) is skipped.
 */
function leavesOf(v: unknown, path: string[], out: ModuleEntry<unknown>[], stack: Set<object>): void {
  if (Array.isArray(v) || v instanceof Map || isPlainObject(v)) {
    if (stack.has(v)) return;
    stack.add(v);
    if (Array.isArray(v)) v.forEach((e, i) => leavesOf(e, [...path, String(i)], out, stack));
    else if (v instanceof Map) for (const [k, e] of v) leavesOf(e, [...path, String(k)], out, stack);
    else for (const k of Object.keys(v).sort()) leavesOf(v[k], [...path, k], out, stack);
    stack.delete(v);
    return;
  }
  out.push({ path, value: v });
}

/**
 * Every value inside `module` for which `predicate` holds, with its path, as tf.Module's `_flatten`:
 * the module's own property names sorted, each property's leaves in order, every object once (the first
 * path that reaches it), the module's own finds before its submodules', submodules depth first in the
 * order they were found. Cycles end where an object was already seen.
 */
export function flattenModule<T>(module: Module, predicate: (v: unknown) => v is T): ModuleEntry<T>[] {
  const out: ModuleEntry<T>[] = [];
  const seen = new Set<unknown>([module]);
  const walk = (m: Module, prefix: string[]): void => {
    const submodules: ModuleEntry<Module>[] = [];
    for (const key of Object.keys(m).sort()) {
      const leaves: ModuleEntry<unknown>[] = [];
      leavesOf((m as unknown as Record<string, unknown>)[key], [key], leaves, new Set());
      for (const { path, value } of leaves) {
        if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
          if (seen.has(value)) continue;
          seen.add(value);
        }
        const full = [...prefix, ...path];
        if (predicate(value)) out.push({ path: full, value });
        if (value instanceof Module) submodules.push({ path: full, value });
      }
    }
    for (const { path, value } of submodules) walk(value, path);
  };
  walk(module, []);
  return out;
}

const isVariable = (v: unknown): v is Variable => v instanceof Variable;
const isModule = (v: unknown): v is Module => v instanceof Module;

/**
 * A container of variables and other modules, as `tf.Module`: every Variable reachable through the
 * module's own enumerable properties (directly, or inside Modules, arrays, plain objects and Maps) is
 * found by `variables`, once each, in tf.Module's order (property names sorted, plain-object keys
 * sorted, arrays in index order, Maps in insertion order, a module's own variables before its
 * submodules'). Subclass it and assign variables and layers to properties.
 * @example
 * class Linear extends tg.Module {
 *   w = new tg.Variable([[1], [2]], { name: 'w' });
 *   b = new tg.Variable([0], { name: 'b' });
 * }
 * const m = new Linear();
 * m.name; // "linear"
 * m.variables.map((v) => v.name); // ["b", "w"]
 */
export class Module {
  /** The module's name: the one given, else the class name in snake case (`MyModel` → `my_model`). */
  readonly name: string;

  constructor(name?: string) {
    if (name !== undefined && (typeof name !== 'string' || name === ''))
      throw new ArgumentError(`Module: name must be a non-empty string, got ${describe(name)}`);
    this.name = name ?? snakeCase(new.target.name || 'Module');
  }

  /**
   * Every Variable reachable from this module, each once, in tf.Module's order.
   * @example
   * const m = new tg.Module();
   * Object.assign(m, { layers: [{ k: new tg.Variable(1, { name: 'k' }) }], a: new tg.Variable(2, { name: 'a' }) });
   * m.variables.map((v) => v.name); // ["a", "k"]
   */
  get variables(): Variable[] {
    return flattenModule(this, isVariable).map((e) => e.value);
  }

  /**
   * The trainable ones of `variables` (batch normalisation's moving statistics are not).
   * @example
   * const m = new tg.Module();
   * Object.assign(m, { a: new tg.Variable(1, { name: 'a' }), b: new tg.Variable(2, { name: 'b', trainable: false }) });
   * m.trainableVariables.map((v) => v.name); // ["a"]
   */
  get trainableVariables(): Variable[] {
    return this.variables.filter((v) => v.trainable);
  }

  /**
   * Every Module reachable from this one (itself excluded), each once: its direct submodules first,
   * then theirs, as tf.Module.
   * @example
   * const outer = new tg.Module('outer');
   * const inner = new tg.Module('inner');
   * Object.assign(inner, { leaf: new tg.Module('leaf') });
   * Object.assign(outer, { inner });
   * outer.submodules.map((m) => m.name); // ["inner", "leaf"]
   */
  get submodules(): Module[] {
    return flattenModule(this, isModule).map((e) => e.value);
  }
}
