// Values, reconstructions, gradients by hand and bad inputs of tg.linalg's factorisation ops: matrixTranspose,
// cholesky, triangularSolve, solve, inv, det, slogdet and logdet.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import {
  cholesky,
  det,
  inv,
  logdet,
  matrixTranspose,
  slogdet,
  solve,
  triangularSolve,
} from '../../src/ops/prims/linalg_factor';
import { expectTensor, flat } from '../helpers';

const EPS = 2.220446049250313e-16;
const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');

/** A seeded random n × n float64 matrix with entries in [-1, 1), as a plain row-major array. */
function randomMatrix(n: number, seed: number): number[] {
  return flat(tg.randomUniform([n, n], { minval: -1, maxval: 1, seed, dtype: 'float64' }));
}

/** Plain float64 product of row-major r × k and k × c matrices. */
function mm(a: number[], b: number[], r: number, k: number, c: number): number[] {
  const out = new Array<number>(r * c).fill(0);
  for (let i = 0; i < r; i++)
    for (let p = 0; p < k; p++) for (let j = 0; j < c; j++) out[i * c + j] += a[i * k + p] * b[p * c + j];
  return out;
}

const fro = (a: number[]) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
const minus = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);
const transposed = (a: number[], n: number) => a.map((_, i) => a[(i % n) * n + Math.floor(i / n)]);
const identity = (n: number) => Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));

/** H = I − 2vvᵀ/(vᵀv) for a random v: orthogonal, symmetric, det −1. */
function householder(n: number, seed: number): number[] {
  const v = flat(tg.randomUniform([n], { minval: -1, maxval: 1, seed, dtype: 'float64' }));
  const vv = v.reduce((s, x) => s + x * x, 0);
  return identity(n).map((e, i) => e - (2 * v[Math.floor(i / n)] * v[i % n]) / vv);
}

/** H₁ diag(s) H₂ with singular values s (so |det| = Π s and det = Π s, the two reflections cancelling signs). */
function withSingularValues(s: number[], seed: number): number[] {
  const n = s.length;
  const d = identity(n).map((e, i) => e * s[i % n]);
  return mm(mm(householder(n, seed), d, n, n, n), householder(n, seed + 1), n, n, n);
}

/** The gradients of f's output (summed) with respect to each x, by a tape; zeros where unconnected. */
function grads(f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): Tensor[] {
  using tape = new tg.GradientTape();
  xs.forEach((x) => tape.watch(x));
  const y = f(...xs);
  return tape.gradient(y, xs, { unconnectedGradients: 'zero' }) as Tensor[];
}

const N = 8;
/** Singular values 1 … 1e-10: condition number 1e10. */
const illSv = Array.from({ length: N }, (_, i) => 10 ** (-(10 * i) / (N - 1)));
const wellSv = Array.from({ length: N }, (_, i) => 1 + i / N);

