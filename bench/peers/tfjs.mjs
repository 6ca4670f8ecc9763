// TensorFlow.js on every workload, backend 'cpu' or 'wasm' (argv[2]), each in the variants of
// ./tfjs-idioms.mjs (inside or outside tf.tidy; TF.js's matmul gradient or explicit transposes;
// tf.conv2d or im2col): the runner keeps each row's fastest variant whose answers are right and
// that leaks no tensor. Prints one JSON line (see lib/timing.mjs's reporter).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { measure, reporter, screen, trainingCheck } from '../lib/timing.mjs';
import { W1, W2, W3, W4, W5, W6, W7, W8, check } from '../lib/workloads.mjs';
import { idioms, variants } from './tfjs-idioms.mjs';
import { transformerStep } from './w8/tfjs.mjs';

const backend = process.argv[2] ?? 'cpu';
await tf.setBackend(backend);
await tf.ready();
const { workload, unsupported, print } = reporter();

const SCOPES = ['outside tidy', 'tidy'];
// the likelier winner first: the runner screens out a variant whose first call is far slower
const MATMUL_GRADIENTS = backend === 'wasm' ? ['explicit transposes', ''] : ['', 'explicit transposes'];
const TRAINING = variants(SCOPES, MATMUL_GRADIENTS);

workload(
  'W1',
  (variant) => {
    const { scoped, noLeak } = idioms(tf, variant);
    const x = tf.scalar(W1.x);
    const y = tf.scalar(W1.y);
    const vg = tf.valueAndGrads((a, b) => a.mul(a).mul(b).add(b).add(2));
    const run = () =>
      scoped(
        () => {
          const { value, grads } = vg([x, y]);
          return [value, ...grads];
        },
        (made) => made.map((t) => t.dataSync()[0]),
      );
    check('W1', run(), W1.expected, 0);
    return { ms: noLeak(() => measure(run)), check: run() };
  },
  SCOPES,
);

workload(
  'W2',
  (variant) => {
    const { scoped, noLeak } = idioms(tf, variant);
    const x = tf.tensor1d(W2.x());
    const g = tf.grad((v) => {
      let h = v;
      for (let i = 0; i < W2.ops; i++) {
        const op = W2.step(i);
        h = op === 'mul' ? h.mul(1.01) : op === 'add' ? h.add(0.1) : tf.sin(h);
      }
      return h.sum();
    });
    const run = () =>
      scoped(
        () => g(x),
        (t) => t.dataSync(),
      );
    const got = run();
    check('W2', Array.from(got.slice(0, 5)), W2.reference(x.dataSync()).slice(0, 5), 1e-4, true);
    return { ms: noLeak(() => measure(run)), check: Array.from(got.slice(0, 3)) };
  },
  SCOPES,
);

workload(
  'W3',
  (variant) => {
    const { scoped, matMul, matMulData, noLeak } = idioms(tf, variant);
    const [inputs, hidden, classes] = W3.sizes;
    const x = tf.tensor2d(W3.x(), [W3.batch, inputs]);
    const onehot = tf.oneHot(tf.tensor1d(W3.labels(), 'int32'), classes);
    const vars = [
      tf.variable(tf.tensor2d(W3.w1(), [inputs, hidden])),
      tf.variable(tf.zeros([hidden])),
      tf.variable(tf.tensor2d(W3.w2(), [hidden, classes])),
      tf.variable(tf.zeros([classes])),
    ];
    const [w1, b1, w2, b2] = vars;
    const opt = tf.train.sgd(W3.lr);
    const step = () =>
      scoped(
        () =>
          opt.minimize(
            () => tf.losses.softmaxCrossEntropy(onehot, matMul(tf.relu(matMulData(x, w1).add(b1)), w2).add(b2)),
            true,
            vars,
          ),
        (loss) => loss.dataSync()[0],
      );
    const got = trainingCheck(step, W3.checkSteps);
    return { ms: noLeak(() => measure(step, { batches: 5 })), check: got };
  },
  TRAINING,
);

for (const n of W4.sizes)
  workload(
    `W4 ${n}`,
    (variant) => {
      const { scoped, noLeak } = idioms(tf, variant);
      const a = tf.tensor2d(W4.a(n), [n, n]);
      const b = tf.tensor2d(W4.b(n), [n, n]);
      const run = () =>
        scoped(
          () => tf.matMul(a, b),
          (c) => c.dataSync(),
        );
      const got = W4.pick(run(), n);
      check(`W4 ${n}`, got, W4.entries(n, a.dataSync(), b.dataSync()), 1e-4);
      const ms = noLeak(() => measure(run, { warmupMs: 200, minBatchMs: 0, batches: 5 }));
      return { ms, gflops: W4.flops(n) / ms / 1e6, check: got };
    },
    SCOPES,
  );

// TF.js has neither a persistent tape nor a jacobian: its Hessian is 64 gradients of the gradient's
// entries, the one form it has, compared with each of tapegrad's three. Row i takes entry i by
// tf.slice (tf.gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks), and tanh
// is sinh/cosh (TF.js cannot take tanh's second derivative).
workload(
  'W5',
  (variant) => {
    const { scoped, noLeak } = idioms(tf, variant);
    const w = tf.tensor2d(W5.w(), [W5.n, W5.n]);
    const x = tf.tensor1d(W5.x());
    const f = (v) => {
      const z = w.matMul(v.reshape([W5.n, 1]));
      return tf.sinh(z).div(tf.cosh(z)).sum();
    };
    const g = tf.grad(f);
    const rowGrads = Array.from({ length: W5.n }, (_, i) => tf.grad((v) => g(v).slice(i, 1).sum()));
    const run = () =>
      scoped(
        () => {
          const rows = rowGrads.map((r) => r(x));
          return [tf.stack(rows), ...rows];
        },
        ([h]) => h.dataSync(),
      );
    const got = W5.pick(run());
    check('W5', got, W5.reference(w.dataSync(), x.dataSync()), 1e-4);
    return { ms: noLeak(() => measure(run, { batches: 5 })), check: got };
  },
  SCOPES,
);

