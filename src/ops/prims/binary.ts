// Elementwise binary primitives with NumPy broadcasting. Broadcasting is undone in one place: sumToShape.
import { allocate, isFloat } from '../../core/dtype';
import { broadcastShapes, broadcastStrides, sameShape, sizeOf } from '../../core/shape';
import { ArgumentError } from '../../core/errors';
import type { TensorLike } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import type { BinaryName } from '../../kernels/binary';
import { broadcastBinary, rowKernels } from '../../kernels/binary';
import type { Rules } from '../primitive';
import { definePrimitive, NOT_DIFFERENTIABLE } from '../primitive';
import { binaryOperands, requireBool, requireFloat, requireNumeric } from '../operands';
import { sumToShape } from './sum_to_shape';
import { lift, sumTerms } from './tangents';
import { productTangent } from './fused';
import { log, neg } from './unary';
import { where } from './select';
import { cast } from './cast';
import { zerosLike, onesLike } from '../create';

/** Arithmetic keeps the dtype (float arithmetic takes floats only); comparisons and logic give bool. */
type Kind = 'arith' | 'float' | 'compare' | 'logic';

/** True when some element of the typed array satisfies `test`. */
function some(values: ArrayLike<number>, test: (v: number) => boolean): boolean {
  for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
  return false;
}

/**
 * The int32 cases TF refuses with an InvalidArgumentError (cwise_ops_common.cc, SetComputeError):
 * floorDiv by a zero ("Integer division by zero") and pow to a negative exponent ("Integers to
 * negative integer powers are not allowed"). Every divisor or exponent reaches a nonempty output,
 * so any such one raises.
 */
function checkIntegerOperands(name: BinaryName, a: Tensor, b: Tensor): void {
  if (a.dtype !== 'int32' || a.size === 0) return;
  if (name === 'floorDiv' && some(b.values, (v) => v === 0)) {
    throw new ArgumentError(
      'floorDiv: integer division by zero (an int32 divisor is 0, as TF refuses); cast to a float dtype for ±Infinity',
    );
  }
  if (name === 'mod' && some(b.values, (v) => v === 0)) {
    throw new ArgumentError(
      'mod: integer division by zero (an int32 divisor is 0, as TF refuses); cast to a float dtype for NaN',
    );
  }
  if (name === 'pow' && some(b.values, (v) => v < 0)) {
    throw new ArgumentError(
      'pow: integers to negative integer powers are not allowed (an int32 exponent is negative, as TF refuses); cast to a float dtype first',
    );
  }
}

