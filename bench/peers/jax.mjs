// jax-js on every workload, eager or under jit (argv[2]), on its wasm backend (one thread in Node:
// it threads through Web Workers, which Node lacks). jax-js owns arrays by reference count: every
// call consumes its arguments, so an array used again is passed as `.ref`, and nothing leaks.
// Answers are read with dataSync() (a flat typed array; `.js()` builds nested arrays, slower; the
// async `.data()` is the same buffer on wasm). Prints one JSON line (see lib/timing.mjs's reporter).
// The L rows are float64: Node 20 has no Float16Array, which jax-js tests float64 data against, so
// a stand-in that matches nothing comes first.
import '../lib/float16.mjs';
import { init, defaultDevice, grad, valueAndGrad, hessian, jacrev, jit, lax, numpy as np, nn } from '@jax-js/jax';
import { measure, reporter, screen, trainingCheck } from '../lib/timing.mjs';
import { L, L4, W1, W2, W3, W4, W5, W6, W7, W8, check } from '../lib/workloads.mjs';
import { transformerStep } from './w8/jax.mjs';

const mode = process.argv[2] ?? 'eager';
await init('wasm');
defaultDevice('wasm');
const compile = (f) => (mode === 'jit' ? jit(f) : f);
const { workload, print } = reporter();
/** Keras's Adam step size α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), in float64: jax-js 0.1.25's eager np.power(0.999, 1) is 0.9989877 */
const adamAlpha = (lr, t) => np.array((lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t));

workload('W1', () => {
  const f = (x, y) => x.ref.mul(x).mul(y.ref).add(y).add(2);
  const vg = compile(valueAndGrad(f, { argnums: [0, 1] }));
  const x = np.array(W1.x);
  const y = np.array(W1.y);
  const run = () => {
    const [value, [gx, gy]] = vg(x.ref, y.ref);
    return [value.dataSync()[0], gx.dataSync()[0], gy.dataSync()[0]];
  };
  check('W1', run(), W1.expected, 0);
  return { ms: measure(run), check: run() };
});

workload('W2', () => {
  const chain = (v) => {
    let h = v;
    for (let i = 0; i < W2.ops; i++) {
      const op = W2.step(i);
      h = op === 'mul' ? h.mul(1.01) : op === 'add' ? h.add(0.1) : np.sin(h);
    }
    return h.sum();
  };
  const g = compile(grad(chain));
  const xs = W2.x();
  const x = np.array(xs);
  const run = () => g(x.ref).dataSync();
  const got = run();
  check('W2', Array.from(got.slice(0, 5)), W2.reference(xs).slice(0, 5), 1e-4, true);
  return { ms: measure(run), check: Array.from(got.slice(0, 3)) };
});

workload('W3', () => {
  const [inputs, hidden, classes] = W3.sizes;
  const x = np.array(W3.x()).reshape([W3.batch, inputs]);
  const labels = W3.labels();
  const onehot = np
    .array(
      Float32Array.from({ length: W3.batch * classes }, (_, k) =>
        labels[Math.floor(k / classes)] === k % classes ? 1 : 0,
      ),
    )
    .reshape([W3.batch, classes]);
  const loss = (p) => {
    const h = nn.relu(np.matmul(x.ref, p.w1).add(p.b1));
    const logits = np.matmul(h, p.w2).add(p.b2);
    return np.mean(np.sum(onehot.ref.mul(nn.logSoftmax(logits, -1)), -1)).mul(-1);
  };
  const vg = valueAndGrad(loss);
  const step = compile((p) => {
    const [l, g] = vg({ w1: p.w1.ref, b1: p.b1.ref, w2: p.w2.ref, b2: p.b2.ref });
    const next = {};
    for (const k of ['w1', 'b1', 'w2', 'b2']) next[k] = p[k].sub(g[k].mul(W3.lr));
    return [l, next];
  });
  const make = () => ({
    w1: np.array(W3.w1()).reshape([inputs, hidden]),
    b1: np.zeros([hidden]),
    w2: np.array(W3.w2()).reshape([hidden, classes]),
    b2: np.zeros([classes]),
  });
  let params = make();
  const run = () => {
    const [l, next] = step(params);
    params = next;
    return l.dataSync()[0];
  };
  const got = trainingCheck(run, W3.checkSteps);
  return { ms: measure(run, { batches: 5 }), check: got };
});

