// tg.linalg's decompositions (qr, eigh, svd) and least-squares composites (pinv, lstsq): golden values by hand,
// reconstruction and orthogonality to a few ulps × n on random well- and ill-conditioned matrices, dtypes,
// TF's conventions (signs, order, the lower triangle), gradients by hand, and bad inputs.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { eigh, qr, svd } from '../../src/ops/prims/linalg_decomp';
import { lstsq, pinv } from '../../src/ops/composite/linalg_solvers';
import { expectTensor, flat } from '../helpers';

const EPS = 2.220446049250313e-16;
const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');
const rand = (shape: number[], seed: number) =>
  tg.randomUniform(shape, { minval: -1, maxval: 1, seed, dtype: 'float64' });

/** A random m × n matrix with singular values 10^0 … 10^-(decades) (condition number 10^decades). */
function illConditioned(m: number, n: number, decades: number, seed: number): Tensor {
  const p = Math.min(m, n);
  const left = qr(rand([m, p], seed)).q;
  const right = qr(rand([n, p], seed + 1)).q;
  const s = Array.from({ length: p }, (_, k) => 10 ** (-(decades * k) / Math.max(p - 1, 1)));
  return tg.matmul(left.mul(f64(s)), right, false, true);
}

/** max |x − y| over all elements. */
const maxDiff = (x: Tensor, y: Tensor) => Math.max(...flat(tg.abs(tg.sub(x, y))));
const maxAbs = (x: Tensor) => Math.max(...flat(tg.abs(x)));
/** ‖QᵀQ − I‖_max for Q's columns. */
const orthoError = (q: Tensor) => maxDiff(tg.matmul(q, q, true, false), tg.eye(q.shape[q.rank - 1], 'float64'));

describe('linalg.qr', () => {
  test('golden: [[3, 1], [4, 2]] = Q R with R = [[-5, -2.2], [0, 0.4]] (LAPACK signs: R₀₀ = −‖(3, 4)‖)', () => {
    const { q, r } = qr(
      f64([
        [3, 1],
        [4, 2],
      ]),
    );
    // q₁ = (3, 4)/−5; R₀₁ = q₁·(1, 2) = −0.6 − 1.6; the reflector's second column (−0.8, 0.6): R₁₁ = −0.8 + 1.2
    expectTensor(q, [-0.6, -0.8, -0.8, 0.6], [2, 2], 1e-15);
    expectTensor(r, [-5, -2.2, 0, 0.4], [2, 2], 1e-15);
  });

  test('reduced and full shapes; the full R of a tall matrix has zero rows, Q is square and orthogonal', () => {
    const a = rand([3, 2], 1);
    expect(qr(a).q.shape).toEqual([3, 2]);
    expect(qr(a).r.shape).toEqual([2, 2]);
    const { q, r } = qr(a, { fullMatrices: true });
    expect(q.shape).toEqual([3, 3]);
    expect(r.shape).toEqual([3, 2]);
    expect(flat(r).slice(4)).toEqual([0, 0]);
    expect(orthoError(q)).toBeLessThan(10 * EPS);
    expect(maxDiff(tg.matmul(q, r), a)).toBeLessThan(10 * EPS);
    // the wide case: Q is m × m, R m × n either way
    const w = qr(rand([2, 4], 2));
    expect(w.q.shape).toEqual([2, 2]);
    expect(w.r.shape).toEqual([2, 4]);
  });

  test.each([
    ['tall, batched', [3, 7, 4], 0],
    ['wide', [4, 9], 0],
    ['square', [8, 8], 0],
    ['square, condition 1e12', [8, 8], 12],
    ['tall, condition 1e10', [10, 6], 10],
  ])('%s: Q R = A and QᵀQ = I to a few ulps × n, R upper triangular', (_n, shape, decades) => {
    const [m, n] = (shape as number[]).slice(-2);
    const a = decades ? illConditioned(m, n, decades as number, 5) : rand(shape as number[], 3);
    const { q, r } = qr(a);
    const tol = 4 * Math.max(m, n) * EPS * Math.max(1, maxAbs(a));
    expect(maxDiff(tg.matmul(q, r), a)).toBeLessThan(tol);
    expect(orthoError(q)).toBeLessThan(4 * m * EPS);
    expect(maxDiff(tg.bandPart(r, 0, -1), r)).toBe(0);
  });

  test('float32 in, float32 out (computed in float64, rounded)', () => {
    const { q, r } = qr(
      tg.tensor([
        [3, 1],
        [4, 2],
      ]),
    );
    expect(q.dtype).toBe('float32');
    expectTensor(r, [-5, Math.fround(-2.2), 0, Math.fround(0.4)], [2, 2], 1e-7);
  });

  test('bad inputs: rank 1, int dtype, unknown option, non-boolean fullMatrices', () => {
    expect(() => qr(f64([1, 2]))).toThrow(/^linalg\.qr: expected a tensor of rank >= 2/);
    expect(() => qr(tg.tensor([[1, 2]], undefined, 'int32'))).toThrow(/^linalg\.qr: expected a float32 or float64/);
    expect(() => qr(f64([[1]]), { full: true } as never)).toThrow(/^linalg\.qr: unknown option "full"/);
    expect(() => qr(f64([[1]]), { fullMatrices: 1 } as never)).toThrow(
      /^linalg\.qr: fullMatrices must be true or false, got 1/,
    );
  });

  test('no gradient with fullMatrices on a tall matrix, as TF; the wide one has one', () => {
    const a = rand([3, 2], 4);
    expect(() => tg.grad((x: Tensor) => tg.sum(qr(x, { fullMatrices: true }).q))(a)).toThrow(
      /^linalg\.qr: no gradient when fullMatrices is true and the matrix has more rows than columns \(3 > 2\)/,
    );
    expect((tg.grad((x: Tensor) => tg.sum(qr(x, { fullMatrices: true }).r))(rand([2, 3], 5)) as Tensor).shape).toEqual([
      2, 3,
    ]);
  });
});