function binaryPrimitive(
  name: BinaryName,
  kind: Kind,
  rules: Rules<null>,
  widen?: (a: Tensor, b: Tensor) => [Tensor, Tensor],
): (a: TensorLike, b: TensorLike) => Tensor {
  const kernel = rowKernels[name];
  const scalarArith = kind === 'arith' && (name === 'add' || name === 'sub' || name === 'mul');
  const general = (a: Tensor, b: Tensor): Tensor => {
    if (kind === 'arith') requireNumeric(name, a);
    if (kind === 'float') requireFloat(name, a);
    if (kind === 'logic') requireBool(name, a);
    checkIntegerOperands(name, a, b);
    const dtype = kind === 'arith' || kind === 'float' ? a.dtype : 'bool';
    // NOTE: two scalars, the whole of a scalar graph like W1: the four arithmetic ops inline,
    // without the (megamorphic) row-kernel call; measured ~5% of W1
    if (a.rank === 0 && b.rank === 0 && kind === 'arith') {
      const out = allocate(dtype, 1);
      const x = a.values[0];
      const y = b.values[0];
      if (name === 'add') out[0] = x + y;
      else if (name === 'sub') out[0] = x - y;
      else if (name === 'mul') out[0] = x * y;
      else kernel(out, 0, a.values, 0, 0, b.values, 0, 0, 1);
      return new Tensor(out, a.shape, dtype);
    }
    // fast paths: same shapes, or a one-element operand that does not change the output shape
    if (sameShape(a.shape, b.shape) || (b.size === 1 && b.rank <= a.rank)) {
      const out = allocate(dtype, a.size);
      kernel(out, 0, a.values, 0, 1, b.values, 0, b.size === a.size ? 1 : 0, a.size);
      return new Tensor(out, a.shape, dtype);
    }
    if (a.size === 1 && a.rank <= b.rank) {
      const out = allocate(dtype, b.size);
      kernel(out, 0, a.values, 0, 0, b.values, 0, 1, b.size);
      return new Tensor(out, b.shape, dtype);
    }
    const shape = broadcastShapes(name, a.shape, b.shape);
    const out = allocate(dtype, sizeOf(shape));
    broadcastBinary(
      kernel,
      a.values,
      broadcastStrides(a.shape, shape),
      b.values,
      broadcastStrides(b.shape, shape),
      shape,
      out,
    );
    return new Tensor(out, shape, dtype);
  };
  const prim = definePrimitive<null>({
    name,
    // NOTE: two float scalars under + - ×, the whole of a scalar graph like W1, in a body small
    // enough for V8 to inline into `run` (the general one is too long to be); indexed, not destructured
    forward: (inputs) => {
      const a = inputs[0];
      const b = inputs[1];
      if (scalarArith && a.shape.length === 0 && b.shape.length === 0 && isFloat(a.dtype)) {
        const x = a.values[0];
        const y = b.values[0];
        // one element: always a typed array of its own (the arena serves only larger ones)
        const out = a.dtype === 'float32' ? new Float32Array(1) : new Float64Array(1);
        out[0] = name === 'add' ? x + y : name === 'sub' ? x - y : x * y;
        return new Tensor(out, a.shape, a.dtype);
      }
      return general(a, b);
    },
    ...rules,
  });
  if (kind === 'logic') {
    // both operands must be bool before a mixed pair is cast (a recorded cast would outlive the refusal)
    const check = (op: string, x: Tensor, y: Tensor) => {
      requireBool(op, x);
      requireBool(op, y);
    };
    return (a: TensorLike, b: TensorLike) => prim.run(binaryOperands(name, a, b, check), null);
  }
  if (widen === undefined) {
    return (a: TensorLike, b: TensorLike) =>
      // NOTE: two tensors of one dtype (every gradient rule's call) need no conversion: W1's hot path
      prim.run(
        a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype ? [a, b] : binaryOperands(name, a, b),
        null,
      );
  }
  return (a: TensorLike, b: TensorLike) => {
    const [x, y] = binaryOperands(name, a, b);
    return prim.run(widen(x, y), null);
  };
}

const none = { vjp: NOT_DIFFERENTIABLE, jvp: NOT_DIFFERENTIABLE } as const;

/** a + b, broadcasting. @example tg.add([1, 2], 10); // [11, 12] */
// d(a + b) = da + db
export const add = binaryPrimitive('add', 'arith', {
  vjp: (dy, inputs, _y, _attrs, needs) => [
    needs[0] ? sumToShape(dy, inputs[0].shape) : null,
    needs[1] ? sumToShape(dy, inputs[1].shape) : null,
  ],
  jvp: ([ta, tb], _inputs, y, _attrs, batch) => sumTerms([ta, tb], batch, y),
});
/** a - b, broadcasting. @example tg.sub([5, 6], [1, 2]); // [4, 4] */
// d(a - b) = da - db
export const sub = binaryPrimitive('sub', 'arith', {
  vjp: (dy, [a, b], _y, _attrs, needs) => [
    needs[0] ? sumToShape(dy, a.shape) : null,
    needs[1] ? sumToShape(neg(dy), b.shape) : null,
  ],
  jvp: ([ta, tb], _inputs, y, _attrs, batch) => sumTerms([ta, tb && neg(tb)], batch, y),
});
/** a * b, broadcasting. @example tg.mul([[1], [2]], [3, 4]); // [[3, 4], [6, 8]] */
// d(a b) = b da + a db
export const mul = binaryPrimitive('mul', 'arith', {
  vjp: (dy, inputs, _y, _attrs, needs) => {
    const a = inputs[0];
    const b = inputs[1];
    return [needs[0] ? sumToShape(mul(dy, b), a.shape) : null, needs[1] ? sumToShape(mul(dy, a), b.shape) : null];
  },
  jvp: ([ta, tb], [a, b], y, _attrs, batch) => sumTerms([productTangent(a, ta, b, tb, batch)], batch, y),
});
/**
 * int32 operands of div, cast to float64 first (their shapes checked before, so a refused pair
 * leaves no cast behind): true division, as TF's `/` (math_ops.truediv, _TRUEDIV_TABLE: int32 → float64).
 */
