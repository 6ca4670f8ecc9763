// Every optimizer against Keras 3: the published one-step goldens, and the update rule written out
// here in plain JS and followed for several steps (float64 variables, so only rounding differs).
import * as tg from '../../src';
import { expectTensor } from '../helpers';

const GRAD = [1, 6, 7, 2];
const VAR = [1, 2, 3, 4];

function oneStep(opt: tg.Optimizer): number[] {
  const v = new tg.Variable(VAR);
  opt.applyGradients([[tg.tensor(GRAD), v]]);
  return Array.from(v.value().dataSync());
}

describe('Keras goldens: gradient [1, 6, 7, 2], variable [1, 2, 3, 4], learning rate 0.5, one step', () => {
  test('SGD: [0.5, -1, -0.5, 3]', () => expect(oneStep(new tg.SGD({ learningRate: 0.5 }))).toEqual([0.5, -1, -0.5, 3]));
  test('Adam: [0.5, 1.5, 2.5, 3.5]', () =>
    expectTensor(tg.tensor(oneStep(new tg.Adam({ learningRate: 0.5 }))), [0.5, 1.5, 2.5, 3.5], undefined, 1e-5));
  test('RMSprop: [-0.5811, 0.4189, 1.4189, 2.4189]', () => {
    expectTensor(
      tg.tensor(oneStep(new tg.RMSprop({ learningRate: 0.5 }))),
      [-0.5811, 0.4189, 1.4189, 2.4189],
      undefined,
      1e-4,
    );
  });
  test('Adagrad: [0.5233, 1.5007, 2.5005, 3.5061]', () => {
    expectTensor(
      tg.tensor(oneStep(new tg.Adagrad({ learningRate: 0.5 }))),
      [0.5233, 1.5007, 2.5005, 3.5061],
      undefined,
      1e-4,
    );
  });
  test('RMSprop(0.1) on var²/2 from 10 gives 9.683772', () => {
    const v = new tg.Variable(10);
    const opt = new tg.RMSprop({ learningRate: 0.1 });
    opt.minimize(() => v.square().div(2), [v]);
    expect(v.value().item()).toBeCloseTo(9.683772, 5);
  });
});

describe('the seeds loop with SGD.applyGradients', () => {
  test('x² + 2x + 1 from 0, rate 0.1, 100 steps ends at -0.9999999 in float32', () => {
    const x = new tg.Variable(0);
    const opt = new tg.SGD({ learningRate: 0.1 });
    for (let i = 0; i < 100; i++) {
      using tape = new tg.GradientTape();
      const z = x.pow(2).add(x.mul(2)).add(1);
      opt.applyGradients([[tape.gradient(z, x), x]]);
    }
    expect(String(x.value())).toBe('Tensor(-0.9999999, shape=[], dtype=float32)');
    expect(opt.iterations).toBe(100);
  });
});

/** Runs an optimizer for `steps` on a fixed sequence of gradients, float64, returning each step's variable. */
function trajectory(opt: tg.Optimizer, grads: number[][]): number[][] {
  const v = new tg.Variable(tg.tensor(VAR, undefined, 'float64'));
  return grads.map((g) => {
    opt.applyGradients([[tg.tensor(g, undefined, 'float64'), v]]);
    return Array.from(v.value().dataSync());
  });
}

const GRADS = [
  [1, 6, 7, 2],
  [-2, 0.5, 3, -1],
  [0.3, -4, 1, 2],
  [1, 1, -1, 0],
];

function expectTrajectory(got: number[][], want: number[][]): void {
  // one row per step, one value per element: an empty or short trajectory must not pass by looping over nothing
  expect(got.map((row) => row.length)).toEqual(want.map((row) => row.length));
  expect(want.length).toBe(GRADS.length);
  got.forEach((row, s) =>
    row.forEach((x, i) => expect(Math.abs(x - want[s][i])).toBeLessThan(1e-12 * (1 + Math.abs(want[s][i])))),
  );
}

