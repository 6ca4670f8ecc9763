// The built library in real headless Chromium: the IIFE bundle (<script src>) and the ESM build
// (<script type=module>) each compute nested second derivatives and a short Adam training, with
// the WebAssembly SIMD kernels and with WebAssembly removed before the library loads (the
// TypeScript fallback), and on a cross-origin isolated page. The numbers are checked against the
// math (closed forms, and Adam written out in float64 here), against the same programs run in Node
// on the built CommonJS file, and the two kernel paths against each other. Needs `npm run build`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Chromium, PageLog } from './chromium';
import { launchChromium, watchPage } from './chromium';
import type { AdamTraining, SecondDerivatives, Tg } from './programs';
import { adamData, adamTraining, backendInfoOf, inPage, secondDerivatives } from './programs';
import type { StaticServer } from './static_server';
import { ISOLATED_PREFIX, startStaticServer } from './static_server';
import type { BackendInfo } from '../../src/index';

jest.setTimeout(30_000);

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
/** The test page of each build, and the one file of the library it loads. */
const builds = {
  iife: { page: 'iife.html', file: 'tapegrad.min.js' },
  esm: { page: 'esm.html', file: 'index.mjs' },
} as const;
type Build = keyof typeof builds;

/** What one page load computed. */
interface PageRun {
  readonly info: BackendInfo;
  readonly second: SecondDerivatives;
  readonly adam: AdamTraining;
  readonly crossOriginIsolated: boolean;
  readonly log: PageLog;
}

let browser: Chromium | undefined;
let server: StaticServer | undefined;
let node: { second: SecondDerivatives; adam: AdamTraining };