function trueDivOperands(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (a.dtype !== 'int32') return [a, b];
  broadcastShapes('div', a.shape, b.shape);
  return [cast(a, 'float64'), cast(b, 'float64')];
}

/**
 * a / b, broadcasting; int32 operands give a float64 quotient (true division, as TF's `/`).
 * @example tg.div([1, 3], 2); // [0.5, 1.5]
 */
// d(a / b) = da / b - a db / b² = (da - y db) / b
// NOTE: int32 / int32 is float64 as TF's truediv; floorDiv is the integer division
export const div = binaryPrimitive(
  'div',
  'arith',
  {
    vjp: (dy, [a, b], _y, _attrs, needs) => [
      needs[0] ? sumToShape(div(dy, b), a.shape) : null,
      needs[1] ? sumToShape(div(mul(neg(dy), a), mul(b, b)), b.shape) : null,
    ],
    jvp: ([ta, tb], [a, b], y, _attrs, batch) => {
      const da = ta && div(lift(ta, batch, y.rank), b);
      const db = tb && neg(div(mul(lift(tb, batch, y.rank), a), mul(b, b)));
      return sumTerms([da, db], batch, y);
    },
  },
  trueDivOperands,
);

/**
 * floor(a / b), broadcasting, as TF's `tf.math.floordiv` (Python's `//`). For int32 the integer
 * quotient rounded toward -∞, int32 (a zero divisor raises); for floats the floor of the quotient.
 * @example tg.floorDiv(tg.tensor([7, -7], [2], 'int32'), 2); // [3, -4]  (floor(3.5), floor(-3.5))
 */
// NOTE: no derivative, as TF (math_grad.py: FloorDiv's gradient is None for both inputs)
export const floorDiv = binaryPrimitive('floorDiv', 'arith', none);

/**
 * The remainder of floor division, a − floor(a / b)·b, with the sign of b (TF's `tf.math.floormod`, Python's
 * `%`), broadcasting. int32 (a zero divisor raises) or float (a zero divisor gives NaN).
 * @example tg.mod([7, -7, 7], [3, 3, -3]); // [1, 2, -2]
 */
// d mod(a, b) = da − floor(a / b) db, as TF (_FloorModGrad; floorDiv passes no gradient, so it is constant here)
export const mod = binaryPrimitive('mod', 'arith', {
  vjp: (dy, [a, b], _y, _attrs, needs) => [
    needs[0] ? sumToShape(dy, a.shape) : null,
    needs[1] ? sumToShape(mul(dy, neg(floorDiv(a, b))), b.shape) : null,
  ],
  jvp: ([ta, tb], [a, b], y, _attrs, batch) =>
    sumTerms([ta, tb && mul(lift(tb, batch, y.rank), neg(floorDiv(a, b)))], batch, y),
});

/**
 * a / b, and 0 where b is 0 (also for a NaN or infinite a), broadcasting, as TF's `tf.math.divide_no_nan`.
 * Float only.
 * @example tg.divNoNan([3, 3], [2, 0]); // [1.5, 0]
 */
