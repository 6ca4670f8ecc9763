// The `linalg` namespace of the public API (tf.linalg): factorisations, solves and decompositions.
export { matrixTranspose, cholesky, triangularSolve, solve, inv, det, slogdet, logdet } from './prims/linalg_factor';
export type { TriangularSolveOptions, Slogdet } from './prims/linalg_factor';
