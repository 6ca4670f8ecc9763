// lbfgsMinimize against TFP's lbfgs_test.py (Himmelblau's evaluation counts), Rosenbrock, quadratics, a hanging
// chain at rest, the stopping rules, bad inputs and the tapes it opens.
import * as tg from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { lbfgsMinimize } from '../../src/optimizers/lbfgs';
import { nextAfter } from '../../src/optimizers/line_search';

const f64 = (v: number[], shape?: number[]) => tg.tensor(v, shape, 'float64');
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const normInf = (t: tg.Tensor) => maxAbs(t.dataSync(), new Float64Array(t.size));

/** (x² + y − 11)² + (x + y² − 7)², as TFP's test_himmelblau. */
const himmelblau = (c: tg.Tensor) => {
  const x = c.gather(0);
  const y = c.gather(1);
  return x.square().add(y).sub(11).square().add(x.add(y.square()).sub(7).square());
};

/** Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², the chained Rosenbrock function (2-D: the classic one). */
const rosenbrock = (x: tg.Tensor) => {
  const n = x.shape[0];
  const a = x.slice([0], [n - 1]);
  const b = x.slice([1], [n - 1]);
  return b.sub(a.square()).square().mul(100).add(a.neg().add(1).square()).sum();
};

/** The same 2-D Rosenbrock as TFP's test, value and hand-written gradient. */
const rosenbrockPair = (c: tg.Tensor): [tg.Tensor, tg.Tensor] => {
  const [x, y] = c.dataSync();
  const value = (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  return [tg.scalar(value, 'float64'), f64([2 * (x - 1) + 400 * x * (x * x - y), 200 * (y - x * x)])];
};

describe('TFP goldens', () => {
  // lbfgs_test.py test_himmelblau (float64, tolerance 1e-8): 31 and 17 objective evaluations
  test.each([
    [[1, 1], [3, 2], 31],
    [[-2, 2], [-2.805118, 3.131312], 17],
  ])('Himmelblau from %p reaches %p in TFP’s %p evaluations', (start, minimum, evals) => {
    const r = lbfgsMinimize(himmelblau, f64(start));
    expect(r.converged).toBe(true);
    expect(r.failed).toBe(false);
    expect(maxAbs(r.position.dataSync(), minimum)).toBeLessThan(1e-5);
    expect(r.numObjectiveEvaluations).toBe(evals);
    expect(normInf(r.objectiveGradient)).toBeLessThanOrEqual(1e-8);
  });

  test('the same search with valueAndGradients = tfp.math.value_and_gradient: same evaluations, same point', () => {
    const pair = (c: tg.Tensor): [tg.Tensor, tg.Tensor] => {
      const { value, grads } = tg.valueAndGrad(himmelblau)(c);
      return [value, grads as tg.Tensor];
    };
    const a = lbfgsMinimize(pair, f64([1, 1]));
    const b = lbfgsMinimize(himmelblau, f64([1, 1]));
    expect(a.numObjectiveEvaluations).toBe(31);
    expect(Array.from(a.position.dataSync())).toEqual(Array.from(b.position.dataSync()));
  });

  test('TFP’s trivial 100-D sphere Σ(x − 1)² from 0 is solved by the first line search', () => {
    const r = lbfgsMinimize((x) => x.sub(1).square().sum(), tg.zeros([100], 'float64'));
    expect(r.converged).toBe(true);
    expect(r.numIterations).toBe(1);
    // step 1 along −g = 2·1 lands on 2 (rising), the secant of slopes −400 and +400 gives 1/2: 1 + 1 + 1 evaluations
    expect(r.numObjectiveEvaluations).toBe(3);
    expect(maxAbs(r.position.dataSync(), new Float64Array(100).fill(1))).toBe(0);
  });
});

describe('Rosenbrock', () => {
  test('2-D from (−1.2, 1), float64: the gradient below 1e-8 and (1, 1) to 1e-8, in under 40 iterations', () => {
    const r = lbfgsMinimize(rosenbrock, f64([-1.2, 1]));
    expect(r.converged).toBe(true);
    expect(normInf(r.objectiveGradient)).toBeLessThanOrEqual(1e-8);
    expect(maxAbs(r.position.dataSync(), [1, 1])).toBeLessThan(1e-8);
    expect(r.numIterations).toBeLessThan(40); // 29 iterations, 81 evaluations
    // TFP's test_rosenbrock_2d (tolerance 1e-5) with its hand-written gradient
    const t = lbfgsMinimize(rosenbrockPair, f64([-1.2, 1]), { tolerance: 1e-5 });
    expect(t.converged).toBe(true);
    expect(maxAbs(t.position.dataSync(), [1, 1])).toBeLessThan(1e-5);
  });

  test('2-D in float32: converges to (1, 1) in float32', () => {
    const r = lbfgsMinimize(rosenbrock, tg.tensor([-1.2, 1]));
    expect(r.converged).toBe(true);
    expect(r.position.dtype).toBe('float32');
    expect(r.objectiveValue.dtype).toBe('float32');
    expect(maxAbs(r.position.dataSync(), [1, 1])).toBeLessThan(1e-6);
  });

  test('100-D chained Rosenbrock from (−1.2, 1, −1.2, …): all ones to 1e-8 (an O(n)-iteration problem)', () => {
    const start = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = lbfgsMinimize(rosenbrock, f64(start), { maxIterations: 1000 });
    expect(r.converged).toBe(true);
    expect(normInf(r.objectiveGradient)).toBeLessThanOrEqual(1e-8);
    expect(maxAbs(r.position.dataSync(), new Float64Array(100).fill(1))).toBeLessThan(1e-7);
    expect(r.numIterations).toBeLessThan(700); // 505 iterations
  });

  test('100-D as 50 independent 2-D Rosenbrocks: the 2-D iteration count', () => {
    const pairs = (x: tg.Tensor) => {
      const p = x.reshape([50, 2]);
      const a = p.slice([0, 0], [50, 1]);
      const b = p.slice([0, 1], [50, 1]);
      return b.sub(a.square()).square().mul(100).add(a.neg().add(1).square()).sum();
    };
    const start = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = lbfgsMinimize(pairs, f64(start));
    const two = lbfgsMinimize(rosenbrock, f64([-1.2, 1]));
    expect(r.converged).toBe(true);
    expect(r.numIterations).toBe(two.numIterations);
    expect(maxAbs(r.position.dataSync(), new Float64Array(100).fill(1))).toBeLessThan(1e-8);
  });
});

describe('quadratics', () => {
  test('½xᵀAx − bᵀx on a 6-D SPD A: the solution of Ax = b in at most n = 6 iterations', () => {
    const n = 6;
    // A = MᵀM + I with M[i][j] = sin(i + 2j): symmetric positive definite
    const a: number[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let k = 0; k < n; k++) s += Math.sin(k + 2 * i) * Math.sin(k + 2 * j);
        a.push(s);
      }
    const b = [1, -2, 3, 0.5, -1, 2];
    const A = f64(a, [n, n]);
    const B = f64(b);
    const f = (x: tg.Tensor) =>
      x
        .mul(tg.matmul(A, x.reshape([n, 1])).reshape([n]))
        .sum()
        .mul(0.5)
        .sub(x.mul(B).sum());
    const r = lbfgsMinimize(f, tg.zeros([n], 'float64'));
    expect(r.converged).toBe(true);
    expect(r.numIterations).toBeLessThanOrEqual(n);
    const x = r.position.dataSync();
    // the residual A·x − b, written out
    const res = b.map((bi, i) => a.slice(i * n, i * n + n).reduce((s, aij, j) => s + aij * x[j], 0) - bi);
    expect(maxAbs(res, new Float64Array(n))).toBeLessThan(1e-8);
  });

  test('a position of shape [2, 3]: the objective sees that shape, and the result keeps it', () => {
    const target = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    const shapes: string[] = [];
    const r = lbfgsMinimize(
      (x) => {
        shapes.push(x.shape.join('x'));
        return x
          .sub(target)
          .square()
          .mul(f64([1, 2, 3, 4, 5, 6], [2, 3]))
          .sum();
      },
      tg.zeros([2, 3], 'float64'),
    );
    expect(new Set(shapes)).toEqual(new Set(['2x3']));
    expect(r.position.shape).toEqual([2, 3]);
    expect(r.objectiveGradient.shape).toEqual([2, 3]);
    expect(maxAbs(r.position.dataSync(), [1, 2, 3, 4, 5, 6])).toBeLessThan(1e-9);
  });

  test('float32: a quadratic reaches its minimum, every evaluation in float32', () => {
    const dtypes = new Set<string>();
    const r = lbfgsMinimize(
      (x) => {
        dtypes.add(x.dtype);
        return x
          .sub(tg.tensor([0.5, -1.5, 2]))
          .square()
          .mul(tg.tensor([1, 10, 100]))
          .sum();
      },
      tg.zeros([3]),
      { tolerance: 1e-4 },
    );
    expect(dtypes).toEqual(new Set(['float32']));
    expect(r.converged).toBe(true);
    expect(maxAbs(r.position.dataSync(), [0.5, -1.5, 2])).toBeLessThan(1e-5);
  });
});