// tf.train.adam (ε beside the bias-corrected √v̂, Keras's beside √v) agrees with Keras's Adam on
// W6's check (the first update) to 3e-4
workload(
  'W6',
  (variant) => {
    const { scoped, matMul, matMulData, noLeak } = idioms(tf, variant);
    const { xs, labels } = W6.points();
    const x = tf.tensor2d(xs, [400, 2]);
    const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    const train = () => {
      const sizes = [2, W6.hidden, W6.hidden, 2];
      // in tidy: a tf.variable keeps its initial tensor alive (and counted) until that is disposed
      const vars = tf.tidy(() =>
        [0, 1, 2].flatMap((i) => [
          tf.variable(tf.tensor2d(W6.weights(i, sizes[i], sizes[i + 1]), [sizes[i], sizes[i + 1]])),
          tf.variable(tf.zeros([sizes[i + 1]])),
        ]),
      );
      const opt = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
      const losses = [];
      for (let s = 0; s < W6.steps; s++) {
        const l = scoped(
          () =>
            opt.minimize(
              () => {
                let h = x;
                for (let i = 0; i < 3; i++) {
                  h = (i === 0 ? matMulData : matMul)(h, vars[2 * i]).add(vars[2 * i + 1]);
                  if (i < 2) h = tf.tanh(h);
                }
                return tf.losses.softmaxCrossEntropy(onehot, h);
              },
              true,
              vars,
            ),
          (loss) => loss.dataSync()[0],
        );
        if (s < W6.checkSteps) losses.push(l);
      }
      vars.forEach((v) => v.dispose());
      opt.dispose();
      return W6.check(losses);
    };
    const got = screen(train);
    return { ms: noLeak(() => measure(train, { warmupMs: 0, minBatchMs: 0, batches: 3 })), check: got };
  },
  TRAINING,
);

// W7's convolutions as im2col: k² shifted slices of the padded input concatenated along the
// channels ((i, j, c) order, as the HWIO filter reshaped to [k·k·c, out]) and one matMul; or, on
// cpu, as tf.conv2d, in one variant only: its gradient takes 9–20 s a step here, against which the
// scope and the one matMul (the 64×512×10 dense layer) do not count. The wasm backend has no
// Conv2DBackpropFilter kernel, so tf.conv2d cannot be trained there.
const CONVS = backend === 'wasm' ? [] : ['tidy, conv2d'];
workload(
  'W7',
  (variant) => {
    const { scoped, matMul, matMulData, noLeak } = idioms(tf, variant);
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
    const im2col = (h, w, product) => {
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
      return product(patches, w.reshape([k * k * c, w.shape[3]])).reshape([n, rows, cols, w.shape[3]]);
    };
    // the first convolution's patches are data: no gradient is wanted for them
    const conv = variant.includes('conv2d')
      ? (h, w) => tf.conv2d(h, w, 1, padding)
      : (h, w, first) => im2col(h, w, first ? matMulData : matMul);
    const vars = [
      tf.variable(tf.tensor4d(W7.w1(), [k, k, 1, f1])),
      tf.variable(tf.zeros([f1])),
      tf.variable(tf.tensor4d(W7.w2(), [k, k, f1, f2])),
      tf.variable(tf.zeros([f2])),
      tf.variable(tf.tensor2d(W7.w3(), [flat, classes])),
      tf.variable(tf.zeros([classes])),
    ];
    const [w1, b1, w2, b2, w3, b3] = vars;
    const opt = tf.train.sgd(W7.lr);
    const step = () =>
      scoped(
        () =>
          opt.minimize(
            () => {
              let h = tf.maxPool(tf.relu(conv(x, w1, true).add(b1)), 2, 2, 'valid');
              h = tf.maxPool(tf.relu(conv(h, w2, false).add(b2)), 2, 2, 'valid');
              return tf.losses.softmaxCrossEntropy(onehot, matMul(h.reshape([batch, flat]), w3).add(b3));
            },
            true,
            vars,
          ),
        (loss) => loss.dataSync()[0],
      );
    const got = trainingCheck(step, W7.checkSteps);
    return { ms: noLeak(() => measure(step, { batches: 5 })), check: got };
  },
  [...variants(SCOPES, MATMUL_GRADIENTS, ['im2col']), ...CONVS],
);

workload(
  'W8',
  (variant) => {
    const chosen = idioms(tf, variant);
    const { step, dispose } = transformerStep(tf, chosen);
    const got = trainingCheck(step, W8.steps);
    const ms = chosen.noLeak(() => measure(step, { batches: 5 }));
    dispose();
    return { ms, check: got };
  },
  TRAINING,
);

// L1–L4 are float64 linear algebra. TF.js 4.22 has neither: its dtypes stop at float32, and
// tf.linalg offers only bandPart, gramSchmidt and qr (no cholesky, solve, triangular solve or svd;
// tensorflow/tfjs#1516, #467, #110). The rows say so, on both backends.
const noLinalg = (what) => `TF.js has no float64 and no ${what} (tf.linalg: bandPart, gramSchmidt, qr)`;
unsupported('L1 cholesky 256', noLinalg('cholesky'));
unsupported('L2 solve 256', noLinalg('solve'));
unsupported('L3 svd 256', noLinalg('svd'));
unsupported('L4 GP likelihood gradient n=500', noLinalg('cholesky or triangular solve'));

print();