for (const n of W4.sizes) {
  workload(`W4 ${n}`, () => {
    const av = W4.a(n);
    const bv = W4.b(n);
    const a = np.array(av).reshape([n, n]);
    const b = np.array(bv).reshape([n, n]);
    const mm = compile((p, q) => np.matmul(p, q));
    const c = mm(a.ref, b.ref).dataSync();
    const got = W4.pick(c, n);
    check(`W4 ${n}`, got, W4.entries(n, av, bv), 1e-4);
    const ms = measure(() => mm(a.ref, b.ref).dataSync(), { warmupMs: 200, minBatchMs: 0, batches: 5 });
    return { ms, gflops: W4.flops(n) / ms / 1e6, check: got };
  });
}

// W5's Hessian two ways, the faster kept and compared with each of tapegrad's three forms:
// `hessian` (jacfwd of grad, forward over reverse, as tg.hessian) and jacrev of grad (reverse over
// reverse, as nested tapes)
workload(
  'W5',
  (variant) => {
    const wv = W5.w();
    const xv = W5.x();
    const w = np.array(wv).reshape([W5.n, W5.n]);
    const x = np.array(xv);
    const f = (v) => np.sum(np.tanh(np.matmul(w.ref, v.reshape([W5.n, 1]))));
    const hess = compile(variant === 'hessian' ? hessian(f) : jacrev(grad(f)));
    const run = () => hess(x.ref).dataSync();
    const h = run();
    const got = W5.pick(h);
    check('W5', got, W5.reference(wv, xv), 1e-4);
    return { ms: measure(run, { batches: 5 }), check: got };
  },
  ['hessian', 'jacrev(grad)'],
);

