// The built library in real headless Chromium: the IIFE bundle (<script src>) and the ESM build
// (<script type=module>) each compute nested second derivatives and a short Adam training, with
// the WebAssembly SIMD kernels and with WebAssembly removed before the library loads (the
// TypeScript fallback), and on a cross-origin isolated page, where large matmuls share their chunks
// with a Web Worker (and on one whose CSP refuses blob: workers, where they stay on one thread). The
// numbers are checked against the math (closed forms, Adam written out in float64 here, products
// summed in float64), against the same programs run in Node on the built CommonJS file, and the kernel
// paths (TypeScript, WebAssembly on one thread, with the helper) against each other. Needs `npm run build`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Chromium, PageLog } from './chromium';
import { launchChromium, watchPage } from './chromium';
import type { AdamTraining, SecondDerivatives, Tg } from './programs';
import { adamData, adamTraining, backendInfoOf, inPage, secondDerivatives } from './programs';
import type { StaticServer } from './static_server';
import { ISOLATED_PREFIX, NO_BLOB_WORKERS_PREFIX, startStaticServer } from './static_server';
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

/** A product's float32 result: an FNV-1a hash of its bits, and its elements at `LargeProducts.picks`. */
interface ProductBits {
  readonly fnv: number;
  readonly picked: number[];
}

/** Results of `largeProducts`. */
interface LargeProducts {
  /** `tg.backendInfo()` once the first large product has been made and the helper has had time to start. */
  readonly info: BackendInfo;
  /** [512, 512]·[512, 512] (134M multiply-adds, row panels of C as chunks). */
  readonly square: ProductBits;
  /** [4, 128, 256]·[4, 256, 128] (16.8M multiply-adds, whole items as chunks). */
  readonly batch: ProductBits;
}

/** The flat indices `largeProducts` reports of each product (last: its last element). */
const picks = { square: [0, 1, 777, 131071, 262143], batch: [0, 5000, 40000, 65535] } as const;

/**
 * Large matmuls of sin/cos data, over the 4M multiply-adds at which the helper thread is asked for:
 * one to start it, a wait (up to 10 s) while it says 'not started', then the two measured products.
 * Self-contained (it runs as source text in the page); `picks` is the `picks` above.
 */
async function largeProducts(tg: Tg, picked: { square: number[]; batch: number[] }): Promise<LargeProducts> {
  const input = (shape: number[], f: (i: number) => number): ReturnType<Tg['tensor']> =>
    tg.tensor(
      Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => f(i)),
      shape,
    );
  const bitsOf = (c: Float32Array, at: number[]): ProductBits => {
    let fnv = 0x811c9dc5;
    for (const word of new Uint32Array(c.buffer, c.byteOffset, c.length)) fnv = Math.imul(fnv ^ word, 0x01000193) >>> 0;
    return { fnv, picked: at.map((i) => c[i]) };
  };
  const a = input([512, 512], Math.sin);
  const b = input([512, 512], (i) => Math.cos(i * 0.7));
  tg.matmul(a, b);
  for (let i = 0; i < 1000 && tg.backendInfo().helperThread === 'not started'; i++)
    await new Promise((r) => setTimeout(r, 10));
  const info = tg.backendInfo();
  const square = bitsOf(tg.matmul(a, b).dataSync() as Float32Array, picked.square);
  const batchA = input([4, 128, 256], Math.sin);
  const batchB = input([4, 256, 128], (i) => Math.cos(i * 0.7));
  const batch = bitsOf(tg.matmul(batchA, batchB).dataSync() as Float32Array, picked.batch);
  return { info, square, batch };
}

/** Element `flat` of the float32 inputs' product (items of m·k times k·n), summed in float64. */
function productElement(flat: number, m: number, k: number, n: number): number {
  const [t, i, j] = [Math.floor(flat / (m * n)), Math.floor((flat % (m * n)) / n), flat % n];
  let s = 0;
  for (let p = 0; p < k; p++)
    s += Math.fround(Math.sin(t * m * k + i * k + p)) * Math.fround(Math.cos((t * k * n + p * n + j) * 0.7));
  return s;
}

/** What one page load computed. */
interface PageRun {
  readonly info: BackendInfo;
  readonly second: SecondDerivatives;
  readonly adam: AdamTraining;
  readonly large: LargeProducts;
  readonly crossOriginIsolated: boolean;
  readonly log: PageLog;
}

let browser: Chromium | undefined;
let server: StaticServer | undefined;
let node: { second: SecondDerivatives; adam: AdamTraining; large: LargeProducts };

