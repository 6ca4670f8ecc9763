// Every op refuses bad input with an error that names the op and what was wrong, and a failed op
// records nothing: not on a tape that watches its inputs, not on a tape that reads them as
// trainable variables, not on two nested tapes with a forward accumulator running as well.
import * as tg from '../../src';
import { addScaled, mulAdd, reluGrad, tanhGrad } from '../../src/ops/prims/fused';
import { flat } from '../helpers';

type Src = tg.Tensor | tg.Variable;
type ErrorClass = new (...a: never[]) => Error;

/**
 * One bad call. `inputs` makes the float tensors the call takes, fresh for every run, so that a
 * tape can watch them (or a variable can hold them) before the call; `call` gets them, or
 * variables holding them. Non-float operands (nothing can watch them) are constants.
 */
type Case = [op: string, inputs: () => tg.Tensor[], call: (xs: Src[]) => unknown, kind: ErrorClass, message: RegExp];

const i32 = tg.tensor([1, 2], [2], 'int32');
const none = (): tg.Tensor[] => [];
const m23 = () => tg.ones([2, 3]);
/** The tensor behind a source, for the internal ops that take tensors only (a read, for a variable). */
const val = (s: Src): tg.Tensor => (s instanceof tg.Variable ? s.value() : s);

const cases: Case[] = [
  [
    'add',
    () => [tg.tensor([1, 2]), tg.tensor([1, 2, 3])],
    ([a, b]) => tg.add(a, b),
    tg.ShapeError,
    /^add: shapes \[2\] and \[3\] cannot be broadcast together$/,
  ],
  // binaryOperands casts float32 up to float64: the shapes must be checked before that cast
  [
    'add (mixed dtypes)',
    () => [tg.tensor([1, 2]), tg.tensor([1, 2, 3], [3], 'float64')],
    ([a, b]) => tg.add(a, b),
    tg.ShapeError,
    /^add: shapes \[2\] and \[3\] cannot be broadcast together$/,
  ],
  ['sub', () => [m23(), tg.ones([3, 2])], ([a, b]) => tg.sub(a, b), tg.ShapeError, /^sub: shapes \[2,3\] and \[3,2\]/],
  ['mul', none, () => tg.mul([true], [false]), tg.DTypeError, /^mul: expected a numeric tensor, got bool/],
  ['div', () => [m23(), tg.tensor([1, 2])], ([a, b]) => tg.div(a, b), tg.ShapeError, /^div: shapes \[2,3\] and \[2\]/],
  ['pow', none, () => tg.pow(i32, 0.5), tg.DTypeError, /^pow: 0.5 is not an integer and cannot be stored as int32/],
  // the maximum succeeds (before the tape starts); the chained add fails
  [
    'maximum',
    () => [tg.maximum([1, 2], [[1], [2], [3]])],
    ([m]) => m.add([1, 2, 3, 4]),
    tg.ShapeError,
    /^add: shapes \[3,2\] and \[4\]/,
  ],
  [
    'minimum',
    () => [m23(), tg.ones([4])],
    ([a, b]) => tg.minimum(a, b),
    tg.ShapeError,
    /^minimum: shapes \[2,3\] and \[4\]/,
  ],
  [
    'squaredDifference',
    () => [m23(), tg.tensor([1, 2])],
    ([a, b]) => tg.squaredDifference(a, b),
    tg.ShapeError,
    /^squaredDifference: shapes \[2,3\] and \[2\]/,
  ],
  ['equal', () => [m23(), tg.ones([2])], ([a, b]) => tg.equal(a, b), tg.ShapeError, /^equal: shapes \[2,3\] and \[2\]/],
  ['greater', () => [m23(), tg.ones([5])], ([a, b]) => tg.greater(a, b), tg.ShapeError, /^greater: shapes/],
  [
    'logicalOr',
    () => [tg.tensor([1]), tg.tensor([0])],
    ([a, b]) => tg.logicalOr(a, b),
    tg.DTypeError,
    /^logicalOr: expected a bool tensor, got float32/,
  ],
  [
    'logicalAnd (mixed dtypes)',
    () => [tg.tensor([1]), tg.tensor([0], [1], 'float64')],
    ([a, b]) => tg.logicalAnd(a, b),
    tg.DTypeError,
    /^logicalAnd: expected a bool tensor, got float32$/,
  ],
  [
    'logicalNot',
    () => [tg.tensor([1])],
    ([a]) => tg.logicalNot(a),
    tg.DTypeError,
    /^logicalNot: expected a bool tensor, got float32/,
  ],
  [
    'exp',
    none,
    () => tg.exp(i32),
    tg.DTypeError,
    /^exp: expected a float32 or float64 tensor, got int32; cast it first/,
  ],
  ['sigmoid', none, () => tg.sigmoid(i32), tg.DTypeError, /^sigmoid: expected a float32 or float64 tensor, got int32/],
  ['relu', none, () => tg.relu([true]), tg.DTypeError, /^relu: expected a numeric tensor, got bool/],
  ['elu', none, () => tg.elu(i32), tg.DTypeError, /^elu: expected a float32 or float64 tensor, got int32/],
  ['leakyRelu', none, () => tg.leakyRelu(i32), tg.DTypeError, /^leakyRelu: expected a float32 or float64 tensor/],
  ['gelu', none, () => tg.gelu(i32), tg.DTypeError, /^gelu: expected a float32 or float64 tensor/],
  [
    'where',
    () => [tg.tensor([1]), tg.tensor([1]), tg.tensor([2])],
    ([c, a, b]) => tg.where(c, a, b),
    tg.DTypeError,
    /^where: the condition must be a bool tensor, got float32$/,
  ],
  [
    'where (mixed dtypes)',
    () => [tg.tensor([1]), tg.tensor([1]), tg.tensor([2], [1], 'float64')],
    ([c, a, b]) => tg.where(c, a, b),
    tg.DTypeError,
    /^where: the condition must be a bool tensor, got float32$/,
  ],
  [
    'where (shapes)',
    () => [tg.tensor([1, 2]), tg.tensor([3, 4])],
    ([a, b]) => tg.where([true, false, true], a, b),
    tg.ShapeError,
    /^where: shapes \[3\] and \[2\]/,
  ],
  [
    'sum',
    () => [m23()],
    ([x]) => tg.sum(x, 5),
    tg.ShapeError,
    /^sum: axis 5 is out of range for a tensor of rank 2; expected an integer in \[-2, 2\)$/,
  ],
  ['mean', () => [m23()], ([x]) => tg.mean(x, [1, -1]), tg.ShapeError, /^mean: repeated axis in \[1,-1\]$/],
  ['max', none, () => tg.max([true, false]), tg.DTypeError, /^max: expected a numeric tensor, got bool/],
  ['logSumExp', () => [m23()], ([x]) => tg.logSumExp(x, -3), tg.ShapeError, /^logSumExp: axis -3 is out of range/],
  ['argMax', () => [m23()], ([x]) => tg.argMax(x, 2), tg.ShapeError, /^argMax: axis 2 is out of range/],
  [
    'matmul',
    () => [m23(), m23()],
    ([a, b]) => tg.matmul(a, b),
    tg.ShapeError,
    /^matmul: inner dimensions differ: \[2,3\] x \[2,3\]$/,
  ],
  [
    'matmul (mixed dtypes)',
    () => [m23(), tg.ones([2, 3], 'float64')],
    ([a, b]) => tg.matmul(a, b),
    tg.ShapeError,
    /^matmul: inner dimensions differ: \[2,3\] x \[2,3\]$/,
  ],
  [
    'matmul (rank)',
    () => [tg.tensor([1, 2]), tg.tensor([1, 2])],
    ([a, b]) => tg.matmul(a, b),
    tg.ShapeError,
    /^matmul: both operands need rank >= 2/,
  ],
  [
    'dot',
    () => [tg.ones([2, 2, 2]), tg.tensor([1, 2])],
    ([a, b]) => tg.dot(a, b),
    tg.ShapeError,
    /^dot: expected operands of rank 1 or 2, got \[2,2,2\] and \[2\]$/,
  ],
  [
    'outerProduct',
    () => [m23(), tg.tensor([1])],
    ([a, b]) => tg.outerProduct(a, b),
    tg.ShapeError,
    /^outerProduct: expected two vectors, got \[2,3\] and \[1\]$/,
  ],
  [
    'transpose',
    () => [m23()],
    ([x]) => tg.transpose(x, [0]),
    tg.ShapeError,
    /^transpose: perm \[0\] is not a permutation of the 2 axes of \[2,3\]$/,
  ],
  [
    'reshape',
    () => [m23()],
    ([x]) => tg.reshape(x, [5]),
    tg.ShapeError,
    /^reshape: cannot reshape \[2,3\] \(6 elements\) to \[5\] \(5 elements\)$/,
  ],
  [
    'expandDims',
    () => [m23()],
    ([x]) => tg.expandDims(x, 4),
    tg.ShapeError,
    /^expandDims: axis 4 is out of range for a tensor of rank 3/,
  ],
  [
    'squeeze',
    () => [m23()],
    ([x]) => tg.squeeze(x, 1),
    tg.ShapeError,
    /^squeeze: axis 1 of shape \[2,3\] has size 3, expected 1$/,
  ],
  [
    'broadcastTo',
    () => [m23()],
    ([x]) => tg.broadcastTo(x, [3, 3]),
    tg.ShapeError,
    /^broadcastTo: (cannot broadcast \[2,3\] to \[3,3\]|shapes \[2,3\] and \[3,3\])/,
  ],
  [
    'tile',
    () => [m23()],
    ([x]) => tg.tile(x, [2]),
    tg.ShapeError,
    /^tile: expected 2 non-negative integer repeats for shape \[2,3\], got \[2\]$/,
  ],
  [
    'concat',
    () => [m23()],
    ([x]) => tg.concat([x, i32]),
    tg.DTypeError,
    /^concat: all tensors must have one dtype, got float32 and int32$/,
  ],
  ['stack', none, () => tg.stack([]), tg.ShapeError, /^stack: expected a non-empty array of tensors$/],
  // stack expands each tensor's dims before it joins them: the dtypes must be checked first
  [
    'stack (dtypes)',
    () => [tg.tensor([1, 2])],
    ([x]) => tg.stack([x, i32]),
    tg.DTypeError,
    /^stack: all tensors must have one dtype, got float32 and int32$/,
  ],
  ['unstack', () => [m23()], ([x]) => tg.unstack(x, 2), tg.ShapeError, /^unstack: axis 2 is out of range/],
  [
    'split',
    () => [m23()],
    ([x]) => tg.split(x, [1, 1], 1),
    tg.ShapeError,
    /^split: sizes \[1,1\] do not add up to 3, the size of axis 1 of \[2,3\]$/,
  ],
  [
    'slice',
    () => [m23()],
    ([x]) => tg.slice(x, [0, 2], [1, 5]),
    tg.ShapeError,
    /^slice: begin \[0,2\] and size \[1,5\] do not fit in shape \[2,3\] \(axis 1\)$/,
  ],
  [
    'stridedSlice',
    () => [m23()],
    ([x]) => tg.stridedSlice(x, [0], [1], [0]),
    tg.ShapeError,
    /^stridedSlice: stride 0 at index 0 must be a non-zero integer$/,
  ],
  [
    'gather',
    () => [m23()],
    ([x]) => tg.gather(x, [0, 3], 1),
    RangeError,
    /^gather: index 3 is out of range \[0, 3\) for axis 1 of shape \[2,3\]$/,
  ],
  [
    'gather (dtype)',
    () => [m23(), tg.tensor([0.5])],
    ([x, i]) => tg.gather(x, i),
    tg.DTypeError,
    /^gather: indices must be int32, got float32$/,
  ],
  [
    'pad',
    () => [m23()],
    ([x]) => tg.pad(x, [[0, 0]]),
    tg.ShapeError,
    /^pad: expected 2 pairs \[before, after\] of non-negative integers for shape \[2,3\]/,
  ],
  ['reverse', () => [m23()], ([x]) => tg.reverse(x, 3), tg.ShapeError, /^reverse: axis 3 is out of range/],
  [
    'flatten',
    none,
    () => tg.flatten('x' as unknown as number),
    tg.DTypeError,
    /^flatten: cannot make a tensor from string/,
  ],
  // TF's OneHot kernel: "depth must be non-negative"
  [
    'oneHot',
    none,
    () => tg.oneHot([0], -1),
    tg.ArgumentError,
    /^oneHot: depth must be an integer in \[0, 2147483647\], got -1$/,
  ],
  ['cast', () => [m23()], ([x]) => tg.cast(x, 'complex' as tg.DType), tg.DTypeError, /^cast: unknown dtype "complex"/],
  ['softmax', () => [m23()], ([x]) => tg.softmax(x, 2), tg.ShapeError, /^softmax: axis 2 is out of range/],
  [
    'logSoftmax',
    () => [tg.scalar(1)],
    ([x]) => tg.logSoftmax(x),
    tg.ShapeError,
    /^logSoftmax: axis -1 is out of range for a tensor of rank 0/,
  ],
  ['norm', () => [m23()], ([x]) => tg.norm(x, -2), tg.ArgumentError, /^norm: unsupported ord -2/],
  // norm squares (or takes abs) before it reduces: the axes must be checked first
  [
    'norm (axis)',
    () => [m23()],
    ([x]) => tg.norm(x, 'euclidean', 5),
    tg.ShapeError,
    /^norm: axis 5 is out of range for a tensor of rank 2/,
  ],
  [
    'clipByValue',
    () => [m23(), tg.tensor([0, 0])],
    ([x, lo]) => tg.clipByValue(x, lo, 1),
    tg.ShapeError,
    /^clipByValue: shapes \[2,3\] and \[2\]/,
  ],
  // clipByValue is maximum(minimum(x, hi), lo): lo must be checked before the minimum runs
  [
    'clipByValue (hi)',
    () => [m23(), tg.tensor([1, 1])],
    ([x, hi]) => tg.clipByValue(x, 0, hi),
    tg.ShapeError,
    /^clipByValue: shapes \[2,3\] and \[2\]/,
  ],
  // the losses cast yTrue to yPred's dtype: the shapes must be checked before that cast
  [
    'meanSquaredError',
    () => [tg.tensor([1, 2, 3], [3], 'float64'), tg.tensor([1, 2])],
    ([t, p]) => tg.losses.meanSquaredError(t, p),
    tg.ShapeError,
    /^meanSquaredError: yTrue \[3\] and yPred \[2\] must have one shape or broadcast together$/,
  ],
  [
    'categoricalCrossentropy',
    () => [tg.scalar(1, 'float64'), tg.scalar(1)],
    ([t, p]) => tg.losses.categoricalCrossentropy(t, p),
    tg.ShapeError,
    /^categoricalCrossentropy: expected predictions with a class axis, got a scalar$/,
  ],
  [
    'sparseCategoricalCrossentropy',
    () => [tg.tensor([[0.2, 0.8]])],
    ([p]) => tg.losses.sparseCategoricalCrossentropy([2], p),
    RangeError,
    /^sparseCategoricalCrossentropy: label 2 is out of range \[0, 2\)$/,
  ],
  [
    'tensor',
    none,
    () => tg.tensor([[1], [2, 3]]),
    tg.ShapeError,
    /^tensor: ragged nested array at \[1\]: expected 1 elements along axis 1 for shape \[2,1\], got 2$/,
  ],
  ['zeros', none, () => tg.zeros([-1]), tg.ShapeError, /^zeros: a shape must hold non-negative integers, got \[-1\]$/],
  ['range', none, () => tg.range(0, 1, 0), tg.ArgumentError, /^range: step must be a finite non-zero number, got 0$/],
  ['linspace', none, () => tg.linspace(0, 1, 0), tg.ArgumentError, /^linspace: num must be an integer >= 1, got 0$/],
  [
    'randomUniform',
    none,
    () => tg.randomUniform([2], { minval: 1, maxval: 1 }),
    tg.ArgumentError,
    /^randomUniform: maxval \(1\) must be greater than minval \(1\)$/,
  ],
  [
    'randomNormal',
    none,
    () => tg.randomNormal([2], { dtype: 'int32' as 'float32' }),
    tg.DTypeError,
    /^randomNormal: dtype must be float32 or float64, got int32$/,
  ],
  [
    'item',
    () => [m23()],
    ([x]) => val(x).item(),
    tg.ShapeError,
    /^item: expected a tensor with one element, got shape \[2,3\] with 6$/,
  ],
  // the internal fused ops behind relu's gradient and the optimizers' step
  [
    'addScaled (shapes)',
    () => [m23(), tg.ones([3])],
    ([a, b]) => addScaled(val(a), val(b), 0.1),
    tg.ShapeError,
    /^addScaled: expected two tensors of one shape, got \[2,3\] and \[3\]$/,
  ],
  [
    'addScaled (dtypes)',
    () => [m23(), tg.ones([2, 3], 'float64')],
    ([a, b]) => addScaled(val(a), val(b), 0.1),
    tg.DTypeError,
    /^addScaled: expected two tensors of one dtype, got float32 and float64$/,
  ],
  [
    'addScaled (int32)',
    none,
    () => addScaled(i32, i32, 0.1),
    tg.DTypeError,
    /^addScaled: expected a float32 or float64 tensor, got int32/,
  ],
  [
    'reluGrad',
    () => [m23(), tg.ones([3, 2])],
    ([dy, x]) => reluGrad(val(dy), val(x)),
    tg.ShapeError,
    /^reluGrad: expected two tensors of one shape, got \[2,3\] and \[3,2\]$/,
  ],
  [
    'tanhGrad',
    () => [m23(), tg.ones([2, 3], 'float64')],
    ([y, dy]) => tanhGrad(val(y), val(dy)),
    tg.DTypeError,
    /^tanhGrad: expected two tensors of one dtype, got float32 and float64$/,
  ],
  [
    'mulAdd',
    () => [m23(), m23(), m23(), tg.ones([3])],
    ([a, b, c, d]) => mulAdd(val(a), val(b), val(c), val(d)),
    tg.ShapeError,
    /^mulAdd: expected two tensors of one shape, got \[2,3\] and \[3\]$/,
  ],
];

