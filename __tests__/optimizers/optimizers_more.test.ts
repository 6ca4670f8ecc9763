// Adamax, Nadam, Adadelta, Ftrl, Lion, Lamb, Adafactor, the moving average of the weights, gradient
// accumulation and cosineDecayRestarts against Keras 3: its published goldens (keras/src/optimizers/*_test.py)
// and its update rules written out here in plain JS, followed for several steps in float64.
import * as tg from '../../src';
import { Adamax } from '../../src/optimizers/adamax';
import { Nadam } from '../../src/optimizers/nadam';
import { Adadelta } from '../../src/optimizers/adadelta';
import { Ftrl } from '../../src/optimizers/ftrl';
import { Lion } from '../../src/optimizers/lion';
import { Lamb } from '../../src/optimizers/lamb';
import { Adafactor } from '../../src/optimizers/adafactor';
import { cosineDecayRestarts } from '../../src/optimizers/schedules';
import type { Optimizer } from '../../src/optimizers/optimizer';
import { expectTensor } from '../helpers';

type Vec = number[];
const f64 = (x: Vec, shape?: number[]) => tg.tensor(x, shape, 'float64');
const VAR = [1, 2, 3, 4];
const GRADS = [
  [1, 6, 7, 2],
  [-2, 0.5, 3, -1],
  [0.3, -4, 1, 2],
  [1, 1, -1, 0],
];

// ---- helpers ------------------------------------------------------------------------------------------------

/** Runs an optimizer on a float64 variable through a sequence of gradients; each step's value. */
function trajectory(opt: Optimizer, grads: Vec[], w0: Vec = VAR, shape?: number[]): Vec[] {
  const v = new tg.Variable(f64(w0, shape));
  return grads.map((g) => {
    opt.applyGradients([[f64(g, shape), v]]);
    return Array.from(v.value().dataSync());
  });
}

/** Keras's order around a rule written out on whole vectors: clip, decoupled weight decay, the rule. */
function reference<S>(
  options: { lr: number; weightDecay?: number; clip?: (g: Vec) => Vec; w0?: Vec; grads?: Vec[] },
  init: (w: Vec) => S,
  rule: (g: Vec, w: Vec, s: S, t: number) => Vec,
): Vec[] {
  let w = (options.w0 ?? VAR).slice();
  const s = init(w);
  return (options.grads ?? GRADS).map((g0, t) => {
    const g = options.clip ? options.clip(g0) : g0;
    if (options.weightDecay !== undefined) w = w.map((x) => x - x * options.weightDecay! * options.lr);
    w = rule(g, w, s, t);
    return w.slice();
  });
}

const norm = (x: Vec) => Math.sqrt(x.reduce((a, b) => a + b * b, 0));
/** Keras's clipnorm: g·c / max(‖g‖, c). */
const clipNorm = (c: number) => (g: Vec) => g.map((x) => (x * c) / Math.max(norm(g), c));
/** Keras's clipvalue. */
const clipValue = (c: number) => (g: Vec) => g.map((x) => Math.min(Math.max(x, -c), c));

function expectTrajectory(got: Vec[], want: Vec[], tol = 1e-12): void {
  expect(want.length).toBeGreaterThanOrEqual(3);
  expect(got.map((r) => r.length)).toEqual(want.map((r) => r.length));
  got.forEach((row, s) =>
    row.forEach((x, i) => {
      if (!(Math.abs(x - want[s][i]) <= tol * (1 + Math.abs(want[s][i]))))
        throw new Error(`step ${s}, element ${i}: got ${x}, expected ${want[s][i]}`);
    }),
  );
}

/** Keras's correctness-with-golden test: ones(10), a first step with 0.01s, then arange(0.1, 1.1, 0.1) five times. */
function kerasGolden(opt: Optimizer, golden: Vec[]): void {
  const x = new tg.Variable(tg.ones([10]));
  const grads = tg.tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  opt.applyGradients([[tg.fill([10], 0.01), x]]);
  for (let i = 0; i < 5; i++) {
    expectTensor(x.value(), golden[i], [10], 5e-4);
    opt.applyGradients([[grads, x]]);
  }
}

/** Keras's single-step test: gradient [1, 6, 7, 2] on [1, 2, 3, 4]. */
function kerasSingleStep(opt: Optimizer, want: Vec, grads = [1, 6, 7, 2], shape = [4]): void {
  const v = new tg.Variable(tg.tensor([1, 2, 3, 4], shape));
  opt.applyGradients([[tg.tensor(grads, shape), v]]);
  expectTensor(v.value(), want, shape, 1e-4);
}

// ---- Keras's published numbers ------------------------------------------------------------------------------