beforeAll(async () => {
  for (const { file } of Object.values(builds)) {
    if (!fs.existsSync(path.join(dist, file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first.`);
  }
  // the independent run: the same programs on the built CommonJS file, in this Node process
  const nodeTg = require(path.join(dist, 'index.cjs')) as Tg;
  node = { second: secondDerivatives(nodeTg), adam: adamTraining(nodeTg, adamData()) };
  server = await startStaticServer({ '/dist/': dist, '/pages/': path.join(__dirname, 'pages') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const runs = new Map<string, Promise<PageRun>>();

/** Loads `build`'s page (once per combination) and runs the programs in it. */
function runPage(build: Build, wasm: boolean, isolated = false): Promise<PageRun> {
  const key = `${build} ${wasm} ${isolated}`;
  if (!runs.has(key)) runs.set(key, load(build, wasm, isolated));
  return runs.get(key)!;
}

async function load(build: Build, wasm: boolean, isolated: boolean): Promise<PageRun> {
  const page = await browser!.context.newPage();
  try {
    const log = watchPage(page, server!.origin);
    if (!wasm) await page.addInitScript({ content: 'delete globalThis.WebAssembly;' });
    await page.goto(`${server!.origin}${isolated ? ISOLATED_PREFIX : ''}/pages/${builds[build].page}`);
    if (!(await page.evaluate('typeof globalThis.tapegrad === "object"'))) {
      throw new Error(`the ${build} build did not load: ${JSON.stringify(log)}`);
    }
    return {
      info: (await page.evaluate(inPage(backendInfoOf))) as BackendInfo,
      second: (await page.evaluate(inPage(secondDerivatives))) as SecondDerivatives,
      adam: (await page.evaluate(inPage(adamTraining, adamData()))) as AdamTraining,
      crossOriginIsolated: (await page.evaluate('globalThis.crossOriginIsolated')) as boolean,
      log,
    };
  } finally {
    await page.close();
  }
}

/** The largest |a[i] - b[i]| / max(1, |b[i]|); Infinity when the lengths differ. */
function maxRelDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / Math.max(1, Math.abs(b[i]))), 0);
}

/** Every number of a run's results, in one list, to compare runs. */
const numbers = (r: { second: SecondDerivatives; adam: AdamTraining }): number[] => [
  r.second.cube,
  ...r.second.sinTimesX,
  ...r.adam.losses,
  ...r.adam.w,
  ...r.adam.b,
];

/** 20 steps of Keras's Adam (lr 0.05, β1 0.9, β2 0.999, ε 1e-7) on the same model, in float64. */
function adamInFloat64(): { losses: number[]; w: number[]; b: number[] } {
  const { x, wTrue, bTrue } = adamData();
  const [rows, features, outputs] = [64, 32, 8];
  const affine = (w: number[], b: number[]): number[] => {
    const out = new Array<number>(rows * outputs).fill(0);
    for (let i = 0; i < rows; i++)
      for (let k = 0; k < outputs; k++) {
        let s = b[k];
        for (let j = 0; j < features; j++) s += x[i * features + j] * w[j * outputs + k];
        out[i * outputs + k] = s;
      }
    return out;
  };
  const y = affine(wTrue, new Array<number>(outputs).fill(bTrue));
  const params = [new Array<number>(features * outputs).fill(0), new Array<number>(outputs).fill(0)];
  const m = params.map((p) => p.map(() => 0));
  const v = params.map((p) => p.map(() => 0));
  const losses: number[] = [];
  for (let t = 1; t <= 20; t++) {
    const pred = affine(params[0], params[1]);
    const residual = pred.map((p, i) => p - y[i]);
    losses.push(residual.reduce((s, r) => s + r * r, 0) / residual.length);
    const dPred = residual.map((r) => (2 * r) / residual.length);
    const grads = [params[0].map(() => 0), params[1].map(() => 0)];
    for (let i = 0; i < rows; i++)
      for (let k = 0; k < outputs; k++) {
        grads[1][k] += dPred[i * outputs + k];
        for (let j = 0; j < features; j++) grads[0][j * outputs + k] += x[i * features + j] * dPred[i * outputs + k];
      }
    const alpha = (0.05 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    params.forEach((p, n) =>
      p.forEach((_, i) => {
        const g = grads[n][i];
        m[n][i] += (g - m[n][i]) * (1 - 0.9);
        v[n][i] += (g * g - v[n][i]) * (1 - 0.999);
        p[i] -= (alpha * m[n][i]) / (Math.sqrt(v[n][i]) + 1e-7);
      }),
    );
  }
  return { losses, w: params[0], b: params[1] };
}

/** Checks a run's numbers against closed forms and against Adam in float64. */
function expectTheMath(r: { second: SecondDerivatives; adam: AdamTraining }): void {
  expect(r.second.cube).toBe(12); // d²/dx² x³ = 6x at x = 2, exact in float32
  const closedForm = r.second.xs.map((x) => 2 * Math.cos(x) - x * Math.sin(x));
  expect(maxRelDiff(r.second.sinTimesX, closedForm)).toBeLessThan(1e-5);
  const reference = adamInFloat64();
  expect(r.adam.iterations).toBe(20);
  expect(r.adam.losses[19]).toBeLessThan(r.adam.losses[0] / 5);
  expect(maxRelDiff(r.adam.losses, reference.losses)).toBeLessThan(1e-4);
  expect(maxRelDiff(r.adam.w, reference.w)).toBeLessThan(1e-4);
  expect(maxRelDiff(r.adam.b, reference.b)).toBeLessThan(1e-4);
}

/** A page that loaded only itself and the build's one file, with no error. */
function expectCleanLoad(r: PageRun, build: Build, prefix = ''): void {
  expect(r.log.consoleErrors).toEqual([]);
  expect(r.log.pageErrors).toEqual([]);
  expect(r.log.foreignRequests).toEqual([]);
  // the WebAssembly kernels are inlined in the build: no .wasm file (or anything else) is fetched
  expect(r.log.requests).toEqual([`${prefix}/pages/${builds[build].page}`, `${prefix}/dist/${builds[build].file}`]);
}

test('the programs give the math in Node, on the built CommonJS file', () => {
  expectTheMath(node);
});

describe.each(Object.keys(builds) as Build[])('the %s build in Chromium', (build) => {
  test('with WebAssembly SIMD: second derivatives and Adam give the math and the numbers of Node', async () => {
    const r = await runPage(build, true);
    expectCleanLoad(r, build);
    expect(r.info).toEqual({
      kernels: 'webassembly-simd',
      wasm: true,
      simd: true,
      threads: false,
      helperThread: 'unavailable',
    });
    expectTheMath(r);
    // the same WebAssembly kernels as in Node: the same float32 numbers, bit for bit
    expect(numbers(r)).toEqual(numbers(node));
  });

  test('with WebAssembly removed: the TypeScript fallback gives the same numbers', async () => {
    const [r, withWasm] = await Promise.all([runPage(build, false), runPage(build, true)]);
    expectCleanLoad(r, build);
    expect(r.info).toEqual({
      kernels: 'typescript',
      wasm: false,
      simd: false,
      threads: false,
      helperThread: 'unavailable',
    });
    expectTheMath(r);
    // sin and cos are bit for bit; matmul sums in another order (measured: at most 1.5e-7 apart)
    expect(maxRelDiff(numbers(r), numbers(withWasm))).toBeLessThan(1e-6);
    expect(maxRelDiff(numbers(r), numbers(node))).toBeLessThan(1e-6);
  });

  test('on a cross-origin isolated page (COOP/COEP): it runs, with the WebAssembly SIMD kernels', async () => {
    const [r, plain] = await Promise.all([runPage(build, true, true), runPage(build, true)]);
    expectCleanLoad(r, build, ISOLATED_PREFIX);
    expect(r.crossOriginIsolated).toBe(true);
    expect(plain.crossOriginIsolated).toBe(false);
    expect(r.info.kernels).toBe('webassembly-simd');
    expect(numbers(r)).toEqual(numbers(plain));
  });
});
