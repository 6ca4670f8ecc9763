import * as tg from '../../src';
import { backendInfo } from '../../src/kernels/backend_info';

describe('backendInfo', () => {
  test('in Node 20 the WebAssembly SIMD kernels run', () => {
    const info = backendInfo();
    expect(info.wasm).toBe(true);
    expect(info.simd).toBe(true);
    expect(info.kernels).toBe('webassembly-simd');
  });

  test('the helper thread: not started before a large matmul, then running with 2 threads', async () => {
    const before = backendInfo();
    if (process.env.TAPEGRAD_THREADS === '1') {
      expect(before).toMatchObject({ threads: false, helperThread: 'unavailable' });
      return;
    }
    expect(before.threads).toBe(2);
    expect(['not started', 'running']).toContain(before.helperThread);
    // 256·256·256 = 16M multiply-adds, over the 4M at which the helper is asked for
    const a = tg.ones([256, 256]);
    tg.matmul(a, a);
    for (let i = 0; i < 200 && backendInfo().helperThread !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(backendInfo()).toEqual({
      kernels: 'webassembly-simd',
      wasm: true,
      simd: true,
      threads: 2,
      helperThread: 'running',
    });
  });
});
