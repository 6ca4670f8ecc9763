// Convolutions: conv2d and depthwiseConv2d, each a closed family of three primitives (the op, its input
// gradient, its filter gradient: the gradient of a convolution is made of convolutions, so it nests to any
// order), and the public ops conv1d, conv2d, conv2dTranspose, depthwiseConv2d built on them.
import { requireOneOf, requireShape } from '../../core/args';
import { allocate } from '../../core/dtype';
import type { DType } from '../../core/dtype';
import { ArgumentError, ShapeError } from '../../core/errors';
import type { Shape } from '../../core/shape';
import { fmtShape, sameShape, sizeOf } from '../../core/shape';
import type { TensorLike } from '../../core/as_tensor';
import { Tensor } from '../../core/tensor';
import type { ConvGeometry } from '../../kernels/conv';
import {
  conv2dBackpropFilter as conv2dBackpropFilterKernel,
  conv2dBackpropInput as conv2dBackpropInputKernel,
  conv2dForward,
  depthwiseBackpropFilter,
  depthwiseBackpropInput,
  depthwiseForward,
} from '../../kernels/conv';
import type { NumArray } from '../../kernels/offsets';
import { zeros } from '../create';
import { binaryOperands, requireFloat } from '../operands';
import { definePrimitive } from '../primitive';
import type { Primitive } from '../primitive';
import type { AxisWindow, Padding, PaddingMode } from './conv_geometry';
import { paddingMode, windowAxes, windowInts } from './conv_geometry';
import { concat, gather, reshape, transpose } from './shape';
import { sumTerms } from './tangents';

export type { Padding };

/** The window of a 2-D convolution, resolved: strides, dilations, padding before, output size. */
interface ConvWindow {
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pt: number;
  pl: number;
  oh: number;
  ow: number;
}

/** The backward primitives carry the shape of what they compute (the input's, or the filter's). */
interface ShapedWindow {
  win: ConvWindow;
  shape: Shape;
}

function geometry(x: Shape, f: Shape, win: ConvWindow): ConvGeometry {
  return { n: x[0], h: x[1], w: x[2], ci: x[3], kh: f[0], kw: f[1], co: f[3], ...win };
}

/** Move a tangent's leading axis (the flattened batch) to sit just before axis `axis` of the rest, and merge them. */
function foldIn(t: Tensor, batch: Shape, axis: number): Tensor {
  const inner = t.shape.slice(batch.length);
  const b = sizeOf(batch);
  let u = reshape(t, [b, ...inner]);
  if (axis > 0) {
    const perm = [...inner.keys()].map((i) => i + 1);
    perm.splice(axis, 0, 0);
    u = transpose(u, perm);
  }
  return reshape(
    u,
    inner.map((d, i) => (i === axis ? d * b : d)),
  );
}

/** The inverse of foldIn on a result: axis `axis` of size b·d split to [b, d], b moved to the front and unflattened. */
function foldOut(r: Tensor, batch: Shape, axis: number, d: number): Tensor {
  const b = sizeOf(batch);
  let v = reshape(r, [...r.shape.slice(0, axis), b, d, ...r.shape.slice(axis + 1)]);
  if (axis > 0) v = transpose(v, [axis, ...[...v.shape.keys()].filter((i) => i !== axis)]);
  return reshape(v, [...batch, ...v.shape.slice(1)]);
}

/**
 * How a tangent with batch axes goes through one bilinear term: folded into axis `[t, out]` (the
 * tangent's axis t holds the batch, and so does the result's axis out), or, for `null`, one batch
 * element at a time.
 */
type Fold = readonly [number, number] | null;

/**
 * One term of a tangent rule, `apply(t, scale)` with `t` the (unbatched or folded) tangent and
 * `scale` how many batch elements are folded in; `outSize` is the unbatched size of the result's fold axis.
 */
