// Fuzz: every public function of the op list, called with one argument wrong (wrong types, NaN,
// negative, fractional and huge numbers, wrong ranks, bad axes), must throw a tapegrad error
// (ShapeError, DTypeError, TapeError or ArgumentError) whose message starts with the function's own
// name, and leave no record on a tape watching its float inputs. Each argument of a valid call is
// replaced in turn by every value of a fixed pool for its kind, and by numbers fast-check draws
// (seeded, so every run tries the same calls). FUZZ_REPORT=1 prints the failures grouped by cause.
import fc from 'fast-check';
import * as api from '../../src/ops/api';
import * as losses from '../../src/ops/losses';
import * as nn from '../../src/ops/nn_ops';
import * as tg from '../../src';
import type * as ArenaModule from '../../src/core/arena';

type Arena = typeof ArenaModule;

// NOTE: a refused size must never be allocated: an allocation above 16M elements is turned into a
// plain Error here, so that a missing size check shows up as a failure instead of exhausting memory
const MAX_FUZZ_ALLOCATION = 1 << 24;
jest.mock('../../src/core/arena', () => {
  const real = jest.requireActual<Arena>('../../src/core/arena');
  const guard =
    <T>(make: (n: number) => T) =>
    (n: number): T => {
      if (n > MAX_FUZZ_ALLOCATION) throw new Error(`fuzz guard: an allocation of ${n} elements was attempted`);
      return make(n);
    };
  return {
    ...real,
    float32Array: guard(real.float32Array),
    float64Array: guard(real.float64Array),
    int32Array: guard(real.int32Array),
    uint8Array: guard(real.uint8Array),
  };
});

/** The kinds of argument a public function takes. */
type Kind =
  | 'x' // a float tensor [2,3], watched
  | 'x2' // a second operand [2,3], watched: also wrong shapes in another dtype (a cast must not stay recorded)
  | 'v' // a float vector [3], watched
  | 'm32' // a float matrix [3,2], watched
  | 'probs' // float probabilities [2,3], watched
  | 'value' // anything tensor() accepts
  | 'cond' // a bool tensor [2,3]
  | 'idx' // int32 indices [2]
  | 'hot' // oneHot's indices: out of range is valid (an all-off row, as TF)
  | 'labels' // sparse labels: Keras casts float labels to int
  | 'list' // a list of two float tensors [2,3]
  | 'tnum' // a scalar operand (number or tensor-like)
  | 'num' // a JS number
  | 'scalar' // a number, boolean or rank-0 tensor (fill's value)
  | 'bound' // range's bounds: a finite number
  | 'count' // a positive integer count or size
  | 'mask' // a stridedSlice bit mask
  | 'axis' // one axis of a rank-2 tensor, or axes
  | 'bool'
  | 'shape' // a target shape, for a [2,3] (size 6) tensor
  | 'newShape' // reshape's shape: one -1 is valid
  | 'dtype'
  | 'options'
  | 'perm'
  | 'paddings'
  | 'reps'
  | 'begin'
  | 'size'
  | 'split'
  | 'ord'
  | 'direction' // sort's direction
  | 'ndIdx' // gatherND/scatterND indices [2,1] int32
  | 'segIds' // segment ids [2] int32, in [0, numSegments)
  | 'shift' // roll's shift, for one axis
  | 'repeats'
  | 'mode' // mirrorPad's mode
  | 'equation' // einsum's, for a [2,3] and a [3,2] operand
  | 'axes' // tensordot's, for a [2,3] and a [3,2] operand
  | 'band' // bandPart's numLower / numUpper
  | 'image' // a float NHWC image, watched; its shape is the param's valid value (default [1,4,4,2])
  | 'poolImage' // maxPool's image, float [1,4,4,2], watched: an int32 one is valid too
  | 'filter' // a float HWIO filter, watched; its shape is the param's valid value (default [2,2,2,3])
  | 'image3' // conv1d's float NWC input [1,4,2], watched
  | 'filter3' // conv1d's float WIO filter [2,2,3], watched
  | 'strides' // 2-D strides or dilations
  | 'stride1' // conv1d's stride or dilation
  | 'padding'
  | 'dataFormat'
  | 'outputShape' // conv2dTranspose's, [1,4,4,2] for a [1,3,3,3] input and a [2,2,2,3] filter
  | 'poolSize'
  | 'rate' // dropout's
  | 'noiseShape' // dropout's, for x [2,3]; null is the default
  | 'seed' // null is the default
  | 'tensors'; // a list of float tensors (clipByGlobalNorm's), two [2,3]

