// Seeded random numbers that are the same on every platform: integer arithmetic only (xoshiro128**),
// and a logarithm built from + − × ÷ so that no engine's Math.log can change a normal sample.

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