describe('a hanging chain: N masses joined by springs, at rest under gravity', () => {
  const k = 100; // spring stiffness
  const rest = 1; // rest length
  const mg = 9.81; // weight of each mass

  /** Potential energy Σ k/2 (|p_j − p_{j−1}| − rest)² + Σ m g y_j, the chain running from `anchors[0]` to `anchors[1]`. */
  function energy(anchorA: number[], anchorB: number[] | null) {
    return (p: tg.Tensor) => {
      const parts = [f64(anchorA, [1, 2]), p];
      if (anchorB) parts.push(f64(anchorB, [1, 2]));
      const all = tg.concat(parts, 0);
      const m = all.shape[0];
      const d = all.slice([1, 0], [m - 1, 2]).sub(all.slice([0, 0], [m - 1, 2]));
      const len = d.square().sum(1).sqrt();
      const springs = len
        .sub(rest)
        .square()
        .sum()
        .mul(k / 2);
      return springs.add(p.slice([0, 1], [p.shape[0], 1]).sum().mul(mg));
    };
  }

  test('from one anchor: vertical, spring j stretched by the weight below it, (N − j + 1)·mg/k (closed form)', () => {
    const N = 5;
    // start along a slanted line, springs slack: the chain must swing down and stretch
    const start = Array.from({ length: N }, (_, j) => [0.6 * (j + 1), -0.6 * (j + 1)]).flat();
    const r = lbfgsMinimize(energy([0, 0], null), f64(start, [N, 2]), { maxIterations: 500 });
    expect(r.converged).toBe(true);
    const p = r.position.dataSync();
    let y = 0;
    for (let j = 1; j <= N; j++) {
      y -= rest + ((N - j + 1) * mg) / k;
      expect(Math.abs(p[2 * (j - 1)])).toBeLessThan(1e-8); // x = 0
      expect(Math.abs(p[2 * (j - 1) + 1] - y)).toBeLessThan(1e-8);
    }
  });

  test('between two anchors: each mass in force balance to 1e-8, and the chain mirror-symmetric', () => {
    const N = 7;
    const D = 6;
    const start = Array.from({ length: N }, (_, j) => [(D * (j + 1)) / (N + 1), -0.1]).flat();
    const r = lbfgsMinimize(energy([0, 0], [D, 0]), f64(start, [N, 2]), { maxIterations: 500 });
    expect(r.converged).toBe(true);
    const p = r.position.dataSync();
    const pts = [[0, 0], ...Array.from({ length: N }, (_, j) => [p[2 * j], p[2 * j + 1]]), [D, 0]];
    // the pull of spring (a→b) on a: k(|b − a| − rest)·(b − a)/|b − a|
    const pull = (a: number[], b: number[]) => {
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const l = Math.hypot(dx, dy);
      const t = (k * (l - rest)) / l;
      return [t * dx, t * dy];
    };
    for (let j = 1; j <= N; j++) {
      const left = pull(pts[j], pts[j - 1]);
      const right = pull(pts[j], pts[j + 1]);
      expect(Math.abs(left[0] + right[0])).toBeLessThan(1e-8);
      expect(Math.abs(left[1] + right[1] - mg)).toBeLessThan(1e-8);
    }
    for (let j = 1; j <= N; j++) {
      expect(Math.abs(pts[j][0] + pts[N + 1 - j][0] - D)).toBeLessThan(1e-8);
      expect(Math.abs(pts[j][1] - pts[N + 1 - j][1])).toBeLessThan(1e-8);
    }
    expect(pts[4][1]).toBeLessThan(-1); // it sags
  });
});

