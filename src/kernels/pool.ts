// Pooling kernels over NHWC blocks: max pooling with its argmax (TF's CPU scan order), the gather and
// scatter at recorded argmax positions, and average pooling over the in-bounds cells with its adjoint.
import type { NumArray } from './offsets';

/** The window arithmetic of one pooling: NHWC input `[batch, inH, inW, channels]` → `[batch, outH, outW, channels]`. */
export interface PoolWindows {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly outH: number;
  readonly outW: number;
  readonly filterH: number;
  readonly filterW: number;
  readonly strideH: number;
  readonly strideW: number;
  /** Cells of padding above and left of the input (those below and right are implied by outH, outW). */
  readonly padTop: number;
  readonly padLeft: number;
}

/** The lowest finite value of the output's type: TF's max pool starts every window there. */
function lowest(out: NumArray): number {
  if (out instanceof Float32Array) return -3.4028234663852886e38;
  if (out instanceof Int32Array) return -2147483648;
  return -Number.MAX_VALUE;
}

/**
 * Max pooling with its argmax: per window and channel, `argmax` gets the index (into one NHWC block
 * `x`) of the first in-bounds cell in row-major (h, then w) order, then of any later cell strictly
 * greater than the best so far, as TF's CPU MaxPoolGrad scans; `out` gets that cell's value. A window
 * with no in-bounds cell (only with padding around an empty input) gets TF's lowest value and -1.
 */
export function maxPoolKernel(x: NumArray, g: PoolWindows, out: NumArray, argmax: Int32Array): void {
  const { inH, inW, channels: c, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft } = g;
  const low = lowest(out);
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    const xb = b * inH * inW * c;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padTop;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + filterH, inH);
      for (let ow = 0; ow < outW; ow++, o += c) {
        const w0 = ow * strideW - padLeft;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + filterW, inW);
        if (hs >= he || ws >= we) {
          for (let k = 0; k < c; k++) {
            out[o + k] = low;
            argmax[o + k] = -1;
          }
          continue;
        }
        // per channel: the first cell, then any later cell strictly greater (kept in registers)
        const first = xb + (hs * inW + ws) * c;
        for (let k = 0; k < c; k++) {
          let at = first + k;
          let best = x[at];
          for (let h = hs; h < he; h++) {
            const row = xb + h * inW * c + k;
            for (let w = h === hs ? ws + 1 : ws; w < we; w++) {
              const i = row + w * c;
              const v = x[i];
              if (best < v) {
                best = v;
                at = i;
              }
            }
          }
          out[o + k] = best;
          argmax[o + k] = at;
        }
      }
    }
  }
}

/**
 * out[r, j] = t[r, argmax[j]] for each of `reps` leading blocks: `t` is `reps` blocks of `inSize`
 * (the pooled input's size), `out` `reps` blocks of argmax.length; a -1 gives 0.
 */
export function gatherArgmaxKernel(t: NumArray, argmax: Int32Array, inSize: number, reps: number, out: NumArray): void {
  const n = argmax.length;
  for (let r = 0; r < reps; r++) {
    const ti = r * inSize;
    const oi = r * n;
    for (let j = 0; j < n; j++) {
      const a = argmax[j];
      out[oi + j] = a < 0 ? 0 : t[ti + a];
    }
  }
}

/**
 * out[r, argmax[j]] += dy[r, j] for each of `reps` leading blocks, `out` zeroed first (`reps` blocks
 * of `inSize`): the adjoint of gatherArgmaxKernel. A -1 drops its value.
 */
export function scatterArgmaxKernel(
  dy: NumArray,
  argmax: Int32Array,
  inSize: number,
  reps: number,
  out: NumArray,
): void {
  const n = argmax.length;
  out.fill(0);
  for (let r = 0; r < reps; r++) {
    const oi = r * inSize;
    const di = r * n;
    for (let j = 0; j < n; j++) {
      const a = argmax[j];
      if (a >= 0) out[oi + a] += dy[di + j];
    }
  }
}

/** The number of in-bounds cells of window (oh, ow): TF's average pool divides by it, not by the window's area. */
function cellCount(g: PoolWindows, oh: number, ow: number): number {
  const h0 = oh * g.strideH - g.padTop;
  const w0 = ow * g.strideW - g.padLeft;
  const rows = Math.min(h0 + g.filterH, g.inH) - Math.max(h0, 0);
  const cols = Math.min(w0 + g.filterW, g.inW) - Math.max(w0, 0);
  return Math.max(rows, 0) * Math.max(cols, 0);
}

/**
 * Average pooling: the mean of each window's in-bounds cells, per channel (0/0 = NaN for a window
 * with none, as TF). `blocks` is the number of NHWC images (g.batch times any leading batch axes).
 * In float32 the sum is accumulated in float64 and rounded once.
 */
export function avgPoolKernel(x: NumArray, g: PoolWindows, blocks: number, out: NumArray): void {
  const { inH, inW, channels: c, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft } = g;
  const acc = new Float64Array(c);
  let o = 0;
  for (let b = 0; b < blocks; b++) {
    const xb = b * inH * inW * c;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padTop;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + filterH, inH);
      for (let ow = 0; ow < outW; ow++, o += c) {
        const w0 = ow * strideW - padLeft;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + filterW, inW);
        acc.fill(0);
        for (let h = hs; h < he; h++) {
          for (let w = ws; w < we; w++) {
            const cell = xb + (h * inW + w) * c;
            for (let k = 0; k < c; k++) acc[k] += x[cell + k];
          }
        }
        const count = cellCount(g, oh, ow);
        for (let k = 0; k < c; k++) out[o + k] = acc[k] / count;
      }
    }
  }
}

/**
 * The adjoint of avgPoolKernel: each dy spread evenly, dy/count, over its window's in-bounds cells
 * (`out`, `blocks` NHWC input images, zeroed first). A window with no cell drops its value.
 */
export function avgPoolGradKernel(dy: NumArray, g: PoolWindows, blocks: number, out: NumArray): void {
  const { inH, inW, channels: c, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft } = g;
  out.fill(0);
  let o = 0;
  for (let b = 0; b < blocks; b++) {
    const xb = b * inH * inW * c;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - padTop;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + filterH, inH);
      for (let ow = 0; ow < outW; ow++, o += c) {
        const w0 = ow * strideW - padLeft;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + filterW, inW);
        const count = cellCount(g, oh, ow);
        if (count === 0) continue;
        for (let h = hs; h < he; h++) {
          for (let w = ws; w < we; w++) {
            const cell = xb + (h * inW + w) * c;
            for (let k = 0; k < c; k++) out[cell + k] += dy[o + k] / count;
          }
        }
      }
    }
  }
}
