// tg.norm as TF's tf.norm (vector and matrix norms, the orders and axes TF refuses) and the Keras 3
// losses' formulas and shape rules, each value from TF's or Keras's source, computed by hand.
import * as tg from '../../src';
import { expectTensor, flat } from '../helpers';

const m = () =>
  tg.tensor(
    [
      [1, -2],
      [3, 4],
    ],
    [2, 2],
    'float64',
  );

/** The names of the ops a tape recorded (its toString lists one per line after the head). */
const recordedCount = (tape: tg.GradientTape): number => Number(/(\d+) ops?\)/.exec(tape.toString())![1]);

describe('norm: matrix norms over two axes (TF linalg_ops.py norm)', () => {
  test('ord 1, Infinity, fro, euclidean over [a, b]', () => {
    // ord 1: reduce_sum over axis[0] then reduce_max over axis[1]: column sums |1|+|3| = 4, |-2|+|4| = 6
    expectTensor(tg.norm(m(), 1, [0, 1]), 6, []);
    // Infinity: sum over axis[1] then max over axis[0]: row sums 3 and 7
    expectTensor(tg.norm(m(), Infinity, [0, 1]), 7, []);
    // the axes swapped swap the roles: ord 1 over [1, 0] is the largest row sum
    expectTensor(tg.norm(m(), 1, [1, 0]), 7, []);
    expectTensor(tg.norm(m(), Infinity, [-1, -2]), 6, []);
    // Frobenius: sqrt(1 + 4 + 9 + 16)
    expectTensor(tg.norm(m(), 'fro', [0, 1]), Math.sqrt(30), []);
    expectTensor(tg.norm(m(), 'euclidean', [-2, -1], true), Math.sqrt(30), [1, 1]);
    // batch of matrices [2, 2, 2] over the last two axes: [[1,-2],[3,4]] and [[0,5],[-1,1]]
    const b = tg.tensor([1, -2, 3, 4, 0, 5, -1, 1], [2, 2, 2], 'float64');
    expectTensor(tg.norm(b, 1, [-2, -1]), [6, 6], [2]); // column sums (4, 6) and (1, 6)
    expectTensor(tg.norm(b, Infinity, [1, 2], true), [7, 5], [2, 1, 1]); // row sums (3, 7) and (5, 2)
    // matrices in axes 0 and 2 of [2, 2, 2]: for j = 0, [[1,-2],[0,5]]; for j = 1, [[3,4],[-1,1]]
    expectTensor(tg.norm(b, 1, [0, 2]), [7, 5], [2]); // column sums (1, 7) and (4, 5)
  });

  test('axis null: the whole tensor is one vector, whatever its rank (TF docstring)', () => {
    expectTensor(tg.norm(m()), Math.sqrt(30), []);
    expectTensor(tg.norm(m(), 2), Math.sqrt(30), []); // not σ_max: a vector 2-norm
    expectTensor(tg.norm(m(), 1), 10, []); // 1 + 2 + 3 + 4, not a column sum
    expectTensor(tg.norm(m(), Infinity, null, true), 4, [1, 1]);
    expectTensor(tg.norm(m(), 0.5), (1 + Math.SQRT2 + Math.sqrt(3) + 2) ** 2, []);
  });

  test('ord 2 over two axes is the largest singular value', () => {
    // AᵀA = [[10, 10], [10, 20]]: trace 30, determinant 100, λ = 15 ± √125, σ = √(15 + 5√5)
    expectTensor(tg.norm(m(), 2, [0, 1]), Math.sqrt(15 + 5 * Math.sqrt(5)), [], 1e-14);
    // a diagonal matrix: the largest |d|
    expectTensor(tg.norm(tg.tensor([3, 0, 0, 0, -4, 0], [2, 3], 'float64'), 2, [0, 1]), 4, [], 1e-15);
    // rank 1, u vᵀ with u = [1, 2, 2] (|u| = 3), v = [3, 4] (|v| = 5): σ = 15
    const r1 = tg.outerProduct(tg.tensor([1, 2, 2], [3], 'float64'), tg.tensor([3, 4], [2], 'float64'));
    expectTensor(tg.norm(r1, 2, [0, 1]), 15, [], 1e-15);
    expectTensor(tg.norm(tg.transpose(r1), 2, [-2, -1]), 15, [], 1e-15);
    // wide [[1,2,3],[4,5,6]]: AAᵀ = [[14, 32], [32, 77]], trace 91, det 54: σ² = (91 + √8065) / 2
    const w = tg.tensor([1, 2, 3, 4, 5, 6], [2, 3], 'float64');
    expectTensor(tg.norm(w, 2, [0, 1]), Math.sqrt((91 + Math.sqrt(8065)) / 2), [], 1e-14);
    // batched, keepDims, float32 stays float32
    const b = tg.stack([m(), tg.tensor([3, 0, 0, -4], [2, 2], 'float64')]);
    expectTensor(tg.norm(b, 2, [1, 2], true), [Math.sqrt(15 + 5 * Math.sqrt(5)), 4], [2, 1, 1], 1e-14);
    const f32 = tg.norm(tg.tensor([3, 0, 0, -4], [2, 2]), 2, [0, 1]);
    expect(f32.dtype).toBe('float32');
    expectTensor(f32, 4, []);
    // a zero matrix, and an empty one (TF: reduce_max over no singular values is -inf)
    expectTensor(tg.norm(tg.zeros([2, 3], 'float64'), 2, [0, 1]), 0, []);
    expectTensor(tg.norm(tg.zeros([0, 3], 'float64'), 2, [0, 1]), -Infinity, []);
  });

  test('the gradient of σ_max is u vᵀ; at ties the mean, at 0 zero (TF: Svd gradient through reduce_max(abs))', () => {
    // diag(3, -4): σ = 4 with v = e₂, u = -e₂: u vᵀ = [[0, 0], [0, -1]]
    const g = tg.grad((a: tg.Tensor) => tg.norm(a, 2, [0, 1]))(tg.tensor([3, 0, 0, -4], [2, 2], 'float64'));
    expectTensor(g as tg.Tensor, [0, 0, 0, -1], [2, 2], 1e-15);
    // rank 1 A = u vᵀ: the gradient is A / σ = A / 15
    const r1 = tg.outerProduct(tg.tensor([1, 2, 2], [3], 'float64'), tg.tensor([3, 4], [2], 'float64'));
    const g1 = tg.grad((a: tg.Tensor) => tg.norm(a, 2, [0, 1]))(r1) as tg.Tensor;
    expectTensor(
      g1,
      [3, 4, 6, 8, 6, 8].map((x) => x / 15),
      [3, 2],
      1e-14,
    );
    // the identity: σ₁ = σ₂ = 1, reduce_max's gradient splits between them: ½(e₁e₁ᵀ + e₂e₂ᵀ)
    const gi = tg.grad((a: tg.Tensor) => tg.norm(a, 2, [0, 1]))(tg.eye(2, 'float64')) as tg.Tensor;
    expectTensor(gi, [0.5, 0, 0, 0.5], [2, 2], 1e-15);
    // the zero matrix: |s|' = sign(0) = 0
    const g0 = tg.grad((a: tg.Tensor) => tg.norm(a, 2, [0, 1]))(tg.zeros([2, 2], 'float64')) as tg.Tensor;
    expectTensor(g0, [0, 0, 0, 0], [2, 2]);
    // forward mode agrees: dσ = u₁ᵀ dA v₁ = -dA₂₂ along dA = [[1, 1], [1, 1]]
    const { tangent } = tg.jvp(
      (a: tg.Tensor) => tg.norm(a, 2, [0, 1]),
      [tg.tensor([3, 0, 0, -4], [2, 2], 'float64')],
      [tg.ones([2, 2], 'float64')],
    );
    expectTensor(tangent, -1, [], 1e-15);
  });

  test('second derivatives of σ_max where it is simple', () => {
    // A = diag(3, 1): A = [[3, t], [0, 1]] has AᵀA with trace 10 + t², det 9, so
    // σ² = (10 + t² + √((10 + t²)² − 36)) / 2 = 9 + (9/8)t² + …, σ = 3 + (3/16)t²: ∂²σ/∂a₁₂² = 3/8; the same
    // for a₂₁; along a₁₂ = a₂₁ = t the matrix is symmetric with σ = 2 + √(1 + t²) = 3 + t²/2, so
    // 3/8 + 3/8 + 2 ∂²σ/∂a₁₂∂a₂₁ = 1: the mixed term is 1/8; a₁₁ and a₂₂ enter linearly or not at all
    const h = tg.hessian((a: tg.Tensor) => tg.norm(tg.reshape(a, [2, 2]), 2, [0, 1]))(
      tg.tensor([3, 0, 0, 1], [4], 'float64'),
    );
    expectTensor(h, [0, 0, 0, 0, 0, 0.375, 0.125, 0, 0, 0.125, 0.375, 0, 0, 0, 0, 0], [4, 4], 1e-12);
  });

  test('the orders and axes TF refuses, before anything is recorded', () => {
    const cases: [() => unknown, RegExp][] = [
      // "The Frobenius norm 'fro' is not defined for vectors" (TF docstring), with axis null too
      [() => tg.norm([1, 2], 'fro'), /^norm: unsupported ord fro for a vector norm over all axes/],
      [() => tg.norm(m(), 'fro'), /^norm: unsupported ord fro for a vector norm over all axes/],
      [() => tg.norm(m(), 'fro', 0), /^norm: unsupported ord fro for a vector norm over axis 0/],
      // supported_vector_norms: ord <= 0 is refused, -Infinity included
      [() => tg.norm([1, 2], -Infinity), /^norm: unsupported ord -Infinity for a vector norm/],
      [() => tg.norm([1, 2], 0), /^norm: unsupported ord 0 for a vector norm/],
      [() => tg.norm([1, 2], -2, 0), /^norm: unsupported ord -2 for a vector norm over axis 0/],
      [() => tg.norm([1, 2], 'nuclear' as tg.NormOrd), /^norm: unsupported ord nuclear/],
      // supported_matrix_norms = ['euclidean', 'fro', 1, 2, inf]
      [() => tg.norm(m(), 3, [0, 1]), /^norm: unsupported ord 3 for a matrix norm over axis \[0,1\]/],
      [() => tg.norm(m(), -Infinity, [0, 1]), /^norm: unsupported ord -Infinity for a matrix norm/],
      [() => tg.norm(m(), 0.5, [0, 1]), /^norm: unsupported ord 0.5 for a matrix norm/],
      // axis: None, an integer, or a tuple of 2 unique integers
      [() => tg.norm(m(), 'euclidean', [0]), /^norm: axis must be null, an integer or a pair of integers, got \[0\]/],
      [() => tg.norm(m(), 'euclidean', [0, 1, 1]), /^norm: axis must be null, an integer or a pair/],
      [() => tg.norm(m(), 'euclidean', 0.5), /^norm: axis must be null, an integer or a pair/],
      [() => tg.norm(m(), 1, [1, 1]), /^norm: repeated axis/],
      [() => tg.norm(m(), 1, [0, -2]), /^norm: repeated axis/],
      [() => tg.norm(m(), 'euclidean', true as unknown as number), /^norm: axis must be null/],
    ];
    for (const [call, message] of cases) {
      const x = new tg.Variable(m());
      using tape = new tg.GradientTape();
      tape.watch(x);
      expect(call).toThrow(message);
      expect(() => tg.norm(x, 'fro')).toThrow(tg.ArgumentError);
      expect(recordedCount(tape)).toBe(0);
    }
    expect(() => tg.norm(m(), 1, [0, 2])).toThrow(/^norm: axis 2 is out of range for a tensor of rank 2/);
    expect(() => tg.norm([1, 2], 'fro')).toThrow(tg.ArgumentError);
    expect(() => tg.norm(tg.tensor([1, 2, 3, 4], [2, 2], 'int32'), 2, [0, 1])).toThrow(tg.DTypeError);
  });
});