function term(
  t: Tensor | null,
  batch: Shape,
  fold: Fold,
  outSize: number,
  apply: (t: Tensor, scale: number) => Tensor,
): Tensor | null {
  if (t === null) return null;
  if (batch.length === 0) return apply(t, 1);
  if (fold !== null) return foldOut(apply(foldIn(t, batch, fold[0]), sizeOf(batch)), batch, fold[1], outSize);
  const inner = t.shape.slice(batch.length);
  const b = sizeOf(batch);
  if (b === 0) return zeros([...batch, ...apply(zeros(inner, t.dtype), 1).shape], t.dtype);
  const flat = reshape(t, [b, ...inner]);
  const parts: Tensor[] = [];
  for (let i = 0; i < b; i++) {
    const r = apply(reshape(gather(flat, [i], 0), inner), 1);
    parts.push(reshape(r, [1, ...r.shape]));
  }
  const out = concat(parts, 0);
  return reshape(out, [...batch, ...out.shape.slice(1)]);
}

/** A shape with axis `axis` multiplied by `scale`. */
const scaled = (s: Shape, axis: number, scale: number): Shape => s.map((d, i) => (i === axis ? d * scale : d));

/** The kernels and the batch folds of one family (conv2d or depthwiseConv2d). */
interface FamilySpec {
  names: readonly [string, string, string];
  /** The output channels of the forward op for `ci` input channels and a filter shape. */
  outChannels(ci: number, f: Shape): number;
  forward(x: NumArray, f: NumArray, g: ConvGeometry, out: NumArray, dtype: DType): void;
  backpropInput(dy: NumArray, f: NumArray, g: ConvGeometry, dx: NumArray, dtype: DType): void;
  backpropFilter(x: NumArray, dy: NumArray, g: ConvGeometry, df: NumArray, dtype: DType): void;
  /** Folds of the six terms: forward's x and filter, backpropInput's dy and filter, backpropFilter's x and dy. */
  folds: { fx: Fold; ff: Fold; idy: Fold; iff: Fold; fx2: Fold; fdy: Fold };
}

interface Family {
  forward: Primitive<ConvWindow>;
  input: Primitive<ShapedWindow>;
  filter: Primitive<ShapedWindow>;
}

/** Throws (an internal error: the public ops check first) unless x, filter and dy agree. */
function expectShapes(name: string, x: Shape, f: Shape, dy: Shape | null, win: ConvWindow, co: number): void {
  const ok =
    x.length === 4 && f.length === 4 && f[2] === x[3] && (dy === null || sameShape(dy, [x[0], win.oh, win.ow, co]));
  if (!ok)
    throw new ShapeError(
      `${name}: inconsistent shapes: input ${fmtShape(x)}, filter ${fmtShape(f)}${dy ? `, output gradient ${fmtShape(dy)}` : ''}`,
    );
}

/**
 * The three primitives of a family: with B(x, f, dy) = ⟨op(x, f), dy⟩ trilinear, backpropInput(dy, f)
 * = ∇ₓB and backpropFilter(x, dy) = ∇_f B, so every derivative of each is one of the three.
 */
