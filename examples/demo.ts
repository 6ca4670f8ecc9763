// npm run demo: train a small classifier on two interleaved spirals with GradientTape and Adam,
// report the accuracy, and write the loss curve as an SVG.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tg from 'tapegrad';
import { spirals } from './spirals';
import { lossCurveSvg, progress } from './report';

const STEPS = 1500;
const HIDDEN = 48;

/** Glorot-normal weights and zero biases, seeded. */
function dense(inputs: number, outputs: number, seed: number): [tg.Variable, tg.Variable] {
  const stddev = Math.sqrt(2 / (inputs + outputs));
  return [
    new tg.Variable(tg.randomNormal([inputs, outputs], { stddev, seed }), { name: `w${seed}` }),
    new tg.Variable(tg.zeros([outputs]), { name: `b${seed}` }),
  ];
}

const { x, labels } = spirals(200, 7);
const layers = [dense(2, HIDDEN, 1), dense(HIDDEN, HIDDEN, 2), dense(HIDDEN, 2, 3)];
const variables = layers.flat();

/** Logits of the 2 → 48 → 48 → 2 tanh network. */
function model(input: tg.Tensor): tg.Tensor {
  return layers.reduce((h, [w, b], i) => {
    const z = tg.matmul(h, w).add(b);
    return i < layers.length - 1 ? tg.tanh(z) : z;
  }, input);
}

const optimizer = new tg.Adam({ learningRate: 0.01 });
const report = progress(STEPS, 150);
const losses: number[] = [];
const started = Date.now();

console.log(
  `Training a ${2}-${HIDDEN}-${HIDDEN}-2 network on ${labels.size} points of two spirals (Adam, ${STEPS} full-batch steps)`,
);
for (let step = 0; step < STEPS; step++) {
  using tape = new tg.GradientTape();
  const loss = tg.losses.sparseCategoricalCrossentropy(labels, model(x), { fromLogits: true });
  const grads = tape.gradient(loss, variables);
  optimizer.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
  losses.push(loss.item());
  report(step, loss.item());
}

const predicted = tg.argMax(model(x), 1);
const accuracy = tg.mean(tg.cast(tg.equal(predicted, labels), 'float32')).item();
const seconds = (Date.now() - started) / 1000;
console.log(
  `Final loss ${losses[losses.length - 1].toFixed(4)}, accuracy ${(100 * accuracy).toFixed(1)}% in ${seconds.toFixed(1)} s`,
);

const out = path.resolve(__dirname, 'loss-curve.svg');
fs.writeFileSync(out, lossCurveSvg(losses));
console.log(`Loss curve written to ${path.relative(process.cwd(), out)}`);
if (accuracy <= 0.95) {
  console.error('Accuracy is not above 95%: something is wrong.');
  process.exitCode = 1;
}
