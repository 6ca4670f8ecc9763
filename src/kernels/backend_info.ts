// tg.backendInfo(): which code runs the kernels here (WebAssembly SIMD or TypeScript) and whether a
// helper thread takes half of each large matmul. Its own file, so the public types need no WebAssembly lib.
import { kernelsModule } from './wasm_module';
import { helperThreadState } from './wasm_threads';

/** Which code runs the kernels here: what `tg.backendInfo()` returns. */
export interface BackendInfo {
  /** `'webassembly-simd'` when the WebAssembly SIMD kernels run, `'typescript'` when the fallback does. */
  readonly kernels: 'webassembly-simd' | 'typescript';
  /** True when this environment has WebAssembly at all. */
  readonly wasm: boolean;
  /** True when the WebAssembly SIMD kernels could be instantiated (so they run). */
  readonly simd: boolean;
  /**
   * Threads a large matmul (4M multiply-adds or more) runs on: 2 with the helper thread (running,
   * or to be started by the first such matmul), `false` when everything runs on the calling thread.
   */
  readonly threads: number | false;
  /**
   * The helper thread (Node's `worker_threads`, or in a browser a Web Worker): `'running'`; `'not
   * started'` (it starts in the background on the first large matmul); `'unavailable'` (no
   * WebAssembly, no shared memory, a browser page that is not cross-origin isolated, a
   * Content-Security-Policy that refuses blob: workers, `TAPEGRAD_THREADS=1`, or it died).
   */
  readonly helperThread: 'running' | 'not started' | 'unavailable';
}

/**
 * Which code runs the kernels here: the WebAssembly SIMD kernels or the TypeScript fallback (same
 * results), and whether a helper thread takes half of each large matmul. Instantiates the kernels'
 * module if nothing has yet.
 * @example
 * const info = tg.backendInfo();
 * info.kernels === (info.simd ? 'webassembly-simd' : 'typescript'); // true
 * typeof info.wasm; // 'boolean'
 */
export function backendInfo(): BackendInfo {
  const mod = kernelsModule();
  const helperThread = helperThreadState();
  return {
    kernels: mod === null ? 'typescript' : 'webassembly-simd',
    wasm: typeof WebAssembly === 'object' && WebAssembly !== null,
    simd: mod !== null,
    threads: helperThread === 'unavailable' ? false : 2,
    helperThread,
  };
}
