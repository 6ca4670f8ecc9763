// Assembles the WebAssembly kernels listed in KERNELS below (WAT source in src/kernels/wasm/*.wat.mjs)
// with wabt into one module, twice (a plain memory, and a shared one a helper thread can work in),
// checks the module's exports against the table, and writes src/kernels/wasm/generated.ts: the bytes,
// base64 (so the bundle carries them), the exports' TypeScript type, and the constants shared with
// TypeScript.
import { readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wabtInit from 'wabt';

/**
 * The kernels, in module order. `source`: a file in src/kernels/wasm that exports `wat`, its
 * functions as WAT text. `exports`: each function it exports, `name(param, …): result`, a parameter
 * being i32 unless written `name: f32` (or f64), the result `void` or a value type; TypeScript sees
 * every value as a number (addresses and strides are byte offsets into the module's memory).
 * `constants`: TypeScript name -> [the source's export of that name, its TSDoc].
 */
const KERNELS = [
  {
    source: 'gemm.wat.mjs',
    exports: [
      'gemm_f32(a, aRowStride, aColStride, bp, c, cRowStride, mPanels, nPanels, k): void',
      'gemm_f64(a, aRowStride, aColStride, bp, c, cRowStride, mPanels, nPanels, k): void',
      'pack_b(src, rowBytes, k, nPanels, dst): void',
      'dot_rows_f32(a, rowBytes, x, y, m, k): void',
      'dot_rows_f64(a, rowBytes, x, y, m, k): void',
      'axpy_rows_f32(a, rowBytes, x, y, m, k): void',
      'axpy_rows_f64(a, rowBytes, x, y, m, k): void',
    ],
    constants: {
      GEMM_TILE_ROWS: ['TILE_ROWS', "Rows of the matmul kernel's register tile, so of each A panel."],
      GEMM_PANEL_BYTES: ['PANEL_BYTES', 'Bytes across a packed B panel: 8 float32 or 4 float64 columns.'],
    },
  },
  {
    source: 'trig.wat.mjs',
    exports: ['sin_f32(src, dst, n): i32', 'cos_f32(src, dst, n): i32'],
    constants: {
      TRIG: ['TRIG', 'The float32 sin/cos constants, exact float32 values, shared with the JavaScript path.'],
    },
  },
  {
    source: 'special.wat.mjs',
    exports: [
      'exp_f32(src, dst, n, table, fix): i32',
      'erf_f32(src, dst, n, table, fix): i32',
      'gelu_f32(src, dst, erfDst, n, table, fix): i32',
      'gelu_grad_f32(src, dy, erfs, dst, n, table, fix): i32',
      'softmax_exp_f32(src, dst, maxes, rows, n, table, fix): i32',
      'softmax_div_f32(dst, rows, n): void',
    ],
    constants: {
      SPECIAL: ['SPECIAL', "The float32 exp and erf kernels' constants (their range, grid and rounding margin)."],
    },
  },
  {
    source: 'tanh.wat.mjs',
    exports: ['tanh_f32(src, dst, n): void'],
    constants: { TANH: ['TANH', 'The float32 tanh constants, exact float32 values, shared with the JavaScript path.'] },
  },
];

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(here, '..', 'src', 'kernels', 'wasm');
const outFile = join(wasmDir, 'generated.ts');

/** Fails the build with a message naming the table entry at fault. */
function fail(message) {
  throw new Error(`build-wasm: ${message}`);
}

/** `name(a, b: f64): result` -> { name, params: [{ name, type }], results: [type] }. */
function parseSignature(text, source) {
  const match = /^(\w+)\(([^)]*)\): (\w+)$/.exec(text);
  if (match === null) fail(`${source}: cannot read the signature "${text}" (want name(param, …): result)`);
  const [, name, list, result] = match;
  const params = list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const [param, type = 'i32'] = p.split(':').map((s) => s.trim());
      if (!/^\w+$/.test(param) || !['i32', 'f32', 'f64'].includes(type))
        fail(`${source}: ${name}: cannot read the parameter "${p}" (want name, or name: i32/f32/f64)`);
      return { name: param, type };
    });
  if (!['void', 'i32', 'f32', 'f64'].includes(result))
    fail(`${source}: ${name}: the result must be void, i32, f32 or f64`);
  return { name, params, results: result === 'void' ? [] : [result] };
}

/** The function exports of a module's bytes: name -> { params, results }, as WAT value types. */
function exportedSignatures(bytes) {
  const valueTypes = {
    0x7f: 'i32',
    0x7e: 'i64',
    0x7d: 'f32',
    0x7c: 'f64',
    0x7b: 'v128',
    0x70: 'funcref',
    0x6f: 'externref',
  };
  let at = 8; // past the magic number and the version
  const byte = () => bytes[at++];
  const u32 = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = byte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
  };
  const vector = (read) => Array.from({ length: u32() }, () => read());
  const name = () => {
    const length = u32();
    at += length;
    return bytes.toString('utf8', at - length, at);
  };
  const limits = () => (byte() & 1 ? [u32(), u32()] : [u32()]);
  const types = [];
  const functionTypes = [];
  const signatures = new Map();
  while (at < bytes.length) {
    const id = byte();
    const end = u32() + at;
    if (id === 1) {
      for (const type of vector(() => {
        if (byte() !== 0x60) fail('the module has a type that is not a function type');
        return { params: vector(() => valueTypes[byte()]), results: vector(() => valueTypes[byte()]) };
      }))
        types.push(type);
    } else if (id === 2) {
      vector(() => {
        name();
        name();
        const kind = byte();
        if (kind === 0) functionTypes.push(u32());
        else if (kind === 1) {
          byte(); // a table's element type
          limits();
        } else if (kind === 2) limits();
        else at += 2; // a global's value type and mutability
      });
    } else if (id === 3) {
      functionTypes.push(...vector(u32));
    } else if (id === 7) {
      vector(() => {
        const exported = name();
        const kind = byte();
        const index = u32();
        if (kind === 0) signatures.set(exported, types[functionTypes[index]]);
      });
    }
    at = end;
  }
  return signatures;
}