/** One parameter: its kind, and whether leaving it out is valid. */
interface Param {
  kind: Kind;
  optional: boolean;
  /** TF's None: null is the default too, and no wrong value (for a kind whose null is wrong elsewhere) */
  nullable?: boolean;
  /** the valid value used while another argument is the wrong one; fresh float tensors per call */
  valid?: unknown;
}
const p = (kind: Kind, valid?: unknown): Param => ({ kind, optional: false, valid });
const o = (kind: Kind, valid?: unknown): Param => ({ kind, optional: true, valid });
/** An optional parameter whose null is TF's None (its default). */
const on = (kind: Kind, valid?: unknown): Param => ({ kind, optional: true, valid, nullable: true });

const X = p('x');
const unaryFloat = [X];
const X2 = p('x2');
const binary = [X, X2];
const reduce = [X, o('axis'), o('bool')];

/** Every public function and its parameters; the test fails when the op list has one not here. */
const SIGNATURES: Record<string, Param[]> = {
  // ## Creation
  tensor: [p('value'), o('shape', [2, 3]), o('dtype')],
  constant: [p('value'), o('shape', [2, 3]), o('dtype')],
  scalar: [p('scalar', 2), o('dtype')],
  fill: [p('shape', [2, 3]), p('scalar', 1), o('dtype')],
  zeros: [p('shape', [2, 3]), o('dtype')],
  ones: [p('shape', [2, 3]), o('dtype')],
  zerosLike: [X],
  onesLike: [X],
  eye: [p('count', 3), o('dtype')],
  range: [p('bound', 0), o('bound', 5), o('bound', 1), o('dtype')],
  // TF's LinSpace takes NaN and infinite bounds (the values are then NaN): only the types are wrong here
  linspace: [p('num', 0), p('num', 1), p('count', 3)],
  randomNormal: [p('shape', [2, 3]), o('options', { seed: 1 })],
  randomUniform: [p('shape', [2, 3]), o('options', { seed: 1 })],
  truncatedNormal: [p('shape', [2, 3]), o('options', { seed: 1 })],
  randomShuffle: [X, o('options', { seed: 1 })],
  multinomial: [X, p('count', 3), on('seed', 1)],
  // ## Arithmetic
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  floorDiv: binary,
  pow: binary,
  maximum: binary,
  minimum: binary,
  square: unaryFloat,
  reciprocal: unaryFloat,
  rsqrt: unaryFloat,
  squaredDifference: binary,
  clipByValue: [X, p('tnum', 0), p('tnum', 1)],
  mod: binary,
  divNoNan: binary,
  // ## Elementwise math
  ...Object.fromEntries(
    [
      'neg',
      'abs',
      'sign',
      'exp',
      'expm1',
      'log',
      'log1p',
      'sqrt',
      'sin',
      'cos',
      'tan',
      'asin',
      'acos',
      'atan',
      'sinh',
      'cosh',
      'tanh',
      'erf',
      'floor',
      'ceil',
      'round',
      'isNaN',
      'isFinite',
      'sigmoid',
      'softplus',
      'relu',
      'relu6',
      'elu',
      'selu',
      'gelu',
      'identity',
      'stopGradient',
      'asinh',
      'acosh',
      'atanh',
      'erfc',
      'lgamma',
      'digamma',
      'isInf',
      'logSigmoid',
      'softsign',
      'silu',
    ].map((name) => [name, unaryFloat]),
  ),
  atan2: binary,
  xlogy: binary,
  // ## Comparison and logic
  equal: binary,
  notEqual: binary,
  greater: binary,
  greaterEqual: binary,
  less: binary,
  lessEqual: binary,
  logicalAnd: [p('cond'), p('cond')],
  logicalOr: [p('cond'), p('cond')],
  logicalNot: [p('cond')],
  logicalXor: [p('cond'), p('cond')],
  where: [p('cond'), X, X2],
  // ## Reduction
  sum: reduce,
  max: reduce,
  min: reduce,
  prod: reduce,
  mean: reduce,
  logSumExp: reduce,
  argMax: [X, o('axis', 0)],
  argMin: [X, o('axis', 0)],
  all: [p('cond'), o('axis'), o('bool')],
  any: [p('cond'), o('axis'), o('bool')],
  variance: reduce,
  std: reduce,
  euclideanNorm: reduce,
  moments: reduce,
  // ## Scans
  cumsum: [X, o('axis', 0), o('bool', false), o('bool', false)],
  cumprod: [X, o('axis', 0), o('bool', false), o('bool', false)],
  cumulativeLogSumExp: [X, o('axis', 0), o('bool', false), o('bool', false)],
  // ## Sorting
  sort: [X, o('axis', -1), o('direction', 'ASCENDING')],
  argsort: [X, o('axis', -1), o('direction', 'ASCENDING')],
  topk: [X, o('count', 2), o('bool')],
  // ## Gather and scatter
  gatherND: [X, p('ndIdx')],
  scatterND: [p('ndIdx'), X, p('shape', [2, 3])],
  tensorScatterUpdate: [X, p('ndIdx'), X2],
  tensorScatterAdd: [X, p('ndIdx'), X2],
  unsortedSegmentSum: [X, p('segIds'), p('count', 2)],
  unsortedSegmentMax: [X, p('segIds'), p('count', 2)],
  unsortedSegmentMin: [X, p('segIds'), p('count', 2)],
  unsortedSegmentMean: [X, p('segIds'), p('count', 2)],
  segmentSum: [X, p('idx')],
  booleanMask: [X, p('cond'), o('axis', 0)],
  // ## Linear algebra
  matmul: [X, p('m32'), o('bool'), o('bool')],
  dot: [p('v'), p('v')],
  outerProduct: [p('v'), p('v')],
  norm: [X, o('ord', 'euclidean'), o('axis'), o('bool')],
  // einsum's first argument is the equation; its operands are X and m32
  einsum: [p('equation', 'ij,jk->ik'), X, p('m32')],
  tensordot: [X, p('m32'), p('axes', 1)],
  matvec: [X, p('v')],
  trace: [X],
  diag: [X],
  diagPart: [X],
  bandPart: [X, p('band', 1), p('band', 0)],
  // ## Shape and indexing
  reshape: [X, p('newShape', [3, 2])],
  transpose: [X, o('perm', [1, 0])],
  broadcastTo: [p('v'), p('shape', [2, 3])],
  concat: [p('list'), o('axis', 0)],
  pad: [
    X,
    p('paddings', [
      [1, 0],
      [0, 1],
    ]),
    o('num', 0),
  ],
  mirrorPad: [
    X,
    p('paddings', [
      [1, 0],
      [0, 1],
    ]),
    p('mode', 'reflect'),
  ],
  gather: [X, p('idx'), o('axis', 0), o('axis', 0)],
  reverse: [X, o('axis', 0)],
  oneHot: [p('hot'), p('count', 3), o('num', 1), o('num', 0), o('dtype'), o('axis', -1)],
  expandDims: [X, o('axis', 0)],
  squeeze: [X, o('axis')],
  flatten: [X],
  tile: [X, p('reps', [1, 2])],
  stack: [p('list'), o('axis', 0)],
  unstack: [X, o('axis', 0)],
  split: [X, p('split', 2), o('axis', 0)],
  slice: [X, p('begin', [0, 0]), o('size', [1, 2])],
  stridedSlice: [
    X,
    p('begin', [0, 0]),
    p('begin', [1, 2]),
    o('begin', [1, 1]),
    o('mask', 0),
    o('mask', 0),
    o('mask', 0),
    o('mask', 0),
    o('mask', 0),
  ],
  roll: [X, p('shift', 1), p('axis', 0)],
  repeat: [X, p('repeats', 2), o('axis')],
  meshgrid: [p('v'), p('v'), o('options', { indexing: 'ij' })],
  // maxlen null is TF's None, the default (the largest length): not a wrong value
  sequenceMask: [p('hot'), on('count', 3)],
  // ## Neural networks
  leakyRelu: [X, o('num', 0.2)],
  softmax: [X, o('axis', -1)],
  logSoftmax: [X, o('axis', -1)],
  biasAdd: [X, p('v')],
  dropout: [X, p('rate', 0.5), on('noiseShape', [1, 3]), on('seed', 1)],
  // offset and scale null are TF's None
  batchNorm: [X, p('v'), p('v'), on('v'), on('v'), o('num', 0.001)],
  l2Normalize: [X, o('axis'), o('num', 1e-12)],
  clipByNorm: [X, p('scalar', 1), o('axis')],
  clipByGlobalNorm: [p('tensors'), p('scalar', 1)],
  // ## Convolution and pooling
  conv2d: [p('image'), p('filter'), p('strides', 1), p('padding', 'valid'), o('dataFormat', 'NHWC'), on('strides', 1)],
  depthwiseConv2d: [
    p('image'),
    p('filter', [2, 2, 2, 1]),
    p('strides', 1),
    p('padding', 'valid'),
    o('dataFormat', 'NHWC'),
    on('strides', 1),
  ],
  conv2dTranspose: [
    p('image', [1, 3, 3, 3]),
    p('filter', [2, 2, 2, 3]),
    p('outputShape', [1, 4, 4, 2]),
    p('strides', 1),
    p('padding', 'valid'),
  ],
  conv1d: [p('image3'), p('filter3'), p('stride1', 1), p('padding', 'valid'), o('dataFormat', 'NWC'), on('stride1', 1)],
  // maxPool and avgPool (src/ops/prims/pool.ts, still being written) join when the op list exports them
  ...Object.fromEntries(
    Object.entries({
      // TF's MaxPool takes int32 images too (AvgPool only floats)
      maxPool: [p('poolImage'), p('poolSize', 2), p('strides', 1), p('padding', 'valid')],
      avgPool: [p('image'), p('poolSize', 2), p('strides', 1), p('padding', 'valid')],
    }).filter(([name]) => name in api),
  ),
  // ## Gradient flow
  cast: [X, p('dtype', 'float64')],
};