/** Keras's rule in plain JS, per element. */
function reference(
  init: () => Record<string, number>,
  rule: (g: number, w: number, s: Record<string, number>, t: number) => number,
): number[][] {
  const state = VAR.map(() => init());
  const w = VAR.slice();
  return GRADS.map((g, t) => {
    g.forEach((gi, i) => (w[i] = rule(gi, w[i], state[i], t)));
    return w.slice();
  });
}

describe('step by step against the Keras rule written out', () => {
  test('SGD with momentum and with Nesterov', () => {
    for (const nesterov of [false, true]) {
      const want = reference(
        () => ({ m: 0 }),
        (g, w, s) => {
          s.m = 0.9 * s.m - 0.1 * g;
          return nesterov ? w + (0.9 * s.m - 0.1 * g) : w + s.m;
        },
      );
      expectTrajectory(trajectory(new tg.SGD({ learningRate: 0.1, momentum: 0.9, nesterov }), GRADS), want);
    }
  });

  test('SGD steps in float32 are bit for bit the ops written out: w - lr·g, m = μm - lr·g', () => {
    const w0 = tg.randomUniform([300], { seed: 7 });
    const g = tg.randomUniform([300], { seed: 8, minval: -3, maxval: 3 });
    const plain = new tg.Variable(w0);
    new tg.SGD({ learningRate: 0.037 }).applyGradients([[g, plain]]);
    expect(Array.from(plain.value().dataSync())).toEqual(Array.from(tg.sub(w0, tg.mul(g, 0.037)).dataSync()));
    const v = new tg.Variable(w0);
    const opt = new tg.SGD({ learningRate: 0.037, momentum: 0.9, nesterov: true });
    opt.applyGradients([[g, v]]);
    opt.applyGradients([[g, v]]);
    const m1 = tg.sub(tg.mul(tg.zerosLike(w0), 0.9), tg.mul(g, 0.037));
    const w1 = tg.add(w0, tg.sub(tg.mul(m1, 0.9), tg.mul(g, 0.037)));
    const m2 = tg.sub(tg.mul(m1, 0.9), tg.mul(g, 0.037));
    const w2 = tg.add(w1, tg.sub(tg.mul(m2, 0.9), tg.mul(g, 0.037)));
    expect(Array.from(v.value().dataSync())).toEqual(Array.from(w2.dataSync()));
  });

  test('Adam and AMSGrad', () => {
    for (const amsgrad of [false, true]) {
      const want = reference(
        () => ({ m: 0, v: 0, vh: 0 }),
        (g, w, s, t) => {
          const alpha = (0.01 * Math.sqrt(1 - 0.999 ** (t + 1))) / (1 - 0.9 ** (t + 1));
          s.m += (g - s.m) * (1 - 0.9);
          s.v += (g * g - s.v) * (1 - 0.999);
          s.vh = Math.max(s.vh, s.v);
          return w - (s.m * alpha) / (Math.sqrt(amsgrad ? s.vh : s.v) + 1e-7);
        },
      );
      expectTrajectory(trajectory(new tg.Adam({ learningRate: 0.01, amsgrad }), GRADS), want);
    }
  });

  test('AdamW: decoupled weight decay before the Adam step, default 0.004', () => {
    const want = reference(
      () => ({ m: 0, v: 0 }),
      (g, w0, s, t) => {
        const w = w0 - w0 * 0.004 * 0.01;
        const alpha = (0.01 * Math.sqrt(1 - 0.999 ** (t + 1))) / (1 - 0.9 ** (t + 1));
        s.m += (g - s.m) * 0.1;
        s.v += (g * g - s.v) * (1 - 0.999);
        return w - (s.m * alpha) / (Math.sqrt(s.v) + 1e-7);
      },
    );
    const opt = new tg.AdamW({ learningRate: 0.01 });
    expect(opt.weightDecay).toBe(0.004);
    expectTrajectory(trajectory(opt, GRADS), want);
  });

  test('RMSprop plain, with momentum, centered', () => {
    for (const [momentum, centered] of [
      [0, false],
      [0.5, false],
      [0, true],
      [0.5, true],
    ] as const) {
      const want = reference(
        () => ({ v: 0, m: 0, a: 0 }),
        (g, w, s) => {
          s.v = 0.9 * s.v + 0.1 * g * g;
          s.a = 0.9 * s.a + 0.1 * g;
          const inc = (0.05 * g) / Math.sqrt(centered ? s.v - s.a * s.a + 1e-7 : s.v + 1e-7);
          if (momentum > 0) {
            s.m = momentum * s.m + inc;
            return w - s.m;
          }
          return w - inc;
        },
      );
      expectTrajectory(trajectory(new tg.RMSprop({ learningRate: 0.05, momentum, centered }), GRADS), want);
    }
  });

  test('Adagrad', () => {
    const want = reference(
      () => ({ acc: 0.1 }),
      (g, w, s) => {
        s.acc += g * g;
        return w - (0.2 * g) / Math.sqrt(s.acc + 1e-7);
      },
    );
    expectTrajectory(trajectory(new tg.Adagrad({ learningRate: 0.2 }), GRADS), want);
  });
});