/** A constant as a TypeScript literal: a finite number, or an object of them (`as const`). */
function literal(value, label) {
  const finite = (v) => typeof v === 'number' && Number.isFinite(v);
  if (finite(value)) return JSON.stringify(value);
  if (typeof value === 'object' && value !== null && Object.values(value).every(finite))
    return `${JSON.stringify(value)} as const`;
  return fail(`${label} must be a finite number, or an object of them`);
}

const kernels = await Promise.all(
  KERNELS.map(async (entry) => ({
    ...entry,
    module: await import(pathToFileURL(join(wasmDir, entry.source)).href),
    signatures: entry.exports.map((text) => parseSignature(text, entry.source)),
  })),
);

// every source of WAT is in the table, and each one exports exactly the functions its entry lists
for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wat.mjs'))) {
  const listed = KERNELS.some((entry) => entry.source === file);
  if (!listed && typeof (await import(pathToFileURL(join(wasmDir, file)).href)).wat === 'string')
    fail(`${file} exports WAT but has no entry in the KERNELS table of scripts/build-wasm.mjs`);
}
for (const { source, module, signatures } of kernels) {
  if (typeof module.wat !== 'string') fail(`${source} does not export its functions as \`wat\``);
  const inWat = [...module.wat.matchAll(/\(export "([^"]+)"\)/g)].map((m) => m[1]).sort();
  const inTable = signatures.map((s) => s.name).sort();
  if (inWat.join() !== inTable.join())
    fail(`${source} exports ${inWat.join(', ')} but its table entry lists ${inTable.join(', ')}`);
}

const wabt = await wabtInit();
const functions = kernels.map((kernel) => kernel.module.wat).join('\n');
/** The module's bytes; its memory is imported, shared (for a helper thread) or not. */
function assemble(shared) {
  const wat = `(module\n  (import "env" "memory" (memory 1 65536${shared ? ' shared' : ''}))\n${functions})`;
  const module = wabt.parseWat('kernels.wat', wat, { simd: true, threads: shared });
  // NOTE: wabt's validator refuses shared memories whatever the features; the shared module's
  // code is the same text as the validated one, and the engine validates it again on compile
  if (!shared) module.validate();
  return Buffer.from(module.toBinary({}).buffer);
}
const plain = assemble(false);
const shared = assemble(true);

// the table's signatures are the module's, type for type
const actual = exportedSignatures(plain);
for (const { source, signatures } of kernels)
  for (const { name, params, results } of signatures) {
    const got = actual.get(name);
    const show = (ps, rs) => `(${ps.join(', ')}) -> ${rs.length === 0 ? 'void' : rs.join(', ')}`;
    const want = show(
      params.map((p) => p.type),
      results,
    );
    if (got === undefined || show(got.params, got.results) !== want)
      fail(
        `${source}: ${name} is ${got ? show(got.params, got.results) : 'missing'} in the module, ${want} in the table`,
      );
  }

const sources = KERNELS.map((entry) => entry.source);
const sourceList = sources.length > 1 ? `${sources.slice(0, -1).join(', ')} and ${sources.at(-1)}` : sources[0];
const members = kernels.flatMap(({ source, signatures }) =>
  signatures.map(
    ({ name, params, results }) =>
      `  /** \`${name}\` of ${source}. */\n  readonly ${name}: (${params.map((p) => `${p.name}: number`).join(', ')}) => ${
        results.length === 0 ? 'void' : 'number'
      };`,
  ),
);
const constants = kernels.flatMap(({ source, module, constants: table = {} }) =>
  Object.entries(table).map(([name, [from, doc]]) => {
    if (!(from in module)) fail(`${source} has no export ${from} (the constant ${name})`);
    return `/** ${doc} */\nexport const ${name} = ${literal(module[from], `${source}: ${from}`)};`;
  }),
);
const text = `// Generated by scripts/build-wasm.mjs from ${sourceList}: do not edit.
/** The kernels' WebAssembly module (${plain.length} bytes), base64; it imports its memory as env.memory. */
export const KERNELS_WASM_BASE64 = '${plain.toString('base64')}';

/** The same module importing a shared memory, for a helper thread (${shared.length} bytes), base64. */
export const KERNELS_SHARED_WASM_BASE64 = '${shared.toString('base64')}';

/**
 * The functions the kernels module exports, as the KERNELS table of scripts/build-wasm.mjs declares
 * them (checked there against the module). Addresses and strides are byte offsets into its memory.
 */
export interface KernelsExports {
${members.join('\n')}
}

${constants.join('\n\n')}
`;

// written whole under another name and renamed, so a test run reading it meanwhile never sees half a
// file; left as it is (but touched, for the staleness test of scripts/jest-global-setup.js) when unchanged
let previous = null;
try {
  previous = readFileSync(outFile, 'utf8');
} catch {
  // not built yet
}
if (previous === text) {
  const now = new Date();
  utimesSync(outFile, now, now);
} else {
  const temporary = `${outFile}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, outFile);
}
console.log(`wasm: kernels module, ${plain.length} bytes (and a shared-memory twin)`);
