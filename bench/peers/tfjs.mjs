// TensorFlow.js on every workload, backend 'cpu' or 'wasm' (argv[2]). Tensors are disposed (tidy)
// so it does not leak. Prints one JSON line: { workload: { ms, check } }.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { measure, reporter } from '../lib/timing.mjs';
import { W1, W2, W3, W4, W5, W6, W7, check } from '../lib/workloads.mjs';

const backend = process.argv[2] ?? 'cpu';
await tf.setBackend(backend);
await tf.ready();
const { results, workload, print } = reporter();

workload('W1', () => {
  const x = tf.scalar(W1.x);
  const y = tf.scalar(W1.y);
  const vg = tf.valueAndGrads((a, b) => a.mul(a).mul(b).add(b).add(2));
  const run = () =>
    tf.tidy(() => {
      const { value, grads } = vg([x, y]);
      return [value.dataSync()[0], grads[0].dataSync()[0], grads[1].dataSync()[0]];
    });
  check('W1', run(), W1.expected, 0);
  results.W1 = { ms: measure(run), check: run() };
});

workload('W2', () => {
  const x = tf.tensor1d(W2.x());
  const g = tf.grad((v) => {
    let h = v;
    for (let i = 0; i < W2.ops; i++) {
      const op = W2.step(i);
      h = op === 'mul' ? h.mul(1.01) : op === 'add' ? h.add(0.1) : tf.sin(h);
    }
    return h.sum();
  });
  const run = () => tf.tidy(() => g(x).dataSync());
  const got = run();
  check('W2', Array.from(got.slice(0, 5)), W2.reference(x.dataSync()).slice(0, 5), 1e-4, true);
  results.W2 = { ms: measure(run), check: Array.from(got.slice(0, 3)) };
});

workload('W3', () => {
  const [inputs, hidden, classes] = W3.sizes;
  const x = tf.tensor2d(W3.x(), [W3.batch, inputs]);
  const onehot = tf.oneHot(tf.tensor1d(W3.labels(), 'int32'), classes);
  const make = () => [
    tf.variable(tf.tensor2d(W3.w1(), [inputs, hidden])),
    tf.variable(tf.zeros([hidden])),
    tf.variable(tf.tensor2d(W3.w2(), [hidden, classes])),
    tf.variable(tf.zeros([classes])),
  ];
  const opt = tf.train.sgd(W3.lr);
  const step = (vars) =>
    tf.tidy(() => {
      const [w1, b1, w2, b2] = vars;
      const loss = opt.minimize(
        () => tf.losses.softmaxCrossEntropy(onehot, tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2)),
        true,
        vars,
      );
      return loss.dataSync()[0];
    });
  const fresh = make();
  const first = step(fresh);
  fresh.forEach((v) => v.dispose());
  const vars = make();
  results.W3 = { ms: measure(() => step(vars), { batches: 5 }), check: [first] };
});

for (const n of W4.sizes) {
  workload(`W4 ${n}`, () => {
    const a = tf.tensor2d(W4.a(n), [n, n]);
    const b = tf.tensor2d(W4.b(n), [n, n]);
    const c = tf.tidy(() => tf.matMul(a, b).dataSync());
    const got = W4.pick(c, n);
    check(`W4 ${n}`, got, W4.entries(n, a.dataSync(), b.dataSync()), 1e-4);
    const ms = measure(() => tf.tidy(() => tf.matMul(a, b).dataSync()), { warmupMs: 200, minBatchMs: 0, batches: 5 });
    results[`W4 ${n}`] = { ms, gflops: W4.flops(n) / ms / 1e6, check: got };
  });
}

workload('W5', () => {
  const w = tf.tensor2d(W5.w(), [W5.n, W5.n]);
  const x = tf.tensor1d(W5.x());
  // NOTE: TF.js cannot take the second derivative of tanh; tanh = sinh / cosh can be
  const f = (v) => {
    const z = w.matMul(v.reshape([W5.n, 1]));
    return tf.sinh(z).div(tf.cosh(z)).sum();
  };
  const g = tf.grad(f);
  const run = () =>
    tf.tidy(() => {
      const rows = [];
      for (let i = 0; i < W5.n; i++) rows.push(tf.grad((v) => g(v).gather([i]).sum())(x));
      return tf.stack(rows).dataSync();
    });
  const h = run();
  const got = W5.pick(h);
  check('W5', got, W5.reference(w.dataSync(), x.dataSync()), 1e-4);
  results.W5 = { ms: measure(run, { batches: 5 }), check: got };
});

