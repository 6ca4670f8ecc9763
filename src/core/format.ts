// Printing: shortest round-trip numbers, NumPy-style nesting and summarising of large tensors.
import type { DType, TypedArray } from './dtype';
import type { Shape } from './shape';
import { sizeOf, stridesOf } from './shape';

/** Above this many elements, only the edges of each axis are printed, as NumPy does. */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;

/** One element as text: the shortest decimal that reads back to the same float32, or JS's own form. */
export function formatNumber(x: number, dtype: DType): string {
  if (dtype === 'bool') return x ? 'true' : 'false';
  if (Object.is(x, -0)) return '-0';
  if (dtype === 'float32' && Number.isFinite(x)) {
    for (let p = 1; p < 9; p++) {
      const shortest = Number(x.toPrecision(p));
      if (Math.fround(shortest) === x) return String(shortest);
    }
    return String(Number(x.toPrecision(9)));
  }
  return String(x);
}

/** The indices along one axis that are printed: all, or the edges around a `...`. */
function shownIndices(dim: number, summarise: boolean): (number | null)[] {
  if (!summarise || dim <= 2 * EDGE_ITEMS) return Array.from({ length: dim }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => dim - EDGE_ITEMS + i);
  return [...head, null, ...tail];
}

/** A nested list of strings, `null` standing for an elided run. */
type Cells = string | null | Cells[];

function collect(values: TypedArray, dtype: DType, shape: Shape, summarise: boolean): Cells {
  const strides = stridesOf(shape);
  const walk = (axis: number, offset: number): Cells => {
    if (axis === shape.length) return formatNumber(values[offset], dtype);
    return shownIndices(shape[axis], summarise).map((i) =>
      i === null ? null : walk(axis + 1, offset + i * strides[axis]),
    );
  };
  return walk(0, 0);
}

function oneLine(cells: Cells): string {
  if (cells === null) return '...';
  if (typeof cells === 'string') return cells;
  return `[${cells.map(oneLine).join(', ')}]`;
}

/** Rows on their own lines, a blank line between blocks of rank 3 and up, as NumPy prints. */
function multiLine(cells: Cells, depth: number, rank: number, indent: string): string {
  if (typeof cells === 'string' || cells === null || depth === rank - 1) return oneLine(cells);
  const sep = ',' + '\n'.repeat(rank - depth - 1) + indent + ' '.repeat(depth + 1);
  return `[${cells.map((c) => multiLine(c, depth + 1, rank, indent)).join(sep)}]`;
}

/** The values part of `Tensor(...)`: a number for rank 0, nested brackets otherwise. */
export function formatValues(values: TypedArray, dtype: DType, shape: Shape, indent: string): string {
  const cells = collect(values, dtype, shape, sizeOf(shape) > SUMMARY_THRESHOLD);
  const flat = oneLine(cells);
  if (shape.length < 2 || flat.length + indent.length <= LINE_WIDTH) return flat;
  return multiLine(cells, 0, shape.length, indent);
}
