// tapegrad on every workload, in its documented idiom (no tidy or dispose: memory is the garbage
// collector's). Prints one JSON line (see lib/timing.mjs's reporter). Only tapegrad runs W5's three
// forms ('W5' is the nested tapes with a non-persistent outer tape) and F1, the forward-mode rows
// the runner's forward-mode table divides.
import * as tg from '../../dist/index.mjs';
import { measure, reporter, screen, trainingCheck } from '../lib/timing.mjs';
import { F1, L, L4, W1, W2, W3, W4, W5, W6, W7, W8, check } from '../lib/workloads.mjs';
import { transformerStep } from './w8/tapegrad.mjs';

const { workload: run, print } = reporter();
// `--one-thread` (with TAPEGRAD_THREADS=1 set by the runner): W4 alone, its rows marked as such
const oneThread = process.argv.includes('--one-thread');
if (oneThread && process.env.TAPEGRAD_THREADS !== '1') throw new Error('--one-thread needs TAPEGRAD_THREADS=1');
const rowName = (name) => (oneThread ? `${name}, 1 thread` : name);
const workload = (name, fn) => (!oneThread || name.startsWith('W4') ? run(rowName(name), fn) : undefined);

workload('W1', () => {
  const x = new tg.Variable(W1.x);
  const y = new tg.Variable(W1.y);
  const run = () => {
    const tape = new tg.GradientTape();
    const f = x.mul(x).mul(y).add(y).add(2);
    const [dx, dy] = tape.gradient(f, [x, y]);
    return [f.item(), dx.item(), dy.item()];
  };
  check('W1', run(), W1.expected, 0);
  return { ms: measure(run), check: run() };
});

/** W2's chain of 200 elementwise ops, also F1's. */
const chain = (x) => {
  let h = x;
  for (let i = 0; i < W2.ops; i++) {
    const op = W2.step(i);
    h = op === 'mul' ? h.mul(1.01) : op === 'add' ? h.add(0.1) : tg.sin(h);
  }
  return h;
};

workload('W2', () => {
  const x = tg.tensor(W2.x());
  const run = () => {
    const tape = new tg.GradientTape();
    tape.watch(x);
    return tape.gradient(tg.sum(chain(x)), x);
  };
  const g = run().dataSync();
  check('W2', Array.from(g.slice(0, 5)), W2.reference(x.dataSync()).slice(0, 5), 1e-4, true);
  return { ms: measure(run), check: Array.from(g.slice(0, 3)) };
});

workload('W3', () => {
  const [inputs, hidden, classes] = W3.sizes;
  const x = tg.tensor(W3.x(), [W3.batch, inputs]);
  const labels = tg.tensor(W3.labels(), [W3.batch], 'int32');
  const make = () => [
    new tg.Variable(tg.tensor(W3.w1(), [inputs, hidden])),
    new tg.Variable(tg.zeros([hidden])),
    new tg.Variable(tg.tensor(W3.w2(), [hidden, classes])),
    new tg.Variable(tg.zeros([classes])),
  ];
  const opt = new tg.SGD({ learningRate: W3.lr });
  const step = (vars) => {
    const [w1, b1, w2, b2] = vars;
    const tape = new tg.GradientTape();
    const logits = tg.matmul(tg.relu(tg.matmul(x, w1).add(b1)), w2).add(b2);
    const loss = tg.losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true });
    const grads = tape.gradient(loss, vars);
    opt.applyGradients(grads.map((g, i) => [g, vars[i]]));
    return loss.item();
  };
  const vars = make();
  const got = trainingCheck(() => step(vars), W3.checkSteps);
  return { ms: measure(() => step(vars), { batches: 5 }), check: got };
});

for (const n of W4.sizes) {
  workload(`W4 ${n}`, () => {
    const a = tg.tensor(W4.a(n), [n, n]);
    const b = tg.tensor(W4.b(n), [n, n]);
    const c = tg.matmul(a, b);
    const got = W4.pick(c.dataSync(), n);
    check(`W4 ${n}`, got, W4.entries(n, a.dataSync(), b.dataSync()), 1e-4);
    const ms = measure(() => tg.matmul(a, b), { warmupMs: 200, minBatchMs: 0, batches: 5 });
    return { ms, gflops: W4.flops(n) / ms / 1e6, check: got };
  });
}

// W5 three ways: `hessian(w, x)` returns the 64×64 Hessian of f at x
const w5 = (name, hessian) =>
  workload(name, () => {
    const w = tg.tensor(W5.w(), [W5.n, W5.n]);
    const x = tg.tensor(W5.x(), [W5.n]);
    const run = () => hessian(w, x);
    const got = W5.pick(run().dataSync());
    check(name, got, W5.reference(w.dataSync(), x.dataSync()), 1e-4);
    return { ms: measure(run, { batches: 5 }), check: got };
  });