function defineFamily(spec: FamilySpec): Family {
  const { names, folds } = spec;
  const fam = {} as { forward: Primitive<ConvWindow>; input: Primitive<ShapedWindow>; filter: Primitive<ShapedWindow> };
  const op = (x: Tensor, f: Tensor, win: ConvWindow) => fam.forward.run([x, f], win);
  const bpI = (dy: Tensor, f: Tensor, shape: Shape, win: ConvWindow) => fam.input.run([dy, f], { win, shape });
  const bpF = (x: Tensor, dy: Tensor, shape: Shape, win: ConvWindow) => fam.filter.run([x, dy], { win, shape });

  fam.forward = definePrimitive<ConvWindow>({
    name: names[0],
    forward: ([x, f], win) => {
      const co = spec.outChannels(x.shape[3], f.shape);
      expectShapes(names[0], x.shape, f.shape, null, win, co);
      const shape = [x.shape[0], win.oh, win.ow, co];
      const out = allocate(x.dtype, sizeOf(shape)) as NumArray;
      spec.forward(x.values as NumArray, f.values as NumArray, geometry(x.shape, f.shape, win), out, x.dtype);
      return new Tensor(out, shape, x.dtype);
    },
    // y = op(x, f): dx = backpropInput(dy, f), df = backpropFilter(x, dy), as TF's Conv2D gradient
    vjp: (dy, [x, f], _y, win, needs) => [
      needs[0] ? bpI(dy, f, x.shape, win) : null,
      needs[1] ? bpF(x, dy, f.shape, win) : null,
    ],
    // bilinear: d op(x, f) = op(dx, f) + op(x, df)
    jvp: ([tx, tf], [x, f], y, win, batch) =>
      sumTerms(
        [
          term(tx, batch, folds.fx, x.shape[0], (t) => op(t, f, win)),
          term(tf, batch, folds.ff, f.shape[3], (t) => op(x, t, win)),
        ],
        batch,
        y,
      ),
  });

  fam.input = definePrimitive<ShapedWindow>({
    name: names[1],
    forward: ([dy, f], { win, shape }) => {
      expectShapes(names[1], shape, f.shape, dy.shape, win, spec.outChannels(shape[3], f.shape));
      const dx = allocate(dy.dtype, sizeOf(shape)) as NumArray;
      spec.backpropInput(dy.values as NumArray, f.values as NumArray, geometry(shape, f.shape, win), dx, dy.dtype);
      return new Tensor(dx, shape, dy.dtype);
    },
    // z = ∇ₓB(·, f, dy): ⟨g, z⟩ = B(g, f, dy), so d dy = op(g, f) and d f = backpropFilter(g, dy), as TF
    vjp: (g, [dy, f], _z, { win }, needs) => [
      needs[0] ? op(g, f, win) : null,
      needs[1] ? bpF(g, dy, f.shape, win) : null,
    ],
    // bilinear in (dy, f): dz = backpropInput(d dy, f) + backpropInput(dy, d f)
    jvp: ([tdy, tf], [dy, f], z, { win, shape }, batch) =>
      sumTerms(
        [
          term(tdy, batch, folds.idy, shape[folds.idy?.[1] ?? 0], (t, k) =>
            bpI(t, f, scaled(shape, folds.idy?.[1] ?? 0, k), win),
          ),
          term(tf, batch, folds.iff, shape[folds.iff?.[1] ?? 0], (t, k) =>
            bpI(dy, t, scaled(shape, folds.iff?.[1] ?? 0, k), win),
          ),
        ],
        batch,
        z,
      ),
  });

  fam.filter = definePrimitive<ShapedWindow>({
    name: names[2],
    forward: ([x, dy], { win, shape }) => {
      expectShapes(names[2], x.shape, shape, dy.shape, win, spec.outChannels(x.shape[3], shape));
      const df = allocate(x.dtype, sizeOf(shape)) as NumArray;
      spec.backpropFilter(x.values as NumArray, dy.values as NumArray, geometry(x.shape, shape, win), df, x.dtype);
      return new Tensor(df, shape, x.dtype);
    },
    // z = ∇_f B(x, ·, dy): ⟨g, z⟩ = B(x, g, dy), so d x = backpropInput(dy, g) and d dy = op(x, g), as TF
    vjp: (g, [x, dy], _z, { win }, needs) => [
      needs[0] ? bpI(dy, g, x.shape, win) : null,
      needs[1] ? op(x, g, win) : null,
    ],
    // bilinear in (x, dy): dz = backpropFilter(dx, dy) + backpropFilter(x, d dy)
    jvp: ([tx, tdy], [x, dy], z, { win, shape }, batch) =>
      sumTerms(
        [
          term(tx, batch, folds.fx2, shape[folds.fx2?.[1] ?? 0], (t, k) =>
            bpF(t, dy, scaled(shape, folds.fx2?.[1] ?? 0, k), win),
          ),
          term(tdy, batch, folds.fdy, shape[folds.fdy?.[1] ?? 0], (t, k) =>
            bpF(x, t, scaled(shape, folds.fdy?.[1] ?? 0, k), win),
          ),
        ],
        batch,
        z,
      ),
  });
  return fam;
}

