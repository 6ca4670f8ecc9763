// tg.io's safetensors: Hugging Face's tensor file format (an 8-byte little-endian header length, a JSON header, the
// tensors' bytes), written byte for byte as its reference writer writes it, read with every check its reader makes.
import type { DType, TypedArray } from '../core/dtype';
import { ArgumentError, describe } from '../core/errors';
import { MAX_SIZE, fmtShape } from '../core/shape';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';

/** The reference reader's and writer's limit on the header (safetensors' `MAX_HEADER_SIZE`): 100 MB. */
export const MAX_HEADER_BYTES = 100_000_000;

/** The bytes of the header length that precedes the header. */
const N_LEN = 8;

/**
 * Every dtype of the format with its size in bits, in the format's own order (`Dtype` in safetensors'
 * tensor.rs, "increasing alignment"): the writer puts the later ones first.
 */
const FORMAT_DTYPES: ReadonlyMap<string, number> = new Map([
  ['BOOL', 8],
  ['F4', 4],
  ['F6_E2M3', 6],
  ['F6_E3M2', 6],
  ['U8', 8],
  ['I8', 8],
  ['F8_E5M2', 8],
  ['F8_E4M3', 8],
  ['F8_E8M0', 8],
  ['F8_E4M3FNUZ', 8],
  ['F8_E5M2FNUZ', 8],
  ['I16', 16],
  ['U16', 16],
  ['F16', 16],
  ['BF16', 16],
  ['I32', 32],
  ['U32', 32],
  ['F32', 32],
  ['C64', 64],
  ['F64', 64],
  ['I64', 64],
  ['U64', 64],
]);
const FORMAT_ORDER: readonly string[] = [...FORMAT_DTYPES.keys()];

/** tapegrad's dtypes and the format's names for them. */
const TO_FORMAT: Readonly<Record<DType, string>> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const FROM_FORMAT: ReadonlyMap<string, DType> = new Map([
  ['F32', 'float32'],
  ['F64', 'float64'],
  ['I32', 'int32'],
  ['BOOL', 'bool'],
]);

