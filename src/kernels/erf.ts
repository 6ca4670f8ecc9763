// The error function: erfScalar in float64 (a series and a continued fraction, about 1e-15), and the
// float32 kernel, which gives bit for bit fround(erfScalar(x)) some 10-20x faster: a Taylor polynomial
// around the nearest point of a grid, with the rare result too close to a float32 rounding boundary
// to be sure of recomputed by erfScalar.
import type { NumArray } from './offsets';
import { SPECIAL } from './wasm/generated';
import type { SpecialTable } from './wasm_special';
import { runSpecial } from './wasm_special';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** erf(x) to about 1e-15: Taylor series below 2, a continued fraction for erfc above. */
export function erfScalar(x: number): number {
  const ax = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (ax < 2) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return Math.sign(x);
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
  let k = ax;
  for (let n = 80; n >= 1; n--) k = ax + n / 2 / k;
  const erfc = (Math.exp(-ax * ax) * ONE_OVER_SQRT_PI) / k;
  return Math.sign(x) * (1 - erfc);
}

/**
 * The grid (shared with the WebAssembly kernel, wasm/special.wat.mjs): PER_UNIT points per unit over
 * [-LIMIT, LIMIT], beyond which float32 erf is ±1, TERMS Taylor coefficients per point (degree 7 at
 * distance ≤ 1/128 leaves terms below 1e-19), and MARGIN, how close (relative) to a float32 rounding
 * boundary a result may come and still be trusted: the polynomial is within about 2e-15 of erfScalar
 * (measured over every float32 in [0, 4)).
 */
const { erfPerUnit: PER_UNIT, erfLimit: LIMIT, erfTerms: TERMS, margin: MARGIN } = SPECIAL;

let grid: Float64Array | null = null;

/**
 * The Taylor coefficients of erf at x0 = k/PER_UNIT − LIMIT, k = 0 … 2·LIMIT·PER_UNIT, TERMS each:
 * c0 = erf(x0), cn = erf⁽ⁿ⁾(x0)/n! with erf⁽ⁿ⁾(x) = 2/√π · (−1)ⁿ⁻¹ Hₙ₋₁(x) e^(−x²) (Hermite polynomials,
 * H₀ = 1, H₁ = 2x, Hₖ₊₁ = 2x Hₖ − 2k Hₖ₋₁). Made on first use. The table is exactly odd in x0, so the
 * kernel is exactly odd; at x0 = 0, c0 is −0, so that erf(±0) = ±0.
 */
function coefficients(): Float64Array {
  const points = 2 * LIMIT * PER_UNIT + 1;
  const t = new Float64Array(points * TERMS);
  for (let g = 0; g < points; g++) {
    const x0 = (g - LIMIT * PER_UNIT) / PER_UNIT;
    const scale = TWO_OVER_SQRT_PI * Math.exp(-x0 * x0);
    const at = g * TERMS;
    t[at] = x0 === 0 ? -0 : erfScalar(x0);
    let hermite = 1;
    let previous = 0;
    let factorial = 1;
    for (let n = 1; n < TERMS; n++) {
      factorial *= n;
      t[at + n] = ((n % 2 === 1 ? scale : -scale) * hermite) / factorial;
      const next = 2 * x0 * hermite - 2 * (n - 1) * previous;
      previous = hermite;
      hermite = next;
    }
  }
  return t;
}

const ferf = (v: number): number => Math.fround(erfScalar(v));

/** The coefficients, made on first use. */
const table = (): Float64Array => (grid ??= coefficients());

/** The WebAssembly kernels' erf table. */
export const ERF_TABLE: SpecialTable = { kind: 'erf', make: table };

/**
 * out[i] = fround(erfScalar(x[i])) for float32 x and out (which may be x itself), bit for bit: by the
 * WebAssembly SIMD kernel where it runs, else below.
 */
export function erfF32(x: NumArray, out: NumArray): void {
  if (runSpecial(ERF_TABLE, x as Float32Array, out as Float32Array, ferf)) return;
  const t = table();
  const offset = LIMIT * PER_UNIT;
  const step = 1 / PER_UNIT;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > -LIMIT && v < LIMIT) {
      const g = ((v + LIMIT) * PER_UNIT + 0.5) | 0;
      // exact: v is a float32 and |d| ≤ 1/128 (and d = v near 0)
      const d = v - (g - offset) * step;
      const b = g * TERMS;
      const d2 = d * d;
      const d4 = d2 * d2;
      // Estrin's scheme: fewer dependent steps than Horner's
      const r =
        t[b] +
        t[b + 1] * d +
        d2 * (t[b + 2] + t[b + 3] * d) +
        d4 * (t[b + 4] + t[b + 5] * d + d2 * (t[b + 6] + t[b + 7] * d));
      const e = r * MARGIN;
      const lo = Math.fround(r - e);
      out[i] = lo === Math.fround(r + e) ? lo : erfScalar(v);
    } else {
      // |erf| rounds to 1 in float32 from |x| ≈ 3.92 on; NaN stays NaN
      out[i] = v > 0 ? 1 : v < 0 ? -1 : v;
    }
  }
}