beforeAll(async () => {
  for (const { file } of Object.values(builds)) {
    if (!fs.existsSync(path.join(dist, file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first.`);
  }
  // the independent run: the same programs on the built CommonJS file, in this Node process
  const nodeTg = require(path.join(dist, 'index.cjs')) as Tg;
  node = {
    second: secondDerivatives(nodeTg),
    adam: adamTraining(nodeTg, adamData()),
    large: await largeProducts(nodeTg, { square: [...picks.square], batch: [...picks.batch] }),
  };
  server = await startStaticServer({ '/dist/': dist, '/pages/': path.join(__dirname, 'pages') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const runs = new Map<string, Promise<PageRun>>();

/** Where a page is served: plain, cross-origin isolated, or isolated with blob: workers refused. */
type Prefix = '' | typeof ISOLATED_PREFIX | typeof NO_BLOB_WORKERS_PREFIX;

/** Loads `build`'s page (once per combination) and runs the programs in it. */
function runPage(build: Build, wasm: boolean, prefix: Prefix = ''): Promise<PageRun> {
  const key = `${build} ${wasm} ${prefix}`;
  if (!runs.has(key)) runs.set(key, load(build, wasm, prefix));
  return runs.get(key)!;
}

async function load(build: Build, wasm: boolean, prefix: Prefix): Promise<PageRun> {
  const page = await browser!.context.newPage();
  try {
    const log = watchPage(page, server!.origin);
    if (!wasm) await page.addInitScript({ content: 'delete globalThis.WebAssembly;' });
    await page.goto(`${server!.origin}${prefix}/pages/${builds[build].page}`);
    if (!(await page.evaluate('typeof globalThis.tapegrad === "object"'))) {
      throw new Error(`the ${build} build did not load: ${JSON.stringify(log)}`);
    }
    return {
      info: (await page.evaluate(inPage(backendInfoOf))) as BackendInfo,
      second: (await page.evaluate(inPage(secondDerivatives))) as SecondDerivatives,
      adam: (await page.evaluate(inPage(adamTraining, adamData()))) as AdamTraining,
      large: (await page.evaluate(inPage(largeProducts, picks))) as LargeProducts,
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

/** A page that loaded only itself and the build's one file, with no error (but those `allowed`). */
function expectCleanLoad(r: PageRun, build: Build, prefix = '', allowed?: RegExp): void {
  expect(r.log.consoleErrors.filter((e) => allowed === undefined || !allowed.test(e))).toEqual([]);
  expect(r.log.pageErrors).toEqual([]);
  expect(r.log.foreignRequests).toEqual([]);
  // the WebAssembly kernels are inlined in the build: no .wasm file (or anything else) is fetched
  expect(r.log.requests).toEqual([`${prefix}/pages/${builds[build].page}`, `${prefix}/dist/${builds[build].file}`]);
}

/** Checks the large products against float64 sums of their float32 inputs. */
function expectTheProducts(r: { large: LargeProducts }): void {
  const near = (got: readonly number[], want: number[]): void => expect(maxRelDiff(got, want)).toBeLessThan(1e-4);
  near(
    r.large.square.picked,
    picks.square.map((i) => productElement(i, 512, 512, 512)),
  );
  near(
    r.large.batch.picked,
    picks.batch.map((i) => productElement(i, 128, 256, 128)),
  );
}

test('the programs give the math in Node, on the built CommonJS file', () => {
  expectTheMath(node);
  expectTheProducts(node);
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
    expectTheProducts(r);
    // the same WebAssembly kernels as in Node: the same float32 numbers, bit for bit
    expect(numbers(r)).toEqual(numbers(node));
    expect([r.large.square, r.large.batch]).toEqual([node.large.square, node.large.batch]);
    // a page that is not cross-origin isolated has no shared memory: large products too on one thread
    expect(r.large.info).toMatchObject({ threads: false, helperThread: 'unavailable' });
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
    expectTheProducts(r);
  });

  test('on a cross-origin isolated page (COOP/COEP): a Web Worker helps large matmuls, same bits', async () => {
    const [r, plain] = await Promise.all([runPage(build, true, ISOLATED_PREFIX), runPage(build, true)]);
    // the helper's worker comes from a blob: URL, which expectCleanLoad counts as the page's own
    expectCleanLoad(r, build, ISOLATED_PREFIX);
    expect(r.crossOriginIsolated).toBe(true);
    expect(plain.crossOriginIsolated).toBe(false);
    // before any large matmul the helper is yet to start; after one, it runs
    expect(r.info).toEqual({
      kernels: 'webassembly-simd',
      wasm: true,
      simd: true,
      threads: 2,
      helperThread: 'not started',
    });
    expect(r.large.info).toEqual({ ...r.info, helperThread: 'running' });
    expect(numbers(r)).toEqual(numbers(plain));
    // products made with the helper: bit for bit those of one thread (the plain page, and Node)
    expectTheProducts(r);
    expect([r.large.square, r.large.batch]).toEqual([plain.large.square, plain.large.batch]);
    expect([r.large.square, r.large.batch]).toEqual([node.large.square, node.large.batch]);
  });

  test('on an isolated page whose CSP refuses blob: workers: one thread, silently, same bits', async () => {
    const [r, plain] = await Promise.all([runPage(build, true, NO_BLOB_WORKERS_PREFIX), runPage(build, true)]);
    // Chromium itself reports the refused worker on the console; the library adds nothing
    const refused = /^Creating a worker from 'blob:.*Content Security Policy/;
    expectCleanLoad(r, build, NO_BLOB_WORKERS_PREFIX, refused);
    expect(r.log.consoleErrors.filter((e) => refused.test(e))).toHaveLength(1);
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.large.info).toMatchObject({ kernels: 'webassembly-simd', threads: false, helperThread: 'unavailable' });
    expectTheMath(r);
    expect(numbers(r)).toEqual(numbers(plain));
    expect([r.large.square, r.large.batch]).toEqual([plain.large.square, plain.large.batch]);
  });
});