describe('Keras 3 losses (keras/src/losses/losses.py, backend/tensorflow/nn.py)', () => {
  const eps = Math.fround(1e-7); // Keras's epsilon as float32

  test('sparseCategoricalCrossentropy on probabilities clips, then renormalises', () => {
    // nn.py: clip_by_value(p, ε, 1 - ε), log, sparse_softmax_cross_entropy_with_logits: -log(q_k / Σq)
    // row [0, .5, .5], label 0: q = [ε, .5, .5]: -ln ε + ln(1 + ε) = 16.118096
    // row [.2, .2, 0], label 2: q = [.2, .2, ε]: -ln ε + ln(.4 + ε) = 15.201805; mean 15.659950 (Keras: 15.6600)
    const want = (-Math.log(eps) + Math.log(1 + eps) + (-Math.log(eps) + Math.log(0.4 + eps))) / 2;
    expect(want).toBeCloseTo(15.66, 3);
    const yPred = [
      [0, 0.5, 0.5],
      [0.2, 0.2, 0],
    ];
    expectTensor(tg.losses.sparseCategoricalCrossentropy([0, 2], yPred), want, [], 1e-6);
    // labels [B, 1] against [B, C]: squeezed (sparse_categorical_crossentropy)
    expectTensor(tg.losses.sparseCategoricalCrossentropy([[0], [2]], yPred), want, [], 1e-6);
    // unnormalised: [1, 3] with label 1: q = [1 - ε, 1 - ε] (both clipped): -ln((1 - ε) / (2 - 2ε)) = ln 2
    expectTensor(tg.losses.sparseCategoricalCrossentropy([1], [[1, 3]]), Math.LN2, [], 1e-6);
    // float64 probabilities: the same order; [.2, .3] label 1 → -ln(.3 / .5)
    expectTensor(
      tg.losses.sparseCategoricalCrossentropy([1], tg.tensor([[0.2, 0.3]], [1, 2], 'float64')),
      -Math.log(0.6),
      [],
      1e-12,
    );
  });

  test('sparseCategoricalCrossentropy: the shapes Keras accepts', () => {
    // yTrue [B] against yPred [B, 1]: squeeze_or_expand_to_same_rank makes yTrue [B, 1], then it is
    // squeezed back: one class, whose log-softmax is 0
    expectTensor(tg.losses.sparseCategoricalCrossentropy([0, 0], [[0.3], [0.9]]), 0, []);
    // labels [B, 1] against yPred [B]: yPred expanded to [B, 1]
    expectTensor(tg.losses.sparseCategoricalCrossentropy([[0], [0]], [0.3, 0.9]), 0, []);
    // labels [B, T] against [B, T, C]; a scalar label against [C]
    expectTensor(
      tg.losses.sparseCategoricalCrossentropy(
        [[1, 0]],
        [
          [
            [0.2, 0.8],
            [0.5, 0.5],
          ],
        ],
      ),
      -(Math.log(0.8) + Math.log(0.5)) / 2,
    );
    expectTensor(tg.losses.sparseCategoricalCrossentropy(1, [0.2, 0.8]), -Math.log(0.8), []);
    // logits: the labels [B, 1] too; -log softmax([1, 2, 3])[2] = ln(e + e² + e³) - 3
    const lse = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);
    expectTensor(tg.losses.sparseCategoricalCrossentropy([[2]], [[1, 2, 3]], { fromLogits: true }), lse - 3);
    // refused as Keras refuses them
    const refused: [() => unknown, RegExp][] = [
      [() => tg.losses.sparseCategoricalCrossentropy([0, 1], [[0.5, 0.5]]), /labels \[2\] must have the shape/],
      [() => tg.losses.sparseCategoricalCrossentropy([[0, 1]], [[0.5, 0.5]]), /labels \[1,2\] must have the shape/],
      [() => tg.losses.sparseCategoricalCrossentropy([0], 0.5), /^sparseCategoricalCrossentropy: labels \[1\]/],
    ];
    for (const [call, message] of refused) {
      expect(call).toThrow(tg.ShapeError);
      expect(call).toThrow(message);
    }
    expect(() => tg.losses.sparseCategoricalCrossentropy([0], [[1]], { fromLogits: 1 as unknown as boolean })).toThrow(
      /^sparseCategoricalCrossentropy: fromLogits must be true or false, got 1/,
    );
  });

  test('categoricalCrossentropy on probabilities divides by the sum, then clips', () => {
    // [.2, 4, 0] / 4.2 = [.047619, .952381, 0]: label 1 → -ln(4 / 4.2) = 0.048790 (clipping first would
    // give -ln((1 - ε) / (1.2 + ε)) = 0.18232)
    expectTensor(tg.losses.categoricalCrossentropy([[0, 1, 0]], [[0.2, 4, 0]]), -Math.log(4 / 4.2), [], 1e-6);
    // [0, 2, 2] / 4 = [0, .5, .5], clipped: label 0 → -ln ε = 16.118096 (clip first: -ln(ε / 2) = 16.811)
    expectTensor(tg.losses.categoricalCrossentropy([[1, 0, 0]], [[0, 2, 2]]), -Math.log(eps), [], 1e-6);
    // yTrue [B] against yPred [B, 1] (squeeze_or_expand_to_same_rank): p / Σp = 1, clipped to 1 - ε:
    // -1·ln(1 - ε) per sample, in float32 1 - ε = 0.99999988
    expectTensor(tg.losses.categoricalCrossentropy([1, 1], [[0.3], [0.6]]), -Math.log(Math.fround(1 - 1e-7)), [], 1e-6);
    expect(() => tg.losses.categoricalCrossentropy([[1, 0]], [[0.5, 0.5, 0]])).toThrow(
      /^categoricalCrossentropy: yTrue \[1,2\] and yPred \[1,3\] must have one shape$/,
    );
  });

  test('binaryCrossentropy: clip, then -(z ln q + (1 - z) ln(1 - q)); the shapes meet, never broadcast', () => {
    // yTrue [2] against yPred [2, 1] (expanded to [2, 1]): (-ln .9 - ln .8) / 2
    expectTensor(tg.losses.binaryCrossentropy([1, 0], [[0.9], [0.2]]), (-Math.log(0.9) - Math.log(0.8)) / 2, [], 1e-6);
    expectTensor(tg.losses.binaryCrossentropy([[1], [0]], [0.9, 0.2]), (-Math.log(0.9) - Math.log(0.8)) / 2, [], 1e-6);
    // [B, 1, 1] against [B, 1]: the longer squeezed
    expectTensor(
      tg.losses.binaryCrossentropy([[[1]], [[0]]], [[0.9], [0.2]]),
      (-Math.log(0.9) - Math.log(0.8)) / 2,
      [],
      1e-6,
    );
    // the backend's binary_crossentropy wants one shape: [2, 2] against [2, 1] is refused
    expect(() =>
      tg.losses.binaryCrossentropy(
        [
          [1, 0],
          [0, 1],
        ],
        [[0.9], [0.2]],
      ),
    ).toThrow(/^binaryCrossentropy: yTrue \[2,2\] and yPred \[2,1\] must have one shape$/);
    expect(() => tg.losses.binaryCrossentropy([1], [0.5], 'yes' as unknown as tg.losses.CrossentropyOptions)).toThrow(
      tg.ArgumentError,
    );
  });

  test('meanSquaredError, meanAbsoluteError, huber: the shapes meet, then broadcast (Keras subtracts them)', () => {
    // yTrue [2] against yPred [2, 1]: [[1], [2]] - [[1], [4]]: (0 + 4) / 2
    expectTensor(tg.losses.meanSquaredError([1, 2], [[1], [4]]), 2, []);
    // [2, 2] against [2, 1] broadcast: errors 0, 1, 0, 1: mean(axis=-1) = [.5, .5], then the mean .5
    expectTensor(
      tg.losses.meanSquaredError(
        [
          [1, 2],
          [3, 4],
        ],
        [[1], [3]],
      ),
      0.5,
      [],
    );
    expectTensor(tg.losses.meanAbsoluteError([[1], [2]], [2, 4]), 1.5, []); // (1 + 2) / 2
    // huber with delta 2: |e| = 1 → ½·1 = .5; |e| = 3 → 2·3 - ½·4 = 4: mean 2.25
    expectTensor(tg.losses.huber([[0], [0]], [1, 3], 2), 2.25, []);
    expect(() => tg.losses.huber([0], [1], '2' as unknown as number)).toThrow(
      /^huber: delta must be a number, got "2"/,
    );
    // refused before anything is recorded
    const t = new tg.Variable(tg.tensor([1, 2, 3], [3], 'float64'));
    using tape = new tg.GradientTape();
    tape.watch(t);
    expect(() => tg.losses.meanSquaredError(t, [1, 2])).toThrow(
      /^meanSquaredError: yTrue \[3\] and yPred \[2\] must have one shape or broadcast together$/,
    );
    expect(() => tg.losses.binaryCrossentropy(t, [[0.5, 0.5]])).toThrow(tg.ShapeError);
    expect(recordedCount(tape)).toBe(0);
    // [3] against [3, 1]: yTrue becomes [3, 1] (no [3, 3] broadcast): every error 0
    expect(flat(tg.losses.meanSquaredError(t, [[1], [2], [3]]))).toEqual([0]);
  });
});