describe("Keras 3's goldens (its tests' numbers, float32)", () => {
  test('single steps with learning rate 0.5', () => {
    kerasSingleStep(new Adamax({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]);
    kerasSingleStep(new Nadam({ learningRate: 0.5 }), [0.4686, 1.4686, 2.4686, 3.4686]);
    kerasSingleStep(new Adadelta({ learningRate: 0.5 }), [0.9993, 1.9993, 2.9993, 3.9993]);
    kerasSingleStep(new Ftrl({ learningRate: 0.5 }), [0.2218, 1.3954, 2.3651, 2.8814]);
    kerasSingleStep(new Lion({ learningRate: 0.5 }), [0.5, 1.5, 2.5, 3.5]);
    kerasSingleStep(new Lamb({ learningRate: 0.5 }), [-0.3693, 0.6306, 1.6306, 2.6306]);
    kerasSingleStep(new Adafactor({ learningRate: 0.5 }), [-0.3693, 0.6307, 1.6307, 2.6307]);
    kerasSingleStep(new Adafactor({ learningRate: 0.5 }), [0.7007, -0.0081, 1.2492, 3.4407], [1, 6, 7, 2], [2, 2]);
  });

  test('Adamax(0.2, β1 0.85, β2 0.95, ε 1e-6)', () => {
    kerasGolden(new Adamax({ learningRate: 0.2, beta1: 0.85, beta2: 0.95, epsilon: 1e-6 }), [
      [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ]);
  });

  test('Nadam(0.5, β1 0.5, β2 0.67, ε 1e-5)', () => {
    kerasGolden(new Nadam({ learningRate: 0.5, beta1: 0.5, beta2: 0.67, epsilon: 1e-5 }), [
      [0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281],
      [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
      [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
      [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
      [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454],
    ]);
  });

  test('Adadelta(1, ρ 0.8, ε 1e-6), Lion(), Lamb()', () => {
    const tile = (xs: Vec) => xs.map((x) => Array<number>(10).fill(x));
    kerasGolden(
      new Adadelta({ learningRate: 1, rho: 0.8, epsilon: 1e-6 }),
      tile([0.9978, 0.9947, 0.9915, 0.9882, 0.9849]),
    );
    kerasGolden(new Lion(), tile([0.999, 0.998, 0.997, 0.996, 0.995]));
    kerasGolden(new Lamb(), tile([0.999, 0.9982, 0.9974, 0.9965, 0.9955]));
  });

  test('Ftrl(0.05, power -0.2, accumulator 0.4, l1 0.05, l2 0.15, shrinkage 0.01, β 0.3)', () => {
    const opt = new Ftrl({
      learningRate: 0.05,
      learningRatePower: -0.2,
      initialAccumulatorValue: 0.4,
      l1RegularizationStrength: 0.05,
      l2RegularizationStrength: 0.15,
      l2ShrinkageRegularizationStrength: 0.01,
      beta: 0.3,
    });
    kerasGolden(opt, [
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [-0.0034, -0.0077, -0.0118, -0.0157, -0.0194, -0.023, -0.0263, -0.0294, -0.0325, -0.0354],
      [-0.0078, -0.0162, -0.0242, -0.0317, -0.0387, -0.0454, -0.0516, -0.0575, -0.0631, -0.0685],
      [-0.0121, -0.0246, -0.0363, -0.0472, -0.0573, -0.0668, -0.0757, -0.0842, -0.0922, -0.0999],
      [-0.0164, -0.0328, -0.0481, -0.0623, -0.0753, -0.0875, -0.099, -0.1098, -0.1201, -0.1299],
    ]);
  });

  test('Adafactor(0.5, beta2Decay -0.65, ε1 1e-15, ε2 1e-4, clipThreshold 0.9, relativeStep false)', () => {
    const opt = new Adafactor({
      learningRate: 0.5,
      beta2Decay: -0.65,
      epsilon1: 1e-15,
      epsilon2: 1e-4,
      clipThreshold: 0.9,
      relativeStep: false,
    });
    kerasGolden(opt, [
      [0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55],
      [0.3031, 0.3026, 0.3025, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024, 0.3024],
      [0.1671, 0.1665, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663, 0.1663],
      [0.0923, 0.0916, 0.0915, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914, 0.0914],
      [0.0554, 0.0548, 0.0546, 0.0546, 0.0546, 0.0546, 0.0546, 0.0545, 0.0545, 0.0545],
    ]);
  });

  test('clipnorm and clipvalue on gradient [100, 100] (Keras: [2**0.5/2, 2**0.5/2] and [1, 1])', () => {
    for (const make of [
      (o: object) => new Adamax(o),
      (o: object) => new Nadam(o),
      (o: object) => new Lion(o),
      (o: object) => new Lamb(o),
      (o: object) => new Ftrl(o),
    ]) {
      // the clipped gradient is what the rule sees: compare with the rule fed the clipped gradient directly
      for (const [clip, g] of [
        [{ clipNorm: 1 }, Math.SQRT1_2],
        [{ clipValue: 1 }, 1],
      ] as const) {
        const a = new tg.Variable(f64([1, 2]));
        const b = new tg.Variable(f64([1, 2]));
        make({ learningRate: 0.1, ...clip }).applyGradients([[f64([100, 100]), a]]);
        make({ learningRate: 0.1 }).applyGradients([[f64([g, g]), b]]);
        expectTensor(a.value(), Array.from(b.value().dataSync()), [2], 1e-15);
      }
    }
  });
});

// ---- the rules written out, several steps, float64 -----------------------------------------------------------

describe('step by step against the Keras rule written out (float64)', () => {
  test('Adamax, with weight decay and clipValue', () => {
    const [lr, b1, b2, eps, wd] = [0.05, 0.8, 0.95, 1e-7, 0.1];
    const want = reference(
      { lr, weightDecay: wd, clip: clipValue(2.5) },
      (w) => ({ m: w.map(() => 0), u: w.map(() => 0) }),
      (g, w, s, t) =>
        w.map((x, i) => {
          s.m[i] += (g[i] - s.m[i]) * (1 - b1);
          s.u[i] = Math.max(b2 * s.u[i], Math.abs(g[i]));
          return x - (lr * s.m[i]) / ((1 - b1 ** (t + 1)) * (s.u[i] + eps));
        }),
    );
    const opt = new Adamax({ learningRate: lr, beta1: b1, beta2: b2, weightDecay: wd, clipValue: 2.5 });
    expectTrajectory(trajectory(opt, GRADS), want);
  });

  test('Nadam, with clipNorm; uProduct = μ1·μ2·μ3·μ4', () => {
    const [lr, b1, b2, eps] = [0.02, 0.9, 0.999, 1e-7];
    const mu = (t: number) => b1 * (1 - 0.5 * 0.96 ** t);
    let product = 1;
    const want = reference(
      { lr, clip: clipNorm(3) },
      (w) => ({ m: w.map(() => 0), v: w.map(() => 0) }),
      (g, w, s, t) => {
        product *= mu(t + 1);
        return w.map((x, i) => {
          s.m[i] += (g[i] - s.m[i]) * (1 - b1);
          s.v[i] += (g[i] * g[i] - s.v[i]) * (1 - b2);
          const mHat = (mu(t + 2) * s.m[i]) / (1 - product * mu(t + 2)) + ((1 - mu(t + 1)) * g[i]) / (1 - product);
          const vHat = s.v[i] / (1 - b2 ** (t + 1));
          return x - (mHat * lr) / (Math.sqrt(vHat) + eps);
        });
      },
    );
    const opt = new Nadam({ learningRate: lr, clipNorm: 3 });
    expectTrajectory(trajectory(opt, GRADS), want);
    const u = opt.globalEntries().find((e) => e.name === 'uProduct');
    expect(u?.value.dtype).toBe('float64'); // the dtype of the first variable, as Keras
    expect(u?.value.item()).toBeCloseTo(mu(1) * mu(2) * mu(3) * mu(4), 15);
  });

  test('Adadelta, with weight decay and globalClipNorm', () => {
    const [lr, rho, eps, wd] = [1, 0.9, 1e-6, 0.01];
    const want = reference(
      { lr, weightDecay: wd, clip: clipNorm(5) }, // one variable: the global norm is its norm
      (w) => ({ ag: w.map(() => 0), ad: w.map(() => 0) }),
      (g, w, s) =>
        w.map((x, i) => {
          s.ag[i] = rho * s.ag[i] + (1 - rho) * g[i] * g[i];
          const delta = -(Math.sqrt(s.ad[i] + eps) * g[i]) / Math.sqrt(s.ag[i] + eps);
          s.ad[i] = rho * s.ad[i] + (1 - rho) * delta * delta;
          return x + lr * delta;
        }),
    );
    const opt = new Adadelta({ learningRate: lr, rho, epsilon: eps, weightDecay: wd, globalClipNorm: 5 });
    expectTrajectory(trajectory(opt, GRADS), want);
  });

  test('Ftrl: defaults, and every regularisation with weight decay', () => {
    const ftrl =
      (lr: number, power: number, l1: number, l2: number, shrink: number, beta: number) =>
      (g: Vec, w: Vec, s: { n: Vec; z: Vec }) =>
        w.map((x, i) => {
          const p = -power;
          const l2reg = l2 + beta / (2 * lr);
          const n = s.n[i] + g[i] * g[i];
          s.z[i] += g[i] + 2 * shrink * x - ((n ** p - s.n[i] ** p) / lr) * x;
          s.n[i] = n;
          const quadratic = n ** p / lr + 2 * l2reg;
          return (Math.min(Math.max(s.z[i], -l1), l1) - s.z[i]) / quadratic;
        });
    const init = (acc0: number) => (w: Vec) => ({ n: w.map(() => acc0), z: w.map(() => 0) });
    expectTrajectory(
      trajectory(new Ftrl({ learningRate: 0.1 }), GRADS),
      reference({ lr: 0.1 }, init(0.1), ftrl(0.1, -0.5, 0, 0, 0, 0)),
    );
    const opt = new Ftrl({
      learningRate: 0.3,
      learningRatePower: -0.7,
      initialAccumulatorValue: 0.2,
      l1RegularizationStrength: 1.5,
      l2RegularizationStrength: 0.1,
      l2ShrinkageRegularizationStrength: 0.05,
      beta: 0.3,
      weightDecay: 0.02,
    });
    const w0 = [0, 0.1, -0.1, 0];
    const want = reference({ lr: 0.3, weightDecay: 0.02, w0 }, init(0.2), ftrl(0.3, -0.7, 1.5, 0.1, 0.05, 0.3));
    expectTrajectory(trajectory(opt, GRADS, w0), want);
    // l1 = 1.5 holds an element at exactly 0 while |z| <= 1.5: both cases happen here
    expect(want.flat().filter((x) => x === 0).length).toBeGreaterThan(0);
    expect(want.flat().filter((x) => x !== 0).length).toBeGreaterThan(0);
  });

  test('Lion, with weight decay; a zero sign leaves the element', () => {
    const [lr, b1, b2, wd] = [0.1, 0.9, 0.99, 0.5];
    const grads = [...GRADS, [0, 0, 0, 0]];
    const want = reference(
      { lr, weightDecay: wd, grads },
      (w) => ({ m: w.map(() => 0) }),
      (g, w, s) =>
        w.map((x, i) => {
          const next = x - lr * Math.sign(s.m[i] * b1 + g[i] * (1 - b1));
          s.m[i] = s.m[i] * b2 + g[i] * (1 - b2);
          return next;
        }),
    );
    expectTrajectory(trajectory(new Lion({ learningRate: lr, weightDecay: wd }), grads), want);
    // the first step from zero momentum moves each element by exactly lr against its gradient's sign
    const v = new tg.Variable(f64([1, 1, 1]));
    new Lion({ learningRate: 0.25 }).applyGradients([[f64([2, 0, -3]), v]]);
    expect(Array.from(v.value().dataSync())).toEqual([0.75, 1, 1.25]);
  });

  test('Lamb, with weight decay: the trust ratio uses the decayed weights and the whole tensor', () => {
    const [lr, b1, b2, eps, wd] = [0.01, 0.9, 0.999, 1e-7, 0.1];
    const want = reference(
      { lr, weightDecay: wd },
      (w) => ({ m: w.map(() => 0), v: w.map(() => 0) }),
      (g, w, s, t) => {
        const u = w.map((_, i) => {
          s.m[i] += (g[i] - s.m[i]) * (1 - b1);
          s.v[i] += (g[i] * g[i] - s.v[i]) * (1 - b2);
          return s.m[i] / (1 - b1 ** (t + 1)) / (Math.sqrt(s.v[i] / (1 - b2 ** (t + 1))) + eps);
        });
        const ratio = norm(w) > 0 && norm(u) > 0 ? norm(w) / norm(u) : 1;
        return w.map((x, i) => x - ratio * lr * u[i]);
      },
    );
    expectTrajectory(trajectory(new Lamb({ learningRate: lr, weightDecay: wd }), GRADS), want);
    // a zero variable has ratio 1: plain Adam's step
    const z = new tg.Variable(f64([0, 0]));
    new Lamb({ learningRate: 0.1 }).applyGradients([[f64([1, -1]), z]]);
    expectTensor(z.value(), [-0.1 / (1 + 1e-7), 0.1 / (1 + 1e-7)], [2], 1e-15);
  });

  /** Adafactor written out for a variable of shape [B, R, C] (B = 1 for rank 2), or rank < 2 when R = 0. */
  function adafactorReference(
    o: { lr: number; decay: number; eps1: number; eps2: number; clip: number; weightDecay?: number },
    shape: number[],
    w0: Vec,
    grads: Vec[],
  ): Vec[] {
    const [B, R, C] = shape.length === 3 ? shape : shape.length === 2 ? [1, ...shape] : [1, 0, w0.length];
    const rms = (x: Vec) => Math.sqrt(x.reduce((a, b) => a + b * b, 0) / x.length);
    return reference(
      { lr: o.lr, weightDecay: o.weightDecay, w0, grads },
      (w) => ({ v: w.map(() => 0), r: Array<number>(B * R).fill(0), c: Array<number>(B * C).fill(0) }),
      (g, w, s, t) => {
        const step = t + 1;
        const rho = Math.min(o.lr, 1 / Math.sqrt(step));
        const alpha = Math.max(o.eps2, rms(w)) * rho;
        const G = g.map((x) => x * x + o.eps1);
        const beta = 1 - step ** o.decay;
        if (R === 0) {
          s.v = s.v.map((v, i) => beta * v + (1 - beta) * G[i]);
        } else {
          for (let b = 0; b < B; b++) {
            for (let i = 0; i < R; i++) {
              let rowMean = 0;
              for (let j = 0; j < C; j++) rowMean += G[(b * R + i) * C + j] / C;
              s.r[b * R + i] = beta * s.r[b * R + i] + (1 - beta) * rowMean;
            }
            for (let j = 0; j < C; j++) {
              let colMean = 0;
              for (let i = 0; i < R; i++) colMean += G[(b * R + i) * C + j] / R;
              s.c[b * C + j] = beta * s.c[b * C + j] + (1 - beta) * colMean;
            }
            const rMean = s.r.slice(b * R, b * R + R).reduce((a, x) => a + x, 0) / R;
            for (let i = 0; i < R; i++)
              for (let j = 0; j < C; j++) s.v[(b * R + i) * C + j] = (s.r[b * R + i] / rMean) * s.c[b * C + j];
          }
        }
        const u = g.map((x, i) => x / Math.sqrt(s.v[i]));
        const scale = Math.max(1, rms(u) / o.clip);
        return w.map((x, i) => x - (alpha * u[i]) / scale);
      },
    );
  }

  test('Adafactor on a vector, with weight decay (the defaults, lr above 1/√t from step 2)', () => {
    const o = { lr: 0.8, decay: -0.8, eps1: 1e-30, eps2: 1e-3, clip: 1, weightDecay: 0.05 };
    const want = adafactorReference(o, [4], VAR, GRADS);
    expectTrajectory(trajectory(new Adafactor({ learningRate: 0.8, weightDecay: 0.05 }), GRADS), want);
  });

  test('Adafactor factored on a [2, 3] matrix and a [2, 2, 3] tensor, with options', () => {
    const opts = { learningRate: 0.05, beta2Decay: -0.6, epsilon1: 1e-20, epsilon2: 1e-2, clipThreshold: 0.5 };
    const o = { lr: 0.05, decay: -0.6, eps1: 1e-20, eps2: 1e-2, clip: 0.5 };
    const w2 = [0.5, -1, 2, 0.3, 1.5, -0.7];
    const g2 = [
      [1, -2, 0.5, 3, 0.1, -1],
      [0.2, 0.4, -0.6, 0.8, -1, 1.2],
      [-3, 1, 2, -0.5, 0.5, 0],
    ];
    expectTrajectory(trajectory(new Adafactor(opts), g2, w2, [2, 3]), adafactorReference(o, [2, 3], w2, g2));
    const w3 = [...w2, ...w2.map((x) => x * 2)];
    const g3 = g2.map((g) => [...g, ...g.map((x) => -x + 0.25)]);
    const opt = new Adafactor(opts);
    expectTrajectory(trajectory(opt, g3, w3, [2, 2, 3]), adafactorReference(o, [2, 2, 3], w3, g3));
    // r drops the last dimension, c the second last (Keras's shapes)
    const shapes = Object.fromEntries(opt.slotEntries().map((e) => [e.slot, e.value.shape]));
    expect(shapes).toEqual({ velocity: [2, 2, 3], r: [2, 2], c: [2, 3] });
  });

  test('float32 follows the float64 trajectory to float32 precision', () => {
    const makers = [
      () => new Adamax({ learningRate: 0.05 }),
      () => new Nadam({ learningRate: 0.05 }),
      () => new Adadelta({ learningRate: 1 }),
      () => new Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.01 }),
      () => new Lamb({ learningRate: 0.05 }),
      () => new Adafactor({ learningRate: 0.05 }),
    ];
    for (const make of makers) {
      const want = trajectory(make(), GRADS);
      const v = new tg.Variable(tg.tensor(VAR));
      const opt = make();
      GRADS.forEach((g, s) => {
        opt.applyGradients([[tg.tensor(g), v]]);
        expect(v.dtype).toBe('float32');
        expectTensor(v.value(), want[s], [4], 1e-5);
      });
    }
  });
});

// ---- the moving average of the weights -------------------------------------------------------------------------

describe('useEma, emaMomentum, emaOverwriteFrequency, finalizeVariableValues', () => {
  test("Keras's test_ema: SGD(1), momentum 0.9, overwrite every 3 steps", () => {
    const v = new tg.Variable([
      [3, 4],
      [5, 6],
    ]);
    const g = tg.ones([2, 2]);
    const opt = new tg.SGD({ learningRate: 1, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 });
    const average = () => opt.slotEntries().find((e) => e.slot === 'average')!.value;
    opt.applyGradients([[g, v]]);
    expectTensor(v.value(), [2, 3, 4, 5]);
    expectTensor(average(), [2, 3, 4, 5]); // the first step copies the weights
    opt.applyGradients([[g, v]]);
    expectTensor(v.value(), [1, 2, 3, 4]);
    expectTensor(average(), [1.9, 2.9, 3.9, 4.9]); // 0.9 · 2 + 0.1 · 1
    opt.applyGradients([[g, v]]);
    expectTensor(v.value(), [1.71, 2.71, 3.71, 4.71]); // 0.9 · 1.9 + 0.1 · 0: overwritten at the third step
    expectTensor(average(), [1.71, 2.71, 3.71, 4.71]);
  });

  test('Adam with EMA: the variables follow Adam, the averages follow the weights; finalize copies them', () => {
    const opt = new tg.Adam({ learningRate: 0.1, useEma: true });
    expect(opt.emaMomentum).toBe(0.99);
    const got = trajectory(opt, GRADS);
    const plain = trajectory(new tg.Adam({ learningRate: 0.1 }), GRADS);
    expectTrajectory(got, plain, 0); // no overwrite frequency: the EMA never touches the variables
    let avg = plain[0].slice();
    for (let s = 1; s < plain.length; s++) avg = avg.map((a, i) => 0.99 * a + (1 - 0.99) * plain[s][i]);
    const entry = opt.slotEntries().find((e) => e.slot === 'average')!;
    expectTensor(entry.value, avg, [4], 1e-14);
    expect(opt.slotEntries().map((e) => e.slot)).toEqual(['m', 'v', 'average']);
    opt.finalizeVariableValues([entry.variable]);
    expectTensor(entry.variable.value(), avg, [4], 1e-14);
  });

  test('every variable the optimizer knows is averaged, also without a gradient this step', () => {
    const a = new tg.Variable(f64([0]), { name: 'a' });
    const b = new tg.Variable(f64([0]), { name: 'b' });
    const opt = new tg.SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5 });
    opt.applyGradients([
      [f64([-1]), a],
      [f64([-2]), b],
    ]); // a = 1, b = 2; averages 1, 2
    opt.applyGradients([
      [f64([-1]), a],
      [null, b],
    ]); // a = 2; averages 0.5 · 1 + 0.5 · 2 = 1.5 and 0.5 · 2 + 0.5 · 2 = 2
    b.assign(f64([10]));
    opt.applyGradients([[f64([-1]), a]]); // a = 3; averages 2.25 and 0.5 · 2 + 0.5 · 10 = 6
    opt.finalizeVariableValues();
    expect([a.value().item(), b.value().item()]).toEqual([2.25, 6]);
  });

  test('finalizeVariableValues: a no-op without useEma; an unknown variable changes nothing', () => {
    const w = new tg.Variable(1);
    const sgd = new tg.SGD({ learningRate: 1 });
    sgd.applyGradients([[tg.scalar(1), w]]);
    sgd.finalizeVariableValues([w]);
    expect(w.value().item()).toBe(0);
    const opt = new tg.SGD({ learningRate: 1, useEma: true });
    opt.applyGradients([[tg.scalar(1), w]]); // w = -1, average = -1
    w.assign(5);
    const stranger = new tg.Variable(7, { name: 'stranger' });
    expect(() => opt.finalizeVariableValues([w, stranger])).toThrow(
      new tg.ArgumentError("SGD.finalizeVariableValues: the optimizer keeps no moving average for variable 'stranger'"),
    );
    expect(w.value().item()).toBe(5);
    opt.finalizeVariableValues([w]);
    expect(w.value().item()).toBe(-1);
  });
});

// ---- gradient accumulation -----------------------------------------------------------------------------------

describe('gradientAccumulationSteps', () => {
  test("Keras's test_gradient_accumulation: SGD(1), 3 steps", () => {
    const v = new tg.Variable([
      [1, 2],
      [3, 4],
    ]);
    const g = tg.ones([2, 2]);
    const opt = new tg.SGD({ learningRate: 1, gradientAccumulationSteps: 3 });
    expect(opt.gradientAccumulationSteps).toBe(3);
    const acc = () => opt.slotEntries().find((e) => e.slot === 'gradientAccumulator')!.value;
    const raw = () =>
      opt
        .globalEntries()
        .find((e) => e.name === 'iterations')!
        .value.item();
    opt.applyGradients([[g, v]]);
    expectTensor(v.value(), [1, 2, 3, 4]);
    expectTensor(acc(), [1, 1, 1, 1]);
    expect([raw(), opt.iterations]).toEqual([1, 0]);
    opt.applyGradients([[g, v]]);
    expectTensor(v.value(), [1, 2, 3, 4]);
    expectTensor(acc(), [2, 2, 2, 2]);
    expect([raw(), opt.iterations]).toEqual([2, 0]);
    opt.applyGradients([[g, v]]);
    expectTensor(v.value(), [0, 1, 2, 3]); // the mean (1 + 1 + 1) / 3 applied
    expectTensor(acc(), [0, 0, 0, 0]);
    expect([raw(), opt.iterations]).toEqual([3, 1]);
    opt.applyGradients([[g, v]]);
    expectTensor(v.value(), [0, 1, 2, 3]);
    expectTensor(acc(), [1, 1, 1, 1]);
    expect([raw(), opt.iterations]).toEqual([4, 1]);
  });

  test("Keras's test_gradient_accumulation_with_weight_decay: n steps of g_i equal one step of their mean", () => {
    const makers: ((o: object) => Optimizer)[] = [
      (o) => new tg.Adam(o),
      (o) => new tg.SGD(o),
      (o) => new tg.AdamW(o),
      (o) => new tg.Adagrad(o),
      (o) => new tg.RMSprop(o),
      (o) => new Adadelta(o),
      (o) => new Adamax(o),
      (o) => new Lion(o),
      (o) => new Nadam(o),
      (o) => new Ftrl(o),
      (o) => new Adafactor(o),
      (o) => new Lamb(o),
    ];
    for (const make of makers) {
      const one = make({ weightDecay: 0.05, learningRate: 0.1 });
      const three = make({ weightDecay: 0.05, learningRate: 0.1, gradientAccumulationSteps: 3 });
      const v1 = new tg.Variable(f64([0.9, 0.5], [2, 1]));
      const v3 = new tg.Variable(f64([0.9, 0.5], [2, 1]));
      for (let epoch = 0; epoch < 4; epoch++) {
        const batches = [0, 1, 2].map((b) => [Math.sin(epoch * 3 + b) + 0.5, Math.cos(epoch * 3 + b)]);
        const mean = [0, 1].map((i) => (batches[0][i] + batches[1][i] + batches[2][i]) / 3);
        one.applyGradients([[f64(mean, [2, 1]), v1]]);
        for (const g of batches) three.applyGradients([[f64(g, [2, 1]), v3]]);
        expectTensor(v3.value(), Array.from(v1.value().dataSync()), [2, 1], 1e-12);
      }
      expect([one.iterations, three.iterations]).toEqual([4, 4]);
    }
  });

  test('the mean is clipped, not each gradient; a schedule is read at the raw call count, as Keras', () => {
    const seen: number[] = [];
    const opt = new tg.SGD({
      learningRate: (step) => (seen.push(step), 0.5),
      clipValue: 1,
      gradientAccumulationSteps: 2,
    });
    const v = new tg.Variable(f64([0]));
    opt.applyGradients([[f64([3]), v]]);
    opt.applyGradients([[f64([-2]), v]]); // mean 0.5, under the clip: v = -0.25 (each clipped first would give 0)
    expect(v.value().item()).toBe(-0.25);
    opt.applyGradients([[f64([4]), v]]);
    opt.applyGradients([[f64([4]), v]]); // mean 4, clipped to 1: v = -0.75
    expect(v.value().item()).toBe(-0.75);
    expect(seen).toEqual([1, 3]); // only on the applying calls, at Keras's _iterations
  });

  test('Nadam accumulating: uProduct and the bias corrections advance once per applied update', () => {
    const one = new Nadam({ learningRate: 0.1 });
    const two = new Nadam({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    const a = new tg.Variable(f64(VAR));
    const b = new tg.Variable(f64(VAR));
    for (const g of GRADS) {
      one.applyGradients([[f64(g), a]]);
      two.applyGradients([[f64(g.map((x) => x + 1)), b]]);
      two.applyGradients([[f64(g.map((x) => x - 1)), b]]);
    }
    expectTensor(b.value(), Array.from(a.value().dataSync()), [4], 1e-13);
    const u = (o: Optimizer) =>
      o
        .globalEntries()
        .find((e) => e.name === 'uProduct')!
        .value.item();
    expect(u(two)).toBe(u(one));
  });

  test('with EMA: the average moves on every call, with momentum 0 until the first update is done', () => {
    const opt = new tg.SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5, gradientAccumulationSteps: 2 });
    const v = new tg.Variable(f64([0]));
    const average = () =>
      opt
        .slotEntries()
        .find((e) => e.slot === 'average')!
        .value.item();
    opt.applyGradients([[f64([-2]), v]]); // iterations 0: average = v = 0
    expect([v.value().item(), average()]).toEqual([0, 0]);
    opt.applyGradients([[f64([-2]), v]]); // applied: v = 2; iterations still 0: average = 2
    expect([v.value().item(), average()]).toEqual([2, 2]);
    opt.applyGradients([[f64([-4]), v]]); // accumulating; iterations 1: average = 0.5 · 2 + 0.5 · 2
    expect([v.value().item(), average()]).toEqual([2, 2]);
    opt.applyGradients([[f64([-4]), v]]); // v = 6; average = 0.5 · 2 + 0.5 · 6
    expect([v.value().item(), average()]).toEqual([6, 4]);
  });

  test('a refused call changes no accumulator, average or count', () => {
    const opt = new tg.Adam({ gradientAccumulationSteps: 2, useEma: true });
    const a = new tg.Variable([1, 1], { name: 'a' });
    const b = new tg.Variable([1, 1], { name: 'b' });
    opt.applyGradients([[tg.tensor([1, 2]), a]]);
    const before = opt.slotEntries().map((e) => [e.slot, Array.from(e.value.dataSync())]);
    expect(() =>
      opt.applyGradients([
        [tg.tensor([1, 1]), a],
        [tg.tensor([1, 1, 1]), b],
      ]),
    ).toThrow(
      new tg.ShapeError("Adam.applyGradients: the gradient for 'b' has shape [3], but the variable has shape [2]"),
    );
    expect(opt.slotEntries().map((e) => [e.slot, Array.from(e.value.dataSync())])).toEqual(before);
    expect(opt.globalEntries()[0].value.item()).toBe(1);
    expectTensor(a.value(), [1, 1]);
  });
});

// ---- checkpoint access (internal) ------------------------------------------------------------------------------

describe('slotEntries / setSlotEntries / globalEntries: a restored optimizer resumes bit for bit', () => {
  const cases: [string, (o?: object) => Optimizer, number[]][] = [
    ['Nadam with EMA', () => new Nadam({ learningRate: 0.1, useEma: true, emaOverwriteFrequency: 3 }), [4]],
    ['Adafactor, rank 2', () => new Adafactor({ learningRate: 0.1 }), [2, 2]],
    ['Ftrl accumulating, stopped mid-accumulation', () => new Ftrl({ gradientAccumulationSteps: 3 }), [4]],
    [
      'Lamb with a schedule',
      () => new Lamb({ learningRate: cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 2 }) }),
      [4],
    ],
    ['Adamax', () => new Adamax(), [4]],
    ['Lion', () => new Lion(), [4]],
    ['Adadelta', () => new Adadelta({ learningRate: 1 }), [4]],
  ];
  test.each(cases)('%s', (_name, make, shape) => {
    const grads = [...GRADS, ...GRADS.map((g) => g.map((x) => -x / 2))].map((g) => tg.tensor(g, shape));
    const run = (opt: Optimizer, v: tg.Variable, gs: tg.Tensor[]) => gs.forEach((g) => opt.applyGradients([[g, v]]));
    const straight = new tg.Variable(tg.tensor(VAR, shape));
    run(make(), straight, grads);

    const first = make();
    const v = new tg.Variable(tg.tensor(VAR, shape));
    run(first, v, grads.slice(0, 4));
    // a fresh variable and optimizer, filled from the first's state
    const w = new tg.Variable(v.value());
    const second = make();
    expect(second.slotSpecs(w).map((s) => s.slot)).toEqual(first.slotEntries().map((e) => e.slot));
    second.setSlotEntries(first.slotEntries().map((e) => ({ ...e, variable: w })));
    second.setGlobalEntries(first.globalEntries());
    expect(second.iterations).toBe(first.iterations);
    run(second, w, grads.slice(4));
    expect(Array.from(w.value().dataSync())).toEqual(Array.from(straight.value().dataSync()));
  });

  test('setSlotEntries refuses missing, unexpected and misshapen slots, and changes nothing', () => {
    const opt = new tg.Adam({ useEma: true });
    const v = new tg.Variable([1, 2], { name: 'v' });
    opt.applyGradients([[tg.tensor([1, 1]), v]]);
    const before = opt.slotEntries();
    const z = tg.zeros([2]);
    expect(() =>
      opt.setSlotEntries([
        { slot: 'm', variable: v, value: z },
        { slot: 'v', variable: v, value: tg.zeros([3]) },
        { slot: 'vHat', variable: v, value: z },
      ]),
    ).toThrow(
      new tg.ArgumentError(
        "Adam.setSlotEntries: 'v' of 'v' is [3] float32, expected [2] float32; 'average' of 'v' is missing; 'v' has no slot 'vHat'",
      ),
    );
    expect(opt.slotEntries()).toEqual(before);
    expect(() => opt.setGlobalEntries([{ name: 'uProduct', value: tg.scalar(1) }])).toThrow(
      /Adam.setGlobalEntries: expected \{ name, value \} entries with a name among iterations/,
    );
    expect(() => opt.setGlobalEntries([{ name: 'iterations', value: tg.scalar(-1, 'int32') }])).toThrow(
      /iterations must be an integer >= 0/,
    );
    expect(opt.iterations).toBe(1);
    expect(new Nadam().globalNames()).toEqual(['iterations', 'uProduct']);
  });
});