// NOTE: batch axes of tangents (tg.hessian) fold into an axis the term is linear and independent
// along: the batch axis N of the image side; for conv2d also the filter's channels (each output or
// input channel is its own product)
const convFamily = defineFamily({
  names: ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'],
  outChannels: (_ci, f) => f[3],
  forward: conv2dForward,
  backpropInput: conv2dBackpropInputKernel,
  backpropFilter: conv2dBackpropFilterKernel,
  folds: { fx: [0, 0], ff: [3, 3], idy: [0, 0], iff: [2, 3], fx2: [3, 2], fdy: [3, 3] },
});

// depthwise: a filter tangent couples its channels with the image's, so those terms go one batch element at a time
const depthwiseFamily = defineFamily({
  names: ['depthwiseConv2d', 'depthwiseConv2dBackpropInput', 'depthwiseConv2dBackpropFilter'],
  outChannels: (ci, f) => ci * f[3],
  forward: (x, f, g, out) => depthwiseForward(x, f, g, out),
  backpropInput: (dy, f, g, dx) => depthwiseBackpropInput(dy, f, g, dx),
  backpropFilter: (x, dy, g, df) => depthwiseBackpropFilter(x, dy, g, df),
  folds: { fx: [0, 0], ff: null, idy: [0, 0], iff: null, fx2: null, fdy: null },
});

/** The window of a 2-D op from its checked arguments. */
function resolveWindow(axes: AxisWindow[], strides: number[], dilations: number[]): ConvWindow {
  return {
    sh: strides[0],
    sw: strides[1],
    dh: dilations[0],
    dw: dilations[1],
    pt: axes[0].before,
    pl: axes[1].before,
    oh: axes[0].out,
    ow: axes[1].out,
  };
}

/** Refuses a data format other than the channels-last one (TF's CPU kernels support only it). */
function requireChannelsLast(op: string, v: unknown, last: string, first: string): void {
  requireOneOf(op, 'dataFormat', v, [last, first]);
  if (v === first)
    throw new ArgumentError(
      `${op}: dataFormat '${first}' is not supported (TF's CPU kernels support only '${last}'); ` +
        `transpose the input to '${last}' first`,
    );
}

/** Checks an image and a filter: float, ranks, channels. `layout` names the axes for the messages. */
function checkImageFilter(op: string, x: Tensor, f: Tensor, rank: number, inLayout: string, fLayout: string): void {
  requireFloat(op, x);
  requireFloat(op, f);
  if (x.rank !== rank)
    throw new ShapeError(`${op}: input must have rank ${rank} ${inLayout}, got shape ${fmtShape(x.shape)}`);
  if (f.rank !== rank)
    throw new ShapeError(`${op}: filter must have rank ${rank} ${fLayout}, got shape ${fmtShape(f.shape)}`);
  const c = x.shape[rank - 1];
  const fc = f.shape[rank - 2];
  if (c !== fc)
    throw new ShapeError(
      `${op}: the input has ${c} channels but the filter expects ${fc} (input ${fmtShape(x.shape)}, filter ${fmtShape(f.shape)})`,
    );
}

/**
 * The checked operands of a 2-D window op on an NHWC image and an HW·· filter (conv2d: HWIO,
 * depthwiseConv2d: HW·I·multiplier), and its window: every argument is refused under `op`'s name
 * before a mixed-dtype pair is cast. `checkWindow` adds an op's own rule on strides and dilations.
 */