describe('stopping', () => {
  test('maxIterations reached: converged false, failed false, that many iterations', () => {
    const r = lbfgsMinimize(rosenbrock, f64([-1.2, 1]), { maxIterations: 5 });
    expect(r.converged).toBe(false);
    expect(r.failed).toBe(false);
    expect(r.numIterations).toBe(5);
  });

  test('maxIterations 0: the start, one evaluation', () => {
    const r = lbfgsMinimize(rosenbrock, f64([-1.2, 1]), { maxIterations: 0 });
    expect(r).toMatchObject({ converged: false, failed: false, numIterations: 0, numObjectiveEvaluations: 1 });
    expect(Array.from(r.position.dataSync())).toEqual([-1.2, 1]);
    expect(r.objectiveValue.item()).toBeCloseTo(24.2, 12); // 2.2² + 100·(1 − 1.44)² = 4.84 + 19.36
  });

  test('already at the minimum: converged with no iteration', () => {
    const r = lbfgsMinimize(rosenbrock, f64([1, 1]));
    expect(r).toMatchObject({ converged: true, failed: false, numIterations: 0, numObjectiveEvaluations: 1 });
  });

  test('fAbsoluteTolerance stops earlier than the gradient test (TFP’s test_quadratic_bowl_3d_absolute_tolerance)', () => {
    const f = (x: tg.Tensor) =>
      x
        .sub(1)
        .square()
        .mul(tg.tensor([2, 3, 4], undefined, 'float64'))
        .sum();
    const start = f64([0.1, 0.8, 0.9]);
    const loose = lbfgsMinimize(f, start, { fAbsoluteTolerance: 1 });
    const strict = lbfgsMinimize(f, start);
    expect(loose.converged && strict.converged).toBe(true);
    expect(loose.numIterations).toBeLessThan(strict.numIterations);
  });

  test('a NaN value along the line: failed, not converged, at the last good point', () => {
    // (x − 2)², NaN beyond x = 1: the first step (to x = 4) is NaN, the line search fails
    const f = (x: tg.Tensor) => {
      const v = x.sub(2).square().sum();
      return x.dataSync()[0] > 1 ? v.mul(NaN) : v;
    };
    const r = lbfgsMinimize(f, f64([0]));
    expect(r.failed).toBe(true);
    expect(r.converged).toBe(false);
    expect(r.position.dataSync()[0]).toBeLessThanOrEqual(1);
  });

  test('a value of −Infinity is converged (TFP’s test_stop_at_negative_infinity)', () => {
    const f = (x: tg.Tensor) => {
      const v = x.sub(2).square().sum();
      return x.dataSync()[0] > 1 ? v.mul(-Infinity) : v;
    };
    const r = lbfgsMinimize(f, f64([0]));
    expect(r.converged).toBe(true);
    expect(r.objectiveValue.item()).toBe(-Infinity);
  });
});