// ---- cosineDecayRestarts ---------------------------------------------------------------------------------------

describe('cosineDecayRestarts', () => {
  /** Keras's test reference: walk the periods one by one. */
  function walk(step: number, decaySteps: number, tMul = 2, mMul = 1, alpha = 0): number {
    let fac = 1;
    while (step >= decaySteps) {
      step -= decaySteps;
      decaySteps *= tMul;
      fac *= mMul;
    }
    return (1 - alpha) * fac * 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps)) + alpha;
  }

  test("Keras's tests: steps 0, 250, …, 1250 of 1000 with the defaults, alpha, mMul and tMul = 1", () => {
    for (const o of [{}, { alpha: 0.1 }, { mMul: 0.9 }, { tMul: 1 }, { tMul: 3, mMul: 0.5, alpha: 0.2 }]) {
      const lr = cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 1000, ...o });
      for (let step = 0; step < 1500; step += 250)
        expect(lr(step)).toBeCloseTo(walk(step, 1000, o.tMul, o.mMul, o.alpha), 12);
    }
    // periods 10, 20, 40: restarts at 10, 30, 70, each back at the initial rate
    const lr = cosineDecayRestarts({ initialLearningRate: 0.4, firstDecaySteps: 10 });
    expect([0, 5, 10, 20, 30, 40, 70].map((s) => +lr(s).toFixed(12))).toEqual([
      0.4,
      0.2,
      0.4,
      0.2,
      0.4,
      +(0.4 * 0.5 * (1 + Math.cos(Math.PI / 4))).toFixed(12),
      0.4,
    ]);
    const halving = cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 4, tMul: 1, mMul: 0.5, alpha: 0.1 });
    expect(halving(10)).toBeCloseTo(0.9 * 0.25 * 0.5 * (1 + Math.cos(Math.PI / 2)) + 0.1, 15); // restart 2, halfway
  });

  test('options are checked', () => {
    expect(() => cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 0 })).toThrow(
      new tg.ArgumentError('cosineDecayRestarts: firstDecaySteps must be a positive number, got 0'),
    );
    expect(() => cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 5, tMull: 2 } as never)).toThrow(
      /cosineDecayRestarts: unknown option "tMull"/,
    );
  });
});

