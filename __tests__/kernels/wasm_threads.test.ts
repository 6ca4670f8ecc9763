// The helper thread for large matmuls: it starts in the background, its half of C is bit for bit
// what one thread computes, TAPEGRAD_THREADS=1 keeps everything on one thread, and it never keeps
// a process alive; a helper that dies is not waited for, and never asked again.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { gemmReference } from '../../src/kernels/matmul';
import type { GemmArgs } from '../../src/kernels/matmul';
import { wasmGemm } from '../../src/kernels/wasm_gemm';
import { helperRunning, terminateHelperForTests } from '../../src/kernels/wasm_threads';
import { threadsWanted } from '../../src/kernels/wasm_module';

/** m x k times k x n (A transposed if asked), float32, in a fresh output. */
function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean): Float32Array {
  const out = new Float32Array(m * n);
  const args: GemmArgs = { a, aOff: 0, b, bOff: 0, out, outOff: 0, m, k, n, transA, transB: false };
  expect(wasmGemm(args)).toBe(true);
  return out;
}

test('a large product split with the helper equals the one-thread product bit for bit', async () => {
  // 31 row panels (an odd count, the last one partial), 4.6M multiply-adds: above the threshold
  const m = 123,
    k = 301,
    n = 125;
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
  expect(threadsWanted()).toBe(true);
  expect(helperRunning()).toBe(false);
  // the first large product asks for the helper, which is not up yet: one thread
  const alone = [product(a, b, m, k, n, false), product(a, b, k, m, n, true)];
  const deadline = Date.now() + 10_000;
  while (!helperRunning() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(helperRunning()).toBe(true);
  const split = [product(a, b, m, k, n, false), product(a, b, k, m, n, true)];
  expect(Array.from(split[0])).toEqual(Array.from(alone[0]));
  expect(Array.from(split[1])).toEqual(Array.from(alone[1]));
  // and both agree with the TypeScript reference
  const want = new Float32Array(m * n);
  gemmReference({ a, aOff: 0, b, bOff: 0, out: want, outOff: 0, m, k, n, transA: false, transB: false });
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(split[0][i] - want[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(want[i])));
});

test('a helper that died is not waited for: the next large products run on the calling thread at once', async () => {
  // runs after the test above, which started the helper
  const m = 123,
    k = 301,
    n = 125;
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
  expect(helperRunning()).toBe(true);
  const before = product(a, b, m, k, n, false);
  await terminateHelperForTests();
  expect(helperRunning()).toBe(false);
  // before the fix each of these waited 60 s and threw; Jest's 5 s timeout would catch a wait
  const started = Date.now();
  const after = [product(a, b, m, k, n, false), product(a, b, m, k, n, false)];
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(Array.from(after[0])).toEqual(Array.from(before));
  expect(Array.from(after[1])).toEqual(Array.from(before));
  expect(helperRunning()).toBe(false);
});

test('TAPEGRAD_THREADS=1 asks for one thread', () => {
  const saved = process.env.TAPEGRAD_THREADS;
  process.env.TAPEGRAD_THREADS = '1';
  try {
    expect(threadsWanted()).toBe(false);
  } finally {
    if (saved === undefined) delete process.env.TAPEGRAD_THREADS;
    else process.env.TAPEGRAD_THREADS = saved;
  }
});

test('a process that used the helper exits by itself, with the right answer', () => {
  const root = path.resolve(__dirname, '..', '..');
  const script = `
    const tg = require('./dist/index.cjs');
    const a = tg.ones([512, 512]);
    tg.matmul(a, a);
    setTimeout(() => console.log(tg.matmul(a, a).sum().item()), 300);`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  expect(out.trim()).toBe(String(512 * 512 * 512));
});