/** The losses namespace, public too. */
const LOSS_SIGNATURES: Record<string, Param[]> = {
  meanSquaredError: [X, X2, o('options', {})],
  meanAbsoluteError: [X, X2, o('options', {})],
  huber: [X, X2, o('num', 1), o('options', {})],
  binaryCrossentropy: [p('probs'), p('probs'), o('options', {})],
  categoricalCrossentropy: [p('probs'), p('probs'), o('options', {})],
  sparseCategoricalCrossentropy: [p('labels'), p('probs'), o('options', {})],
  hinge: [X, X2, o('options', {})],
  squaredHinge: [X, X2, o('options', {})],
  categoricalHinge: [X, X2, o('options', {})],
  klDivergence: [p('probs'), p('probs'), o('options', {})],
  poisson: [X, X2, o('options', {})],
  logCosh: [X, X2, o('options', {})],
  cosineSimilarity: [X, X2, o('options', {})],
  meanAbsolutePercentageError: [X, X2, o('options', {})],
  meanSquaredLogarithmicError: [X, X2, o('options', {})],
  binaryFocalCrossentropy: [p('probs'), p('probs'), o('options', {})],
  categoricalFocalCrossentropy: [p('probs'), p('probs'), o('options', {})],
};

/** The nn namespace (TF's tf.nn cross-entropies on logits), public too. */
const NN_SIGNATURES: Record<string, Param[]> = {
  sigmoidCrossEntropyWithLogits: [p('probs'), X],
  softmaxCrossEntropyWithLogits: [p('probs'), X, o('axis', -1)],
  sparseSoftmaxCrossEntropyWithLogits: [p('labels'), X],
};

