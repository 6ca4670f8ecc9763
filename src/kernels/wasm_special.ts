// The driver of the float32 kernels of wasm/special.wat.mjs (exp, erf, and gelu forward and backward):
// each kernel's table is written once into the memory's reserved first bytes; a call copies its
// operands in, runs, copies the results out, and computes in JavaScript the few elements the kernel
// listed (too close to a float32 rounding boundary, or outside its range), so that the results are
// those of the JavaScript paths.
import { SPECIAL } from './wasm/generated';
import type { KernelsModule } from './wasm_module';
import { RESERVED_BYTES, kernelsModule, memoryOf } from './wasm_module';

/** Below this many elements the call into WebAssembly costs more than it saves. */
const WASM_MIN = 64;

/** Where each table lies in the reserved bytes, and its size in doubles. */
const TABLES = {
  erf: { at: 0, doubles: (2 * SPECIAL.erfLimit * SPECIAL.erfPerUnit + 1) * SPECIAL.erfTerms },
  exp: { at: 32832, doubles: SPECIAL.expSteps },
} as const;

/** A table of the kernels: which one, and how to make it (on first use). */
export interface SpecialTable {
  kind: keyof typeof TABLES;
  make: () => Float64Array;
}

/** The modules whose memory holds each table already. */
const written = { erf: new WeakSet<KernelsModule>(), exp: new WeakSet<KernelsModule>() };

/** Writes the table into the module's memory, the first time. */
function ensureTable(mod: KernelsModule, table: SpecialTable, memory: ArrayBuffer | SharedArrayBuffer): void {
  if (written[table.kind].has(mod)) return;
  const { at, doubles } = TABLES[table.kind];
  const values = table.make();
  if (values.length !== doubles || at + 8 * doubles > RESERVED_BYTES)
    throw new Error(`wasm_special: the ${table.kind} table does not fit its place`);
  new Float64Array(memory, at, doubles).set(values);
  written[table.kind].add(mod);
}

/**
 * Runs `call` on float32 operands of n elements laid out in the module's memory, one after another
 * (inputs copied in, outputs copied out), with `table` in place; then sets the elements the kernel
 * listed to `redo(i)`, each output's value, computed before any output is written (an output may be
 * an input). Returns false (having done nothing) for short arrays and where WebAssembly SIMD is
 * missing: the caller's JavaScript path then runs.
 */
function runLaidOut(
  table: SpecialTable,
  inputs: readonly Float32Array[],
  outputs: readonly Float32Array[],
  call: (mod: KernelsModule, addresses: number[], n: number, tableAt: number, fix: number) => number,
  redo: (i: number) => readonly number[],
): boolean {
  const n = inputs[0].length;
  if (n < WASM_MIN) return false;
  const mod = kernelsModule();
  if (mod === null) return false;
  const { at } = TABLES[table.kind];
  // each operand rounded up to whole vectors (the kernel reads and writes them whole), then the list
  const bytes = ((n + 3) & ~3) * 4;
  const count = inputs.length + outputs.length;
  const addresses = Array.from({ length: count }, (_, j) => RESERVED_BYTES + j * bytes);
  const fix = RESERVED_BYTES + count * bytes;
  const memory = memoryOf(mod, fix + 4 * n);
  ensureTable(mod, table, memory);
  const heap = new Float32Array(memory);
  inputs.forEach((x, j) => {
    heap.set(x, addresses[j] >> 2);
    heap.fill(0, (addresses[j] >> 2) + n, (addresses[j] + bytes) >> 2);
  });
  const listed = call(mod, addresses, n, at, fix);
  const indices = new Int32Array(memory, fix, listed);
  const values = Array.from(indices, redo);
  outputs.forEach((out, j) => {
    const from = addresses[inputs.length + j] >> 2;
    out.set(heap.subarray(from, from + n));
    for (let l = 0; l < listed; l++) out[indices[l]] = values[l][j];
  });
  return true;
}

/** out = f(x) by the exp or erf kernel, `scalar` computing a listed element; false where it cannot run. */
export function runSpecial(
  table: SpecialTable,
  x: Float32Array,
  out: Float32Array,
  scalar: (v: number) => number,
): boolean {
  const kernel = table.kind === 'erf' ? 'erf_f32' : 'exp_f32';
  return runLaidOut(
    table,
    [x],
    [out],
    (mod, [src, dst], n, tab, fix) => mod[kernel](src, dst, n, tab, fix),
    (i) => [scalar(x[i])],
  );
}

/**
 * gelu of x into out and erf(x·√½) into erfOut by the gelu kernel, `redo(i)` giving both for a listed
 * element; false where it cannot run.
 */
export function runGelu(
  table: SpecialTable,
  x: Float32Array,
  out: Float32Array,
  erfOut: Float32Array,
  redo: (i: number) => readonly [number, number],
): boolean {
  return runLaidOut(
    table,
    [x],
    [out, erfOut],
    (mod, [src, dst, erfDst], n, tab, fix) => mod.gelu_f32(src, dst, erfDst, n, tab, fix),
    redo,
  );
}

/** gelu's backward pass by its kernel, from x, dy and erf(x·√½); `redo(i)` gives a listed element. */
export function runGeluGrad(
  table: SpecialTable,
  x: Float32Array,
  dy: Float32Array,
  erfs: Float32Array,
  out: Float32Array,
  redo: (i: number) => readonly [number],
): boolean {
  return runLaidOut(
    table,
    [x, dy, erfs],
    [out],
    (mod, [src, g, e, dst], n, tab, fix) => mod.gelu_grad_f32(src, g, e, dst, n, tab, fix),
    redo,
  );
}

/**
 * softmax over the last axis of `rows` rows of n float32 (n a multiple of 4) by the softmax kernels:
 * exp(x − max) for every row, the listed elements computed here (exp of x − max rounded to float32),
 * then each row divided by its sum. Returns false (having done nothing) where it cannot run.
 */
export function runSoftmax(table: SpecialTable, x: Float32Array, out: Float32Array, rows: number, n: number): boolean {
  const size = rows * n;
  if (size < WASM_MIN || n % 4 !== 0) return false;
  const mod = kernelsModule();
  if (mod === null) return false;
  const { at } = TABLES[table.kind];
  const memory = memoryOf(mod, RESERVED_BYTES + 12 * size + 4 * rows);
  ensureTable(mod, table, memory);
  // regions: x, the results, the list, the rows' maxes
  const src = RESERVED_BYTES;
  const dst = src + 4 * size;
  const fix = dst + 4 * size;
  const maxes = fix + 4 * size;
  const heap = new Float32Array(memory);
  heap.set(x, src >> 2);
  const listed = mod.softmax_exp_f32(src, dst, maxes, rows, n, at, fix);
  if (listed > 0) {
    const indices = new Int32Array(memory, fix, listed);
    for (const i of indices)
      heap[(dst >> 2) + i] = Math.exp(Math.fround(x[i] - heap[(maxes >> 2) + Math.floor(i / n)]));
  }
  mod.softmax_div_f32(dst, rows, n);
  out.set(heap.subarray(dst >> 2, (dst >> 2) + size));
  return true;
}