describe('clipping, weight decay, schedules, order', () => {
  test('clipNorm scales each gradient to norm at most c', () => {
    // ‖[3, 4]‖ = 5 → [0.6, 0.8]; ‖[0.3, 0.4]‖ = 0.5 stays
    const a = new tg.Variable([0, 0]);
    const b = new tg.Variable([0, 0]);
    new tg.SGD({ learningRate: 1, clipNorm: 1 }).applyGradients([
      [tg.tensor([3, 4]), a],
      [tg.tensor([0.3, 0.4]), b],
    ]);
    expectTensor(a.value(), [-0.6, -0.8]);
    expectTensor(b.value(), [-0.3, -0.4]);
  });

  test('globalClipNorm scales all gradients by one factor', () => {
    // joint norm ‖[3, 4, 12]‖ = 13 → scale 1/13
    const a = new tg.Variable([0, 0]);
    const b = new tg.Variable(0);
    new tg.SGD({ learningRate: 1, globalClipNorm: 1 }).applyGradients([
      [tg.tensor([3, 4]), a],
      [tg.scalar(12), b],
    ]);
    expectTensor(a.value(), [-3 / 13, -4 / 13]);
    expectTensor(b.value(), -12 / 13);
  });

  test('clipValue clips elements; at most one clipping option', () => {
    const a = new tg.Variable([0, 0, 0]);
    new tg.SGD({ learningRate: 1, clipValue: 0.5 }).applyGradients([[tg.tensor([-2, 0.1, 9]), a]]);
    expectTensor(a.value(), [0.5, -0.1, -0.5]);
    expect(() => new tg.SGD({ clipNorm: 1, clipValue: 1 })).toThrow(
      /only one of clipNorm, clipValue and globalClipNorm can be set/,
    );
  });

  test('weight decay: w -= w·wd·lr, then the update', () => {
    const v = new tg.Variable(tg.tensor([10], undefined, 'float64'));
    new tg.SGD({ learningRate: 0.1, weightDecay: 0.5 }).applyGradients([[tg.tensor([1], undefined, 'float64'), v]]);
    expect(v.value().item()).toBeCloseTo(10 - 10 * 0.5 * 0.1 - 0.1 * 1, 12); // 9.4
  });

  test('schedules: each formula, usable as a learning rate, read at the step count before the step', () => {
    expect(tg.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 })(20)).toBeCloseTo(
      0.025,
      15,
    );
    expect(
      tg.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true })(19),
    ).toBeCloseTo(0.05, 15);
    const pw = tg.piecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
    expect([pw(0), pw(100), pw(101), pw(200), pw(201)]).toEqual([1, 1, 0.5, 0.5, 0.1]);
    const cos = tg.cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
    expect([cos(0), cos(50), cos(100), cos(500)].map((x) => +x.toFixed(12))).toEqual([1, 0.55, 0.1, 0.1]);
    const warm = tg.cosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 1, warmupSteps: 10 });
    expect([warm(0), warm(5), warm(10), warm(15), warm(20)].map((x) => +x.toFixed(12))).toEqual([0, 0.5, 1, 0.5, 0]);
    const poly = tg.polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, power: 2 });
    expect([poly(0), poly(5), poly(10), poly(20)]).toEqual([1, 0.25, 0, 0]);
    const cyc = tg.polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, cycle: true });
    expect(cyc(15)).toBeCloseTo(0.25, 15); // period 20: 1 - 15/20
    expect(tg.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 })(2)).toBe(0.5);
    expect(tg.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 1, staircase: true })(3)).toBe(0.5);

    const seen: number[] = [];
    const opt = new tg.SGD({ learningRate: (step) => (seen.push(step), 1 / (step + 1)) });
    const v = new tg.Variable(tg.tensor([0], undefined, 'float64'));
    for (let i = 0; i < 3; i++) opt.applyGradients([[tg.tensor([1], undefined, 'float64'), v]]);
    expect(v.value().item()).toBeCloseTo(-(1 + 1 / 2 + 1 / 3), 12);
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe('applyGradients and minimize', () => {
  test('null gradients are skipped; all-null is an error that names the variables', () => {
    const a = new tg.Variable(1, { name: 'a' });
    const b = new tg.Variable(1, { name: 'b' });
    const opt = new tg.SGD({ learningRate: 1 });
    opt.applyGradients([
      [null, a],
      [tg.scalar(1), b],
    ]);
    expect([a.value().item(), b.value().item()]).toEqual([1, 0]);
    expect(() =>
      opt.applyGradients([
        [null, a],
        [null, b],
      ]),
    ).toThrow(
      "SGD.applyGradients: no gradients provided for any variable ('a', 'b'); check that the loss depends on them",
    );
  });

  test('a bad pair changes no variable and takes no step', () => {
    const a = new tg.Variable([1, 1], { name: 'a' });
    const b = new tg.Variable([1, 1], { name: 'b' });
    const opt = new tg.Adam();
    expect(() =>
      opt.applyGradients([
        [tg.tensor([1, 1]), a],
        [tg.tensor([1, 1, 1]), b],
      ]),
    ).toThrow(
      new tg.ShapeError("Adam.applyGradients: the gradient for 'b' has shape [3], but the variable has shape [2]"),
    );
    expectTensor(a.value(), [1, 1]);
    expect(opt.iterations).toBe(0);
  });

  test('state is per variable and made on first use', () => {
    const a = new tg.Variable(0);
    const b = new tg.Variable(0);
    const opt = new tg.SGD({ learningRate: 1, momentum: 0.5 });
    opt.applyGradients([[tg.scalar(1), a]]); // m_a = -1
    opt.applyGradients([
      [tg.scalar(1), a],
      [tg.scalar(1), b],
    ]); // m_a = -1.5, m_b = -1
    expect([a.value().item(), b.value().item()]).toEqual([-2.5, -1]);
  });

  test('minimize computes the loss under a tape and returns it; an outer tape records no update', () => {
    const w = new tg.Variable(3);
    const opt = new tg.SGD({ learningRate: 0.25 });
    using outer = new tg.GradientTape();
    const loss = opt.minimize(() => w.square(), [w]); // grad 6 → w = 3 - 1.5
    expect(loss.item()).toBe(9);
    expect(w.value().item()).toBe(1.5);
    // the outer tape sees the loss and its gradient (nesting, as in TF) but no update op
    const ops = outer
      .toString()
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(' = ')[1].split('(')[0]);
    expect(ops).toEqual(['mul', 'mul', 'mul', 'add']);
  });

  test('options are validated', () => {
    expect(() => new tg.SGD({ learningRate: -1 })).toThrow(/learningRate must be a non-negative number or a schedule/);
    expect(() => new tg.SGD({ momentum: 2 })).toThrow(/momentum must be in \[0, 1\]/);
    expect(() => tg.piecewiseConstantDecay({ boundaries: [1], values: [1] })).toThrow(
      /values must have one more entry than boundaries/,
    );
    expect(new tg.Adam().learningRate).toBe(0.001);
    expect(new tg.SGD().learningRate).toBe(0.01);
  });
});
