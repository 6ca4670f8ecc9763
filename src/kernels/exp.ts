// The float32 exp kernel: bit for bit fround(Math.exp(x)), through the WebAssembly SIMD kernel of
// wasm/special.wat.mjs where it runs (3-4x faster), else Math.exp element by element.
import type { NumArray } from './offsets';
import { SPECIAL } from './wasm/generated';
import type { SpecialTable } from './wasm_special';
import { runSpecial } from './wasm_special';

/** 2^(j/64) for j = 0 … 63: the WebAssembly kernel's table. */
function powersOfTwo(): Float64Array {
  return Float64Array.from({ length: SPECIAL.expSteps }, (_, j) => 2 ** (j / SPECIAL.expSteps));
}

/** The WebAssembly kernels' exp table. */
export const EXP_TABLE: SpecialTable = { kind: 'exp', make: powersOfTwo };

const fexp = (v: number): number => Math.fround(Math.exp(v));

/** out[i] = fround(Math.exp(x[i])) for float32 x and out (which may be x itself). */
export function expF32(x: NumArray, out: NumArray): void {
  if (runSpecial(EXP_TABLE, x as Float32Array, out as Float32Array, fexp)) return;
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
}
