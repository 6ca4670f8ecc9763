// tg.io's safetensors: byte-exact against the reference writer's own test vectors (huggingface/safetensors,
// safetensors/src/tensor.rs) and a hand-built file, round trips of every dtype, the reference reader's refusals,
// and a seeded fuzz of malformed files that must each give decodeSafetensors's ArgumentError, never a crash.
import fc from 'fast-check';
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { ArgumentError } from '../../src/core/errors';
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES } from '../../src/io/safetensors';

const utf8 = (s: string) => Array.from(new TextEncoder().encode(s));
/** The 8 little-endian bytes of a header length below 2^32. */
const u64 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24, 0, 0, 0, 0];
const spaces = (k: number) => new Array<number>(k).fill(0x20);
const f32le = (...v: number[]) => Array.from(new Uint8Array(new Float32Array(v).buffer));
/** A file from its parts: the header length, the header as written, then the data. */
const file = (header: string, data: number[] = []) => {
  const h = utf8(header);
  return new Uint8Array([...u64(h.length), ...h, ...data]);
};
const bits = (t: Tensor) => Array.from(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));

function decodeError(bytes: Uint8Array): string {
  try {
    decodeSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    return (e as Error).message;
  }
  throw new Error('decodeSafetensors accepted a malformed file');
}

