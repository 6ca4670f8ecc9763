// npm run demo:mnist's code, fast, against the built package: examples/mnist.ts's `main` on 640 real digits for
// 2 epochs learns far above chance, its checkpoint restores into a fresh model with the same predictions, and it
// writes both SVGs; the held-out split is the one the demo promises. (The full run: `npm run demo:mnist`.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as TapegradModule from '../src/index';

// examples/mnist.ts imports 'tapegrad', the package itself, as a user does: here that is the build in dist/
jest.mock('tapegrad', () => jest.requireActual('../dist/index.cjs'), { virtual: true });
const tg = require('../dist/index.cjs') as typeof TapegradModule;

/** What the test uses of examples/mnist.ts (typed here, so that the typecheck does not need dist/). */
interface Digits {
  images: TapegradModule.Tensor;
  labels: TapegradModule.Tensor;
}
interface MnistDemo {
  main(options: {
    trainSize?: number;
    testSize?: number;
    epochs?: number;
    batchSize?: number;
    outDir?: string;
    log?: (line: string) => void;
  }): {
    accuracy: number;
    restoredAccuracy: number;
    identical: boolean;
    predictions: Int32Array;
    losses: number[];
    checkpointFile: string;
    lossCurveFile: string;
    digitsFile: string;
  };
  loadDigits(options?: { trainSize?: number; testSize?: number; seed?: number }): { train: Digits; test: Digits };
  buildModel(seed?: number): TapegradModule.Sequential;
  predict(model: TapegradModule.Sequential, images: TapegradModule.Tensor): Int32Array;
}
const demo = require('../examples/mnist') as MnistDemo;

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-mnist-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

test('the held-out split: every fifth digit of each class, 1996 of the 10,000', () => {
  const { train, test } = demo.loadDigits();
  // the mnist package holds 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 digits of 0 … 9;
  // indices 4, 9, 14 … of each are held out: floor(length / 5) of them
  const heldOut = [200, 225, 198, 206, 196, 172, 202, 214, 188, 195]; // sum 1996
  const counts = new Array<number>(10).fill(0);
  for (const label of test.labels.dataSync()) counts[label]++;
  expect(counts).toEqual(heldOut);
  expect(test.images.shape).toEqual([1996, 28, 28, 1]);
  expect(train.images.shape).toEqual([10000 - 1996, 28, 28, 1]);
  expect(train.labels.dtype).toBe('int32');
  // pixels in [0, 1], ink on white
  expect(tg.min(train.images).item()).toBe(0);
  expect(tg.max(train.images).item()).toBe(1);
});

test('the demo trains a CNN on real digits, restores its checkpoint exactly, and draws both SVGs', () => {
  const lines: string[] = [];
  const r = demo.main({ trainSize: 640, testSize: 300, epochs: 2, batchSize: 32, outDir, log: (l) => lines.push(l) });

  // it learns: 10 classes, so chance is 10%; the loss starts near ln 10 = 2.30 (near-uniform logits) and falls
  expect(r.accuracy).toBeGreaterThan(0.6);
  expect(r.losses).toHaveLength(2 * (640 / 32));
  expect(r.losses[0]).toBeGreaterThan(2);
  expect(r.losses[0]).toBeLessThan(2.6);
  const lastEpoch = r.losses.slice(20);
  expect(lastEpoch.reduce((a, b) => a + b, 0) / lastEpoch.length).toBeLessThan(r.losses[0] / 2);

  // the restored model predicts every test digit as the trained one
  expect(r.identical).toBe(true);
  expect(r.restoredAccuracy).toBe(r.accuracy);
  expect(r.predictions).toHaveLength(300);

  // the checkpoint file holds the model, Adam's two slots of each weight, and the 40 steps taken
  const bytes = fs.readFileSync(r.checkpointFile);
  const { tensors } = tg.io.decodeSafetensors(bytes);
  expect(tensors['optimizer/iterations'].item()).toBe(40);
  expect(tensors['model/layers/0/kernel'].shape).toEqual([5, 5, 1, 16]);
  expect(tensors['model/layers/5/kernel'].shape).toEqual([4 * 4 * 32, 10]); // 28 → 24 → 12 → 8 → 4
  expect(Object.keys(tensors)).toHaveLength(3 * 6 + 1); // 6 weights, their m and v, iterations

  // restored here into another fresh model: the same predictions
  const model = demo.buildModel(7);
  const before = demo.predict(model, demo.loadDigits({ testSize: 300 }).test.images);
  new tg.Checkpoint({ model, optimizer: new tg.Adam() }).restore(bytes);
  const after = demo.predict(model, demo.loadDigits({ testSize: 300 }).test.images);
  expect(Array.from(after)).toEqual(Array.from(r.predictions));
  expect(Array.from(before)).not.toEqual(Array.from(r.predictions));

  // plain progress lines off a terminal: steps 7, 14 and 20 of each epoch, with the running loss and accuracy
  const progress = lines.filter((l) => / step \d+\/20 /.test(l));
  expect(progress.map((l) => /epoch \d\/2 step \d+/.exec(l)![0])).toEqual([
    'epoch 1/2 step 7',
    'epoch 1/2 step 14',
    'epoch 1/2 step 20',
    'epoch 2/2 step 7',
    'epoch 2/2 step 14',
    'epoch 2/2 step 20',
  ]);
  expect(progress.every((l) => /loss \d\.\d{4} {2}accuracy \d+\.\d\d%$/.test(l))).toBe(true);
  expect(lines.join('\n')).toContain(`Test accuracy ${(100 * r.accuracy).toFixed(2)}% on 300 held-out digits`);

  // the loss curve: one point per step; the grid: 60 digits, then the mistakes (at most 20), framed in red
  const curve = fs.readFileSync(r.lossCurveFile, 'utf8');
  expect(curve.startsWith('<svg')).toBe(true);
  expect(/ d="([^"]*)" fill="none" stroke="#9ec5fe"/.exec(curve)![1].split('L')).toHaveLength(40);
  const grid = fs.readFileSync(r.digitsFile, 'utf8');
  const mistakes = Math.round(300 * (1 - r.accuracy));
  expect(grid.match(/<g transform=/g)).toHaveLength(60 + Math.min(20, mistakes));
  expect(grid).toContain(`Mistakes: ${Math.min(20, mistakes)} of the ${mistakes}`);
}, 60_000);