const f5 = (w) => (x) => tg.sum(tg.tanh(tg.matmul(w, tg.reshape(x, [W5.n, 1]))));

// nested tapes, the outer one not persistent: its jacobian() is its one use
w5('W5', (w, x) => {
  const outer = new tg.GradientTape();
  outer.watch(x);
  const inner = new tg.GradientTape();
  inner.watch(x);
  const g = inner.gradient(f5(w)(x), x);
  const h = outer.jacobian(g, x);
  outer.dispose();
  return h;
});

// TF's guide form: a persistent outer tape, whose recording ends (the `with` block) before jacobian()
w5('W5 nested, persistent', (w, x) => {
  const outer = new tg.GradientTape({ persistent: true });
  outer.watch(x);
  const inner = new tg.GradientTape();
  inner.watch(x);
  const g = inner.gradient(f5(w)(x), x);
  outer.dispose();
  return outer.jacobian(g, x);
});

// forward over reverse: one hvp per element of x
w5('W5 tg.hessian', (w, x) => tg.hessian(f5(w))(x));

workload('W6', () => {
  const { xs, labels } = W6.points();
  const x = tg.tensor(xs, [400, 2]);
  const lab = tg.tensor(labels, [400], 'int32');
  const train = () => {
    const sizes = [2, W6.hidden, W6.hidden, 2];
    const vars = [];
    for (let i = 0; i < 3; i++)
      vars.push(
        new tg.Variable(tg.tensor(W6.weights(i, sizes[i], sizes[i + 1]), [sizes[i], sizes[i + 1]])),
        new tg.Variable(tg.zeros([sizes[i + 1]])),
      );
    const opt = new tg.Adam({ learningRate: 0.01 });
    let loss;
    const losses = [];
    for (let s = 0; s < W6.steps; s++) {
      const tape = new tg.GradientTape();
      let h = x;
      for (let i = 0; i < 3; i++) {
        h = tg.matmul(h, vars[2 * i]).add(vars[2 * i + 1]);
        if (i < 2) h = tg.tanh(h);
      }
      loss = tg.losses.sparseCategoricalCrossentropy(lab, h, { fromLogits: true });
      const grads = tape.gradient(loss, vars);
      opt.applyGradients(grads.map((g, i) => [g, vars[i]]));
      if (s < W6.checkSteps) losses.push(loss.item());
    }
    return W6.check(losses);
  };
  const got = screen(train);
  return { ms: measure(train, { warmupMs: 0, minBatchMs: 0, batches: 3 }), check: got };
});

workload('W7', () => {
  const {
    batch,
    size,
    kernel: k,
    filters: [f1, f2],
    classes,
    flat,
    padding,
  } = W7;
  const x = tg.tensor(W7.x(), [batch, size, size, 1]);
  const labels = tg.tensor(W7.labels(), [batch], 'int32');
  const make = () => [
    new tg.Variable(tg.tensor(W7.w1(), [k, k, 1, f1])),
    new tg.Variable(tg.zeros([f1])),
    new tg.Variable(tg.tensor(W7.w2(), [k, k, f1, f2])),
    new tg.Variable(tg.zeros([f2])),
    new tg.Variable(tg.tensor(W7.w3(), [flat, classes])),
    new tg.Variable(tg.zeros([classes])),
  ];
  const opt = new tg.SGD({ learningRate: W7.lr });
  const step = (vars) => {
    const [w1, b1, w2, b2, w3, b3] = vars;
    const tape = new tg.GradientTape();
    let h = tg.maxPool(tg.relu(tg.conv2d(x, w1, 1, padding).add(b1)), 2, 2, 'valid');
    h = tg.maxPool(tg.relu(tg.conv2d(h, w2, 1, padding).add(b2)), 2, 2, 'valid');
    const logits = tg.matmul(tg.reshape(h, [batch, flat]), w3).add(b3);
    const loss = tg.losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true });
    const grads = tape.gradient(loss, vars);
    opt.applyGradients(grads.map((g, i) => [g, vars[i]]));
    return loss.item();
  };
  const vars = make();
  const got = trainingCheck(() => step(vars), W7.checkSteps);
  return { ms: measure(() => step(vars), { batches: 5 }), check: got };
});

workload('W8', () => {
  const step = transformerStep(tg);
  // the first loss is checked against W8.referenceLoss() by the runner, whose float64 arrays
  // would otherwise count in this process's peak memory
  const got = trainingCheck(step, W8.steps);
  return { ms: measure(step, { batches: 5 }), check: got };
});