describe('encodeSafetensors: byte for byte the reference writer', () => {
  test('tensor.rs test_serialization: attn.0, F32 [1,2,3] = 0…5; a 64-byte header, so no padding', () => {
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64); // a multiple of 8 already; 6 floats × 4 bytes = 24 bytes of data
    const out = encodeSafetensors({ 'attn.0': tg.tensor([0, 1, 2, 3, 4, 5], [1, 2, 3]) });
    // the reference's expected bytes, as listed in tensor.rs
    expect(Array.from(out)).toEqual([
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34,
      70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95,
      111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0,
      64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ]);
    expect(Array.from(out)).toEqual([...u64(64), ...utf8(header), ...f32le(0, 1, 2, 3, 4, 5)]);
  });

  test('test_serialization_forced_alignement: attn0 [1,1,2,3]: 65 bytes of JSON + 7 spaces = 72', () => {
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(65);
    const out = encodeSafetensors({ attn0: tg.tensor([0, 1, 2, 3, 4, 5], [1, 1, 2, 3]) });
    expect(Array.from(out)).toEqual([...u64(72), ...utf8(header), ...spaces(7), ...f32le(0, 1, 2, 3, 4, 5)]);
    expect(out.length).toBe(8 + 72 + 24);
  });

  test('test_empty: no tensors is {} + 6 spaces; with metadata {framework: pt}, 35 bytes + 5 spaces = 40', () => {
    expect(Array.from(encodeSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const header = '{"__metadata__":{"framework":"pt"}}';
    expect(header.length).toBe(35);
    expect(Array.from(encodeSafetensors({}, { framework: 'pt' }))).toEqual([...u64(40), ...utf8(header), ...spaces(5)]);
  });

  test('a hand-built file of every dtype: sorted F64, F32, I32, BOOL, then by name; data back to back', () => {
    const out = encodeSafetensors(
      {
        b: tg.tensor([true, false], [2], 'bool'),
        i: tg.tensor([-2], [1], 'int32'),
        c: tg.tensor([1, -0], [2], 'float32'),
        a: tg.scalar(0.5, 'float64'),
        d: tg.tensor([7], [1], 'float32'),
      },
      { z: '1', a: 'x' },
    );
    // offsets: a 8 bytes [0,8]; c 2×4 [8,16]; d 1×4 [16,20]; i 1×4 [20,24]; b 2×1 [24,26]
    const header =
      '{"__metadata__":{"a":"x","z":"1"},' +
      '"a":{"dtype":"F64","shape":[],"data_offsets":[0,8]},' +
      '"c":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},' +
      '"d":{"dtype":"F32","shape":[1],"data_offsets":[16,20]},' +
      '"i":{"dtype":"I32","shape":[1],"data_offsets":[20,24]},' +
      '"b":{"dtype":"BOOL","shape":[2],"data_offsets":[24,26]}}';
    expect(header.length).toBe(306); // padded to 312 = 39 × 8: 6 spaces
    const data = [
      ...[0, 0, 0, 0, 0, 0, 0xe0, 0x3f], // 0.5 as a float64: exponent 0x3fe, mantissa 0
      ...[0, 0, 0x80, 0x3f, 0, 0, 0, 0x80], // 1 and -0 as float32
      ...[0, 0, 0xe0, 0x40], // 7 as a float32: 0x40e00000
      ...[0xfe, 0xff, 0xff, 0xff], // -2 as an int32, two's complement
      ...[1, 0], // true, false
    ];
    expect(Array.from(out)).toEqual([...u64(312), ...utf8(header), ...spaces(6), ...data]);
  });

  test('names sort by UTF-8 bytes (code points), as Rust strings: "B" < "a" < "\\uffff" < "😀"', () => {
    const t = tg.scalar(1);
    const out = encodeSafetensors({ '😀': t, '\uffff': t, a: t, B: t });
    const { tensors } = decodeSafetensors(out);
    expect(Object.keys(tensors)).toEqual(['B', 'a', '\uffff', '😀']); // UTF-16 order would put 😀 (D83D) first
  });

  test('names are escaped as serde_json escapes them: \\" \\\\ \\n \\u0001; é stays UTF-8', () => {
    const out = encodeSafetensors({ 'a"b\\c\n\u0001é': tg.tensor([], [0]) });
    const header = '{"a\\"b\\\\c\\n\\u0001é":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}';
    expect(utf8(header).length).toBe(70); // 69 characters, é is 2 bytes: padded to 72
    expect(Array.from(out)).toEqual([...u64(72), ...utf8(header), ...spaces(2)]);
  });

  test('a Variable is saved with its current value', () => {
    const v = new tg.Variable([1, 2]);
    v.assign([3, 4]);
    expect(Array.from(decodeSafetensors(encodeSafetensors({ v })).tensors.v.dataSync())).toEqual([3, 4]);
  });

  test('argument errors name encodeSafetensors', () => {
    const t = tg.scalar(1);
    const bad: [unknown, unknown, RegExp][] = [
      [null, undefined, /^encodeSafetensors: tensors must be a record of tensors/],
      [[t], undefined, /^encodeSafetensors: tensors must be a record/],
      [{ a: [1, 2] }, undefined, /^encodeSafetensors: tensors\["a"\] must be a Tensor or a Variable, got \[1,2\]/],
      [{ __metadata__: t }, undefined, /^encodeSafetensors: a tensor cannot be named "__metadata__"/],
      [{ '\ud800': t }, undefined, /^encodeSafetensors: tensor name .* is not valid Unicode/],
      [{ a: t }, { k: 1 }, /^encodeSafetensors: metadata\["k"\] must be a string .*got 1/],
      [{ a: t }, 'pt', /^encodeSafetensors: metadata must be a record of strings/],
      [{ a: t }, { k: '\udc00' }, /^encodeSafetensors: metadata\["k"\] is not valid Unicode/],
    ];
    for (const [tensors, metadata, message] of bad) {
      const call = () =>
        encodeSafetensors(tensors as Record<string, Tensor>, metadata as Record<string, string> | undefined);
      expect(call).toThrow(ArgumentError);
      expect(call).toThrow(message);
    }
  });

  test('a header beyond 100 MB is refused', () => {
    expect(() => encodeSafetensors({}, { big: 'a'.repeat(MAX_HEADER_BYTES) })).toThrow(
      /^encodeSafetensors: the safetensors header would be 100000032 bytes, more than the format's limit of 100000000/,
    );
  });
});

describe('decodeSafetensors', () => {
  test("tensor.rs's file: I32 [2,2] at [0,16], 60-byte header, 16 zero bytes", () => {
    const header = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    expect(header.length).toBe(60); // '<' is 60
    const { tensors, metadata } = decodeSafetensors(file(header, new Array<number>(16).fill(0)));
    expect(String(tensors.test)).toBe('Tensor([[0, 0], [0, 0]], shape=[2,2], dtype=int32)');
    expect(metadata).toEqual({});
  });

  test('the hand-built file decodes to its values, in the order of the offsets', () => {
    const header =
      '{"b":{"dtype":"BOOL","shape":[3],"data_offsets":[12,15]},"x":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},' +
      '"n":{"dtype":"I32","shape":[1],"data_offsets":[8,12]},"__metadata__":{"format":"pt"}}';
    const data = [...f32le(1.5, -2), ...[7, 1, 0, 0], ...[1, 0, 2]]; // a BOOL byte other than 0 is true
    const { tensors, metadata } = decodeSafetensors(file(header, data));
    expect(Object.keys(tensors)).toEqual(['x', 'n', 'b']);
    expect(String(tensors.x)).toBe('Tensor([[1.5], [-2]], shape=[2,1], dtype=float32)');
    expect(String(tensors.n)).toBe('Tensor([263], shape=[1], dtype=int32)'); // 7 + 1·256
    expect(String(tensors.b)).toBe('Tensor([true, false, true], shape=[3], dtype=bool)');
    expect(Array.from(tensors.b.values)).toEqual([1, 0, 1]);
    expect(metadata).toEqual({ format: 'pt' });
  });

  test('JSON whitespace before and after the header is accepted (tensor.rs test_whitespace_padded_header)', () => {
    const trailing = new Uint8Array([6, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 0x0d, 0x20, 0x09, 0x0a]);
    const leading = new Uint8Array([6, 0, 0, 0, 0, 0, 0, 0, 0x09, 0x0a, 0x7b, 0x7d, 0x0d, 0x20]);
    expect(decodeSafetensors(trailing)).toEqual({ tensors: {}, metadata: {} });
    expect(decodeSafetensors(leading)).toEqual({ tensors: {}, metadata: {} });
  });

  test('a zero-sized tensor (test_zero_sized_tensor), "__metadata__": null, an ArrayBuffer, an unaligned view', () => {
    const zero = decodeSafetensors(file('{"test":{"dtype":"I32","shape":[2,0],"data_offsets":[0, 0]}}'));
    expect(zero.tensors.test.shape).toEqual([2, 0]);
    expect(decodeSafetensors(file('{"__metadata__":null}')).metadata).toEqual({});
    const bytes = encodeSafetensors({ w: tg.tensor([1, 2, 3], [3], 'float64') });
    expect(String(decodeSafetensors(bytes.slice().buffer).tensors.w)).toBe(
      'Tensor([1, 2, 3], shape=[3], dtype=float64)',
    );
    // inside a larger buffer at an odd offset, as Node's pooled Buffers are
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 1);
    const { tensors } = decodeSafetensors(big.subarray(1, 1 + bytes.length));
    expect(String(tensors.w)).toBe('Tensor([1, 2, 3], shape=[3], dtype=float64)');
  });

  test('names such as __proto__ and constructor are plain keys', () => {
    // JSON.parse makes "__proto__" an own key, and so must the decoder's result
    const parsed = decodeSafetensors(file('{"__proto__":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}', f32le(5)));
    expect(String(parsed.tensors['__proto__'])).toBe('Tensor(5, shape=[], dtype=float32)');
    const t = tg.scalar(2);
    const named: Record<string, Tensor> = {};
    Object.defineProperty(named, '__proto__', { value: t, enumerable: true });
    Object.defineProperty(named, 'constructor', { value: t, enumerable: true });
    const back = decodeSafetensors(encodeSafetensors(named, { ['__proto__']: 'm' }));
    expect(Object.keys(back.tensors)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(back.tensors)).toBe(Object.prototype);
    expect(Object.hasOwn(back.metadata, '__proto__')).toBe(true);
  });

  test('known dtypes tapegrad cannot hold are refused by name', () => {
    const msg = decodeError(file('{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]));
    expect(msg).toBe(
      'decodeSafetensors: safetensors tensor "h" has dtype F16, which tapegrad cannot hold; it reads F32, F64, I32 and BOOL',
    );
    expect(
      decodeError(file('{"p":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}', new Array<number>(8).fill(0))),
    ).toMatch(/"p" has dtype I64/);
  });

  const rejected: [string, () => Uint8Array, RegExp][] = [
    [
      'an empty file (test_header_too_small)',
      () => new Uint8Array(0),
      /0 bytes, fewer than the 8 of the header length/,
    ],
    ['5 bytes', () => new Uint8Array(5), /5 bytes, fewer than the 8/],
    [
      'a header length with high bytes (test_header_too_large)',
      () => new Uint8Array([60, 0, 0, 0, 0, 0xff, 0xff, 0xff, ...utf8('{}')]),
      // 0xffffff000000003c = 18446742974197923900
      /the header length is 18446742974197923900 bytes, more than the format's limit of 100000000/,
    ],
    [
      '2^32 - 1',
      () => new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0]),
      /header length is 4294967295 bytes, more than/,
    ],
    ['100 MB + 1', () => new Uint8Array(u64(100_000_001)), /header length is 100000001 bytes, more than/],
    [
      'a header length past the end (test_invalid_header_length)',
      () => new Uint8Array(u64(60)),
      /the header length is 60 bytes, but only 0 follow the header length \(a truncated file\?\)/,
    ],
    [
      'invalid UTF-8 (test_invalid_header_non_utf8)',
      () => new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0xff]),
      /not valid UTF-8/,
    ],
    ['a byte-order mark', () => file('\ufeff{}'), /the header is not valid JSON/],
    ['not JSON (test_invalid_header_not_json)', () => file('{'), /the header is not valid JSON/],
    ['a JSON array', () => file('[]'), /the header must be a JSON object, got \[\]/],
    ['JSON null', () => file('null'), /the header must be a JSON object, got null/],
    ['a tensor that is a number', () => file('{"t":1}'), /tensor "t" must be an object, got 1/],
    [
      'an unknown dtype',
      () => file('{"t":{"dtype":"F128","shape":[],"data_offsets":[0,16]}}', new Array<number>(16).fill(0)),
      /tensor "t" has an unknown dtype "F128"; safetensors dtypes are BOOL, F4, .*, U64$/,
    ],
    [
      'a lower-case dtype',
      () => file('{"t":{"dtype":"f32","shape":[],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /unknown dtype "f32"/,
    ],
    [
      'a negative dimension',
      () => file('{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /tensor "t" must have a shape of non-negative integers, got \[-1\]/,
    ],
    [
      'a dimension past 2^64 (test_validation_overflow)',
      () =>
        file(
          '{"test":{"dtype":"I32","shape":[2,18446744073709551614],"data_offsets":[0,16]}}',
          new Array<number>(16).fill(0),
        ),
      /tensor "test" must have a shape of non-negative integers/,
    ],
    [
      'elements beyond 2^53 (test_validation_overflow)',
      () =>
        file(
          '{"test":{"dtype":"I32","shape":[65536,65536,65536,65536],"data_offsets":[0,16]}}',
          new Array<number>(16).fill(0),
        ),
      /tensor "test" of dtype I32 and shape \[65536,65536,65536,65536\] needs more bytes than can be counted, but data_offsets \[0,16\] hold 16/,
    ],
    [
      'data_offsets of one number',
      () => file('{"t":{"dtype":"F32","shape":[],"data_offsets":[4]}}', [0, 0, 0, 0]),
      /tensor "t" must have data_offsets \[begin, end\] of non-negative integers, got \[4\]/,
    ],
    [
      'offsets that end before they begin',
      () =>
        file(
          '{"t":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"u":{"dtype":"BOOL","shape":[],"data_offsets":[4,3]}}',
          [0, 0, 0, 0],
        ),
      /tensor "u" has data_offsets \[4,3\] that end before they begin/,
    ],
    [
      'overlapping offsets',
      () =>
        file(
          '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}',
          new Array<number>(12).fill(0),
        ),
      /tensor "b" has data_offsets \[4,12\] that overlap the tensor before \(up to 8\)/,
    ],
    [
      'a gap (test_invalid_offset)',
      () =>
        file(
          '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}',
          new Array<number>(12).fill(0),
        ),
      /tensor "b" has data_offsets \[8,12\], leaving bytes 4 to 8 unused/,
    ],
    [
      'not starting at 0',
      () => file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Array<number>(8).fill(0)),
      /leaving bytes 0 to 4 unused/,
    ],
    [
      'offsets beyond the data, missing 2 bytes (test_metadata_incomplete_buffer)',
      () => file('{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}', new Array<number>(14).fill(0)),
      /tensor "test" has data_offsets \[0,16\] beyond the 14 bytes of data \(a truncated file\?\)/,
    ],
    [
      'a huge tensor in a small file: refused before any allocation',
      () => file('{"t":{"dtype":"F64","shape":[137438953472],"data_offsets":[0,1099511627776]}}'),
      /tensor "t" has data_offsets \[0,1099511627776\] beyond the 0 bytes of data/,
    ],
    [
      'bytes after the last tensor (test_metadata_incomplete_buffer: polyglot data)',
      () =>
        file('{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}', [
          ...new Array<number>(16).fill(0),
          ...utf8('extra'),
        ]),
      /the tensors' data ends at byte 16, but 21 bytes of data follow the header/,
    ],
    ['data after an empty header', () => file('{}', [1]), /data ends at byte 0, but 1 bytes of data follow the header/],
    [
      'shape and offsets that disagree (test_invalid_info)',
      () => file('{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /tensor "test" of dtype I32 and shape \[2,2\] needs 16 bytes, but data_offsets \[0,4\] hold 4/,
    ],
    [
      'an odd number of 4-bit elements (MisalignedSlice)',
      () => file('{"t":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}', [0, 0]),
      /tensor "t" of dtype F4 and shape \[3\] needs more bytes than can be counted/,
    ],
    [
      'metadata that is not strings',
      () => file('{"__metadata__":{"epoch":3}}'),
      /"__metadata__" must map strings to strings, but "epoch" is 3/,
    ],
    ['metadata that is an array', () => file('{"__metadata__":["a"]}'), /"__metadata__" must be an object of strings/],
  ];
  test.each(rejected)('refuses %s', (_, make, message) => {
    const msg = decodeError(make());
    expect(msg).toMatch(/^decodeSafetensors: invalid safetensors file: /);
    expect(msg).toMatch(message);
  });

  test('a 4-bit tensor of even length passes the layout checks, then is refused for its dtype', () => {
    expect(decodeError(file('{"t":{"dtype":"F4","shape":[4],"data_offsets":[0,2]}}', [0, 0]))).toMatch(
      /^decodeSafetensors: safetensors tensor "t" has dtype F4, which tapegrad cannot hold/,
    );
  });

  test('a Node Buffer, and a Uint8Array from another realm', () => {
    const bytes = encodeSafetensors({ w: tg.tensor([1, 2]) });
    expect(String(decodeSafetensors(Buffer.from(bytes)).tensors.w)).toBe('Tensor([1, 2], shape=[2], dtype=float32)');
    const foreign = require('node:vm').runInNewContext('new Uint8Array(n)', { n: bytes.length }) as Uint8Array;
    foreign.set(bytes);
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(String(decodeSafetensors(foreign).tensors.w)).toBe('Tensor([1, 2], shape=[2], dtype=float32)');
  });

  test('bytes that are not bytes', () => {
    for (const bad of [null, 'abc', [1, 2, 3], new Int32Array(4)])
      expect(() => decodeSafetensors(bad as unknown as Uint8Array)).toThrow(
        /^decodeSafetensors: bytes must be a Uint8Array or an ArrayBuffer/,
      );
  });
});