/**
 * Cases whose call takes no float tensor. Only float tensors can be watched, and a recorder keeps
 * an op only when it reads a watched tensor, so no build could record these: the recording tests
 * below leave them out, and this list pins which they are.
 */
const TAKES_NO_FLOAT_TENSOR = [
  'mul',
  'pow',
  'exp',
  'sigmoid',
  'relu',
  'elu',
  'leakyRelu',
  'gelu',
  'max',
  'stack',
  'flatten',
  'oneHot',
  'tensor',
  'zeros',
  'range',
  'linspace',
  'randomUniform',
  'randomNormal',
  'addScaled (int32)',
];

/**
 * Records a failed call is known to leave on a tape that watches its inputs: none today. The tests
 * below assert exactly these records, so an entry fails once its leak is fixed. (The last three,
 * where, logicalAnd and matmul on mixed dtypes, went when binaryOperands learnt to run each op's
 * own check before casting a mixed pair.)
 */
const KNOWN_LEAKS: Readonly<Record<string, readonly string[]>> = {};

/** What a case leaves on a tape that watches its inputs: nothing, or its known leak. */
const leaked = (op: string): readonly string[] => KNOWN_LEAKS[op] ?? [];

/** The calls's error: of the given class, with the given message. */
function expectRefusal(call: () => unknown, kind: ErrorClass, message: RegExp): void {
  let caught: unknown;
  try {
    call();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  expect((caught as Error).message).toMatch(message);
}

/** The names of the ops a tape recorded, read from its toString(), whose head must count them. */
function recorded(tape: tg.GradientTape): string[] {
  const [head, ...lines] = tape.toString().split('\n');
  const ops = lines.map((l) => /^ {2}t\d+ = (\w+)\(/.exec(l)?.[1] ?? `unparsed: ${l}`);
  expect(head).toBe(`GradientTape(persistent=${tape.persistent}, ${ops.length} op${ops.length === 1 ? '' : 's'})`);
  return ops;
}

/** Each gradient is ones of its source's shape: the gradient of sum(identity(x)) for each x. */
function expectOnes(grads: (tg.Tensor | null)[], sources: Src[]): void {
  expect(grads.map((g) => flat(g))).toEqual(sources.map((s) => new Array<number>(s.size).fill(1)));
}

const watchable = cases.filter(([, inputs]) => inputs().length > 0);

test('the table names each case once; the recording tests leave out only the cases without float tensors', () => {
  const names = cases.map(([op]) => op);
  expect(new Set(names).size).toBe(names.length);
  expect(cases.filter(([, inputs]) => inputs().length === 0).map(([op]) => op)).toEqual(TAKES_NO_FLOAT_TENSOR);
  // a known leak must name a case that the recording tests run
  for (const op of Object.keys(KNOWN_LEAKS)) expect(watchable.map(([name]) => name)).toContain(op);
});

test.each(cases)('%s refuses bad input with a clear message', (_op, inputs, call, kind, message) => {
  expectRefusal(() => call(inputs()), kind, message);
});

describe('a failed op records nothing', () => {
  test.each(watchable)('%s: on a tape watching its inputs', (op, inputs, call, kind, message) => {
    const xs = inputs();
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(xs);
    expectRefusal(() => call(xs), kind, message);
    expect(recorded(tape)).toEqual(leaked(op));

    // the tape was recording and watching those inputs: an op that succeeds on them is recorded
    const ys = xs.map((x) => tg.identity(x));
    expect(recorded(tape)).toEqual([...leaked(op), ...ys.map(() => 'identity')]);
    expectOnes(tape.gradient(ys, xs), xs);
  });

  test.each(watchable)('%s: on a tape reading its inputs as trainable variables', (op, inputs, call, kind, message) => {
    const vs = inputs().map((x, i) => new tg.Variable(x, { name: `v${i}` }));
    using tape = new tg.GradientTape({ persistent: true });
    expectRefusal(() => call(vs), kind, message);
    expect(recorded(tape)).toEqual(leaked(op));
    // the call did read every variable on the tape (in its own order), which would record any op that took one
    expect(new Set(tape.watchedVariables())).toEqual(new Set(vs));

    const ys = vs.map((v) => tg.identity(v));
    expect(recorded(tape)).toEqual([...leaked(op), ...ys.map(() => 'identity')]);
    expectOnes(tape.gradient(ys, vs), vs);
  });

  test.each(watchable)(
    '%s: on nested tapes watching its inputs, with a forward accumulator on them',
    (op, inputs, call, kind, message) => {
      const xs = inputs();
      const tangents = xs.map((x) => tg.fill(x.shape, 0.5, x.dtype));
      using outer = new tg.GradientTape({ persistent: true });
      outer.watch(xs);
      using acc = new tg.ForwardAccumulator(xs, tangents);
      using inner = new tg.GradientTape({ persistent: true });
      inner.watch(xs);

      expectRefusal(() => call(xs), kind, message);
      expect(recorded(outer)).toEqual(leaked(op));
      expect(recorded(inner)).toEqual(leaked(op));
      // the accumulator still holds the tangents it was given, and only those: a record of the
      // failed op would have given its output (or a stand-in for it) a tangent
      xs.forEach((x, i) => expect(acc.jvp(x)).toBe(tangents[i]));

      // all three were live: an op that succeeds on the inputs reaches each of them
      const ys = xs.map((x) => tg.identity(x));
      expect(recorded(outer)).toEqual([...leaked(op), ...ys.map(() => 'identity')]);
      expect(recorded(inner)).toEqual([...leaked(op), ...ys.map(() => 'identity')]);
      expectOnes(inner.gradient(ys, xs), xs);
      expectOnes(outer.gradient(ys, xs), xs);
      ys.forEach((y, i) => expect(flat(acc.jvp(y))).toEqual(flat(tangents[i])));
    },
  );
});
