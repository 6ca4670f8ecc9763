// Every op refuses bad input with an error that names the op and what was wrong, and a failed op
// records nothing on an active tape.
import * as tg from '../../src';
import { addScaled, reluGrad, tanhGrad } from '../../src/ops/prims/fused';

const i32 = tg.tensor([1, 2], [2], 'int32');
const m23 = tg.ones([2, 3]);

/** [op, call, error class, what the message must say] */
const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
  ['add', () => tg.add([1, 2], [1, 2, 3]), tg.ShapeError, /^add: shapes \[2\] and \[3\] cannot be broadcast together$/],
  ['sub', () => tg.sub(m23, tg.ones([3, 2])), tg.ShapeError, /^sub: shapes \[2,3\] and \[3,2\]/],
  ['mul', () => tg.mul([true], [false]), tg.DTypeError, /^mul: expected a numeric tensor, got bool/],
  ['div', () => tg.div(m23, [1, 2]), tg.ShapeError, /^div: shapes \[2,3\] and \[2\]/],
  ['pow', () => tg.pow(i32, 0.5), tg.DTypeError, /^pow: 0.5 is not an integer and cannot be stored as int32/],
  [
    'maximum',
    () => tg.maximum([1, 2], [[1], [2], [3]]).add([1, 2, 3, 4]),
    tg.ShapeError,
    /^add: shapes \[3,2\] and \[4\]/,
  ],
  ['minimum', () => tg.minimum(m23, tg.ones([4])), tg.ShapeError, /^minimum: shapes \[2,3\] and \[4\]/],
  ['squaredDifference', () => tg.squaredDifference(m23, [1, 2]), tg.ShapeError, /^sub: shapes \[2,3\] and \[2\]/],
  ['equal', () => tg.equal(m23, tg.ones([2])), tg.ShapeError, /^equal: shapes \[2,3\] and \[2\]/],
  ['greater', () => tg.greater(m23, tg.ones([5])), tg.ShapeError, /^greater: shapes/],
  ['logicalOr', () => tg.logicalOr([1], [0]), tg.DTypeError, /^logicalOr: expected a bool tensor, got float32/],
  ['logicalNot', () => tg.logicalNot([1]), tg.DTypeError, /^logicalNot: expected a bool tensor, got float32/],
  ['exp', () => tg.exp(i32), tg.DTypeError, /^exp: expected a float32 or float64 tensor, got int32; cast it first/],
  ['sigmoid', () => tg.sigmoid(i32), tg.DTypeError, /^sigmoid: expected a float32 or float64 tensor, got int32/],
  ['relu', () => tg.relu([true]), tg.DTypeError, /^relu: expected a numeric tensor, got bool/],
  ['elu', () => tg.elu(i32), tg.DTypeError, /^elu: expected a float32 or float64 tensor, got int32/],
  ['leakyRelu', () => tg.leakyRelu(i32), tg.DTypeError, /^leakyRelu: expected a float32 or float64 tensor/],
  ['gelu', () => tg.gelu(i32), tg.DTypeError, /^gelu: expected a float32 or float64 tensor/],
  [
    'where',
    () => tg.where(tg.tensor([1]), [1], [2]),
    tg.DTypeError,
    /^where: the condition must be a bool tensor, got float32$/,
  ],
  [
    'where (shapes)',
    () => tg.where([true, false, true], [1, 2], [3, 4]),
    tg.ShapeError,
    /^where: shapes \[3\] and \[2\]/,
  ],
  [
    'sum',
    () => tg.sum(m23, 5),
    tg.ShapeError,
    /^sum: axis 5 is out of range for a tensor of rank 2; expected an integer in \[-2, 2\)$/,
  ],
  ['mean', () => tg.mean(m23, [1, -1]), tg.ShapeError, /^mean: repeated axis in \[1,-1\]$/],
  ['max', () => tg.max([true, false]), tg.DTypeError, /^max: expected a numeric tensor, got bool/],
  ['logSumExp', () => tg.logSumExp(m23, -3), tg.ShapeError, /^logSumExp: axis -3 is out of range/],
  ['argMax', () => tg.argMax(m23, 2), tg.ShapeError, /^argMax: axis 2 is out of range/],
  ['matmul', () => tg.matmul(m23, m23), tg.ShapeError, /^matmul: inner dimensions differ: \[2,3\] x \[2,3\]$/],
  ['matmul (rank)', () => tg.matmul([1, 2], [1, 2]), tg.ShapeError, /^matmul: both operands need rank >= 2/],
  [
    'dot',
    () => tg.dot(tg.ones([2, 2, 2]), [1, 2]),
    tg.ShapeError,
    /^dot: expected operands of rank 1 or 2, got \[2,2,2\] and \[2\]$/,
  ],
  [
    'outerProduct',
    () => tg.outerProduct(m23, [1]),
    tg.ShapeError,
    /^outerProduct: expected two vectors, got \[2,3\] and \[1\]$/,
  ],
  [
    'transpose',
    () => tg.transpose(m23, [0]),
    tg.ShapeError,
    /^transpose: perm \[0\] is not a permutation of the 2 axes of \[2,3\]$/,
  ],
  [
    'reshape',
    () => tg.reshape(m23, [5]),
    tg.ShapeError,
    /^reshape: cannot reshape \[2,3\] \(6 elements\) to \[5\] \(5 elements\)$/,
  ],
  [
    'expandDims',
    () => tg.expandDims(m23, 4),
    tg.ShapeError,
    /^expandDims: axis 4 is out of range for a tensor of rank 3/,
  ],
  ['squeeze', () => tg.squeeze(m23, 1), tg.ShapeError, /^squeeze: axis 1 of shape \[2,3\] has size 3, expected 1$/],
  [
    'broadcastTo',
    () => tg.broadcastTo(m23, [3, 3]),
    tg.ShapeError,
    /^broadcastTo: (cannot broadcast \[2,3\] to \[3,3\]|shapes \[2,3\] and \[3,3\])/,
  ],
  [
    'tile',
    () => tg.tile(m23, [2]),
    tg.ShapeError,
    /^tile: expected 2 non-negative integer repeats for shape \[2,3\], got \[2\]$/,
  ],
  [
    'concat',
    () => tg.concat([m23, i32]),
    tg.DTypeError,
    /^concat: all tensors must have one dtype, got float32 and int32$/,
  ],
  ['stack', () => tg.stack([]), tg.ShapeError, /^stack: expected a non-empty array of tensors$/],
  ['unstack', () => tg.unstack(m23, 2), tg.ShapeError, /^unstack: axis 2 is out of range/],
  [
    'split',
    () => tg.split(m23, [1, 1], 1),
    tg.ShapeError,
    /^split: sizes \[1,1\] do not add up to 3, the size of axis 1 of \[2,3\]$/,
  ],
  [
    'slice',
    () => tg.slice(m23, [0, 2], [1, 5]),
    tg.ShapeError,
    /^slice: begin \[0,2\] and size \[1,5\] do not fit in shape \[2,3\] \(axis 1\)$/,
  ],
  [
    'stridedSlice',
    () => tg.stridedSlice(m23, [0], [1], [0]),
    tg.ShapeError,
    /^stridedSlice: stride 0 at index 0 must be a non-zero integer$/,
  ],
  [
    'gather',
    () => tg.gather(m23, [0, 3], 1),
    RangeError,
    /^gather: index 3 is out of range \[0, 3\) for axis 1 of shape \[2,3\]$/,
  ],
  [
    'gather (dtype)',
    () => tg.gather(m23, tg.tensor([0.5])),
    tg.DTypeError,
    /^gather: indices must be int32, got float32$/,
  ],
  [
    'pad',
    () => tg.pad(m23, [[0, 0]]),
    tg.ShapeError,
    /^pad: expected 2 pairs \[before, after\] of non-negative integers for shape \[2,3\]/,
  ],
  ['reverse', () => tg.reverse(m23, 3), tg.ShapeError, /^reverse: axis 3 is out of range/],
  ['flatten', () => tg.flatten('x' as unknown as number), tg.DTypeError, /^reshape: cannot make a tensor from string/],
  ['oneHot', () => tg.oneHot([0], -1), tg.ShapeError, /^oneHot: depth must be a non-negative integer, got -1$/],
  ['cast', () => tg.cast(m23, 'complex' as tg.DType), tg.DTypeError, /^cast: unknown dtype "complex"/],
  ['softmax', () => tg.softmax(m23, 2), tg.ShapeError, /^softmax: axis 2 is out of range/],
  [
    'logSoftmax',
    () => tg.logSoftmax(tg.scalar(1)),
    tg.ShapeError,
    /^logSoftmax: axis -1 is out of range for a tensor of rank 0/,
  ],
  ['norm', () => tg.norm(m23, -2), tg.ShapeError, /^norm: unsupported ord -2/],
  ['clipByValue', () => tg.clipByValue(m23, [0, 0], 1), tg.ShapeError, /^maximum: shapes \[2,3\] and \[2\]/],
  [
    'tensor',
    () => tg.tensor([[1], [2, 3]]),
    tg.ShapeError,
    /^tensor: ragged nested array at \[1\]: expected 1 elements along axis 1 for shape \[2,1\], got 2$/,
  ],
  ['zeros', () => tg.zeros([-1]), tg.ShapeError, /^fill: a shape must hold non-negative integers, got \[-1\]$/],
  ['range', () => tg.range(0, 1, 0), tg.ShapeError, /^range: step must be a finite non-zero number, got 0$/],
  ['linspace', () => tg.linspace(0, 1, 0), tg.ShapeError, /^linspace: num must be a positive integer, got 0$/],
  [
    'randomUniform',
    () => tg.randomUniform([2], { minval: 1, maxval: 1 }),
    tg.ShapeError,
    /^randomUniform: maxval \(1\) must be greater than minval \(1\)$/,
  ],
  [
    'randomNormal',
    () => tg.randomNormal([2], { dtype: 'int32' as 'float32' }),
    tg.DTypeError,
    /^randomNormal: dtype must be float32 or float64, got int32$/,
  ],
  ['item', () => m23.item(), tg.ShapeError, /^item: expected a tensor with one element, got shape \[2,3\] with 6$/],
  // the internal fused ops behind relu's gradient and the optimizers' step
  [
    'addScaled',
    () => addScaled(m23, tg.ones([3]), 0.1),
    tg.ShapeError,
    /^addScaled: expected two tensors of one shape, got \[2,3\] and \[3\]$/,
  ],
  [
    'addScaled',
    () => addScaled(m23, tg.ones([2, 3], 'float64'), 0.1),
    tg.DTypeError,
    /^addScaled: expected two tensors of one dtype, got float32 and float64$/,
  ],
  [
    'addScaled',
    () => addScaled(i32, i32, 0.1),
    tg.DTypeError,
    /^addScaled: expected a float32 or float64 tensor, got int32/,
  ],
  [
    'reluGrad',
    () => reluGrad(m23, tg.ones([3, 2])),
    tg.ShapeError,
    /^reluGrad: expected two tensors of one shape, got \[2,3\] and \[3,2\]$/,
  ],
  [
    'tanhGrad',
    () => tanhGrad(m23, tg.ones([2, 3], 'float64')),
    tg.DTypeError,
    /^tanhGrad: expected two tensors of one dtype, got float32 and float64$/,
  ],
];

test.each(cases)('%s refuses bad input with a clear message', (_op, call, kind, message) => {
  let caught: unknown;
  try {
    call();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  expect((caught as Error).message).toMatch(message);
});

test('a failed op records nothing: the tape holds exactly the successful ops', () => {
  const x = new tg.Variable([1, 2]);
  using tape = new tg.GradientTape();
  for (const [, call] of cases) {
    try {
      call();
    } catch {
      // expected
    }
  }
  const y = x.mul(2);
  expect(tape.toString()).toBe('GradientTape(persistent=false, 1 op)\n  t1 = mul(Variable, 2)   [2] float32');
  expect(Array.from(tape.gradient(y, x)!.dataSync())).toEqual([2, 2]);
});