// ---- bad values, by kind ----

const cyclic: unknown[] = [1];
cyclic[0] = cyclic;
const fn = (): number => 1;
const sym = Symbol('s');
const notATensor: unknown[] = ['abc', null, {}, fn, sym, [[1, 2], [3]], [true, 2], cyclic, new Map()];
const notANumber: unknown[] = ['abc', null, {}, [1, 2], fn, sym, '1', true];

/** The pool of wrong values for each kind (undefined is added for a required parameter). */
function pool(kind: Kind): unknown[] {
  switch (kind) {
    case 'x':
    case 'v':
    case 'probs':
      return notATensor;
    case 'm32':
      return [...notATensor, tg.ones([5, 5], 'float64'), tg.ones([2, 2], 'float64')];
    case 'list':
      return [
        'abc',
        null,
        {},
        sym,
        [],
        [tg.ones([2, 3]), 'abc'],
        [tg.ones([2, 3]), null],
        [tg.ones([2, 3]), tg.ones([3])],
      ];
    case 'value':
      return notATensor;
    case 'x2':
      return [
        ...notATensor,
        tg.ones([4], 'float64'),
        tg.ones([3, 2], 'float64'),
        tg.tensor([1, 2, 3, 4], [4], 'int32'),
      ];
    case 'cond':
      return [...notATensor, tg.ones([2, 3])];
    case 'idx':
      return [...notATensor, tg.tensor([0.5, 1]), [2 ** 32, 0], [-5, 0], [7, 0]];
    case 'hot':
      return [...notATensor, tg.tensor([0.5, 1]), [2 ** 32, 0]];
    case 'labels':
      return [...notATensor, [2 ** 32, 0], [-5, 0], [7, 0]];
    case 'tnum':
      return ['abc', null, {}, fn, sym, [[1, 2], [3]]];
    case 'num':
      return notANumber;
    case 'scalar':
      return ['abc', null, {}, fn, sym, [1, 2], tg.ones([2])];
    case 'bound':
      return [...notANumber, NaN, Infinity, -Infinity];
    case 'count':
      return ['3', null, {}, sym, -1, 0.5, NaN, Infinity, 2 ** 31, 2 ** 53, 1e300];
    case 'mask':
      return ['abc', null, {}, sym, 0.5, NaN, Infinity];
    case 'axis':
      return ['0', 0.5, NaN, 99, -99, 2 ** 53, Infinity, true, {}, [0, 0], [0.5], ['0'], sym];
    case 'bool':
      return ['yes', {}, [], sym, 'false'];
    case 'shape':
      return ['abc', null, {}, sym, 5, [-1], [1.5], [NaN], ['2'], [[2]], [1e9, 1e9], [2 ** 31], [2 ** 53, 2]];
    case 'newShape':
      return ['abc', null, {}, sym, 5, [-2, 3], [-1, -1], [4], [1.5, 4], [NaN], ['2', '3'], [[6]], [2 ** 31, 0]];
    case 'dtype':
      return ['complex64', 'float16', 5, null, {}, sym];
    case 'options':
      return ['abc', 5, null, [], fn, sym, { bogus: 1 }];
    case 'perm':
      return ['abc', {}, sym, [0, 0], [0], [0, 1, 2], [0.5, 1], ['1', '0'], [2, 0]];
    case 'paddings':
      return [
        'abc',
        null,
        {},
        sym,
        [[0, 0]],
        [
          [-1, 0],
          [0, 0],
        ],
        [
          [0.5, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [0, '1'],
        ],
        [
          [2 ** 31, 0],
          [0, 0],
        ],
        [1, 2],
      ];
    case 'reps':
      return ['abc', null, {}, sym, [1], [-1, 1], [0.5, 1], [2 ** 31, 1], ['1', '2']];
    case 'begin':
      return ['abc', null, {}, sym, [0], [0.5, 0], [NaN, 0], ['0', '0'], [0, 0, 0]];
    case 'size':
      return ['abc', {}, sym, [0.5, 1], [5, 5], [-2, 1], [1, 2, 3]];
    case 'split':
      return ['abc', null, {}, sym, 0, -1, 0.5, 4, NaN, [1, 2], [3, -2]];
    case 'ord':
      return ['abc', 0, -2, NaN, {}, sym, true];
    case 'direction':
      return ['up', 'ascending', 5, null, {}, sym];
    case 'ndIdx':
      return [...notATensor, tg.tensor([[0.5], [1]]), [[2], [0]], [[-1], [0]], [[0, 0, 0]], tg.tensor(0, [], 'int32')];
    case 'segIds':
      return [...notATensor, tg.tensor([0.5, 1]), [2 ** 32, 0], [7, 0], [0, 1, 0]];
    case 'shift':
      return ['1', 0.5, NaN, Infinity, true, {}, null, sym, [0.5], ['1'], [1, 1]];
    case 'repeats':
      return ['abc', null, {}, sym, -1, 0.5, NaN, [1, 2], [-1], [0.5], ['1'], 2 ** 31];
    case 'mode':
      return ['edge', 'constant', '', 5, null, {}, sym];
    case 'equation':
      return [5, null, {}, sym, '', 'ij', 'ij,jk->ik->ik', 'i1,jk', 'ij,jk->q', 'ij,ik->ik', '...,...', 'iij,jk->ik'];
    case 'axes':
      return ['1', -1, 0.5, NaN, 3, null, {}, sym, true, [[0]], [[0, 1], [0]], [[1], [1]], [[5], [0]], [['0'], [0]]];
    case 'band':
      return [...notANumber, 0.5, NaN, Infinity, 99];
    case 'image':
      return [...notATensor, tg.ones([4, 4, 2]), tg.ones([1, 4, 4, 2], 'int32')];
    case 'poolImage':
      return [...notATensor, tg.ones([4, 4, 2]), tg.ones([1, 4, 4, 2], 'bool')];
    case 'filter':
      // the input channels wrong, larger than the image, rank 3
      return [...notATensor, tg.ones([2, 2, 3, 1]), tg.ones([6, 6, 2, 1]), tg.ones([2, 2, 2])];
    case 'image3':
      return [...notATensor, tg.ones([1, 1, 4, 2]), tg.ones([1, 4, 2], 'int32')];
    case 'filter3':
      return [...notATensor, tg.ones([2, 3, 1]), tg.ones([6, 2, 1]), tg.ones([2, 2, 2, 3])];
    case 'strides':
      return [0, 1.5, [1, 1, 1], [2, 1, 1, 1], 'a', null, {}, sym, [1, NaN]];
    case 'stride1':
      // [1, 1, 1] is a valid 1-D stride (batch, width, channels)
      return [0, 1.5, [1, 1], [2, 1, 1], [1, 1, 1, 1], 'a', null, {}, sym];
    case 'padding':
      return [
        'full',
        'Valid',
        [[1, 1]],
        [
          [1, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        [
          [0, 0],
          [-1, 0],
          [0, 0],
          [0, 0],
        ],
        3,
        null,
        {},
        sym,
      ];
    case 'dataFormat':
      // NCHW is TF's too, but TF's CPU kernels (and tapegrad's) refuse it; null is not here: TF's None is
      // the default, NHWC
      return ['NCHW', 'NWHC', 3, {}, sym];
    case 'outputShape':
      return [
        'abc',
        null,
        {},
        sym,
        [1, 4, 4],
        [1, 4, 4, 3],
        [2, 4, 4, 2],
        [1, 5, 5, 2],
        [1, -4, 4, 2],
        [1, 4.5, 4, 2],
        [1, 2 ** 31, 4, 2],
        [1, 1e9, 1e9, 2],
      ];
    case 'poolSize':
      return [0, -1, 1.5, [1, 1, 1], [2, 1, 1, 1], 'a', null, {}, sym];
    case 'rate':
      return [...notANumber, NaN, 1, -0.1, 1.5, Infinity, -Infinity];
    case 'noiseShape':
      return ['abc', {}, sym, 5, [-1, 3], [1.5, 3], ['2', 3], [4, 3], [2, 3, 2], [2 ** 31, 3], [null, 3, 1]];
    case 'seed':
      return ['abc', {}, sym, 0.5, NaN, Infinity, '1', true, [1]];
    case 'tensors':
      return [
        'abc',
        null,
        {},
        sym,
        5,
        [tg.ones([2, 3]), 'abc'],
        [tg.ones([2, 3]), tg.ones([2], 'float64')],
        [tg.tensor([1, 2], [2], 'int32')],
        [[[1, 2], [3]]],
      ];
  }
}

/** Numbers fast-check draws for the numeric kinds: negative, fractional, huge, non-finite. */
const badNumbers: Partial<Record<Kind, fc.Arbitrary<number>>> = {
  count: fc.oneof(
    fc.integer({ min: -1e6, max: -1 }),
    fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
  ),
  axis: fc.oneof(
    fc.integer({ min: 2, max: 1e9 }),
    fc.integer({ min: -1e9, max: -3 }),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  ),
  mask: fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  // numLower <= 2 rows, numUpper <= 3 columns (TF refuses more); any negative keeps the whole triangle
  band: fc.oneof(
    fc.integer({ min: 4, max: 1e9 }),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  ),
  rate: fc.oneof(fc.double({ min: 1, noNaN: true }), fc.double({ max: -Number.MIN_VALUE, noNaN: true })),
  repeats: fc.oneof(
    fc.integer({ min: -1e6, max: -1 }),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
  ),
  // any integer shift or seed is TF's (int64): only fractions are wrong
  shift: fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  seed: fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  strides: fc.oneof(
    fc.integer({ min: -1e6, max: 0 }),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  ),
  stride1: fc.oneof(
    fc.integer({ min: -1e6, max: 0 }),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  ),
  poolSize: fc.oneof(
    fc.integer({ min: -1e6, max: 0 }),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  ),
};

/** Fresh valid arguments for a signature: float tensors new each time, returned for the tape to watch. */
function validArgs(params: Param[]): { args: unknown[]; floats: tg.Tensor[] } {
  const floats: tg.Tensor[] = [];
  const float = (values: number[], shape: number[]): tg.Tensor => {
    const t = tg.tensor(values, shape);
    floats.push(t);
    return t;
  };
  const floatOf = (shape: number[]): tg.Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    return float(
      Array.from({ length: n }, (_, i) => ((i % 7) + 1) / 10),
      shape,
    );
  };
  const args = params.map((q) => {
    switch (q.kind) {
      case 'x':
      case 'x2':
        return float([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [2, 3]);
      case 'v':
        return float([0.1, 0.2, 0.3], [3]);
      case 'm32':
        return float([1, 2, 3, 4, 5, 6], [3, 2]);
      case 'probs':
        return float([0.2, 0.3, 0.5, 0.1, 0.1, 0.8], [2, 3]);
      case 'list':
      case 'tensors':
        return [float([1, 2, 3, 4, 5, 6], [2, 3]), float([1, 2, 3, 4, 5, 6], [2, 3])];
      case 'image':
      case 'poolImage':
        return floatOf((q.valid as number[] | undefined) ?? [1, 4, 4, 2]);
      case 'filter':
        return floatOf((q.valid as number[] | undefined) ?? [2, 2, 2, 3]);
      case 'image3':
        return floatOf([1, 4, 2]);
      case 'filter3':
        return floatOf([2, 2, 3]);
      case 'ndIdx':
        return tg.tensor([[0], [1]], [2, 1], 'int32');
      case 'segIds':
        return tg.tensor([0, 1], [2], 'int32');
      case 'value':
        return [1, 2, 3, 4, 5, 6];
      case 'cond':
        return tg.tensor([true, false, true, false, true, false], [2, 3]);
      case 'idx':
      case 'hot':
      case 'labels':
        return tg.tensor([0, 1], [2], 'int32');
      default:
        return q.valid;
    }
  });
  return { args, floats };
}

// NOTE: RangeError is accepted for an index out of range (gather, sparse labels), which the library
// throws deliberately; the report lists those calls so that they can become ArgumentErrors
const TAPEGRAD_ERRORS = [tg.ShapeError, tg.DTypeError, tg.TapeError, tg.ArgumentError, RangeError];

/** The names of the ops a tape recorded, read from its toString(). */
function recorded(tape: tg.GradientTape): string[] {
  const [, ...lines] = tape.toString().split('\n');
  return lines.map((l) => /^ {2}t\d+ = (\w+)\(/.exec(l)?.[1] ?? l.trim());
}

/** A value as a case label. */
function show(v: unknown): string {
  if (v instanceof tg.Tensor) return `Tensor${JSON.stringify(v.shape)} ${v.dtype}`;
  if (v === cyclic) return 'a cyclic array';
  if (typeof v === 'symbol' || typeof v === 'function' || v instanceof Map) return String(v).slice(0, 20);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v, (_k, e: unknown) => (typeof e === 'symbol' ? String(e) : e)) ?? String(v);
  } catch {
    return String(v);
  }
}

/** What went wrong with one call, or null when it was refused as it should be. */
interface Failure {
  fn: string;
  arg: string;
  cause: string;
}

/**
 * Calls `name` with argument `position` replaced by `bad` (the others valid) under a persistent
 * tape watching the float inputs; returns what is wrong, or null.
 */
function probe(
  name: string,
  call: (...a: unknown[]) => unknown,
  params: Param[],
  position: number,
  bad: unknown,
): Failure | null {
  const { args, floats } = validArgs(params);
  args[position] = bad;
  // trailing undefined optionals stay, as a caller writing f(x, undefined) would pass them
  const label = { fn: name, arg: `arg ${position} (${params[position].kind}) = ${show(bad)}` };
  using tape = new tg.GradientTape({ persistent: true });
  tape.watch(floats);
  let error: unknown = undefined;
  let threw = false;
  try {
    call(...args);
  } catch (e) {
    error = e;
    threw = true;
  }
  const left = recorded(tape);
  if (!threw) return { ...label, cause: 'returned without an error' };
  if (!(error instanceof Error)) return { ...label, cause: `threw a non-Error ${show(error)}` };
  const allowed = TAPEGRAD_ERRORS.some((k) => error instanceof k);
  if (!allowed) {
    // the cause, with the numbers and quoted values taken out, so that like failures group together
    const generic = error.message.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, 'N').replace(/"[^"]*"|'[^']*'/g, 'S');
    return { ...label, cause: `${error.name}: ${generic.slice(0, 120)}` };
  }
  if (!error.message.startsWith(`${name}:`))
    return { ...label, cause: `${error.name} named another function: "${error.message.split(':')[0]}:"` };
  if (left.length > 0) return { ...label, cause: `left records on the tape: ${left.join(', ')}` };
  return null;
}

/** Every case of one function: each parameter, each pooled bad value, then fast-check's numbers. */
function fuzz(name: string, call: (...a: unknown[]) => unknown, params: Param[], seed: number): Failure[] {
  const failures: Failure[] = [];
  params.forEach((param, position) => {
    // TF's None: an optional bound (range's stop) or strides may be null as well as left out, and so
    // may a parameter marked nullable (batchNorm's offset and scale, sequenceMask's maxlen, …)
    const nullIsDefault =
      param.optional && (param.nullable === true || param.kind === 'bound' || param.kind === 'begin');
    const values = [
      ...pool(param.kind).filter((v) => !(nullIsDefault && v === null)),
      ...(param.optional ? [] : [undefined]),
    ];
    const numbers = badNumbers[param.kind];
    if (numbers !== undefined) values.push(...fc.sample(numbers, { seed: seed + position, numRuns: 4 }));
    for (const bad of values) {
      const failure = probe(name, call, params, position, bad);
      if (failure !== null) failures.push(failure);
    }
  });
  return failures;
}

/** Failures grouped by cause, for the report. */
function grouped(failures: Failure[]): string {
  const byCause = new Map<string, string[]>();
  for (const f of failures) byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), `${f.fn}: ${f.arg}`]);
  return Array.from(byCause, ([cause, list]) => `- ${cause} (${list.length})\n    ${list.join('\n    ')}`).join('\n');
}