workload('W6', () => {
  const { xs, labels } = W6.points();
  const x = tf.tensor2d(xs, [400, 2]);
  const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
  const train = () => {
    const sizes = [2, W6.hidden, W6.hidden, 2];
    const vars = [];
    for (let i = 0; i < 3; i++)
      vars.push(
        tf.variable(tf.tensor2d(W6.weights(i, sizes[i], sizes[i + 1]), [sizes[i], sizes[i + 1]])),
        tf.variable(tf.zeros([sizes[i + 1]])),
      );
    const opt = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    let first = 0;
    for (let s = 0; s < W6.steps; s++) {
      const l = tf.tidy(() => {
        const loss = opt.minimize(
          () => {
            let h = x;
            for (let i = 0; i < 3; i++) {
              h = h.matMul(vars[2 * i]).add(vars[2 * i + 1]);
              if (i < 2) h = tf.tanh(h);
            }
            return tf.losses.softmaxCrossEntropy(onehot, h);
          },
          true,
          vars,
        );
        return loss.dataSync()[0];
      });
      if (s === 0) first = l;
    }
    vars.forEach((v) => v.dispose());
    opt.dispose();
    return first;
  };
  const first = train();
  results.W6 = { ms: measure(train, { warmupMs: 0, minBatchMs: 0, batches: 3 }), check: [first] };
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
  const x = tf.tensor4d(W7.x(), [batch, size, size, 1]);
  const onehot = tf.oneHot(tf.tensor1d(W7.labels(), 'int32'), classes);
  // NOTE: the wasm backend has no Conv2DBackpropFilter kernel, so tf.conv2d cannot be trained there;
  // its users write the convolution as im2col: k² shifted slices of the padded input, concatenated
  // along the channels ((i, j, c) order, as the HWIO filter reshaped to [k·k·c, out]), and one matMul
  const conv =
    backend === 'wasm'
      ? (h, w) => {
          const p = padding === 'same' ? (k - 1) >> 1 : 0;
          const padded =
            padding === 'same'
              ? tf.pad(h, [
                  [0, 0],
                  [p, k - 1 - p],
                  [p, k - 1 - p],
                  [0, 0],
                ])
              : h;
          const [n, paddedRows, paddedCols, c] = padded.shape;
          const rows = paddedRows - k + 1;
          const cols = paddedCols - k + 1;
          const slices = [];
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) slices.push(tf.slice(padded, [0, i, j, 0], [n, rows, cols, c]));
          const patches = tf.concat(slices, 3).reshape([n * rows * cols, k * k * c]);
          return patches.matMul(w.reshape([k * k * c, w.shape[3]])).reshape([n, rows, cols, w.shape[3]]);
        }
      : (h, w) => tf.conv2d(h, w, 1, padding);
  const make = () => [
    tf.variable(tf.tensor4d(W7.w1(), [k, k, 1, f1])),
    tf.variable(tf.zeros([f1])),
    tf.variable(tf.tensor4d(W7.w2(), [k, k, f1, f2])),
    tf.variable(tf.zeros([f2])),
    tf.variable(tf.tensor2d(W7.w3(), [flat, classes])),
    tf.variable(tf.zeros([classes])),
  ];
  const opt = tf.train.sgd(W7.lr);
  const step = (vars) =>
    tf.tidy(() => {
      const [w1, b1, w2, b2, w3, b3] = vars;
      const loss = opt.minimize(
        () => {
          let h = tf.maxPool(tf.relu(conv(x, w1).add(b1)), 2, 2, 'valid');
          h = tf.maxPool(tf.relu(conv(h, w2).add(b2)), 2, 2, 'valid');
          return tf.losses.softmaxCrossEntropy(onehot, h.reshape([batch, flat]).matMul(w3).add(b3));
        },
        true,
        vars,
      );
      return loss.dataSync()[0];
    });
  const fresh = make();
  const first = step(fresh);
  fresh.forEach((v) => v.dispose());
  const vars = make();
  results.W7 = { ms: measure(() => step(vars), { batches: 5 }), check: [first] };
});

// L1–L4 are float64 linear algebra. TF.js 4.22 has neither: its dtypes stop at float32, and
// tf.linalg offers only bandPart, gramSchmidt and qr (no cholesky, solve, triangular solve or svd;
// tensorflow/tfjs#1516, #467, #110). The rows say so, on both backends.
const noLinalg = (what) => () => {
  throw new Error(`TF.js has no float64 and no ${what} (tf.linalg: bandPart, gramSchmidt, qr)`);
};
workload('L1 cholesky 256', noLinalg('cholesky'));
workload('L2 solve 256', noLinalg('solve'));
workload('L3 svd 256', noLinalg('svd'));
workload('L4 GP likelihood gradient n=500', noLinalg('cholesky or triangular solve'));

print();