describe('tapes', () => {
  test('each call runs under one tape of its own, disposed after: none is left recording', () => {
    const seen: number[] = [];
    lbfgsMinimize(
      (x) => {
        seen.push(activeRecorders.length);
        return rosenbrock(x);
      },
      f64([-1.2, 1]),
    );
    expect(new Set(seen)).toEqual(new Set([1]));
    expect(activeRecorders.length).toBe(0);
  });

  test('a [value, gradient] objective runs without a tape after its first call', () => {
    const seen: number[] = [];
    lbfgsMinimize(
      (x) => {
        seen.push(activeRecorders.length);
        return rosenbrockPair(x);
      },
      f64([-1.2, 1]),
    );
    expect(seen[0]).toBe(1);
    expect(new Set(seen.slice(1))).toEqual(new Set([0]));
    expect(activeRecorders.length).toBe(0);
  });

  test('the objective throws: the error comes out, the tape is disposed', () => {
    let calls = 0;
    const f = (x: tg.Tensor) => {
      if (++calls === 3) throw new Error('boom');
      return rosenbrock(x);
    };
    expect(() => lbfgsMinimize(f, f64([-1.2, 1]))).toThrow('boom');
    expect(activeRecorders.length).toBe(0);
  });

  test('an outer tape is set aside while it runs, and is back after', () => {
    const w = new tg.Variable(f64([-1.2, 1]));
    using tape = new tg.GradientTape();
    const seen: number[] = [];
    const r = lbfgsMinimize((x) => {
      seen.push(activeRecorders.length);
      return rosenbrock(x);
    }, w);
    expect(r.converged).toBe(true);
    expect(new Set(seen)).toEqual(new Set([1]));
    expect(activeRecorders).toEqual([tape]);
    expect(tape.gradient(r.objectiveValue, w)).toBeNull(); // not recorded: the result is a constant
  });
});