// F1: W2's chain forward (no tape), its reverse gradient, its jvp and its hvp along a fixed v
const f1 = (name, key, run) =>
  workload(name, () => {
    const x = tg.tensor(W2.x());
    const v = tg.tensor(F1.v());
    const got = run(x, v).dataSync();
    const expected = F1.reference(x.dataSync(), v.dataSync())[key];
    // the derivatives are far below 1 (a product of 66 cosines): relative, as W2
    check(name, Array.from(got.slice(0, 5)), expected.slice(0, 5), 1e-4, key !== 'value');
    return { ms: measure(() => run(x, v)), check: Array.from(got.slice(0, 3)) };
  });

f1('F1 forward pass', 'value', (x) => chain(x));

f1('F1 reverse gradient', 'grad', (x) => {
  const tape = new tg.GradientTape();
  tape.watch(x);
  return tape.gradient(tg.sum(chain(x)), x);
});

f1('F1 jvp', 'jvp', (x, v) => {
  const acc = new tg.ForwardAccumulator(x, v);
  const y = chain(x);
  const t = acc.jvp(y);
  acc.dispose();
  return t;
});

f1('F1 hvp', 'hvp', (x, v) => tg.hvp((z) => tg.sum(chain(z)), x, v));

// L1–L3: float64 256×256 through tg.linalg; each answer checked by reconstruction or residual
// before timing. `run` returns the results' data. tg.linalg remembers a decomposition per input
// tensor (so svd's three outputs, or a second call, share one factorization): every timed call
// makes its matrix afresh (a 512 KB copy, about 1% of the time), so the factorization is measured.
const lrow = (name, setup) =>
  workload(name, () => {
    const { run, verify } = setup(L.n);
    return { check: verify(run()), ms: measure(run, { batches: 5 }) };
  });

lrow('L1 cholesky 256', (n) => {
  const av = L.spd(n);
  return {
    run: () => tg.linalg.cholesky(tg.tensor(av, [n, n], 'float64')).dataSync(),
    verify: (lv) => {
      const err = L.choleskyError(av, lv, n);
      if (!(err <= L.tolerance)) throw new Error(`L1: reconstruction error ${err}`);
      return L.pick(lv, n);
    },
  };
});

lrow('L2 solve 256', (n) => {
  const av = L.spd(n);
  const bv = L.rhs(n);
  const b = tg.tensor(bv, [n, 1], 'float64');
  return {
    run: () => tg.linalg.solve(tg.tensor(av, [n, n], 'float64'), b).dataSync(),
    verify: (xv) => {
      const res = L.solveResidual(av, xv, bv, n);
      if (!(res <= L.tolerance)) throw new Error(`L2: residual ${res}`);
      return [xv[0], xv[n >> 1], xv[n - 1]];
    },
  };
});

lrow('L3 svd 256', (n) => {
  const av = L.random(n);
  return {
    run: () => {
      const { s, u, v } = tg.linalg.svd(tg.tensor(av, [n, n], 'float64'));
      return [u.dataSync(), s.dataSync(), v.dataSync()];
    },
    verify: ([uv, sv, vv]) => {
      const err = L.svdError(av, uv, sv, vv, n);
      if (!(err <= L.tolerance)) throw new Error(`L3: reconstruction error ${err}`);
      return [sv[0], sv[n >> 1], sv[n - 1]];
    },
  };
});

workload('L4 GP likelihood gradient n=500', () => {
  const n = L4.n;
  const d2 = tg.tensor(L4.d2(), [n, n], 'float64');
  const y = tg.tensor(L4.y(), [n, 1], 'float64');
  const eye = tg.eye(n, 'float64');
  const theta = L4.theta.map((t) => tg.tensor(t, [], 'float64'));
  const run = () => {
    const tape = new tg.GradientTape();
    tape.watch(theta);
    const [logL, logSf, logSn] = theta;
    const k = tg
      .exp(d2.mul(tg.exp(logL.mul(-2)).mul(-0.5)))
      .mul(tg.exp(logSf))
      .add(eye.mul(tg.exp(logSn)));
    const l = tg.linalg.cholesky(k);
    const z = tg.linalg.triangularSolve(l, y, { lower: true });
    const nlml = tg
      .sum(z.mul(z))
      .mul(0.5)
      .add(tg.sum(tg.log(tg.diagPart(l))))
      .add((n / 2) * Math.log(2 * Math.PI));
    const grads = tape.gradient(nlml, theta);
    return [nlml.item(), ...grads.map((g) => g.item())];
  };
  const got = run();
  check('L4', got, L4.reference(), 1e-8);
  return { ms: measure(run, { batches: 5 }), check: got };
});

print();