function image2dOperands(
  op: string,
  x: TensorLike,
  filter: TensorLike,
  strides: number | readonly number[],
  padding: Padding,
  dataFormat: 'NHWC' | 'NCHW' | null,
  dilations: number | readonly number[] | null,
  lastFilterAxis: 'outChannels' | 'multiplier',
  checkWindow?: (s: number[], d: number[]) => void,
): { xt: Tensor; ft: Tensor; win: ConvWindow } {
  requireChannelsLast(op, dataFormat ?? 'NHWC', 'NHWC', 'NCHW');
  const s = windowInts(op, 'strides', strides, 2);
  const d = windowInts(op, 'dilations', dilations ?? 1, 2);
  checkWindow?.(s, d);
  const mode = paddingMode(op, padding, 2);
  const windowOf = (a: Tensor, b: Tensor): ConvWindow => {
    checkImageFilter(op, a, b, 4, '[batch, height, width, channels]', `[height, width, inChannels, ${lastFilterAxis}]`);
    return resolveWindow(windowAxes(op, a.shape.slice(1, 3), b.shape.slice(0, 2), s, d, mode), s, d);
  };
  const [xt, ft] = binaryOperands(op, x, filter, (_op, a, b) => void windowOf(a, b));
  return { xt, ft, win: windowOf(xt, ft) };
}

/**
 * A 2-D convolution (TF's conv2d, a cross-correlation) of an NHWC input `[batch, height, width, inChannels]`
 * with an HWIO filter `[filterHeight, filterWidth, inChannels, outChannels]`; `padding` is `'valid'`,
 * `'same'` (the odd cell at the bottom/right, as TF) or `[[0, 0], [top, bottom], [left, right], [0, 0]]`.
 * @example
 * tg.conv2d(tg.ones([1, 3, 3, 1]), tg.ones([2, 2, 1, 1]), 1, 'valid').reshape([2, 2]); // [[4, 4], [4, 4]]
 */
export function conv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | readonly number[],
  padding: Padding,
  dataFormat: 'NHWC' | 'NCHW' | null = 'NHWC',
  dilations: number | readonly number[] | null = 1,
): Tensor {
  const { xt, ft, win } = image2dOperands('conv2d', x, filter, strides, padding, dataFormat, dilations, 'outChannels');
  return convFamily.forward.run([xt, ft], win);
}

/**
 * A 1-D convolution of an NWC input `[batch, width, inChannels]` with a WIO filter
 * `[filterWidth, inChannels, outChannels]` (TF's conv1d: conv2d over an inserted height of 1).
 * @example
 * tg.conv1d([[[1], [2], [3]]], [[[1]], [[-1]]], 1, 'valid').reshape([2]); // [-1, -1]  (1 - 2, 2 - 3)
 */
export function conv1d(
  x: TensorLike,
  filter: TensorLike,
  stride: number | readonly number[],
  padding: Padding,
  dataFormat: 'NWC' | 'NCW' | null = 'NWC',
  dilation: number | readonly number[] | null = 1,
): Tensor {
  const op = 'conv1d';
  requireChannelsLast(op, dataFormat ?? 'NWC', 'NWC', 'NCW');
  const s = windowInts(op, 'stride', stride, 1);
  const d = windowInts(op, 'dilation', dilation ?? 1, 1);
  const mode: PaddingMode = paddingMode(op, padding, 1);
  let axes: AxisWindow[] = [];
  const check = (_op: string, a: Tensor, b: Tensor): void => {
    checkImageFilter(op, a, b, 3, '[batch, width, channels]', '[width, inChannels, outChannels]');
    axes = windowAxes(op, [a.shape[1]], [b.shape[0]], s, d, mode);
  };
  const [xt, ft] = binaryOperands(op, x, filter, check);
  check(op, xt, ft);
  const win = resolveWindow([{ out: 1, before: 0, after: 0 }, axes[0]], [1, s[0]], [1, d[0]]);
  const [n, w, c] = xt.shape;
  const y = convFamily.forward.run([reshape(xt, [n, 1, w, c]), reshape(ft, [1, ...ft.shape])], win);
  return reshape(y, [n, win.ow, ft.shape[2]]);
}

