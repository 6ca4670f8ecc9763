// The three error classes of the public API. Each message names the op, the shapes or dtypes, and what was expected.

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