/** True where typed arrays are little-endian (every engine in use); else the bytes are swapped one by one. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What `decodeSafetensors` returns. */
export interface SafetensorsContents {
  /** The tensors by name, in the file's order (by their data offsets). */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__`, or `{}` when it has none. */
  metadata: Record<string, string>;
}

/**
 * Compares two strings by Unicode code point, which is the byte order of their UTF-8 encodings: Rust's
 * `String` order, by which the reference writer sorts names (JS's `<` compares UTF-16 units, which differs
 * above U+FFFF).
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** False for a string with a lone surrogate, which has no UTF-8 encoding (so no safetensors reader takes it). */
function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Sets an own enumerable property, so that a name such as `__proto__` is a key like any other. */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The bytes of a typed array as they lie in memory (little-endian on every engine in use). */
function bytesOf(values: TypedArray): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * The safetensors bytes of named tensors, as Hugging Face's reference writer (`safetensors.serialize`, which
 * `safetensors.torch.save_file` calls) makes them: the 8-byte little-endian length of the header; the header,
 * compact JSON `{"__metadata__":{…},"<name>":{"dtype":"F32","shape":[…],"data_offsets":[begin,end]},…}`
 * padded with spaces to a multiple of 8 bytes; then each tensor's elements, little-endian, row-major, one after
 * another with no gap. Tensors are sorted as the reference sorts them: by dtype (F64, F32, I32, BOOL), then by
 * name (UTF-8 byte order). `__metadata__` is written whenever `metadata` is given (its keys sorted: the
 * reference's order is a hash map's). dtypes: float32 is F32, float64 F64, int32 I32, bool BOOL (one byte,
 * 0 or 1). Variables are saved with their current value.
 * @example
 * const bytes = tg.io.encodeSafetensors({ w: tg.tensor([1, 2]) });
 * bytes.length; // 72
 * bytes[0]; // 56
 * tg.io.decodeSafetensors(bytes).tensors.w; // Tensor([1, 2], shape=[2], dtype=float32)
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor | Variable>,
  metadata?: Record<string, string>,
): Uint8Array {
  const op = 'encodeSafetensors';
  if (!isPlainObject(tensors))
    throw new ArgumentError(`${op}: tensors must be a record of tensors (a plain object), got ${describe(tensors)}`);
  const entries: { name: string; tensor: Tensor; format: string }[] = [];
  for (const name of Object.keys(tensors)) {
    if (!isWellFormed(name))
      throw new ArgumentError(`${op}: tensor name ${describe(name)} is not valid Unicode (it has a lone surrogate)`);
    if (name === '__metadata__')
      throw new ArgumentError(`${op}: a tensor cannot be named "__metadata__", the safetensors header's metadata key`);
    const v: unknown = tensors[name];
    const tensor = v instanceof Variable ? v.peek() : v;
    if (!(tensor instanceof Tensor))
      throw new ArgumentError(
        `${op}: tensors[${JSON.stringify(name)}] must be a Tensor or a Variable, got ${describe(v)}`,
      );
    entries.push({ name, tensor, format: TO_FORMAT[tensor.dtype] });
  }
  let meta: [string, string][] | undefined;
  if (metadata !== undefined) {
    if (!isPlainObject(metadata))
      throw new ArgumentError(`${op}: metadata must be a record of strings or undefined, got ${describe(metadata)}`);
    meta = [];
    for (const key of Object.keys(metadata)) {
      const value: unknown = metadata[key];
      if (typeof value !== 'string')
        throw new ArgumentError(
          `${op}: metadata[${JSON.stringify(key)}] must be a string (safetensors metadata maps strings to strings), got ${describe(value)}`,
        );
      if (!isWellFormed(key) || !isWellFormed(value))
        throw new ArgumentError(
          `${op}: metadata[${JSON.stringify(key)}] is not valid Unicode (it has a lone surrogate)`,
        );
      meta.push([key, value]);
    }
    meta.sort((a, b) => compareCodePoints(a[0], b[0]));
  }

  // the reference writer: descending dtype order, then ascending name
  entries.sort(
    (a, b) => FORMAT_ORDER.indexOf(b.format) - FORMAT_ORDER.indexOf(a.format) || compareCodePoints(a.name, b.name),
  );
  // serde_json's compact output; JSON.stringify escapes strings exactly as serde_json does (", \, control characters)
  const parts: string[] = [];
  if (meta !== undefined)
    parts.push(`"__metadata__":{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  let offset = 0;
  for (const { name, tensor, format } of entries) {
    const end = offset + tensor.values.byteLength;
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${format}","shape":[${tensor.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const n = Math.ceil(json.length / N_LEN) * N_LEN;
  if (n > MAX_HEADER_BYTES)
    throw new ArgumentError(
      `${op}: the safetensors header would be ${n} bytes, more than the format's limit of ${MAX_HEADER_BYTES}`,
    );

  let out: Uint8Array;
  try {
    out = new Uint8Array(N_LEN + n + offset);
  } catch {
    throw new ArgumentError(
      `${op}: the safetensors file would be ${N_LEN + n + offset} bytes, more than can be allocated`,
    );
  }
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true); // n < 2^32, so the high 4 bytes stay 0
  out.set(json, N_LEN);
  out.fill(0x20, N_LEN + json.length, N_LEN + n); // padded with spaces, as the reference writer pads
  let at = N_LEN + n;
  for (const { tensor } of entries) {
    const values = tensor.values;
    if (LITTLE_ENDIAN || tensor.dtype === 'bool') out.set(bytesOf(values), at);
    else writeLittleEndian(view, at, values, tensor.dtype);
    at += values.byteLength;
  }
  return out;
}

function writeLittleEndian(view: DataView, at: number, values: TypedArray, dtype: DType): void {
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'float32') view.setFloat32(at + 4 * i, values[i], true);
    else if (dtype === 'float64') view.setFloat64(at + 8 * i, values[i], true);
    else view.setInt32(at + 4 * i, values[i], true);
  }
}

