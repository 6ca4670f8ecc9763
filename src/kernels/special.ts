// Special-function kernels: erfc (accurate in both tails), lgamma, digamma and polygamma(n ≥ 1), in float64,
// from series, continued fractions and asymptotic expansions with recurrence and reflection. No tables copied:
// every coefficient is a Bernoulli number or a zeta value computed here at load.
import type { NumArray } from './offsets';
import { erfScalar } from './erf';

const SQRT_PI = 1.7724538509055159;
const HALF_LOG_TWO_PI = 0.9189385332046728; // ln(2π) / 2
const EULER_GAMMA = 0.5772156649015329;

/** B₂, B₄, …, B₂₀: the Bernoulli numbers of the asymptotic series. */
const BERNOULLI = [
  1 / 6,
  -1 / 30,
  1 / 42,
  -1 / 30,
  5 / 66,
  -691 / 2730,
  7 / 6,
  -3617 / 510,
  43867 / 798,
  -174611 / 330,
];

/**
 * ζ(k) − 1 for k = 0 … ZETA_TERMS+1 (entries 0 and 1 unused): Σ_{n=2}^{9} n^-k plus the Euler–Maclaurin tail
 * from n = 10, Σ_{n≥N} n^-k = N^(1-k)/(k-1) + N^-k/2 + Σ_j B₂ⱼ/(2j)! · k(k+1)…(k+2j-2) · N^(-k-2j+1).
 */
const ZETA_TERMS = 44;
const zetaMinusOne: number[] = (() => {
  const out = [NaN, NaN];
  const N = 10;
  for (let k = 2; k <= ZETA_TERMS + 1; k++) {
    let tail = N ** (1 - k) / (k - 1) + N ** -k / 2;
    let rising = k; // k(k+1)…(k+2j-2)
    let fact = 2; // (2j)!
    for (let j = 1; j <= BERNOULLI.length; j++) {
      tail += ((BERNOULLI[j - 1] / fact) * rising) / N ** (k + 2 * j - 1);
      rising *= (k + 2 * j - 1) * (k + 2 * j);
      fact *= (2 * j + 1) * (2 * j + 2);
    }
    let head = 0;
    for (let n = N - 1; n >= 2; n--) head += n ** -k;
    out.push(head + tail);
  }
  return out;
})();

/** Evaluates Σ_{k=1}^{c.length} c[k-1]·e^k by Horner's rule. */
function series(c: readonly number[], e: number): number {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * e + c[k];
  return s * e;
}

/** lgamma(2 + ε) = (1 − γ)ε + Σ_{k≥2} (−1)^k (ζ(k) − 1)/k · ε^k (|ε| ≤ 0.5 here: terms fall as 4^-k). */
const LGAMMA2 = [1 - EULER_GAMMA, ...zetaMinusOne.slice(2, 32).map((z, i) => ((i % 2 === 0 ? 1 : -1) * z) / (i + 2))];

/** ψ(2 + ε) − (1 − γ) = Σ_{k≥1} (−1)^(k+1) (ζ(k+1) − 1) ε^k (|ε| ≤ 0.7 here: terms fall as 0.35^k). */
const DIGAMMA2 = zetaMinusOne.slice(2, ZETA_TERMS + 2).map((z, i) => (i % 2 === 0 ? 1 : -1) * z);

/** x − round(x), in [−0.5, 0.5]: exact, so sin(π·r) and tan(π·r) keep every digit near the integers. */
function fractionalPart(x: number): number {
  return x - Math.round(x);
}

/** cos(π·r) for r in [−0.5, 0.5], as sin(π(½ − |r|)): exactly 0 at r = ±½, and every digit near there. */
function cosPiReduced(r: number): number {
  return Math.sin(Math.PI * (0.5 - Math.abs(r)));
}

