// Window geometry shared by convolution and pooling: argument checks for strides, dilations and padding
// (TF's forms), and TF's output size and padding per spatial axis for 'VALID', 'SAME' and explicit padding.
import { ArgumentError, ShapeError, describe } from '../../core/errors';

/** A padding argument as the public ops take it: a mode, or one `[before, after]` pair per input axis. */
export type Padding = 'valid' | 'same' | 'VALID' | 'SAME' | readonly (readonly [number, number])[];

/** A padding argument checked: a mode, or the explicit pairs of the spatial axes only. */
export type PaddingMode = { kind: 'valid' } | { kind: 'same' } | { kind: 'explicit'; pairs: [number, number][] };

/** One spatial axis of a window op: its output size and the padding before and after it. */
export interface AxisWindow {
  out: number;
  before: number;
  after: number;
}

/** The names of the spatial axes, for messages: `height`, `width` (or `width` alone in 1-D). */
export function spatialNames(n: number): string[] {
  return n === 1 ? ['width'] : n === 2 ? ['height', 'width'] : Array.from({ length: n }, (_, i) => `axis ${i + 1}`);
}

/**
 * Strides or dilations as TF's `_get_sequence` reads them: an integer (every spatial axis), or a list
 * of 1, `n` or `n + 2` integers (the last with 1 for the batch and channel axes), each >= 1. Returns
 * the `n` spatial values.
 * E.g. `windowInts('conv2d', 'strides', 2, 2)` is [2, 2]; `windowInts('conv2d', 'strides', [1, 2, 3, 1], 2)` is [2, 3].
 */
export function windowInts(op: string, name: string, v: unknown, n: number): number[] {
  const isInt = (e: unknown): e is number => typeof e === 'number' && Number.isSafeInteger(e);
  let list: unknown[];
  if (typeof v === 'number') list = [v];
  else if (Array.isArray(v)) list = v as unknown[];
  else throw new ArgumentError(`${op}: ${name} must be an integer or a list of integers, got ${describe(v)}`);
  if (!list.every(isInt))
    throw new ArgumentError(`${op}: ${name} must be an integer or a list of integers, got ${describe(v)}`);
  const ints = list as number[];
  let spatial: number[];
  if (ints.length === 1) spatial = new Array<number>(n).fill(ints[0]);
  else if (ints.length === n) spatial = ints.slice();
  else if (ints.length === n + 2) {
    if (ints[0] !== 1 || ints[n + 1] !== 1)
      throw new ArgumentError(
        `${op}: ${name} in the batch and channel dimensions must be 1, got ${describe(v)} (TF does not support them)`,
      );
    spatial = ints.slice(1, n + 1);
  } else {
    throw new ArgumentError(`${op}: ${name} must have length 1, ${n} or ${n + 2}, got ${describe(v)}`);
  }
  if (spatial.some((s) => s < 1)) throw new ArgumentError(`${op}: ${name} must be >= 1, got ${describe(v)}`);
  return spatial;
}

/**
 * A padding argument checked for an input of rank `n + 2` (batch, `n` spatial axes, channels):
 * `'valid'`/`'same'` (either case, as TF's `'VALID'`/`'SAME'` and Keras's `'valid'`/`'same'`), or
 * one `[before, after]` pair of non-negative integers per axis of the input with `[0, 0]` for the batch
 * and channel axes (TF refuses padding there). Returns the mode, with the spatial pairs when explicit.
 * E.g. `paddingMode('conv2d', [[0, 0], [1, 2], [0, 1], [0, 0]], 2)` is { kind: 'explicit', pairs: [[1, 2], [0, 1]] }.
 */
export function paddingMode(op: string, v: unknown, n: number): PaddingMode {
  if (v === 'valid' || v === 'VALID') return { kind: 'valid' };
  if (v === 'same' || v === 'SAME') return { kind: 'same' };
  const form = `one [before, after] pair per dimension of the input (${n + 2} pairs)`;
  if (!Array.isArray(v))
    throw new ArgumentError(`${op}: padding must be 'valid', 'same' or ${form}, got ${describe(v)}`);
  const rows = v as unknown[];
  const ok = rows.every(
    (p) =>
      Array.isArray(p) &&
      p.length === 2 &&
      (p as unknown[]).every((e) => typeof e === 'number' && Number.isSafeInteger(e) && e >= 0),
  );
  if (!ok || rows.length !== n + 2)
    throw new ArgumentError(
      `${op}: padding must be 'valid', 'same' or ${form} of non-negative integers, got ${describe(v)}`,
    );
  const pairs = rows as [number, number][];
  const outer = [pairs[0], pairs[n + 1]];
  if (outer.some(([a, b]) => a !== 0 || b !== 0))
    throw new ArgumentError(
      `${op}: explicit padding of the batch and channel dimensions must be [0, 0], got ${describe(v)}`,
    );
  return { kind: 'explicit', pairs: pairs.slice(1, n + 1).map(([a, b]) => [a, b]) };
}

/** The extent a dilated filter covers: (size - 1)·dilation + 1. */
export function effectiveSize(filterSize: number, dilation: number): number {
  return (filterSize - 1) * dilation + 1;
}

/**
 * TF's output size and padding of one axis (GetWindowedOutputSizeVerbose): VALID gives
 * ⌊(in − eff + stride) / stride⌋ and no padding; SAME gives ⌈in / stride⌉ with the padding needed,
 * max(0, (out − 1)·stride + eff − in), split with the odd one after (at the bottom/right); explicit
 * gives ⌊(in + before + after − eff + stride) / stride⌋. A negative size (the window larger than the
 * padded input by a stride or more) is a ShapeError naming the op; TF's division truncates toward 0,
 * so a window just larger than the padded input gives an empty axis, as in TF.
 * E.g. `windowAxis('conv2d', 'height', 5, 3, 2, 1, { kind: 'same' }, 0)` is { out: 3, before: 1, after: 1 }.
 */
export function windowAxis(
  op: string,
  axisName: string,
  inSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
  mode: PaddingMode,
  axis: number,
): AxisWindow {
  const eff = effectiveSize(filterSize, dilation);
  let before = 0;
  let after = 0;
  let out: number;
  if (mode.kind === 'same') {
    out = Math.ceil(inSize / stride);
    const needed = Math.max(0, (out - 1) * stride + eff - inSize);
    before = Math.floor(needed / 2);
    after = needed - before;
  } else {
    if (mode.kind === 'explicit') [before, after] = mode.pairs[axis];
    out = Math.trunc((inSize + before + after - eff + stride) / stride);
  }
  if (out < 0) {
    throw new ShapeError(
      `${op}: the filter is larger than the padded input along the ${axisName}: ` +
        `effective filter size ${eff} (size ${filterSize}, dilation ${dilation}), padded input size ${inSize + before + after}`,
    );
  }
  return { out, before, after };
}

/**
 * Every spatial axis of a window op: `inSizes`, `filterSizes`, `strides` and `dilations` per axis.
 * E.g. `windowAxes('maxPool', [4, 4], [2, 2], [2, 2], [1, 1], { kind: 'valid' })` gives two axes of output 2.
 */
export function windowAxes(
  op: string,
  inSizes: readonly number[],
  filterSizes: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  mode: PaddingMode,
): AxisWindow[] {
  const names = spatialNames(inSizes.length);
  return inSizes.map((s, i) => windowAxis(op, names[i], s, filterSizes[i], strides[i], dilations[i], mode, i));
}
