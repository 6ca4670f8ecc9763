// The public ops, one line each: the package exports this list (src/index.ts), every op in it whose
// first argument is a tensor becomes a Tensor method (methods.ts), the docs' op table is generated
// from it (scripts/op-table.js → docs/ops.md), and the gradient-check test requires a case for every
// differentiable op in it. Adding an op is its kernel, its primitive, and one name here.
// Each `// ##` heading names a family of the op table.

// ## Creation
export { tensor, constant, scalar, fill, zeros, ones, zerosLike, onesLike, eye, range, linspace } from './create';
export { randomNormal, randomUniform } from './create';
export { truncatedNormal, randomShuffle, multinomial } from './random';

// ## Arithmetic
export { add, sub, mul, div, floorDiv, pow, maximum, minimum } from './prims/binary';
export { square, reciprocal, rsqrt, squaredDifference, clipByValue } from './composite/arith';
export { mod, divNoNan } from './prims/binary';

// ## Elementwise math
export { neg, abs, sign, exp, expm1, log, log1p, sqrt, sin, cos, tan, asin, acos, atan } from './prims/unary';
export { atan2 } from './prims/binary';
export { sinh, cosh, tanh, erf, floor, ceil, round } from './prims/unary';
export { asinh, acosh, atanh, erfc, lgamma, digamma } from './prims/unary';
export { xlogy } from './prims/binary';

// ## Comparison and logic
export { equal, notEqual, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr } from './prims/binary';
export { logicalNot, isNaN, isFinite } from './prims/unary';
export { logicalXor } from './prims/binary';
export { isInf } from './prims/unary';
export { where } from './prims/select';

// ## Reduction
export { sum, max, min, prod, argMax, argMin } from './prims/reduce';
export { mean, logSumExp } from './composite/reduce';
export { all, any } from './prims/reduce';
export { variance, std, euclideanNorm } from './composite/reduce';
export { moments } from './composite/moments';

// ## Scans
export { cumsum, cumprod, cumulativeLogSumExp } from './prims/cumulative';

// ## Sorting
export { sort, argsort, topk } from './prims/sort';

// ## Gather and scatter
export { gatherND, scatterND, tensorScatterUpdate, tensorScatterAdd, booleanMask } from './prims/scatter';
export {
  unsortedSegmentSum,
  unsortedSegmentMax,
  unsortedSegmentMin,
  unsortedSegmentMean,
  segmentSum,
} from './prims/segment';

// ## Linear algebra
export { matmul } from './prims/matmul';
export { dot, outerProduct, norm } from './composite/linalg';
export { tensordot, matvec, trace, diag, diagPart, bandPart } from './composite/linalg';
export { einsum } from './composite/einsum';

// ## Shape and indexing
export { reshape, transpose, broadcastTo, concat, pad, mirrorPad, gather, reverse, oneHot } from './prims/shape';
export { expandDims, squeeze, flatten, tile, stack, unstack, split, slice, stridedSlice } from './composite/shape';
export { roll, repeat, meshgrid, sequenceMask } from './composite/shape';

// ## Neural networks
export { sigmoid, softplus, relu } from './prims/unary';
export { relu6, elu, selu, leakyRelu, gelu } from './composite/arith';
export { softmax, logSoftmax } from './composite/nn';
export { logSigmoid, softsign, silu } from './composite/activations';
export { biasAdd, dropout } from './composite/nn';
export { batchNorm, l2Normalize, clipByNorm, clipByGlobalNorm } from './composite/normalization';

// ## Convolution and pooling
export { conv1d, conv2d, conv2dTranspose, depthwiseConv2d } from './prims/conv';
export { maxPool, avgPool } from './prims/pool';

// ## Gradient flow
export { cast, identity, stopGradient } from './prims/cast';