// ---- options ---------------------------------------------------------------------------------------------------

describe('options: defaults, checks, own properties only', () => {
  test("Keras's defaults", () => {
    const adamax = new Adamax();
    expect([adamax.learningRate, adamax.beta1, adamax.beta2, adamax.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-7]);
    const nadam = new Nadam();
    expect([nadam.learningRate, nadam.beta1, nadam.beta2, nadam.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-7]);
    const adadelta = new Adadelta();
    expect([adadelta.learningRate, adadelta.rho, adadelta.epsilon]).toEqual([0.001, 0.95, 1e-7]);
    const ftrl = new Ftrl();
    expect([
      ftrl.learningRate,
      ftrl.learningRatePower,
      ftrl.initialAccumulatorValue,
      ftrl.l1RegularizationStrength,
      ftrl.l2RegularizationStrength,
      ftrl.l2ShrinkageRegularizationStrength,
      ftrl.beta,
    ]).toEqual([0.001, -0.5, 0.1, 0, 0, 0, 0]);
    const lion = new Lion();
    expect([lion.learningRate, lion.beta1, lion.beta2]).toEqual([0.001, 0.9, 0.99]);
    const lamb = new Lamb();
    expect([lamb.learningRate, lamb.beta1, lamb.beta2, lamb.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-7]);
    const af = new Adafactor();
    expect([af.learningRate, af.beta2Decay, af.epsilon1, af.epsilon2, af.clipThreshold, af.relativeStep]).toEqual([
      0.001,
      -0.8,
      1e-30,
      1e-3,
      1,
      true,
    ]);
    expect([af.useEma, af.emaMomentum, af.emaOverwriteFrequency, af.gradientAccumulationSteps]).toEqual([
      false,
      0.99,
      undefined,
      undefined,
    ]);
  });

  test("Keras's refusals, each naming the optimizer", () => {
    expect(() => new Lion({ beta1: 0 })).toThrow(
      new tg.ArgumentError('Lion: beta1 must be in (0, 1] (at 0 Lion is signSGD), got 0'),
    );
    expect(() => new Lion({ beta1: 1.5 })).toThrow(/Lion: beta1 must be in \(0, 1\]/);
    expect(() => new Ftrl({ learningRatePower: 0.5 })).toThrow(
      new tg.ArgumentError('Ftrl: learningRatePower must be <= 0, got 0.5'),
    );
    for (const key of [
      'initialAccumulatorValue',
      'l1RegularizationStrength',
      'l2RegularizationStrength',
      'l2ShrinkageRegularizationStrength',
    ])
      expect(() => new Ftrl({ [key]: -0.1 })).toThrow(new tg.ArgumentError(`Ftrl: ${key} must be >= 0, got -0.1`));
    expect(() => new Adamax({ gradientAccumulationSteps: 1 })).toThrow(
      new tg.ArgumentError('Adamax: gradientAccumulationSteps must be an integer >= 2, got 1'),
    );
    expect(() => new Nadam({ gradientAccumulationSteps: 2.5 })).toThrow(/must be an integer >= 2/);
    expect(() => new Lamb({ useEma: true, emaMomentum: 1.5 })).toThrow(
      new tg.ArgumentError('Lamb: emaMomentum must be in [0, 1], got 1.5'),
    );
    expect(() => new Adadelta({ useEma: true, emaOverwriteFrequency: 0 })).toThrow(
      new tg.ArgumentError('Adadelta: emaOverwriteFrequency must be an integer >= 1, got 0'),
    );
    expect(() => new Adafactor({ useEma: 1 } as never)).toThrow(/Adafactor: useEma must be true or false, got 1/);
    expect(() => new Adafactor({ relativeStep: 'yes' } as never)).toThrow(/relativeStep must be true or false/);
    expect(() => new Adamax({ beta_1: 0.9 } as never)).toThrow(
      /Adamax: unknown option "beta_1"; expected learningRate/,
    );
    expect(() => new Nadam({ clipNorm: 1, globalClipNorm: 1 })).toThrow(/only one of clipNorm, clipValue/);
  });

  test('options are read from own properties only; null means unset', () => {
    // a polluted Object.prototype cannot set an option
    const proto = Object.prototype as Record<string, unknown>;
    proto.beta1 = 0.5;
    proto.useEma = true;
    try {
      const adamax = new Adamax({});
      expect([adamax.beta1, adamax.useEma]).toEqual([0.9, false]);
    } finally {
      delete proto.beta1;
      delete proto.useEma;
    }
    const opt = new Lamb({ emaOverwriteFrequency: null, gradientAccumulationSteps: null });
    expect([opt.emaOverwriteFrequency, opt.gradientAccumulationSteps]).toEqual([undefined, undefined]);
  });

  test('a failing step changes no variable, slot or count (all or nothing)', () => {
    for (const opt of [new Adafactor(), new Ftrl(), new Nadam(), new Lion()]) {
      const a = new tg.Variable([1, 2], { name: 'a' });
      const b = new tg.Variable([[1, 2]], { name: 'b' });
      expect(() =>
        opt.applyGradients([
          [tg.tensor([1, 1]), a],
          [tg.tensor([1, 1]), b],
        ]),
      ).toThrow(`${opt.name}.applyGradients: the gradient for 'b' has shape [2], but the variable has shape [1,2]`);
      expectTensor(a.value(), [1, 2]);
      expect([opt.iterations, opt.slotEntries().length, opt.globalEntries().length]).toEqual([0, 0, 1]);
    }
  });
});
