// Elementwise unary kernels: one monomorphic loop each, no closures per element.
import type { NumArray } from './offsets';
import { cosF32, sinF32 } from './trig';
import { tanhF32 } from './tanh';
import { erfF32, erfScalar } from './erf';
import { expF32 } from './exp';

/** A unary kernel writes f(x[i]) into out[i]; both arrays have the same length. */
export type UnaryKernel = (x: NumArray, out: NumArray) => void;

/** Round half to even, as tf.round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

export const unaryKernels = {
  neg: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = -x[i];
  },
  abs: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]);
  },
  sign: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sign(x[i]);
  },
  // float32: a faster kernel with the same results, bit for bit (exp.ts)
  exp: (x, o) => {
    if (x instanceof Float32Array) expF32(x, o);
    else for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]);
  },
  expm1: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.expm1(x[i]);
  },
  log: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]);
  },
  log1p: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.log1p(x[i]);
  },
  sqrt: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i]);
  },
  // float32 sin and cos in float32 arithmetic, as TensorFlow's CPU kernels (and 4-8x faster)
  sin: (x, o) => {
    if (x instanceof Float32Array) sinF32(x, o as Float32Array);
    else for (let i = 0; i < x.length; i++) o[i] = Math.sin(x[i]);
  },
  cos: (x, o) => {
    if (x instanceof Float32Array) cosF32(x, o as Float32Array);
    else for (let i = 0; i < x.length; i++) o[i] = Math.cos(x[i]);
  },
  tan: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.tan(x[i]);
  },
  asin: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.asin(x[i]);
  },
  acos: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.acos(x[i]);
  },
  atan: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.atan(x[i]);
  },
  asinh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.asinh(x[i]);
  },
  acosh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.acosh(x[i]);
  },
  atanh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.atanh(x[i]);
  },
  sinh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.sinh(x[i]);
  },
  cosh: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.cosh(x[i]);
  },
  // float32 tanh in float32 arithmetic, as TensorFlow's CPU kernel (and ~10x faster)
  tanh: (x, o) => {
    if (x instanceof Float32Array) tanhF32(x, o as Float32Array);
    else for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]);
  },
  sigmoid: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = sigmoidScalar(x[i]);
  },
  // softplus(x) = max(x, 0) + log1p(exp(-|x|)): finite for any finite x
  softplus: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
  },
  // NOTE: NaN stays NaN, as TF's Relu (Eigen's cwiseMax<PropagateNaN>(0)); -0 gives +0
  relu: (x, o) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      o[i] = v > 0 || v !== v ? v : 0;
    }
  },
  // float32: a faster kernel with the same results, bit for bit (erf.ts)
  erf: (x, o) => {
    if (x instanceof Float32Array) erfF32(x, o);
    else for (let i = 0; i < x.length; i++) o[i] = erfScalar(x[i]);
  },
  floor: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.floor(x[i]);
  },
  ceil: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Math.ceil(x[i]);
  },
  round: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = roundHalfEven(x[i]);
  },
  logicalNot: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] ? 0 : 1;
  },
  isNaN: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Number.isNaN(x[i]) ? 1 : 0;
  },
  isInf: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] === Infinity || x[i] === -Infinity ? 1 : 0;
  },
  isFinite: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = Number.isFinite(x[i]) ? 1 : 0;
  },
} satisfies Record<string, UnaryKernel>;

/** The names of the unary kernels. */
export type UnaryName = keyof typeof unaryKernels;
