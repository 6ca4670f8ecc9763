// The two programs the real-browser tests run with each build of the library: in Node (the built
// CommonJS file, in the Jest process) and in Chromium (sent as source text, `inPage`). Each takes
// the library as its argument and uses nothing else from this module, so that its source text runs
// as it is in a page. Sizes are chosen so that the WebAssembly kernels run where they can: sin and
// cos on 32 elements (16 or more), and matmuls of 64x32x8 = 16384 multiply-adds (their threshold).
import type * as Tapegrad from '../../src/index';

/** The library's namespace, as `import * as tg from 'tapegrad'` or the global `tapegrad` gives it. */
export type Tg = typeof Tapegrad;

/** Results of `secondDerivatives`. */
export interface SecondDerivatives {
  /** d²/dx² x³ at x = 2. */
  readonly cube: number;
  /** The points where sin(x)·x is differentiated twice. */
  readonly xs: number[];
  /** d²/dx² sin(x)·x at each of `xs` (elementwise: the diagonal of the Hessian of the sum). */
  readonly sinTimesX: number[];
}

/**
 * Second derivatives by two nested GradientTapes, as in TF: the inner tape's gradient is computed
 * while the outer one records.
 * @example
 * secondDerivatives(tg).cube; // 12
 */
export function secondDerivatives(tg: Tg): SecondDerivatives {
  const twice = (f: (x: Tapegrad.Variable) => Tapegrad.Tensor, at: Tapegrad.Variable): Tapegrad.Tensor => {
    const outer = new tg.GradientTape();
    const inner = new tg.GradientTape();
    const y = f(at);
    inner.dispose();
    const dy = inner.gradient(y, at);
    outer.dispose();
    const d2y = dy === null ? null : outer.gradient(dy, at);
    if (d2y === null) throw new Error('secondDerivatives: a gradient was null');
    return d2y;
  };
  const cube = twice((x) => x.mul(x).mul(x), new tg.Variable(2)).item();
  const x = new tg.Variable(tg.linspace(-3, 3, 32));
  const sinTimesX = twice((v) => tg.sum(tg.sin(v).mul(v)), x);
  return { cube, xs: Array.from(x.value().dataSync()), sinTimesX: Array.from(sinTimesX.dataSync()) };
}

/** Results of `adamTraining`. */
export interface AdamTraining {
  /** The mean squared error before each of the 20 steps. */
  readonly losses: number[];
  /** The weights [32, 8] (flat) and bias [8] after the 20 steps. */
  readonly w: number[];
  readonly b: number[];
  readonly iterations: number;
}

/** The training data of `adamTraining`, exact in float32: X [64, 32] and the true weights [32, 8]. */
export function adamData(): { x: number[]; wTrue: number[]; bTrue: number } {
  const x: number[] = [];
  for (let i = 0; i < 64; i++) for (let j = 0; j < 32; j++) x.push(((i * 7 + j * 13) % 17) / 8 - 1);
  const wTrue: number[] = [];
  for (let j = 0; j < 32; j++) for (let k = 0; k < 8; k++) wTrue.push(((j * 5 + k * 3) % 11) / 10 - 0.5);
  return { x, wTrue, bTrue: 0.25 };
}

/**
 * 20 steps of tg's Adam (learning rate 0.05) fitting a linear model y = x·w + b to data made by
 * true weights, from zeros, with the mean squared error. `data` is `adamData()`'s result.
 * @example
 * adamTraining(tg, adamData()).losses.length; // 20
 */
export function adamTraining(tg: Tg, data: { x: number[]; wTrue: number[]; bTrue: number }): AdamTraining {
  const x = tg.tensor(data.x, [64, 32]);
  const y = tg.matmul(x, tg.tensor(data.wTrue, [32, 8])).add(data.bTrue);
  const w = new tg.Variable(tg.zeros([32, 8]), { name: 'w' });
  const b = new tg.Variable(tg.zeros([8]), { name: 'b' });
  const adam = new tg.Adam({ learningRate: 0.05 });
  const losses: number[] = [];
  for (let step = 0; step < 20; step++) {
    const tape = new tg.GradientTape();
    const loss = tg.losses.meanSquaredError(y, tg.matmul(x, w).add(b));
    tape.dispose();
    const [gw, gb] = tape.gradient(loss, [w, b]);
    adam.applyGradients([
      [gw, w],
      [gb, b],
    ]);
    losses.push(loss.item());
  }
  return {
    losses,
    w: Array.from(w.value().dataSync()),
    b: Array.from(b.value().dataSync()),
    iterations: adam.iterations,
  };
}

/** What `tg.backendInfo()` says, read in the page. */
export function backendInfoOf(tg: Tg): Tapegrad.BackendInfo {
  return tg.backendInfo();
}

/**
 * The source text of an expression that calls `program` on the page's global `tapegrad` (set by the
 * IIFE bundle, or by the ESM test page) with `args` (JSON), for `page.evaluate`.
 * @example
 * await page.evaluate(inPage(secondDerivatives)); // { cube: 12, ... }
 */
export function inPage(program: (tg: Tg, ...args: never[]) => unknown, ...args: unknown[]): string {
  const json = args.map((a) => JSON.stringify(a)).join(', ');
  return `(${program.toString()})(globalThis.tapegrad${json === '' ? '' : `, ${json}`})`;
}