describe('linalg.eigh', () => {
  test('golden: [[2, 1], [1, 2]] has eigenvalues [1, 3] (2 ∓ 1), ascending', () => {
    expectTensor(
      eigh(
        f64([
          [2, 1],
          [1, 2],
        ]),
      ).eigenvalues,
      [1, 3],
      [2],
      1e-15,
    );
  });

  test('only the lower triangle is read, as TF: [[2, 99], [1, 2]] is [[2, 1], [1, 2]]', () => {
    expectTensor(
      eigh(
        f64([
          [2, 99],
          [1, 2],
        ]),
      ).eigenvalues,
      [1, 3],
      [2],
      1e-15,
    );
  });

  test('diag(3, −1, 2): eigenvalues [−1, 2, 3], eigenvectors the permuted unit vectors (largest entry positive)', () => {
    const { eigenvalues, eigenvectors } = eigh(
      f64([
        [3, 0, 0],
        [0, -1, 0],
        [0, 0, 2],
      ]),
    );
    expectTensor(eigenvalues, [-1, 2, 3], [3], 0);
    expectTensor(eigenvectors, [0, 0, 1, 1, 0, 0, 0, 1, 0], [3, 3], 0);
  });

  test.each([
    ['random, batched', [3, 6, 6], 0],
    ['eigenvalues 1 … 1e-12', [8, 8], 12],
    ['a 1 × 1 matrix', [1, 1], 0],
  ])('%s: V diag(λ) Vᵀ = A and VᵀV = I to a few ulps × n', (_n, shape, decades) => {
    const n = (shape as number[])[(shape as number[]).length - 1];
    let a: Tensor;
    if (decades) {
      const v = qr(rand([n, n], 7)).q;
      const lam = Array.from({ length: n }, (_, k) => (k % 2 ? -1 : 1) * 10 ** (-(12 * k) / (n - 1)));
      a = tg.matmul(v.mul(f64(lam)), v, false, true);
      a = tg.mul(tg.add(a, tg.transpose(a)), 0.5);
    } else {
      const r = rand(shape as number[], 6);
      a = tg.add(
        r,
        tg.transpose(r, [
          ...Array((shape as number[]).length - 2).keys(),
          -1 + (shape as number[]).length,
          -2 + (shape as number[]).length,
        ]),
      );
    }
    const { eigenvalues: lam, eigenvectors: v } = eigh(a);
    const tol = 4 * n * EPS * Math.max(1, maxAbs(a));
    expect(maxDiff(tg.matmul(v.mul(tg.expandDims(lam, -2)), v, false, true), a)).toBeLessThan(tol);
    expect(orthoError(v)).toBeLessThan(4 * n * EPS);
    const l = flat(lam);
    for (let i = 1; i < n; i++) if (i % n !== 0) expect(l[i]).toBeGreaterThanOrEqual(l[i - 1]);
  });

  test('gradient of λ_k by hand: v_k v_kᵀ folded onto the lower triangle (A = [[2, 1], [1, 2]], λ₂ = 3, v₂ = (1, 1)/√2)', () => {
    const g = tg.grad((a: Tensor) =>
      eigh(a)
        .eigenvalues.mul(f64([0, 1]))
        .sum(),
    )(
      f64([
        [2, 1],
        [1, 2],
      ]),
    ) as Tensor;
    // v vᵀ = ½ [[1, 1], [1, 1]]: diagonal ½, the lower entry ½ + ½ (it stands for both), the upper one unread: 0
    expectTensor(g, [0.5, 0, 1, 0.5], [2, 2], 1e-15);
  });

  test('repeated eigenvalues: the eigenvectors’ gradient is finite (TF’s safe reciprocal gives 0 for equal λ)', () => {
    const g = tg.grad((a: Tensor) => tg.sum(eigh(a).eigenvectors))(tg.eye(3, 'float64')) as Tensor;
    expect(flat(g).every(Number.isFinite)).toBe(true);
  });

  test('float32: eigenvalues and eigenvectors in float32', () => {
    const { eigenvalues, eigenvectors } = eigh(
      tg.tensor([
        [2, 1],
        [1, 2],
      ]),
    );
    expect([eigenvalues.dtype, eigenvectors.dtype]).toEqual(['float32', 'float32']);
    expectTensor(eigenvalues, [1, 3], [2], 1e-7);
    expectTensor(
      svd(
        tg.tensor([
          [3, 0],
          [0, -4],
        ]),
      ).s,
      [4, 3],
      [2],
      0,
    );
  });

  test('bad inputs: not square, rank 1, int', () => {
    expect(() =>
      eigh(
        f64([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toThrow(/^linalg\.eigh: expected square matrices, got shape \[2,3\]/);
    expect(() => eigh(f64([1]))).toThrow(/^linalg\.eigh: expected a tensor of rank >= 2/);
    expect(() => eigh(tg.tensor([[1]], undefined, 'int32'))).toThrow(/^linalg\.eigh: expected a float32 or float64/);
  });
});

describe('linalg.svd', () => {
  test('golden: diag(3, −4) has s = [4, 3] (descending), u = [[0, 1], [−1, 0]], v = [[0, 1], [1, 0]]', () => {
    const { s, u, v } = svd(
      f64([
        [3, 0],
        [0, -4],
      ]),
    );
    expectTensor(s, [4, 3], [2], 0);
    // each column of v has its largest entry positive; u follows: A v₁ = (0, −4) = 4·u₁
    expectTensor(v, [0, 1, 1, 0], [2, 2], 0);
    expectTensor(u, [0, 1, -1, 0], [2, 2], 0);
  });

  test('computeUv false gives { s } alone; fullMatrices gives square U and V', () => {
    const a = rand([4, 2], 8);
    const only = svd(a, { computeUv: false });
    expect(Object.keys(only)).toEqual(['s']);
    const { s, u, v } = svd(a, { fullMatrices: true });
    expect([s.shape, u.shape, v.shape]).toEqual([[2], [4, 4], [2, 2]]);
    expect(orthoError(u)).toBeLessThan(16 * EPS);
    const w = svd(tg.transpose(a), { fullMatrices: true });
    expect([w.u.shape, w.v.shape]).toEqual([
      [2, 2],
      [4, 4],
    ]);
    expect(orthoError(w.v)).toBeLessThan(16 * EPS);
  });

  test.each([
    ['tall, batched', [2, 7, 4], 0],
    ['wide', [3, 8], 0],
    ['square, condition 1e12', [8, 8], 12],
    ['tall, condition 1e10', [9, 5], 10],
  ])('%s: U diag(s) Vᵀ = A, UᵀU = VᵀV = I to a few ulps × n; s descending', (_n, shape, decades) => {
    const [m, n] = (shape as number[]).slice(-2);
    const a = decades ? illConditioned(m, n, decades as number, 9) : rand(shape as number[], 10);
    const { s, u, v } = svd(a);
    const tol = 4 * Math.max(m, n) * EPS * Math.max(1, maxAbs(a));
    expect(maxDiff(tg.matmul(u.mul(tg.expandDims(s, -2)), v, false, true), a)).toBeLessThan(tol);
    expect(orthoError(u)).toBeLessThan(4 * Math.max(m, n) * EPS);
    expect(orthoError(v)).toBeLessThan(4 * Math.max(m, n) * EPS);
    const sv = flat(s);
    const p = Math.min(m, n);
    for (let i = 0; i < sv.length; i++) if (i % p) expect(sv[i]).toBeLessThanOrEqual(sv[i - 1]);
  });

  test('a rank-1 matrix: zero singular values, and U still has orthonormal columns (as LAPACK)', () => {
    const a = f64([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    const { s, u } = svd(a);
    expectTensor(s, [Math.sqrt(14 * 5), 0], [2], 1e-14); // ‖(1, 2, 3)‖·‖(1, 2)‖
    expect(orthoError(u)).toBeLessThan(8 * EPS);
  });

  test('gradient of s by hand: ∂σ₁/∂A = u₁v₁ᵀ (diag(3, −4): σ₁ = 4 at the (1, 1) entry, sign −1)', () => {
    const g = tg.grad((a: Tensor) =>
      svd(a, { computeUv: false })
        .s.mul(f64([1, 0]))
        .sum(),
    )(
      f64([
        [3, 0],
        [0, -4],
      ]),
    );
    expectTensor(g as Tensor, [0, 0, 0, -1], [2, 2], 0);
  });

  test('no gradient of u or v with fullMatrices on a non-square matrix', () => {
    expect(() => tg.grad((x: Tensor) => tg.sum(svd(x, { fullMatrices: true }).u))(rand([3, 2], 11))).toThrow(
      /^linalg\.svd: no gradient of u or v when fullMatrices is true and the matrix is not square \(3 × 2\)/,
    );
  });

  test('bad inputs', () => {
    expect(() => svd(f64([1, 2]))).toThrow(/^linalg\.svd: expected a tensor of rank >= 2/);
    expect(() => svd(f64([[1]]), { computeUV: false } as never)).toThrow(/^linalg\.svd: unknown option "computeUV"/);
  });

  test('norm ord 2 (the existing spectral-norm kernel) is unchanged: ‖diag(3, −4)‖₂ = 4', () => {
    expectTensor(
      tg.norm(
        f64([
          [3, 0],
          [0, -4],
        ]),
        2,
        [0, 1],
      ),
      4,
      [],
      0,
    );
  });
});

describe('linalg.pinv', () => {
  test('golden: pinv([[1, 0], [0, 2], [0, 0]]) = [[1, 0, 0], [0, 0.5, 0]]', () => {
    expectTensor(
      pinv(
        f64([
          [1, 0],
          [0, 2],
          [0, 0],
        ]),
      ),
      [1, 0, 0, 0, 0.5, 0],
      [2, 3],
      1e-15,
    );
  });

  test('the Moore–Penrose conditions on a rank-2 4 × 3 matrix (singular values under the cutoff dropped)', () => {
    const a = tg.matmul(rand([4, 2], 12), rand([2, 3], 13));
    const x = pinv(a);
    expect(maxDiff(tg.matmul(tg.matmul(a, x), a), a)).toBeLessThan(1e-13);
    expect(maxDiff(tg.matmul(tg.matmul(x, a), x), x)).toBeLessThan(1e-13);
    const ax = tg.matmul(a, x);
    expect(maxDiff(ax, tg.transpose(ax))).toBeLessThan(1e-13);
  });

  test('rcond: pinv(diag(1, 1e-3), 0.01) drops 1e-3 (below 0.01·1)', () => {
    expectTensor(
      pinv(
        f64([
          [1, 0],
          [0, 1e-3],
        ]),
        0.01,
      ),
      [1, 0, 0, 0],
      [2, 2],
      0,
    );
    expectTensor(
      pinv(
        f64([
          [1, 0],
          [0, 1e-3],
        ]),
      ),
      [1, 0, 0, 1000],
      [2, 2],
      1e-12,
    );
  });

  test('bad inputs', () => {
    expect(() => pinv(f64([1]))).toThrow(/^linalg\.pinv: expected a tensor of rank >= 2/);
    expect(() => pinv(f64([[1]]), -1)).toThrow(/^linalg\.pinv: rcond must be >= 0, got -1/);
  });
});

describe('linalg.lstsq', () => {
  test('golden: the 3 × 2 system [[1, 0], [0, 1], [1, 1]] x = (1, 2, 4): x = (4/3, 7/3)', () => {
    // AᵀA = [[2, 1], [1, 2]], Aᵀb = (5, 6): x = [[2, −1], [−1, 2]]/3 · (5, 6) = (4/3, 7/3)
    expectTensor(
      lstsq(
        f64([
          [1, 0],
          [0, 1],
          [1, 1],
        ]),
        f64([[1], [2], [4]]),
      ),
      [4 / 3, 7 / 3],
      [2, 1],
      1e-15,
    );
  });

  test('l2Regularizer: A = I, b = (2, 4), λ = 1: x = b/(1 + λ) = (1, 2)', () => {
    expectTensor(lstsq(tg.eye(2, 'float64'), f64([[2], [4]]), { l2Regularizer: 1 }), [1, 2], [2, 1], 1e-15);
  });

  test('underdetermined: the minimum-norm solution of x₁ + x₂ = 2 is (1, 1)', () => {
    expectTensor(lstsq(f64([[1, 1]]), f64([[2]])), [1, 1], [2, 1], 1e-15);
  });

  test('agrees with pinv(A) B on a random full-rank batch', () => {
    const a = rand([2, 6, 3], 14);
    const b = rand([2, 6, 2], 15);
    expect(maxDiff(lstsq(a, b), tg.matmul(pinv(a), b))).toBeLessThan(1e-12);
  });

  test('bad inputs', () => {
    expect(() => lstsq(f64([[1, 0]]), f64([[1], [2]]))).toThrow(
      /^linalg\.lstsq: expected matrix \[\.\.\., m, n\] and rhs \[\.\.\., m, k\]/,
    );
    expect(() => lstsq(f64([[1]]), f64([[1]]), { l2Regularizer: -1 })).toThrow(
      /^linalg\.lstsq: l2Regularizer must be >= 0/,
    );
  });
});