// d divNoNan(a, b) = divNoNan(da, b) + divNoNan(divNoNan(−a, b), b) db, as TF (_DivNoNanGrad): 0 where b is 0
export const divNoNan = binaryPrimitive('divNoNan', 'float', {
  vjp: (dy, [a, b], _y, _attrs, needs) => [
    needs[0] ? sumToShape(divNoNan(dy, b), a.shape) : null,
    needs[1] ? sumToShape(mul(dy, divNoNan(divNoNan(neg(a), b), b)), b.shape) : null,
  ],
  jvp: ([ta, tb], [a, b], y, _attrs, batch) =>
    sumTerms(
      [
        ta && divNoNan(lift(ta, batch, y.rank), b),
        tb && mul(lift(tb, batch, y.rank), divNoNan(divNoNan(neg(a), b), b)),
      ],
      batch,
      y,
    ),
});

/** 1 where x != 0, else 0, in x's dtype: the x-partial of xlogy and xdivy (no gradient of its own, as TF). */
const nonzero = (x: Tensor): Tensor => cast(notEqual(x, 0), x.dtype);

/**
 * x / y, and 0 where x is 0 (TF's Xdivy): internal, the y-partial of xlogy, differentiable itself.
 */
// d xdivy(x, y) = xdivy(x ≠ 0, y) dx + xdivy(−x, y²) dy, as TF (_XDivyGrad)
export const xdivy = binaryPrimitive('xdivy', 'float', {
  vjp: (dy, [x, y], _out, _attrs, needs) => [
    needs[0] ? sumToShape(mul(dy, xdivy(nonzero(x), y)), x.shape) : null,
    needs[1] ? sumToShape(mul(dy, xdivy(neg(x), mul(y, y))), y.shape) : null,
  ],
  jvp: ([tx, ty], [x, y], out, _attrs, batch) =>
    sumTerms(
      [
        tx && mul(lift(tx, batch, out.rank), xdivy(nonzero(x), y)),
        ty && mul(lift(ty, batch, out.rank), xdivy(neg(x), mul(y, y))),
      ],
      batch,
      out,
    ),
});

/**
 * x·ln(y), and 0 where x is 0 (also for y = 0 or NaN), broadcasting, as TF's `tf.math.xlogy`. Float only.
 * @example tg.xlogy([0, 2], [0, Math.E]); // [0, 2]
 */
// d xlogy(x, y) = xlogy(x ≠ 0, y) dx + xdivy(x, y) dy, as TF (_XLogyGrad): both 0 where x is 0
export const xlogy = binaryPrimitive('xlogy', 'float', {
  vjp: (dy, [x, y], _out, _attrs, needs) => [
    needs[0] ? sumToShape(mul(dy, xlogy(nonzero(x), y)), x.shape) : null,
    needs[1] ? sumToShape(mul(dy, xdivy(x, y)), y.shape) : null,
  ],
  jvp: ([tx, ty], [x, y], out, _attrs, batch) =>
    sumTerms(
      [tx && mul(lift(tx, batch, out.rank), xlogy(nonzero(x), y)), ty && mul(lift(ty, batch, out.rank), xdivy(x, y))],
      batch,
      out,
    ),
});

/** ln(a) where a > 0 and 0 elsewhere, as TF's pow gradient takes it. */
function safeLog(a: Tensor): Tensor {
  const positive = greater(a, 0);
  // NOTE: log of a safe stand-in where a <= 0, so the branch not taken cannot put NaN into the gradient
  return where(positive, log(where(positive, a, onesLike(a))), zerosLike(a));
}