describe('bad inputs', () => {
  const f = (x: tg.Tensor) => x.square().sum();
  test.each([
    [() => lbfgsMinimize(5 as never, f64([1])), 'lbfgsMinimize: valueAndGradients must be a function, got 5'],
    [
      () => lbfgsMinimize(f, tg.tensor([1], undefined, 'int32')),
      'lbfgsMinimize: initialPosition must be float32 or float64, got int32',
    ],
    [() => lbfgsMinimize(f, undefined as never), 'lbfgsMinimize: initialPosition must be a tensor, got undefined'],
    [() => lbfgsMinimize(f, f64([1]), { tol: 1 } as never), 'lbfgsMinimize: unknown option "tol"'],
    [() => lbfgsMinimize(f, f64([1]), { tolerance: -1 }), 'lbfgsMinimize: tolerance must be >= 0, got -1'],
    [() => lbfgsMinimize(f, f64([1]), { tolerance: NaN }), 'lbfgsMinimize: tolerance must be a finite number, got NaN'],
    [
      () => lbfgsMinimize(f, f64([1]), { numCorrectionPairs: 0 }),
      'lbfgsMinimize: numCorrectionPairs must be an integer >= 1, got 0',
    ],
    [
      () => lbfgsMinimize(f, f64([1]), { maxIterations: 1.5 }),
      'lbfgsMinimize: maxIterations must be an integer >= 0, got 1.5',
    ],
    [
      () => lbfgsMinimize((x) => x.square(), f64([1, 2])),
      "lbfgsMinimize: the objective's value must be a scalar (rank 0), got shape [2]",
    ],
    [
      () => lbfgsMinimize((x) => x.sum().cast('float32'), f64([1])),
      "lbfgsMinimize: the objective's value has dtype float32 but the position is float64",
    ],
    [
      () => lbfgsMinimize((x) => [x.sum(), x.reshape([1, 1])] as const, f64([1])),
      "lbfgsMinimize: the gradient must have the position's shape [1]",
    ],
    [() => lbfgsMinimize((() => 'no') as never, f64([1])), 'lbfgsMinimize: the objective must return a rank-0 Tensor'],
  ])('%#', (run, message) => {
    expect(run).toThrow(message);
    expect(activeRecorders.length).toBe(0);
  });
});

describe('line search helpers', () => {
  test('nextAfter steps one ulp in float64 and float32', () => {
    expect(nextAfter(1, 2, false)).toBe(1 + Number.EPSILON);
    expect(nextAfter(1, 0, false)).toBe(1 - Number.EPSILON / 2);
    expect(nextAfter(1, 2, true)).toBe(1 + 2 ** -23);
    expect(nextAfter(-1, -2, true)).toBe(-1 - 2 ** -23);
    expect(nextAfter(0, 1, false)).toBe(Number.MIN_VALUE);
    expect(nextAfter(3, 3, true)).toBe(3);
  });
});
