// The `linalg` namespace of the public API (tf.linalg): factorisations, solves and decompositions.
export { matrixTranspose, cholesky, triangularSolve, solve, inv, det, slogdet, logdet } from './prims/linalg_factor';
export type { TriangularSolveOptions, Slogdet } from './prims/linalg_factor';
export { qr, eigh, svd } from './prims/linalg_decomp';
export type { QrOptions, SvdOptions, SvdResult } from './prims/linalg_decomp';
export { pinv, lstsq } from './composite/linalg_solvers';
export type { LstsqOptions } from './composite/linalg_solvers';