/** erfc(x) = 1 − erf(x), accurate to a few ulp also where it is tiny (erfc(5) ≈ 1.5375e-12, erfc(26) ≈ 5.7e-296). */
export function erfcScalar(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) {
    // no cancellation: erf(x) ≤ 0.5205 for x < 0.5, and for x ≤ −0.5 erfc(x) = 2 − erfc(−x) with erfc(−x) < 0.48
    return x > -0.5 ? 1 - erfScalar(x) : 2 - erfcScalar(-x);
  }
  if (x > 27.3) return 0; // below the smallest subnormal
  // Γ(1/2, z)/√π with z = x², from the even contraction of Legendre's continued fraction,
  // Γ(a, z) = e^-z z^a / (z + 1 − a − 1(1 − a)/(z + 3 − a − 2(2 − a)/(z + 5 − a − …))), evaluated from the
  // bottom up (each level one division: within 2.5 ulp where Lentz's forward product drifted by 60); it needs
  // about 100/z levels (measured: 315 at x = 0.5, 93 at x = 1, 9 at x = 5), so 20 + 100/z
  const z = x * x;
  const levels = Math.ceil(20 + 100 / z);
  let t = z + 2 * levels + 0.5;
  for (let i = levels; i >= 1; i--) t = z + 2 * i - 1.5 - (i * (i - 0.5)) / t;
  // e^-x² without the rounding of x²: x = hi + lo with hi of 26 bits, so hi² is exact and x² − hi² = lo·(x + hi)
  const split = x * 134217729;
  const hi = split - (split - x);
  const lo = x - hi;
  return (Math.exp(-hi * hi) * Math.exp(-lo * (x + hi)) * x) / SQRT_PI / t;
}

/** ln|Γ(x)|, as C's lgamma (which TF's Lgamma calls): +Infinity at 0, the negative integers and ±Infinity. */
export function lgammaScalar(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0) {
    const r = fractionalPart(x);
    if (r === 0) return Infinity;
    // reflection: Γ(x)Γ(1 − x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * r))) - lgammaScalar(1 - x);
  }
  if (x < 0.5) return series(LGAMMA2, x) - Math.log1p(x) - Math.log(x); // lgamma(x) = lgamma(x + 2) − ln(x(x + 1))
  if (x < 1.5) return series(LGAMMA2, x - 1) - Math.log1p(x - 1); // x − 1 exact (Sterbenz)
  if (x < 2.5) return series(LGAMMA2, x - 2);
  if (x < 10) {
    // lgamma(x) = lgamma(2 + ε) + ln((x − 1)(x − 2)…(2 + ε)), with ε = x − n exact
    const n = Math.round(x);
    let prod = 1;
    for (let j = 1; j <= n - 2; j++) prod *= x - j;
    return series(LGAMMA2, x - n) + Math.log(prod);
  }
  // Stirling: (x − ½) ln x − x + ½ ln 2π + Σ B₂ₖ / (2k(2k − 1) x^(2k−1))
  const w = 1 / (x * x);
  let s = 0;
  for (let k = BERNOULLI.length; k >= 1; k--) s = s * w + BERNOULLI[k - 1] / (2 * k * (2 * k - 1));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + s / x;
}

/** ψ(x) = Γ'(x)/Γ(x), as TF's Digamma: NaN at 0, the negative integers and −Infinity; +Infinity at +Infinity. */
export function digammaScalar(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    const r = fractionalPart(x);
    if (r === 0) return NaN;
    // reflection: ψ(1 − x) − ψ(x) = π cot(πx)
    return digammaScalar(1 - x) - (Math.PI * cosPiReduced(r)) / Math.sin(Math.PI * r);
  }
  if (x < 10) {
    // recurrence ψ(x) = ψ(x + 1) − 1/x up to [1.3, 2.7), or ψ(x) = ψ(x − 1) + 1/(x − 1) down to it; then the
    // series about 2 (terms of one sign beside it, so its root 1.4616… keeps its digits)
    let shift = 0;
    let t = x;
    while (t < 1.3) shift -= 1 / t++;
    while (t >= 2.7) shift += 1 / --t;
    // about the root x₀ (|t − x₀| < 0.24, the difference exact): relative accuracy where ψ crosses 0
    const base =
      t < 1.7 ? DIGAMMA_AT_ROOT + series(digammaRoot, t - DIGAMMA_ROOT) : 1 - EULER_GAMMA + series(DIGAMMA2, t - 2);
    return base + shift;
  }
  // ψ(x) = ln x − 1/(2x) − Σ B₂ₖ / (2k x^2k)
  const w = 1 / (x * x);
  let s = 0;
  for (let k = BERNOULLI.length; k >= 1; k--) s = s * w + BERNOULLI[k - 1] / (2 * k);
  return Math.log(x) - 0.5 / x - s * w;
}

