// tapegrad on every workload. Prints one JSON line: { workload: { ms, check } }.
import * as tg from '../../dist/index.mjs';
import { measure, reporter } from '../lib/timing.mjs';
import { W1, W2, W3, W4, W5, W6, check } from '../lib/workloads.mjs';

const { results, workload: run, print } = reporter();
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
  results.W1 = { ms: measure(run), check: run() };
});

workload('W2', () => {
  const x = tg.tensor(W2.x());
  const run = () => {
    const tape = new tg.GradientTape();
    tape.watch(x);
    let h = x;
    for (let i = 0; i < W2.ops; i++) {
      const op = W2.step(i);
      h = op === 'mul' ? h.mul(1.01) : op === 'add' ? h.add(0.1) : tg.sin(h);
    }
    return tape.gradient(tg.sum(h), x);
  };
  const g = run().dataSync();
  check('W2', Array.from(g.slice(0, 5)), W2.reference(x.dataSync()).slice(0, 5), 1e-4, true);
  results.W2 = { ms: measure(run), check: Array.from(g.slice(0, 3)) };
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
  const first = step(make());
  const vars = make();
  results.W3 = { ms: measure(() => step(vars), { batches: 5 }), check: [first] };
});

for (const n of W4.sizes) {
  workload(`W4 ${n}`, () => {
    const a = tg.tensor(W4.a(n), [n, n]);
    const b = tg.tensor(W4.b(n), [n, n]);
    const c = tg.matmul(a, b);
    const got = W4.pick(c.dataSync(), n);
    check(`W4 ${n}`, got, W4.entries(n, a.dataSync(), b.dataSync()), 1e-4);
    const ms = measure(() => tg.matmul(a, b), { warmupMs: 200, minBatchMs: 0, batches: 5 });
    results[rowName(`W4 ${n}`)] = { ms, gflops: W4.flops(n) / ms / 1e6, check: got };
  });
}

workload('W5', () => {
  const w = tg.tensor(W5.w(), [W5.n, W5.n]);
  const x = tg.tensor(W5.x(), [W5.n]);
  const run = () => {
    const outer = new tg.GradientTape();
    outer.watch(x);
    const inner = new tg.GradientTape();
    inner.watch(x);
    const y = tg.sum(tg.tanh(tg.matmul(w, x.reshape([W5.n, 1]))));
    const g = inner.gradient(y, x);
    const h = outer.jacobian(g, x);
    outer.dispose();
    return h;
  };
  const h = run().dataSync();
  const got = W5.pick(h);
  check('W5', got, W5.reference(w.dataSync(), x.dataSync()), 1e-4);
  results.W5 = { ms: measure(run, { batches: 5 }), check: got };
});

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
    let first;
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
      if (s === 0) first = loss.item();
    }
    return first;
  };
  // the first step's loss depends only on the shared initial weights; later ones drift apart
  // between libraries, as 300 Adam steps amplify last-bit differences
  const first = train();
  results.W6 = { ms: measure(train, { warmupMs: 0, minBatchMs: 0, batches: 3 }), check: [first] };
});

print();
