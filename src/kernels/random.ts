// Seeded random numbers that are the same on every platform: integer arithmetic only (xoshiro128**), and a
// logarithm and an exponential built from + − × ÷ so that no engine's Math.log or Math.exp can change a sample.
// The samplers of truncatedNormal, randomShuffle, multinomial and dropout's mask draw from these.

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator of uniform 32-bit unsigned integers from a seed. */
export function xoshiro128(seed: number): () => number {
  const init = splitmix32(seed);
  let a = init(),
    b = init(),
    c = init(),
    d = init();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform double in [0, 1) with 53 random bits. */
export function uniform53(next: () => number): number {
  return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

const LN2 = 0.6931471805599453;

/** ln(x) for x > 0 with only + − × ÷: x = m·2^e with m in [1, 2), ln m = 2·atanh((m−1)/(m+1)) by its series. */
export function portableLog(x: number): number {
  let m = x;
  let e = 0;
  while (m >= 2) {
    m /= 2;
    e++;
  }
  while (m < 1) {
    m *= 2;
    e--;
  }
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = 0;
  for (let k = 1; k < 80; k += 2) {
    sum += term / k;
    term *= z2;
  }
  return 2 * sum + e * LN2;
}

/** A standard normal sample by Marsaglia's polar method (square root is exact in IEEE arithmetic). */
export function normalPair(next: () => number): [number, number] {
  for (;;) {
    const u = 2 * uniform53(next) - 1;
    const v = 2 * uniform53(next) - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) {
      const f = Math.sqrt((-2 * portableLog(s)) / s);
      return [u * f, v * f];
    }
  }
}

const LN2_HI = 6.9314718036912381649e-1; // ln 2's upper bits: k·LN2_HI is exact for |k| < 2^11
const LN2_LO = 1.90821492927058770002e-10; // ln 2 − LN2_HI
const pow2View = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in [-1022, 1023], built from its bits (exact, no Math.pow). */
function pow2(k: number): number {
  pow2View.setUint32(0, (k + 1023) << 20);
  pow2View.setUint32(4, 0);
  return pow2View.getFloat64(0);
}

/**
 * e^x with only + − × ÷ (no engine's Math.exp, whose last bits may differ): x = k·ln 2 + r with |r| ≤ ln 2 / 2,
 * e^r by its Taylor series to r^19, times 2^k from its bits.
 */
export function portableExp(x: number): number {
  if (x !== x) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x / LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  // Horner's form of Σ r^i/i! to i = 19 (r^20/20! < 2^-90), innermost term first
  let sum = 1;
  for (let i = 19; i > 0; i--) sum = 1 + (r * sum) / i;
  // a subnormal result in two steps, each a multiplication by an exact power of two
  return k < -1022 ? sum * pow2(k + 60) * pow2(-60) : k > 1023 ? sum * pow2(k - 1) * 2 : sum * pow2(k);
}

/**
 * Fills `out` with `mean + stddev·z`, z standard normal samples with |z| < 2 (TF's TruncatedNormal: a value
 * beyond two standard deviations is dropped and drawn again). Each accepted z is used in turn.
 */
export function truncatedNormalFill(
  out: Float32Array | Float64Array,
  next: () => number,
  mean: number,
  stddev: number,
) {
  let i = 0;
  while (i < out.length) {
    for (const z of normalPair(next)) {
      if (i < out.length && Math.abs(z) < 2) out[i++] = mean + stddev * z;
    }
  }
}

/** A uniform integer in [0, n) (n ≤ 2^31): floor(u·n) of a 53-bit uniform u. */
function uniformInt(next: () => number, n: number): number {
  return Math.floor(uniform53(next) * n);
}

/** A uniformly random permutation of 0 … n−1 by Fisher–Yates (as TF's RandomShuffle): linear time. */
export function permutation(n: number, next: () => number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = uniformInt(next, i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

/**
 * `numSamples` class indices per row of a [batch, classes] matrix of logits, drawn with probabilities
 * softmax(row), as TF's CPU Multinomial kernel: the non-finite logits are left out (probability 0), the row's
 * running sums of e^(logit − max) are its unnormalised CDF, and each sample is the first class whose sum
 * exceeds u·total (a binary search: O(classes + samples·log classes) per row). A row with no finite logit
 * gives `classes`, as TF.
 */
export function categoricalSample(
  logits: ArrayLike<number>,
  batch: number,
  classes: number,
  numSamples: number,
  next: () => number,
): Int32Array {
  const out = new Int32Array(batch * numSamples);
  const cdf = new Float64Array(classes);
  for (let b = 0; b < batch; b++) {
    const row = b * classes;
    let max = -Number.MAX_VALUE;
    for (let j = 0; j < classes; j++) {
      const v = logits[row + j];
      if (Number.isFinite(v) && v > max) max = v;
    }
    let total = 0;
    for (let j = 0; j < classes; j++) {
      const v = logits[row + j];
      if (Number.isFinite(v)) total += portableExp(v - max);
      cdf[j] = total;
    }
    for (let s = 0; s < numSamples; s++) {
      const target = uniform53(next) * total;
      // the first j with cdf[j] > target (C++'s upper_bound)
      let lo = 0;
      let hi = classes;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] > target) hi = mid;
        else lo = mid + 1;
      }
      out[b * numSamples + s] = lo;
    }
  }
  return out;
}

/** A keep mask of n entries, 1 where a uniform sample in [0, 1) is at least `rate` (TF's dropout), else 0. */
export function keepMask(out: Float32Array | Float64Array, rate: number, next: () => number): void {
  for (let i = 0; i < out.length; i++) out[i] = uniform53(next) >= rate ? 1 : 0;
}
