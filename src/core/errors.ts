// The four error classes of the public API. Each message names the op, the shapes or dtypes, and what was expected.

/**
 * Thrown when shapes do not fit an op: `matmul: inner dimensions differ: [2,3] x [4,5]`.
 * @example
 * try { tg.add([1, 2], [1, 2, 3]); } catch (e) {
 *   e instanceof tg.ShapeError; // true
 * }
 */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/**
 * Thrown when a dtype does not fit an op: `exp: expected a float tensor, got int32`.
 * @example
 * try { tg.exp(tg.tensor([1], [1], 'int32')); } catch (e) {
 *   e instanceof tg.DTypeError; // true
 * }
 */
export class DTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DTypeError';
  }
}

/**
 * Thrown when a GradientTape is misused: a second `gradient()` on a non-persistent tape, a non-float source.
 * @example
 * const x = new tg.Variable(3);
 * using tape = new tg.GradientTape();
 * const y = x.mul(x);
 * tape.gradient(y, x);
 * try { tape.gradient(y, x); } catch (e) {
 *   e instanceof tg.TapeError; // true
 * }
 */
export class TapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TapeError';
  }
}

/**
 * Thrown when an argument has the wrong type or value for reasons other than its shape or dtype: a
 * string where a number is expected, a fractional count, an unknown option, a learning-rate
 * schedule that returns no number.
 * @example
 * try { tg.linspace(0, 1, 'five' as unknown as number); } catch (e) {
 *   e instanceof tg.ArgumentError; // true
 * }
 */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/**
 * A short description of any value for an error message: `"abc"`, `null`, `NaN`, `[1,2]`,
 * `an array of length 300`, `a function`, `a Map`. Never throws (not even for a cyclic array).
 */
export function describe(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
    case 'undefined':
    case 'symbol':
      return String(v);
    case 'function':
      return 'a function';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const flat = v.length <= 8 && v.every((e) => typeof e === 'number' || typeof e === 'boolean');
    return flat ? `[${v.map((e) => describe(e)).join(',')}]` : `an array of length ${v.length}`;
  }
  let name: unknown;
  try {
    name = (Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  } catch {
    name = undefined;
  }
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object';
}