describe('round trips', () => {
  const dtypeArb = fc.constantFrom('float32', 'float64', 'int32', 'bool') as fc.Arbitrary<tg.DType>;
  const tensorArb = fc
    .tuple(dtypeArb, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.integer())
    .map(([dtype, shape, seed]) => {
      const size = shape.reduce((a, b) => a * b, 1);
      // raw random bytes: every bit pattern (NaN payloads, -0, subnormals) must come back
      const bytes = new Uint8Array(size * (dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4));
      let s = seed >>> 0;
      for (let i = 0; i < bytes.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        bytes[i] = dtype === 'bool' ? (s >>> 31) & 1 : s >>> 24;
      }
      const values =
        dtype === 'float32'
          ? new Float32Array(bytes.buffer)
          : dtype === 'float64'
            ? new Float64Array(bytes.buffer)
            : dtype === 'int32'
              ? new Int32Array(bytes.buffer)
              : bytes;
      return tg.tensor(values, shape, dtype);
    });

  test('any record of tensors of every dtype, with any metadata, comes back bit for bit', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), tensorArb, { maxKeys: 6 }),
        fc.option(
          fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ unit: 'grapheme', maxLength: 8 }), { maxKeys: 3 }),
          {
            nil: undefined,
          },
        ),
        (tensors, metadata) => {
          fc.pre(!('__metadata__' in tensors));
          const bytes = encodeSafetensors(tensors, metadata);
          const n = new DataView(bytes.buffer).getUint32(0, true);
          expect(n % 8).toBe(0); // the data starts 8-aligned
          const back = decodeSafetensors(bytes);
          expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
          for (const [name, t] of Object.entries(tensors)) {
            const got = back.tensors[name];
            expect([got.dtype, got.shape]).toEqual([t.dtype, t.shape]);
            expect(bits(got)).toEqual(bits(t));
          }
          expect(back.metadata).toEqual(metadata ?? {});
          // decoding then encoding again gives the same bytes
          expect(encodeSafetensors(back.tensors, metadata)).toEqual(bytes);
        },
      ),
      { seed: 13, numRuns: 200 },
    );
  });

  test('float specials and int32 extremes', () => {
    const f = tg.tensor([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38], [6], 'float32');
    const d = tg.tensor([NaN, -0, 5e-324, Number.MAX_VALUE], [4], 'float64');
    const i = tg.tensor([-2147483648, 2147483647, 0], [3], 'int32');
    const back = decodeSafetensors(encodeSafetensors({ f, d, i })).tensors;
    expect(bits(back.f)).toEqual(bits(f));
    expect(bits(back.d)).toEqual(bits(d));
    expect(Array.from(back.i.values)).toEqual([-2147483648, 2147483647, 0]);
    expect(Object.is(back.f.values[3], -0)).toBe(true);
  });
});