workload('W6', () => {
  const { xs, labels } = W6.points();
  const x = np.array(xs).reshape([400, 2]);
  const onehot = np
    .array(Float32Array.from({ length: 800 }, (_, k) => (labels[k >> 1] === (k & 1) ? 1 : 0)))
    .reshape([400, 2]);
  const names = ['w0', 'b0', 'w1', 'b1', 'w2', 'b2'];
  const loss = (p) => {
    let h = x.ref;
    for (let i = 0; i < 3; i++) {
      h = np.matmul(h, p[`w${i}`]).add(p[`b${i}`]);
      if (i < 2) h = np.tanh(h);
    }
    return np.mean(np.sum(onehot.ref.mul(nn.logSoftmax(h, -1)), -1)).mul(-1);
  };
  const vg = valueAndGrad(loss);
  // Adam as Keras writes it, by hand: jax-js has no optimizer in its core package
  const step = compile((p, m, v, alpha) => {
    const [l, g] = vg(Object.fromEntries(names.map((k) => [k, p[k].ref])));
    const np1 = {},
      nm = {},
      nv = {};
    for (const k of names) {
      nm[k] = m[k].ref.add(g[k].ref.sub(m[k]).mul(0.1));
      nv[k] = v[k].ref.add(g[k].ref.mul(g[k]).sub(v[k]).mul(0.001));
      np1[k] = p[k].sub(nm[k].ref.mul(alpha.ref).div(np.sqrt(nv[k].ref).add(1e-7)));
    }
    alpha.dispose();
    return [l, np1, nm, nv];
  });
  const train = () => {
    const sizes = [2, W6.hidden, W6.hidden, 2];
    let p = {},
      m = {},
      v = {};
    for (let i = 0; i < 3; i++) {
      p[`w${i}`] = np.array(W6.weights(i, sizes[i], sizes[i + 1])).reshape([sizes[i], sizes[i + 1]]);
      p[`b${i}`] = np.zeros([sizes[i + 1]]);
    }
    for (const k of names) {
      m[k] = np.zerosLike(p[k].ref);
      v[k] = np.zerosLike(p[k].ref);
    }
    const losses = [];
    for (let s = 0; s < W6.steps; s++) {
      const [l, a, b, c] = step(p, m, v, adamAlpha(0.01, s + 1));
      [p, m, v] = [a, b, c];
      const value = l.dataSync()[0];
      if (s < W6.checkSteps) losses.push(value);
    }
    for (const k of names) [p, m, v].forEach((o) => o[k].dispose());
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
  // jax-js's lax.conv takes NCHW inputs and OIHW filters: the input (one channel) is the same memory
  // either way; the HWIO filters are permuted once, and the dense weights' rows from TF's (h, w, c)
  // flattening order to NCHW's (c, h, w), so the model is the same function of the same numbers
  const oihw = (w, cin, cout) =>
    Float32Array.from({ length: w.length }, (_, idx) => {
      const kw = idx % k;
      const kh = Math.floor(idx / k) % k;
      const ci = Math.floor(idx / (k * k)) % cin;
      const co = Math.floor(idx / (k * k * cin));
      return w[((kh * k + kw) * cin + ci) * cout + co];
    });
  const side = 4; // the last pooled image is 4×4
  const w3v = W7.w3();
  const w3chw = Float32Array.from({ length: w3v.length }, (_, idx) => {
    const j = idx % classes;
    const r = Math.floor(idx / classes); // (c, h, w)
    const w = r % side;
    const h = Math.floor(r / side) % side;
    const c = Math.floor(r / (side * side));
    return w3v[((h * side + w) * f2 + c) * classes + j];
  });
  const x = np.array(W7.x()).reshape([batch, 1, size, size]);
  const labels = W7.labels();
  const onehot = np
    .array(
      Float32Array.from({ length: batch * classes }, (_, i) =>
        labels[Math.floor(i / classes)] === i % classes ? 1 : 0,
      ),
    )
    .reshape([batch, classes]);
  const pad = padding.toUpperCase();
  // 2×2 max pooling, stride 2, on NCHW: the windows tile the image, so a reshape and a max
  const pool = (h) => {
    const [n, c, rows, cols] = h.shape;
    return np.max(h.reshape([n, c, rows / 2, 2, cols / 2, 2]), [3, 5]);
  };
  const loss = (p) => {
    let h = pool(nn.relu(lax.conv(x.ref, p.w1, [1, 1], pad).add(p.b1)));
    h = pool(nn.relu(lax.conv(h, p.w2, [1, 1], pad).add(p.b2)));
    const logits = np.matmul(h.reshape([batch, flat]), p.w3).add(p.b3);
    return np.mean(np.sum(onehot.ref.mul(nn.logSoftmax(logits, -1)), -1)).mul(-1);
  };
  const names = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'];
  const vg = valueAndGrad(loss);
  const step = compile((p) => {
    const [l, g] = vg(Object.fromEntries(names.map((n) => [n, p[n].ref])));
    const next = {};
    for (const n of names) next[n] = p[n].sub(g[n].mul(W7.lr));
    return [l, next];
  });
  const make = () => ({
    w1: np.array(oihw(W7.w1(), 1, f1)).reshape([f1, 1, k, k]),
    b1: np.zeros([f1, 1, 1]),
    w2: np.array(oihw(W7.w2(), f1, f2)).reshape([f2, f1, k, k]),
    b2: np.zeros([f2, 1, 1]),
    w3: np.array(w3chw).reshape([flat, classes]),
    b3: np.zeros([classes]),
  });
  let params = make();
  const run = () => {
    const [l, next] = step(params);
    params = next;
    return l.dataSync()[0];
  };
  const got = trainingCheck(run, W7.checkSteps);
  return { ms: measure(run, { batches: 5 }), check: got };
});

workload('W8', () => {
  const { step, dispose } = transformerStep({ np, nn, valueAndGrad, compile, adamAlpha });
  const got = trainingCheck(step, W8.steps);
  const ms = measure(step, { batches: 5 });
  dispose();
  return { ms, check: got };
});

// L1–L3: float64 256×256 through np.linalg (its Cholesky, LU solve and SVD, the last from an
// eigendecomposition of AᵀA); each answer checked by reconstruction or residual before timing.
// `run` returns the results' data (dataSync consumes the arrays).
const f64 = (data, shape) => np.array(Array.from(data), { dtype: np.float64 }).reshape(shape);
const lrow = (name, setup) =>
  workload(name, () => {
    const { run, verify } = setup(L.n);
    return { check: verify(run()), ms: measure(run, { batches: 5 }) };
  });

lrow('L1 cholesky 256', (n) => {
  const av = L.spd(n);
  const a = f64(av, [n, n]);
  const chol = compile((m) => np.linalg.cholesky(m, { symmetrizeInput: false }));
  return {
    run: () => chol(a.ref).dataSync(),
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
  const a = f64(av, [n, n]);
  const b = f64(bv, [n, 1]);
  const solve = compile((m, r) => np.linalg.solve(m, r));
  return {
    run: () => solve(a.ref, b.ref).dataSync(),
    verify: (xv) => {
      const res = L.solveResidual(av, xv, bv, n);
      if (!(res <= L.tolerance)) throw new Error(`L2: residual ${res}`);
      return [xv[0], xv[n >> 1], xv[n - 1]];
    },
  };
});

lrow('L3 svd 256', (n) => {
  const av = L.random(n);
  const a = f64(av, [n, n]);
  const svd = compile((m) => np.linalg.svd(m));
  return {
    run: () => svd(a.ref).map((o) => o.dataSync()),
    verify: ([uv, sv, vhv]) => {
      const v = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[j * n + i] = vhv[i * n + j];
      const err = L.svdError(av, uv, sv, v, n);
      if (!(err <= L.tolerance)) throw new Error(`L3: reconstruction error ${err}`);
      return [sv[0], sv[n >> 1], sv[n - 1]];
    },
  };
});

workload('L4 GP likelihood gradient n=500', () => {
  const n = L4.n;
  const d2 = f64(L4.d2(), [n, n]);
  const y = f64(L4.y(), [n, 1]);
  const eye = np.eye(n, undefined, { dtype: np.float64 });
  const nlml = (logL, logSf, logSn) => {
    const k = np
      .exp(d2.ref.mul(np.exp(logL.mul(-2)).mul(-0.5)))
      .mul(np.exp(logSf))
      .add(eye.ref.mul(np.exp(logSn)));
    const l = np.linalg.cholesky(k, { symmetrizeInput: false });
    const z = lax.linalg.triangularSolve(l.ref, y.ref, { leftSide: true, lower: true });
    const logdet = np.sum(np.log(np.diagonal(l)));
    return np
      .sum(z.ref.mul(z))
      .mul(0.5)
      .add(logdet)
      .add((n / 2) * Math.log(2 * Math.PI));
  };
  const vg = compile(valueAndGrad(nlml, { argnums: [0, 1, 2] }));
  const theta = L4.theta.map((t) => np.array(t, { dtype: np.float64 }));
  const run = () => {
    const [value, grads] = vg(...theta.map((t) => t.ref));
    return [value.dataSync()[0], ...grads.map((g) => g.dataSync()[0])];
  };
  const got = run();
  // jax-js's float64 exp is accurate to about 2e-6 relative (exp(-26.3) is 4.3275878e-12, not
  // 4.3275956e-12), which moves the likelihood by about 1e-5 relative: checked to 1e-4
  check('L4', got, L4.reference(), 1e-4);
  return { ms: measure(run, { batches: 5 }), check: got };
});

print();
