// The public ops, one line each: the package exports this list (src/index.ts), every op in it whose
// first argument is a tensor becomes a Tensor method (methods.ts), the docs' op table is generated
// from it (scripts/op-table.js → docs/ops.md), and the gradient-check test requires a case for every
// differentiable op in it. Adding an op is its kernel, its primitive, and one name here.
// Each `// ##` heading names a family of the op table.

// ## Creation
export { tensor, constant, scalar, fill, zeros, ones, zerosLike, onesLike, eye, range, linspace } from './create';
export { randomNormal, randomUniform } from './create';

// ## Arithmetic
export { add, sub, mul, div, floorDiv, pow, maximum, minimum } from './prims/binary';
export { square, reciprocal, rsqrt, squaredDifference, clipByValue } from './composite/arith';

// ## Elementwise math
export { neg, abs, sign, exp, expm1, log, log1p, sqrt, sin, cos, tan, asin, acos, atan } from './prims/unary';
export { atan2 } from './prims/binary';
export { sinh, cosh, tanh, erf, floor, ceil, round } from './prims/unary';

// ## Comparison and logic
export { equal, notEqual, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr } from './prims/binary';
export { logicalNot, isNaN, isFinite } from './prims/unary';
export { where } from './prims/select';

// ## Reduction
export { sum, max, min, prod, argMax, argMin } from './prims/reduce';
export { mean, logSumExp } from './composite/reduce';

// ## Linear algebra
export { matmul } from './prims/matmul';
export { dot, outerProduct, norm } from './composite/linalg';

// ## Shape and indexing
export { reshape, transpose, broadcastTo, concat, pad, gather, reverse, oneHot } from './prims/shape';
export { expandDims, squeeze, flatten, tile, stack, unstack, split, slice, stridedSlice } from './composite/shape';

// ## Neural networks
export { sigmoid, softplus, relu } from './prims/unary';
export { relu6, elu, selu, leakyRelu, gelu } from './composite/arith';
export { softmax, logSoftmax } from './composite/nn';

// ## Gradient flow
export { cast, identity, stopGradient } from './prims/cast';
