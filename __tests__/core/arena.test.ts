// The arena that carves mid-sized typed arrays from shared buffers: every array zeroed, none
// overlapping another, aligned for its element type, and the pinning bound held.
import { float32Array, float64Array, int32Array, uint8Array } from '../../src/core/arena';
import * as tg from '../../src';

type Make = (n: number) => Float32Array | Float64Array | Int32Array | Uint8Array;
const makers: [string, Make, number][] = [
  ['float32', float32Array, 4],
  ['float64', float64Array, 8],
  ['int32', int32Array, 4],
  ['uint8', uint8Array, 1],
];

describe.each(makers)('%s arrays', (_name, make, bytesPer) => {
  test('are zeroed, the right length, and never share bytes with another live array', () => {
    // sizes on both sides of the on-heap (64 B) and own-buffer (16 KiB) limits, and odd ones
    const sizes = [1, 16, 17, 63, 100, 257, 1000, 4095, 4096, 4097, 20000].map((b) =>
      Math.max(1, Math.floor(b / bytesPer) + 1),
    );
    const live: { a: ReturnType<Make>; tag: number }[] = [];
    for (let round = 0; round < 40; round++) {
      for (const n of sizes) {
        const a = make(n);
        expect(a.length).toBe(n);
        expect(a.byteOffset % 8).toBe(0);
        expect(a.every((v) => v === 0)).toBe(true);
        const tag = (live.length % 250) + 1;
        a.fill(tag);
        live.push({ a, tag });
      }
    }
    // every array still holds its own tag: no later allocation wrote over it
    for (const { a, tag } of live) expect(a.every((v) => v === tag)).toBe(true);
  });

  test('a shared buffer holds at most 16 times the bytes of any array carved from it', () => {
    for (const n of [17, 65, 100, 1000, 4096]) {
      const elems = Math.ceil(n / bytesPer) + 1;
      const a = make(elems);
      const bytes = elems * bytesPer;
      expect(a.buffer.byteLength).toBeLessThanOrEqual(Math.max(64, 16 * bytes));
      expect(a.buffer.byteLength).toBeGreaterThanOrEqual(bytes);
    }
  });
});

test('small arrays live on the heap and large ones get their own buffer', () => {
  expect(float32Array(16).buffer.byteLength).toBe(64);
  expect(float64Array(5000).buffer.byteLength).toBe(40000);
});

test('tensors read back only their own values, even when their bytes share a buffer', () => {
  const a = tg.range(0, 300);
  const b = tg.range(1000, 1300);
  const sum = tg.add(a, b);
  expect(Array.from(sum.dataSync().slice(0, 3))).toEqual([1000, 1002, 1004]);
  // dataSync copies out exactly the tensor's elements, never its neighbours in the buffer
  expect(a.dataSync().buffer.byteLength).toBe(300 * 4);
  expect(Array.from(b.dataSync().slice(-2))).toEqual([1298, 1299]);
});