const functions = Object.entries(api as unknown as Record<string, unknown>).filter(
  (e): e is [string, (...a: unknown[]) => unknown] => typeof e[1] === 'function',
);
const lossFunctions = Object.entries(losses as unknown as Record<string, unknown>).filter(
  (e): e is [string, (...a: unknown[]) => unknown] => typeof e[1] === 'function',
);
const nnFunctions = Object.entries(nn as unknown as Record<string, unknown>).filter(
  (e): e is [string, (...a: unknown[]) => unknown] => typeof e[1] === 'function',
);
const all: [string, (...a: unknown[]) => unknown, Param[]][] = [
  ...functions.map(([name, f]): [string, (...a: unknown[]) => unknown, Param[]] => [name, f, SIGNATURES[name]]),
  ...lossFunctions.map(([name, f]): [string, (...a: unknown[]) => unknown, Param[]] => [
    name,
    f,
    LOSS_SIGNATURES[name],
  ]),
  ...nnFunctions.map(([name, f]): [string, (...a: unknown[]) => unknown, Param[]] => [name, f, NN_SIGNATURES[name]]),
];
const report: Failure[] = [];

test('every public function of the op list, of losses and of nn has a signature here', () => {
  expect(functions.map(([name]) => name).filter((name) => SIGNATURES[name] === undefined)).toEqual([]);
  expect(lossFunctions.map(([name]) => name).filter((name) => LOSS_SIGNATURES[name] === undefined)).toEqual([]);
  expect(nnFunctions.map(([name]) => name).filter((name) => NN_SIGNATURES[name] === undefined)).toEqual([]);
  // and every signature here names a public function
  expect(Object.keys(SIGNATURES).filter((name) => !functions.some(([n]) => n === name))).toEqual([]);
  expect(Object.keys(LOSS_SIGNATURES).filter((name) => !lossFunctions.some(([n]) => n === name))).toEqual([]);
  expect(Object.keys(NN_SIGNATURES).filter((name) => !nnFunctions.some(([n]) => n === name))).toEqual([]);
});

test('the valid calls the cases start from succeed', () => {
  const failing = all
    .filter(([, , params]) => params !== undefined)
    .flatMap(([name, call, params]) => {
      try {
        call(...validArgs(params).args);
        return [];
      } catch (e) {
        return [`${name}: ${(e as Error).message}`];
      }
    });
  expect(failing).toEqual([]);
});

describe('one wrong argument is a named tapegrad error, and nothing is left on the tape', () => {
  test.each(
    all
      .filter(([, , params]) => params !== undefined)
      .map(([name, call, params], i) => [name, call, params, i] as const),
  )('%s', (name, call, params, i) => {
    const failures = fuzz(name, call, params, 20_240 + i * 16);
    report.push(...failures);
    expect(grouped(failures)).toBe('');
  });
});

afterAll(() => {
  if (process.env.FUZZ_REPORT) {
    console.log(`${report.length} failing calls\n${grouped(report)}`);
  }
});