/** One tensor of a header, checked. */
interface Entry {
  name: string;
  format: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Throws decodeSafetensors's error for a malformed file. */
function fail(what: string): never {
  throw new ArgumentError(`decodeSafetensors: invalid safetensors file: ${what}`);
}

function isSafeCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * The tensors and metadata of safetensors bytes (a file from `safetensors.torch.save_file`, Hugging Face's
 * hub, JAX or `encodeSafetensors`). Reads F32, F64, I32 and BOOL tensors (a BOOL byte other than 0 is true);
 * a tensor of another dtype (F16, BF16, I64 …) is an error naming it. The file is checked as the reference
 * reader checks it before anything is allocated: a header length within the file and at most 100 MB, UTF-8
 * JSON with `dtype`, `shape` and `data_offsets` for each tensor, offsets that cover the data exactly (no gap,
 * no overlap, nothing after), each tensor's bytes matching its shape; anything else is an ArgumentError
 * saying what is wrong. A header without `__metadata__` gives `metadata` `{}`.
 * @example
 * const bytes = tg.io.encodeSafetensors({ step: tg.scalar(3, 'int32') }, { format: 'pt' });
 * const { tensors, metadata } = tg.io.decodeSafetensors(bytes);
 * tensors.step; // Tensor(3, shape=[], dtype=int32)
 * metadata.format; // 'pt'
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsContents {
  const op = 'decodeSafetensors';
  // by tag rather than instanceof, so that arrays from another realm (a Buffer that Node made under Jest) count
  const tag = Object.prototype.toString.call(bytes);
  let data: Uint8Array;
  if (tag === '[object Uint8Array]') data = bytes as Uint8Array;
  else if (tag === '[object ArrayBuffer]') data = new Uint8Array(bytes as ArrayBuffer);
  else throw new ArgumentError(`${op}: bytes must be a Uint8Array or an ArrayBuffer, got ${describe(bytes)}`);

  const total = data.length;
  if (total < N_LEN) fail(`${total} bytes, fewer than the ${N_LEN} of the header length (an empty or truncated file)`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_BYTES) {
    const n = BigInt(high) * 2n ** 32n + BigInt(low);
    fail(`the header length is ${n} bytes, more than the format's limit of ${MAX_HEADER_BYTES}`);
  }
  const n = low;
  if (N_LEN + n > total)
    fail(`the header length is ${n} bytes, but only ${total - N_LEN} follow the header length (a truncated file?)`);

  let text: string;
  try {
    // fatal: invalid UTF-8 is refused; ignoreBOM: a byte-order mark is kept, so that JSON.parse refuses it as
    // the reference reader does
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data.subarray(N_LEN, N_LEN + n));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isPlainObject(header)) fail(`the header must be a JSON object, got ${describe(header)}`);
  const fields = header as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const name of Object.keys(fields)) {
    const info = fields[name];
    const quoted = JSON.stringify(name);
    if (name === '__metadata__') {
      if (info === null) continue;
      if (!isPlainObject(info)) fail(`"__metadata__" must be an object of strings, got ${describe(info)}`);
      for (const key of Object.keys(info)) {
        const value = info[key];
        if (typeof value !== 'string')
          fail(`"__metadata__" must map strings to strings, but ${JSON.stringify(key)} is ${describe(value)}`);
        put(metadata, key, value as string);
      }
      continue;
    }
    if (!isPlainObject(info)) fail(`tensor ${quoted} must be an object, got ${describe(info)}`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof dtype !== 'string' || !FORMAT_DTYPES.has(dtype))
      fail(
        `tensor ${quoted} has an unknown dtype ${describe(dtype)}; safetensors dtypes are ${FORMAT_ORDER.join(', ')}`,
      );
    if (!Array.isArray(shape) || !shape.every(isSafeCount))
      fail(`tensor ${quoted} must have a shape of non-negative integers, got ${describe(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSafeCount))
      fail(`tensor ${quoted} must have data_offsets [begin, end] of non-negative integers, got ${describe(offsets)}`);
    const [begin, end] = offsets as number[];
    entries.push({ name, format: dtype as string, shape: (shape as number[]).slice(), begin, end });
  }

  // the reference reader: tensors in the order of their offsets, which must tile the data from 0 with no gap
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataLength = total - N_LEN - n;
  let start = 0;
  for (const e of entries) {
    const quoted = JSON.stringify(e.name);
    const range = `[${e.begin},${e.end}]`;
    if (e.end < e.begin) fail(`tensor ${quoted} has data_offsets ${range} that end before they begin`);
    if (e.begin < start)
      fail(`tensor ${quoted} has data_offsets ${range} that overlap the tensor before (up to ${start})`);
    if (e.begin > start)
      fail(`tensor ${quoted} has data_offsets ${range}, leaving bytes ${start} to ${e.begin} unused`);
    if (e.end > dataLength)
      fail(`tensor ${quoted} has data_offsets ${range} beyond the ${dataLength} bytes of data (a truncated file?)`);
    const size = byteSize(e.shape, FORMAT_DTYPES.get(e.format)!);
    if (size !== e.end - e.begin) {
      const need = size === undefined ? 'more bytes than can be counted' : `${size} bytes`;
      fail(
        `tensor ${quoted} of dtype ${e.format} and shape ${fmtShape(e.shape)} needs ${need}, but data_offsets ${range} hold ${e.end - e.begin}`,
      );
    }
    start = e.end;
  }
  if (start !== dataLength)
    fail(`the tensors' data ends at byte ${start}, but ${dataLength} bytes of data follow the header`);

  for (const e of entries) {
    if (!FROM_FORMAT.has(e.format))
      throw new ArgumentError(
        `${op}: safetensors tensor ${JSON.stringify(e.name)} has dtype ${e.format}, which tapegrad cannot hold; it reads F32, F64, I32 and BOOL`,
      );
    // size is at most the file's length; a count above MAX_SIZE could only come from a file of gigabytes
    if (e.shape.reduce((a, d) => a * d, 1) > MAX_SIZE)
      throw new ArgumentError(
        `${op}: safetensors tensor ${JSON.stringify(e.name)} of shape ${fmtShape(e.shape)} has more than ${MAX_SIZE} elements, the most a tensor can hold`,
      );
  }

  const tensors: Record<string, Tensor> = {};
  const dataStart = data.byteOffset + N_LEN + n;
  for (const e of entries) {
    const dtype = FROM_FORMAT.get(e.format)!;
    const src = new Uint8Array(data.buffer, dataStart + e.begin, e.end - e.begin);
    put(tensors, e.name, new Tensor(read(src, dtype), Object.freeze(e.shape), dtype));
  }
  return { tensors, metadata };
}

/**
 * The bytes of `shape` elements of `bits` bits each, undefined when the count overflows or is not a whole
 * number of bytes (4- and 6-bit dtypes), as the reference reader's checked arithmetic.
 */
function byteSize(shape: readonly number[], bits: number): number | undefined {
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) return undefined;
  }
  if (bits % 8 === 0) {
    const size = count * (bits / 8);
    return size > Number.MAX_SAFE_INTEGER ? undefined : size;
  }
  if (((count % 8) * bits) % 8 !== 0) return undefined;
  return bits === 4 ? count / 2 : (count / 4) * 3; // 4 bits: 2 a byte; 6 bits: 4 in 3 bytes
}

/** A fresh typed array of `dtype` from little-endian bytes (copied: the file's bytes may be unaligned). */
function read(src: Uint8Array, dtype: DType): TypedArray {
  if (dtype === 'bool') {
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i] === 0 ? 0 : 1;
    return out;
  }
  const width = dtype === 'float64' ? 8 : 4;
  const count = src.length / width;
  const out =
    dtype === 'float32'
      ? new Float32Array(count)
      : dtype === 'float64'
        ? new Float64Array(count)
        : new Int32Array(count);
  if (LITTLE_ENDIAN) {
    bytesOf(out).set(src);
    return out;
  }
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let i = 0; i < count; i++)
    out[i] =
      dtype === 'float32'
        ? view.getFloat32(4 * i, true)
        : dtype === 'float64'
          ? view.getFloat64(8 * i, true)
          : view.getInt32(4 * i, true);
  return out;
}
