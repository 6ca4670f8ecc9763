// Pooling primitives over NHWC images: maxPool (with its gradient and tangent as the scatter and gather
// at the recorded argmax, an adjoint pair that nests to any order) and avgPool with its adjoint avgPoolGrad.
import { allocate } from '../../core/dtype';
import { DTypeError, ShapeError, ArgumentError, describe } from '../../core/errors';
import { fmtShape, sizeOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import type { PoolWindows } from '../../kernels/pool';
import {
  avgPoolGradKernel,
  avgPoolKernel,
  gatherArgmaxKernel,
  maxPoolKernel,
  scatterArgmaxKernel,
} from '../../kernels/pool';
import type { Primitive } from '../primitive';
import { definePrimitive } from '../primitive';
import { requireFloat } from '../operands';
import type { Padding } from './conv_geometry';
import { paddingMode, spatialNames, windowAxes, windowInts } from './conv_geometry';
import { linear } from './tangents';

export type { Padding } from './conv_geometry';

interface WindowAttrs {
  windows: PoolWindows;
}

interface ArgmaxAttrs {
  windows: PoolWindows;
  /** Per output element of one NHWC block, the index of its maximum in the input block (-1: none). */
  argmax: Int32Array;
}

/**
 * The argmax of each maxPool output, kept from its forward pass (the gradient needs it; the
 * output tensor's lifetime bounds it). Recomputed from the input if ever missing.
 */
const argmaxOf = new WeakMap<Tensor, Int32Array>();

/** The shape `shape` with its last three axes (H, W, C) replaced. */
function withImage(shape: readonly number[], h: number, w: number, c: number): number[] {
  return [...shape.slice(0, -3), h, w, c];
}

/** How many NHWC images a tensor of the pooled shape (maybe with leading batch axes) holds. */
function images(shape: readonly number[]): number {
  return sizeOf(shape.slice(0, -3));
}

function runMaxPool(x: Tensor, windows: PoolWindows): { out: Tensor; argmax: Int32Array } {
  const shape = [windows.batch, windows.outH, windows.outW, windows.channels];
  const n = sizeOf(shape);
  const values = allocate(x.dtype, n);
  const argmax = new Int32Array(n);
  maxPoolKernel(x.values, windows, values, argmax);
  return { out: new Tensor(values, shape, x.dtype), argmax };
}

const maxPoolP: Primitive<WindowAttrs> = definePrimitive<WindowAttrs>({
  name: 'maxPool',
  forward: ([x], { windows }) => {
    const { out, argmax } = runMaxPool(x, windows);
    argmaxOf.set(out, argmax);
    return out;
  },
  // dx = dy scattered to each window's maximum (the first one on ties, as TF's MaxPoolGrad)
  vjp: (dy, [x], y, { windows }) => [maxPoolGradP.run([dy], { windows, argmax: argmaxFor(x, y, windows) })],
  // d maxPool(x) = the tangent read at each window's maximum
  jvp: ([t], [x], y, { windows }) => maxPoolGatherP.run([t!], { windows, argmax: argmaxFor(x, y, windows) }),
});

function argmaxFor(x: Tensor, y: Tensor, windows: PoolWindows): Int32Array {
  return argmaxOf.get(y) ?? runMaxPool(x, windows).argmax;
}

// Linear in dy, with the argmax fixed (its derivative in x is 0 where the maximum is unique): its
// gradient is the gather at the argmax (the adjoint) and its tangent itself applied to the tangent.
// NOTE: TF does the same (its MaxPoolGrad's gradient is MaxPoolGradGrad, zeros for x); TF.js has no
// gradient for MaxPoolGrad nor AvgPoolGrad, so there neither pool has a second derivative
const maxPoolGradP: Primitive<ArgmaxAttrs> = definePrimitive<ArgmaxAttrs>({
  name: 'maxPoolGrad',
  forward: ([dy], { windows, argmax }) => {
    const { inH, inW, channels } = windows;
    const shape = withImage(dy.shape, inH, inW, channels);
    const out = allocate(dy.dtype, sizeOf(shape));
    const reps = images(dy.shape) / windows.batch;
    scatterArgmaxKernel(dy.values, argmax, windows.batch * inH * inW * channels, reps, out);
    return new Tensor(out, shape, dy.dtype);
  },
  // ⟨scatter(dy), g⟩ = ⟨dy, gather(g)⟩
  vjp: (g, _inputs, _out, attrs) => [maxPoolGatherP.run([g], attrs)],
  jvp: linear((t, attrs) => maxPoolGradP.run([t], attrs)),
});

// Linear in t: out[j] = t[argmax[j]]. Its gradient is the scatter (the adjoint), its tangent itself.
const maxPoolGatherP: Primitive<ArgmaxAttrs> = definePrimitive<ArgmaxAttrs>({
  name: 'maxPoolGather',
  forward: ([t], { windows, argmax }) => {
    const { inH, inW, channels, outH, outW } = windows;
    const shape = withImage(t.shape, outH, outW, channels);
    const out = allocate(t.dtype, sizeOf(shape));
    const reps = images(t.shape) / windows.batch;
    gatherArgmaxKernel(t.values, argmax, windows.batch * inH * inW * channels, reps, out);
    return new Tensor(out, shape, t.dtype);
  },
  // ⟨gather(t), g⟩ = ⟨t, scatter(g)⟩
  vjp: (g, _inputs, _out, attrs) => [maxPoolGradP.run([g], attrs)],
  jvp: linear((t, attrs) => maxPoolGatherP.run([t], attrs)),
});

// Linear in x (any leading batch axes are more images): its gradient is avgPoolGrad, its tangent itself.
const avgPoolP: Primitive<WindowAttrs> = definePrimitive<WindowAttrs>({
  name: 'avgPool',
  forward: ([x], { windows }) => {
    const shape = withImage(x.shape, windows.outH, windows.outW, windows.channels);
    const out = allocate(x.dtype, sizeOf(shape));
    avgPoolKernel(x.values, windows, images(x.shape), out);
    return new Tensor(out, shape, x.dtype);
  },
  // dx = each dy spread as dy / count over its window's in-bounds cells
  vjp: (dy, _inputs, _out, attrs) => [avgPoolGradP.run([dy], attrs)],
  jvp: linear((t, attrs) => avgPoolP.run([t], attrs)),
});

// The adjoint of avgPool, linear in dy: its gradient is avgPool, its tangent itself.
const avgPoolGradP: Primitive<WindowAttrs> = definePrimitive<WindowAttrs>({
  name: 'avgPoolGrad',
  forward: ([dy], { windows }) => {
    const shape = withImage(dy.shape, windows.inH, windows.inW, windows.channels);
    const out = allocate(dy.dtype, sizeOf(shape));
    avgPoolGradKernel(dy.values, windows, images(dy.shape), out);
    return new Tensor(out, shape, dy.dtype);
  },
  // ⟨avgPoolGrad(dy), g⟩ = ⟨dy, avgPool(g)⟩
  vjp: (g, _inputs, _out, attrs) => [avgPoolP.run([g], attrs)],
  jvp: linear((t, attrs) => avgPoolGradP.run([t], attrs)),
});

/**
 * The checks and window arithmetic of a pooling call, by TF's rules: a rank-4 NHWC tensor, a filter
 * size and strides (an integer, or 1, 2 or 4 integers as TF's ksize/strides), and the padding
 * ('valid', 'same', or explicit pairs, each smaller than the window as TF's PoolParameters requires).
 */
function poolWindows(
  op: string,
  shape: readonly number[],
  filterSize: unknown,
  strides: unknown,
  padding: unknown,
): PoolWindows {
  if (shape.length !== 4)
    throw new ShapeError(
      `${op}: expected a rank-4 NHWC tensor [batch, height, width, channels], got ${fmtShape(shape)}`,
    );
  const [fh, fw] = windowInts(op, 'filterSize', filterSize, 2);
  const [sh, sw] = windowInts(op, 'strides', strides, 2);
  const mode = paddingMode(op, padding, 2);
  if (mode.kind === 'explicit') {
    const names = spatialNames(2);
    mode.pairs.forEach(([before, after], i) => {
      const size = i === 0 ? fh : fw;
      if (before >= size || after >= size)
        throw new ArgumentError(
          `${op}: explicit padding of the ${names[i]} must be smaller than the filter size ${size}, got ${describe([before, after])}`,
        );
    });
  }
  const [n, inH, inW, channels] = shape;
  const [rows, cols] = windowAxes(op, [inH, inW], [fh, fw], [sh, sw], [1, 1], mode);
  return {
    batch: n,
    inH,
    inW,
    channels,
    outH: rows.out,
    outW: cols.out,
    filterH: fh,
    filterW: fw,
    strideH: sh,
    strideW: sw,
    padTop: rows.before,
    padLeft: cols.before,
  };
}

/**
 * Max pooling of an NHWC tensor: the largest value of each `filterSize` window, moved by `strides`,
 * with `'valid'`, `'same'` or explicit padding (padded cells never win), as TF's `max_pool2d`.
 * float32, float64 or int32. The gradient goes to the first maximum of each window (row-major), as
 * TF's, and is itself differentiable, so maxPool differentiates to any order in both modes.
 * @example
 * tg.maxPool(tg.reshape([1, 5, 3, 2], [1, 2, 2, 1]), 2, 1, 'valid').reshape([1]); // [5]
 */
export function maxPool(
  x: TensorLike,
  filterSize: number | readonly number[],
  strides: number | readonly number[],
  padding: Padding,
): Tensor {
  const t = toTensor('maxPool', x);
  if (t.dtype === 'bool')
    throw new DTypeError(`maxPool: expected a float32, float64 or int32 tensor, got bool; cast it first`);
  const windows = poolWindows('maxPool', t.shape, filterSize, strides, padding);
  return maxPoolP.run([t], { windows });
}

/**
 * Average pooling of an NHWC float tensor: the mean of each `filterSize` window, moved by `strides`,
 * as TF's `avg_pool2d`; with `'same'` (or explicit) padding a window's mean is over its cells inside
 * the input only.
 * @example
 * tg.avgPool(tg.reshape([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]), 2, 2, 'same').reshape([2]); // [3, 4.5]
 */
export function avgPool(
  x: TensorLike,
  filterSize: number | readonly number[],
  strides: number | readonly number[],
  padding: Padding,
): Tensor {
  const t = toTensor('avgPool', x);
  requireFloat('avgPool', t);
  // NOTE: TF's AvgPool takes 'VALID' and 'SAME' only; explicit padding is taken here as maxPool
  // takes it, and the mean is over the in-bounds cells, as with 'same'
  const windows = poolWindows('avgPool', t.shape, filterSize, strides, padding);
  return avgPoolP.run([t], { windows });
}

/** @internal maxPool's gradient: `dy` (shape of maxPool(x), maybe with leading axes) scattered to x's window maxima. */
export function maxPoolGrad(
  x: Tensor,
  dy: Tensor,
  filterSize: number | readonly number[],
  strides: number | readonly number[],
  padding: Padding,
): Tensor {
  const windows = poolWindows('maxPoolGrad', x.shape, filterSize, strides, padding);
  return maxPoolGradP.run([dy], { windows, argmax: runMaxPool(x, windows).argmax });
}

/** @internal maxPool's tangent: `t` (shape of x, maybe with leading axes) read at x's window maxima. */
export function maxPoolGather(
  x: Tensor,
  t: Tensor,
  filterSize: number | readonly number[],
  strides: number | readonly number[],
  padding: Padding,
): Tensor {
  const windows = poolWindows('maxPoolGather', x.shape, filterSize, strides, padding);
  return maxPoolGatherP.run([t], { windows, argmax: runMaxPool(x, windows).argmax });
}

/** @internal avgPool's gradient: `dy` (shape of avgPool(x)) spread back over x's shape `xShape`. */
export function avgPoolGrad(
  xShape: readonly number[],
  dy: Tensor,
  filterSize: number | readonly number[],
  strides: number | readonly number[],
  padding: Padding,
): Tensor {
  const windows = poolWindows('avgPoolGrad', xShape, filterSize, strides, padding);
  return avgPoolGradP.run([dy], { windows });
}