/**
 * The transpose of conv2d (TF's conv2d_transpose): exactly conv2d's gradient with respect to its input,
 * for a filter `[height, width, outChannels, inChannels]` and the full NHWC `outputShape`.
 * @example
 * tg.conv2dTranspose(tg.ones([1, 2, 2, 1]), tg.ones([2, 2, 1, 1]), [1, 3, 3, 1], 1, 'valid').reshape([3, 3]); // [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
 */
export function conv2dTranspose(
  x: TensorLike,
  filter: TensorLike,
  outputShape: readonly number[],
  strides: number | readonly number[],
  padding: Padding,
): Tensor {
  const op = 'conv2dTranspose';
  const out = requireShape(op, outputShape, 'outputShape');
  if (out.length !== 4)
    throw new ShapeError(
      `${op}: outputShape must have 4 entries [batch, height, width, channels], got ${fmtShape(out)}`,
    );
  const s = windowInts(op, 'strides', strides, 2);
  const mode = paddingMode(op, padding, 2);
  let win: ConvWindow | undefined;
  const check = (_op: string, a: Tensor, b: Tensor): void => {
    requireFloat(op, a);
    requireFloat(op, b);
    if (a.rank !== 4)
      throw new ShapeError(
        `${op}: input must have rank 4 [batch, height, width, channels], got shape ${fmtShape(a.shape)}`,
      );
    if (b.rank !== 4)
      throw new ShapeError(
        `${op}: filter must have rank 4 [height, width, outChannels, inChannels], got shape ${fmtShape(b.shape)}`,
      );
    if (a.shape[3] !== b.shape[3])
      throw new ShapeError(
        `${op}: the input has ${a.shape[3]} channels but the filter's last axis (its input channels) is ${b.shape[3]}`,
      );
    if (out[3] !== b.shape[2] || out[0] !== a.shape[0])
      throw new ShapeError(
        `${op}: outputShape ${fmtShape(out)} needs the input's batch ${a.shape[0]} and the filter's output channels ${b.shape[2]}`,
      );
    win = resolveWindow(windowAxes(op, out.slice(1, 3), b.shape.slice(0, 2), s, [1, 1], mode), s, [1, 1]);
    if (win.oh !== a.shape[1] || win.ow !== a.shape[2])
      throw new ShapeError(
        `${op}: conv2d of an input of shape ${fmtShape(out)} with these strides and padding gives ` +
          `[${win.oh}, ${win.ow}] spatially, but the input is ${fmtShape(a.shape)}`,
      );
  };
  const [xt, ft] = binaryOperands(op, x, filter, check);
  check(op, xt, ft);
  return convFamily.input.run([xt, ft], { win: win!, shape: out });
}

/**
 * A depthwise 2-D convolution (TF's depthwise_conv2d): input channel c convolved with each of its
 * `filter[:, :, c, q]`, giving output channel c·multiplier + q; filter `[height, width, inChannels, multiplier]`.
 * @example
 * tg.depthwiseConv2d(tg.tensor([1, 2, 3, 4, 5, 6], [1, 3, 2, 1]), tg.tensor([1, 2, 3, 4], [2, 1, 1, 2]), 1, 'valid').reshape([2, 2, 2]); // [[[10, 14], [14, 20]], [[18, 26], [22, 32]]]
 */
export function depthwiseConv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | readonly number[],
  padding: Padding,
  dataFormat: 'NHWC' | 'NCHW' | null = 'NHWC',
  dilations: number | readonly number[] | null = 1,
): Tensor {
  const { xt, ft, win } = image2dOperands(
    'depthwiseConv2d',
    x,
    filter,
    strides,
    padding,
    dataFormat,
    dilations,
    'multiplier',
    (s, d) => {
      if (s.some((v) => v > 1) && d.some((v) => v > 1))
        throw new ArgumentError('depthwiseConv2d: strides > 1 are not supported together with dilations > 1 (as TF)');
    },
  );
  return depthwiseFamily.forward.run([xt, ft], win);
}