/** a ** b, broadcasting. @example tg.pow([2, 3], 2); // [4, 9] */
// d(a^b) = b a^(b-1) da + a^b ln(a) db, the ln taken as 0 where a <= 0, as TF
export const pow = binaryPrimitive('pow', 'arith', {
  vjp: (dy, [a, b], y, _attrs, needs) => [
    needs[0] ? sumToShape(mul(dy, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
    needs[1] ? sumToShape(mul(dy, mul(y, safeLog(a))), b.shape) : null,
  ],
  jvp: ([ta, tb], [a, b], y, _attrs, batch) =>
    sumTerms(
      [
        ta && mul(lift(ta, batch, y.rank), mul(b, pow(a, sub(b, 1)))),
        tb && mul(lift(tb, batch, y.rank), mul(y, safeLog(a))),
      ],
      batch,
      y,
    ),
});

/** The angle of the point (x, y) from the positive x axis, in (-π, π]. @example tg.atan2([1, -1], [0, 0]); // [1.5707964, -1.5707964] */
// d atan2(y, x) = (x dy - y dx) / (x² + y²), as TF
export const atan2 = binaryPrimitive('atan2', 'float', {
  vjp: (g, [y, x], _out, _attrs, needs) => {
    const scaled = div(g, add(mul(x, x), mul(y, y)));
    return [
      needs[0] ? sumToShape(mul(scaled, x), y.shape) : null,
      needs[1] ? sumToShape(neg(mul(scaled, y)), x.shape) : null,
    ];
  },
  jvp: ([ty, tx], [y, x], out, _attrs, batch) => {
    const r2 = add(mul(x, x), mul(y, y));
    return sumTerms(
      [ty && mul(lift(ty, batch, out.rank), div(x, r2)), tx && mul(lift(tx, batch, out.rank), neg(div(y, r2)))],
      batch,
      out,
    );
  },
});

/** The rules of maximum and minimum: everything goes to a where `pickA(a, b)`, to b elsewhere. */
function selectRules(pickA: (a: Tensor, b: Tensor) => Tensor): Rules<null> {
  return {
    vjp: (dy, [a, b]) => {
      const pick = pickA(a, b);
      const zero = zerosLike(dy);
      return [sumToShape(where(pick, dy, zero), a.shape), sumToShape(where(pick, zero, dy), b.shape)];
    },
    jvp: ([ta, tb], [a, b], y, _attrs, batch) => {
      const at = (t: Tensor | null) => (t === null ? 0 : lift(t, batch, y.rank));
      return sumTerms([where(pickA(a, b), at(ta), at(tb))], batch, y);
    },
  };
}

/** The larger of a and b. @example tg.maximum([1, 5], [3, 2]); // [3, 5] */
// NOTE: on ties the whole gradient goes to a, as TF (a >= b selects a)
export const maximum = binaryPrimitive(
  'maximum',
  'arith',
  selectRules((a, b) => greaterEqual(a, b)),
);
/** The smaller of a and b. @example tg.minimum([1, 5], [3, 2]); // [1, 2] */
// NOTE: on ties the whole gradient goes to a, as TF (a <= b selects a)
export const minimum = binaryPrimitive(
  'minimum',
  'arith',
  selectRules((a, b) => lessEqual(a, b)),
);

/** a == b. @example tg.equal([1, 2], 2); // [false, true] */
export const equal = binaryPrimitive('equal', 'compare', none);
/** a != b. @example tg.notEqual([1, 2], 2); // [true, false] */
export const notEqual = binaryPrimitive('notEqual', 'compare', none);
/** a > b. @example tg.greater([1, 3], 2); // [false, true] */
export const greater = binaryPrimitive('greater', 'compare', none);
/** a >= b. @example tg.greaterEqual([1, 2], 2); // [false, true] */
export const greaterEqual = binaryPrimitive('greaterEqual', 'compare', none);
/** a < b. @example tg.less([1, 3], 2); // [true, false] */
export const less = binaryPrimitive('less', 'compare', none);
/** a <= b. @example tg.lessEqual([2, 3], 2); // [true, false] */
export const lessEqual = binaryPrimitive('lessEqual', 'compare', none);
/** Boolean and. @example tg.logicalAnd([true, true], [true, false]); // [true, false] */
export const logicalAnd = binaryPrimitive('logicalAnd', 'logic', none);
/** Boolean or. @example tg.logicalOr([false, true], [false, false]); // [false, true] */
export const logicalOr = binaryPrimitive('logicalOr', 'logic', none);
/** Boolean exclusive or, broadcasting. @example tg.logicalXor([true, true], [true, false]); // [false, true] */
export const logicalXor = binaryPrimitive('logicalXor', 'logic', none);