describe("malformed files (seeded fuzz): a decoded file or decodeSafetensors's ArgumentError, nothing else", () => {
  const valid = encodeSafetensors(
    {
      w: tg.tensor([1, 2, 3, 4, 5, 6], [2, 3]),
      b: tg.tensor([0.5], [1], 'float64'),
      n: tg.tensor([3, -4], [2], 'int32'),
      m: tg.tensor([true], [1], 'bool'),
    },
    { format: 'pt' },
  );

  function decodesOrRefuses(bytes: Uint8Array): void {
    let result;
    try {
      result = decodeSafetensors(bytes);
    } catch (e) {
      if (!(e instanceof ArgumentError)) throw e;
      expect(e.message).toMatch(/^decodeSafetensors: /);
      return;
    }
    // whatever was accepted is a consistent file: the tensors' bytes add up to the data after the header
    const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const total = Object.values(result.tensors).reduce((a, t) => a + t.values.byteLength, 0);
    expect(8 + n + total).toBe(bytes.length);
  }

  test('truncated at every length', () => {
    for (let k = 0; k < valid.length; k++) expect(() => decodeSafetensors(valid.subarray(0, k))).toThrow(ArgumentError);
  });

  test('random bytes changed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const bytes = valid.slice();
          for (const [at, value] of edits) bytes[at] = value;
          decodesOrRefuses(bytes);
        },
      ),
      { seed: 1313, numRuns: 1000 },
    );
  });

  test('header text changed: characters replaced, inserted or removed, the header length kept consistent', () => {
    const header = new TextDecoder().decode(valid.subarray(8, 8 + new DataView(valid.buffer).getUint32(0, true)));
    const data = Array.from(valid.subarray(8 + utf8(header).length));
    fc.assert(
      fc.property(
        fc.nat({ max: header.length }),
        fc.nat({ max: 3 }),
        fc.string({ unit: fc.constantFrom(...'{}[],:"0123456789-.eE _abdFIL'.split('')), maxLength: 3 }),
        (at, remove, insert) => decodesOrRefuses(file(header.slice(0, at) + insert + header.slice(at + remove), data)),
      ),
      { seed: 7, numRuns: 1000 },
    );
  });

  test('random files: a random header length, random bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.nat({ max: 64 }), fc.nat(), fc.constant(0xffffffff)),
        fc.nat({ max: 255 }),
        fc.uint8Array({ maxLength: 64 }),
        (n, high, rest) => decodesOrRefuses(new Uint8Array([...u64(n).slice(0, 4), 0, 0, 0, high, ...rest])),
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});