describe('linalg.matrixTranspose', () => {
  test('swaps the last two axes of each matrix of a batch', () => {
    expectTensor(
      matrixTranspose([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      [1, 4, 2, 5, 3, 6],
      [3, 2],
    );
    const x = tg.reshape(tg.range(0, 12, 1, 'float32'), [2, 2, 3]);
    // batch 1 is [[6, 7, 8], [9, 10, 11]], transposed [[6, 9], [7, 10], [8, 11]]
    expectTensor(matrixTranspose(x), [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11], [2, 3, 2]);
  });
  test('refuses a vector', () => {
    expect(() => matrixTranspose([1, 2])).toThrow(/^linalg\.matrixTranspose: expected a tensor of rank >= 2/);
  });
});

describe('linalg.cholesky', () => {
  test('golden values: [[4, 2], [2, 10]] = L Lᵀ with L = [[2, 0], [1, 3]]', () => {
    // 2·2 = 4, 1·2 = 2, 1·1 + 3·3 = 10
    const l = cholesky([
      [4, 2],
      [2, 10],
    ]);
    expect(l.dtype).toBe('float32');
    expectTensor(l, [2, 0, 1, 3], [2, 2], 0);
    // 3 × 3: [[4, 12, -16], [12, 37, -43], [-16, -43, 98]] = L Lᵀ, L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]]
    expectTensor(
      cholesky(
        f64([
          [4, 12, -16],
          [12, 37, -43],
          [-16, -43, 98],
        ]),
      ),
      [2, 0, 0, 6, 1, 0, -8, 5, 3],
      [3, 3],
      0,
    );
  });

  test('reads only the lower triangle, as TF', () => {
    expectTensor(
      cholesky([
        [4, 1000],
        [2, 10],
      ]),
      [2, 0, 1, 3],
      [2, 2],
      0,
    );
  });

  test('batches, 0 × 0 and 1 × 1 matrices', () => {
    // diag(9) and [[1, 1], [1, 5]] = [[1, 0], [1, 2]] [[1, 1], [0, 2]]
    expectTensor(
      cholesky(
        f64([
          [
            [9, 0],
            [0, 9],
          ],
          [
            [1, 1],
            [1, 5],
          ],
        ]),
      ),
      [3, 0, 0, 3, 1, 0, 1, 2],
      [2, 2, 2],
      0,
    );
    expect(cholesky(tg.zeros([3, 0, 0], 'float64')).shape).toEqual([3, 0, 0]);
    expectTensor(cholesky(f64([[16]])), [4], [1, 1], 0);
  });

  test('reconstruction L Lᵀ = A on random SPD matrices, well- and ill-conditioned (float64)', () => {
    for (const [sv, seed] of [
      [wellSv, 10],
      [illSv, 20],
    ] as const) {
      // A = H diag(s) H, H a reflection: symmetric positive definite with eigenvalues s (cond 1 … 1e10)
      const h = householder(N, seed);
      const a = mm(
        mm(
          h,
          identity(N).map((e, i) => e * sv[i % N]),
          N,
          N,
          N,
        ),
        h,
        N,
        N,
        N,
      );
      const sym = a.map((v, i) => (v + a[(i % N) * N + Math.floor(i / N)]) / 2);
      const l = flat(cholesky(tg.tensor(sym, [N, N], 'float64')));
      for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) expect(l[i * N + j]).toBe(0);
      const err = fro(minus(mm(l, transposed(l, N), N, N, N), sym)) / fro(sym);
      expect(err).toBeLessThan(4 * N * EPS);
    }
  });

  test('not positive definite: an ArgumentError naming the op and the batch index, as TF', () => {
    const a = f64([
      [
        [4, 0],
        [0, 4],
      ],
      [
        [1, 2],
        [2, 1],
      ], // eigenvalues 3 and -1
    ]);
    expect(() => cholesky(a)).toThrow(tg.ArgumentError);
    expect(() => cholesky(a)).toThrow(/^linalg\.cholesky: Cholesky decomposition was not successful for batch 1/);
    const b = tg.stack([a, a.mul(-1)]); // [2, 2, 2, 2]: the first failure is at flat index 1, [0, 1]
    expect(() => cholesky(b)).toThrow(/for batch 1 \(index \[0, 1\]\)/);
    expect(() => cholesky([[0]])).toThrow(/batch 0/);
  });

  test('gradient: TF’s symmetric one, ½(G + Gᵀ), G = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹', () => {
    // A = [[4, 2], [2, 10]], L = [[2, 0], [1, 3]], L̄ = ones: Lᵀ L̄ = [[3, 3], [3, 3]], Φ(·) = [[1.5, 0], [3, 1.5]];
    // L⁻¹ = [[1/2, 0], [-1/6, 1/3]]: Φ L⁻¹ = [[0.75, 0], [3/2 − 1/4, 0.5]] = [[0.75, 0], [1.25, 0.5]];
    // G = L⁻ᵀ (Φ L⁻¹) = [[0.375 − 1.25/6, −0.5/6], [1.25/3, 0.5/3]] = [[1/6, −1/12], [5/12, 1/6]];
    // ½(G + Gᵀ): off the diagonal (−1/12 + 5/12)/2 = 1/6, so every entry is 1/6
    const a = f64([
      [4, 2],
      [2, 10],
    ]);
    const g = grads((x: Tensor) => tg.sum(cholesky(x)), [a])[0];
    expectTensor(g, [1 / 6, 1 / 6, 1 / 6, 1 / 6], [2, 2], 1e-12);
  });
});

describe('linalg.triangularSolve', () => {
  test('golden values for the four triangle/adjoint variants', () => {
    const m = [
      [2, 7],
      [1, 4],
    ]; // lower triangle [[2, 0], [1, 4]], upper [[2, 7], [0, 4]]
    // lower: 2x = 2 → 1; x + 4y = 9 → 2
    expectTensor(triangularSolve(m, [[2], [9]]), [1, 2], [2, 1], 0);
    // lowerᵀ = [[2, 1], [0, 4]]: 4y = 8 → 2; 2x + 2 = 4 → 1
    expectTensor(triangularSolve(m, [[4], [8]], { adjoint: true }), [1, 2], [2, 1], 0);
    // upper [[2, 7], [0, 4]]: 4y = 8 → 2; 2x + 14 = 16 → 1
    expectTensor(triangularSolve(m, [[16], [8]], { lower: false }), [1, 2], [2, 1], 0);
    // upperᵀ = [[2, 0], [7, 4]]: 2x = 2 → 1; 7 + 4y = 15 → 2
    expectTensor(triangularSolve(m, [[2], [15]], { lower: false, adjoint: true }), [1, 2], [2, 1], 0);
  });

  test('batch axes broadcast: one matrix, two right-hand sides of two columns', () => {
    const x = triangularSolve(
      f64([
        [2, 0],
        [1, 4],
      ]),
      f64([
        [
          [2, 4],
          [9, 2],
        ],
        [
          [0, 2],
          [4, 5],
        ],
      ]),
    );
    // columns [2, 9] → [1, 2], [4, 2] → [2, 0]; [0, 4] → [0, 1], [2, 5] → [1, 1] (row-major: [[1, 2], [2, 0]] …)
    expectTensor(x, [1, 2, 2, 0, 0, 1, 1, 1], [2, 2, 2], 0);
  });

  test('a zero on the diagonal gives Infinity/NaN, as TF (no check)', () => {
    expect(
      flat(
        triangularSolve(
          [
            [0, 0],
            [1, 1],
          ],
          [[1], [1]],
        ),
      )[0],
    ).toBe(Infinity);
  });

  test('gradient of A (restricted to the triangle) and of B, by hand', () => {
    // x = T⁻¹ b, T = [[2, 0], [1, 4]], b = [2, 9], x = [1, 2]; loss Σx: b̄ = T⁻ᵀ 1 = [3/8, 1/4]
    // Ā = −tril(b̄ xᵀ) = −tril([[3/8, 3/4], [1/4, 1/2]]) = [[-3/8, 0], [-1/4, -1/2]]
    const [ga, gb] = grads(
      (a: Tensor, b: Tensor) => tg.sum(triangularSolve(a, b)),
      [
        f64([
          [2, 5],
          [1, 4],
        ]),
        f64([[2], [9]]),
      ],
    );
    expectTensor(ga, [-3 / 8, 0, -1 / 4, -1 / 2], [2, 2], 1e-15);
    expectTensor(gb, [3 / 8, 1 / 4], [2, 1], 1e-15);
  });

  test('bad inputs', () => {
    expect(() =>
      triangularSolve(
        [
          [1, 0],
          [0, 1],
        ],
        [[1], [1]],
        { low: true } as never,
      ),
    ).toThrow(/^linalg\.triangularSolve: unknown option "low"/);
    expect(() =>
      triangularSolve(
        [
          [1, 0],
          [0, 1],
        ],
        [[1], [1]],
        { lower: 1 } as never,
      ),
    ).toThrow(/^linalg\.triangularSolve: lower must be true or false/);
    expect(() =>
      triangularSolve(
        [
          [1, 0],
          [0, 1],
        ],
        [1, 1],
      ),
    ).toThrow(/^linalg\.triangularSolve: rhs must have shape/);
  });
});

describe('linalg.solve', () => {
  test('golden values', () => {
    // 2·0.8 + 1.4 = 3, 0.8 + 3·1.4 = 5
    expectTensor(
      solve(
        [
          [2, 1],
          [1, 3],
        ],
        [[3], [5]],
      ),
      [0.8, 1.4],
      [2, 1],
    );
    // needs a row swap: [[0, 1], [1, 0]] x = [3, 4] → x = [4, 3]
    expectTensor(
      solve(
        f64([
          [0, 1],
          [1, 0],
        ]),
        f64([[3], [4]]),
      ),
      [4, 3],
      [2, 1],
      0,
    );
  });

  test('batch axes broadcast', () => {
    const a = f64([
      [
        [2, 0],
        [0, 4],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ]); // [2, 2, 2]
    const b = f64([[[2], [4]]]); // [1, 2, 1]
    expectTensor(solve(a, b), [1, 1, 2, 4], [2, 2, 1], 0);
  });

  test('backward error of a few ulps × n on random well- and ill-conditioned matrices (float64)', () => {
    for (const [sv, seed] of [
      [wellSv, 30],
      [illSv, 40],
    ] as const) {
      const a = withSingularValues(sv, seed);
      const b = randomMatrix(N, seed + 5).slice(0, N * 3);
      const x = flat(solve(tg.tensor(a, [N, N], 'float64'), tg.tensor(b, [N, 3], 'float64')));
      const r = fro(minus(mm(a, x, N, N, 3), b)) / (fro(a) * fro(x));
      expect(r).toBeLessThan(4 * N * EPS);
    }
  });

  test('float32 computes in float64 and rounds once', () => {
    const x = solve(
      tg.tensor([
        [3, 1],
        [1, 3],
      ]),
      tg.tensor([[1], [0]]),
    );
    expect(x.dtype).toBe('float32');
    // [3/8, -1/8]
    expect(flat(x)).toEqual([Math.fround(3 / 8), Math.fround(-1 / 8)]);
  });

  test('a singular matrix: "Input matrix is not invertible", as TF', () => {
    expect(() =>
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [[1], [1]],
      ),
    ).toThrow(tg.ArgumentError);
    expect(() =>
      solve(
        [
          [
            [1, 0],
            [0, 1],
          ],
          [
            [1, 2],
            [2, 4],
          ],
        ],
        [[1], [1]],
      ),
    ).toThrow(/^linalg\.solve: Input matrix is not invertible \(batch 1 is singular\)/);
  });

  test('gradient by hand: TF’s MatrixSolve grad', () => {
    // A = diag(2, 4), b = [2, 4], x = [1, 1]; loss Σx: b̄ = A⁻ᵀ 1 = [1/2, 1/4], Ā = −b̄ xᵀ = [[-1/2, -1/2], [-1/4, -1/4]]
    const [ga, gb] = grads(
      (a: Tensor, b: Tensor) => tg.sum(solve(a, b)),
      [
        f64([
          [2, 0],
          [0, 4],
        ]),
        f64([[2], [4]]),
      ],
    );
    expectTensor(ga, [-0.5, -0.5, -0.25, -0.25], [2, 2], 0);
    expectTensor(gb, [0.5, 0.25], [2, 1], 0);
  });

  test('bad inputs', () => {
    expect(() => solve([[1, 2, 3]], [[1]])).toThrow(
      /^linalg\.solve: expected square matrices in the last two axes of matrix/,
    );
    expect(() => solve(tg.tensor([[1]], [1, 1], 'int32'), [[1]])).toThrow(tg.DTypeError);
    expect(() => solve(tg.tensor([[1]], [1, 1], 'float32'), f64([[1]]))).toThrow(
      /^linalg\.solve: matrix and rhs differ in dtype/,
    );
    expect(() => solve(f64([[[1]], [[1]]]), f64([[[1]], [[1]], [[1]]]))).toThrow(tg.ShapeError);
  });
});

describe('linalg.inv', () => {
  test('golden values', () => {
    expectTensor(
      inv([
        [2, 1],
        [1, 1],
      ]),
      [1, -1, -1, 2],
      [2, 2],
    );
    // [[4, 7], [2, 6]]⁻¹ = [[0.6, -0.7], [-0.2, 0.4]] (det 10)
    expectTensor(
      inv(
        f64([
          [4, 7],
          [2, 6],
        ]),
      ),
      [0.6, -0.7, -0.2, 0.4],
      [2, 2],
      1e-15,
    );
  });

  test('A·A⁻¹ = I to a few ulps × n × cond on random well- and ill-conditioned matrices', () => {
    for (const [sv, seed, cond] of [
      [wellSv, 50, 2],
      [illSv, 60, 1e10],
    ] as const) {
      const a = withSingularValues(sv, seed);
      const x = flat(inv(tg.tensor(a, [N, N], 'float64')));
      expect(fro(minus(mm(x, a, N, N, N), identity(N)))).toBeLessThan(4 * N * cond * EPS);
    }
  });

  test('a singular matrix: "Input is not invertible", as TF (TF’s own test matrix)', () => {
    // every row sums to 0
    expect(() =>
      inv([
        [1, 0, -1],
        [-1, 1, 0],
        [0, -1, 1],
      ]),
    ).toThrow(/^linalg\.inv: Input is not invertible \(batch 0 is singular\)/);
  });

  test('gradient by hand: −A⁻ᵀ Ḡ A⁻ᵀ', () => {
    // A = diag(2, 4): A⁻¹ = diag(1/2, 1/4); Ḡ = ones → Ā = −[[1/4, 1/8], [1/8, 1/16]]
    const g = grads(
      (a: Tensor) => tg.sum(inv(a)),
      [
        f64([
          [2, 0],
          [0, 4],
        ]),
      ],
    )[0];
    expectTensor(g, [-1 / 4, -1 / 8, -1 / 8, -1 / 16], [2, 2], 0);
  });
});

describe('linalg.det, linalg.slogdet', () => {
  test('golden values', () => {
    expectTensor(
      det([
        [1, 2],
        [3, 4],
      ]),
      -2,
      [],
    ); // 1·4 − 2·3
    // batch: diag(2, 3, 4) = 24 and a permutation (one swap) = -1
    const a = f64([
      [
        [2, 0, 0],
        [0, 3, 0],
        [0, 0, 4],
      ],
      [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 1],
      ],
    ]);
    expectTensor(det(a), [24, -1], [2], 0);
    const { sign, logAbsDet } = slogdet(a);
    expectTensor(sign, [1, -1], [2], 0);
    expectTensor(logAbsDet, [Math.log(24), 0], [2], 1e-15);
    expectTensor(
      slogdet([
        [1, 2],
        [3, 4],
      ]).logAbsDet,
      Math.log(2),
      [],
    );
  });

  test('0 × 0 matrices: det 1, sign 1, log|det| 0', () => {
    expectTensor(det(tg.zeros([2, 0, 0], 'float64')), [1, 1], [2], 0);
    expectTensor(slogdet(tg.zeros([0, 0], 'float64')).sign, 1, [], 0);
    expectTensor(slogdet(tg.zeros([0, 0], 'float64')).logAbsDet, 0, [], 0);
  });

  test('singular: det 0, sign 0 and log|det| -Infinity, as TF', () => {
    const s = f64([
      [1, 2],
      [2, 4],
    ]);
    expectTensor(det(s), 0, [], 0);
    expectTensor(slogdet(s).sign, 0, [], 0);
    expect(flat(slogdet(s).logAbsDet)).toEqual([-Infinity]);
  });

  test('slogdet does not overflow where det does: diag(1e200, 1e200, -1e200)', () => {
    const a = f64([
      [1e200, 0, 0],
      [0, 1e200, 0],
      [0, 0, -1e200],
    ]);
    expect(flat(det(a))).toEqual([-Infinity]);
    expectTensor(slogdet(a).sign, -1, [], 0);
    expectTensor(slogdet(a).logAbsDet, 600 * Math.log(10), [], 1e-15);
  });

  test('random matrices: det = Π s and log|det| = Σ log s (H₁ diag(s) H₂, two reflections)', () => {
    const a = tg.tensor(withSingularValues(wellSv, 70), [N, N], 'float64');
    const prod = wellSv.reduce((p, v) => p * v, 1);
    expectTensor(det(a), prod, [], 8 * N * EPS);
    expectTensor(slogdet(a).sign, 1, [], 0);
    const ill = tg.tensor(withSingularValues(illSv, 80), [N, N], 'float64');
    // −40·log 10 = Σ log 10^(−10i/7) for i = 0 … 7 (−10·28/7); to n·cond·ε relative in det, i.e. absolute in log|det|
    expectTensor(slogdet(ill).logAbsDet, -40 * Math.log(10), [], 4 * N * 1e10 * EPS);
  });

  test('gradients by hand: det·A⁻ᵀ (the cofactors) and A⁻ᵀ', () => {
    // A = [[1, 2], [3, 4]]: cofactors [[4, -3], [-2, 1]]; A⁻ᵀ = cofactors / det = [[-2, 1.5], [1, -0.5]]
    const a = f64([
      [1, 2],
      [3, 4],
    ]);
    expectTensor(grads((x: Tensor) => det(x), [a])[0], [4, -3, -2, 1], [2, 2], 1e-14);
    expectTensor(grads((x: Tensor) => slogdet(x).logAbsDet, [a])[0], [-2, 1.5, 1, -0.5], [2, 2], 1e-14);
    // sign carries no gradient
    const g = grads((x: Tensor) => slogdet(x).sign, [a])[0];
    expectTensor(g, [0, 0, 0, 0], [2, 2], 0);
  });

  test('the gradient of det at a singular matrix needs inv: its error, as TF', () => {
    expect(() =>
      grads(
        (x: Tensor) => det(x),
        [
          f64([
            [1, 2],
            [2, 4],
          ]),
        ],
      ),
    ).toThrow(/^linalg\.inv: Input is not invertible/);
  });

  test('bad inputs', () => {
    expect(() => det([1, 2])).toThrow(/^linalg\.det: expected square matrices/);
    expect(() => slogdet([[1, 2]])).toThrow(/^linalg\.slogdet: expected square matrices/);
  });
});

describe('linalg.logdet', () => {
  test('golden value: log det [[4, 2], [2, 10]] = log 36', () => {
    expectTensor(
      logdet(
        f64([
          [4, 2],
          [2, 10],
        ]),
      ),
      Math.log(36),
      [],
      1e-15,
    );
  });
  test('equals slogdet on random SPD matrices, batched', () => {
    const x = tg.randomUniform([3, 4, 4], { minval: -1, maxval: 1, seed: 90, dtype: 'float64' });
    const a = tg.matmul(x, matrixTranspose(x)).add(tg.eye(4, 'float64'));
    expectTensor(logdet(a), flat(slogdet(a).logAbsDet), [3], 1e-13);
  });
  test('not positive definite: Cholesky’s error, naming linalg.logdet', () => {
    expect(() =>
      logdet([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/^linalg\.logdet: Cholesky decomposition was not successful for batch 0/);
  });
});