/** The positive root of ψ, rounded to float64, and ψ there (from 40-digit arithmetic). */
const DIGAMMA_ROOT = 1.4616321449683622;
const DIGAMMA_AT_ROOT = -9.241265521729427e-17;

/** ψ(x₀ + ε) − ψ(x₀) = Σ_{k≥1} ψ⁽ᵏ⁾(x₀)/k! · ε^k = Σ (−1)^(k+1) ζ(k + 1, x₀) ε^k (terms fall as 0.165^k on |ε| < 0.24). */
const digammaRoot: number[] = Array.from(
  { length: 24 },
  (_, i) => (i % 2 === 0 ? 1 : -1) * hurwitzZeta(i + 2, DIGAMMA_ROOT),
);

/** n! for the polygamma orders (exact to 22!, rounded beyond). */
function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Hurwitz ζ(s, x) = Σ_{k≥0} (x + k)^-s for an integer s ≥ 2: the first terms up to a = x + M ≥ 10 + s, then
 * the Euler–Maclaurin tail a^(1−s)/(s − 1) + a^-s/2 + Σ_j B₂ⱼ/(2j)! · s(s+1)…(s+2j−2) · a^(−s−2j+1).
 */
function hurwitzZeta(s: number, x: number): number {
  let head = 0;
  let a = x;
  const start = 10 + s;
  while (a < start) {
    head += a ** -s;
    a += 1;
  }
  let tail = a ** (1 - s) / (s - 1) + a ** -s / 2;
  let rising = s;
  let fact = 2;
  for (let j = 1; j <= BERNOULLI.length; j++) {
    tail += ((BERNOULLI[j - 1] / fact) * rising) / a ** (s + 2 * j - 1);
    rising *= (s + 2 * j - 1) * (s + 2 * j);
    fact *= (2 * j + 1) * (2 * j + 2);
  }
  return head + tail;
}

/**
 * ψ⁽ⁿ⁾(x), the n-th derivative of digamma, for an integer n ≥ 1: (−1)^(n+1) n! ζ(n + 1, x), as TF's Polygamma.
 * At 0 and the negative integers (−1)^(n+1)·Infinity (TF's zeta is +Infinity there); 0 at +Infinity.
 */
export function polygammaScalar(n: number, x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  const sign = n % 2 === 1 ? 1 : -1;
  if (x === Infinity) return 0;
  if (x <= 0) {
    const r = fractionalPart(x);
    if (r === 0) return sign * Infinity;
    const sp = Math.sin(Math.PI * r);
    // reflection: ψ₁(x) + ψ₁(1 − x) = π² / sin²(πx)
    if (n === 1) return (Math.PI * Math.PI) / (sp * sp) - polygammaScalar(1, 1 - x);
    // reflection, differentiated: ψ₂(1 − x) − ψ₂(x) = 2π³ cos(πx) / sin³(πx)
    if (n === 2) return polygammaScalar(2, 1 - x) - (2 * Math.PI ** 3 * cosPiReduced(r)) / (sp * sp * sp);
    // NOTE: for n ≥ 3 the series is summed from x itself, as TF's zeta does: O(|x|) terms for negative x
  }
  return sign * factorial(n) * hurwitzZeta(n + 1, x);
}

/** out[i] = erfc(x[i]). */
export function erfcKernel(x: NumArray, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = erfcScalar(x[i]);
}

/** out[i] = lgamma(x[i]). */
export function lgammaKernel(x: NumArray, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = lgammaScalar(x[i]);
}

/** out[i] = digamma(x[i]). */
export function digammaKernel(x: NumArray, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = digammaScalar(x[i]);
}

/** out[i] = polygamma(n, x[i]) for an integer n ≥ 1. */
export function polygammaKernel(n: number, x: NumArray, out: NumArray): void {
  for (let i = 0; i < out.length; i++) out[i] = polygammaScalar(n, x[i]);
}
