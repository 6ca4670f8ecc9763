// Gradient-check cases of the Keras losses added with their options (hinge … categoricalFocalCrossentropy, and
// the reduction, labelSmoothing, axis and ignoreClass options of the first six), to be joined to the table of
// cases.ts. Inputs keep away from the kinks: hinge margins, clipping bounds, |·| at 0, ties of max.
import * as tg from '../../src';
import type { Case } from './cases';
import { any, pos, uniform } from './inputs';

const u = uniform;
const prob = (shape: number[], seed = 7) => u(shape, 0.1, 0.9, seed);
const f64 = (v: number[][]) => tg.tensor(v, undefined, 'float64');

// hinge margins 1 - z·p of [0.7, 3, 1.4, -0.7, 1.2, -0.5]: both sides of the kink, none near it
const signs = () =>
  f64([
    [1, -1, 1],
    [1, -1, -1],
  ]);
const margins = () =>
  f64([
    [0.3, 2.0, -0.4],
    [1.7, 0.2, -1.5],
  ]);
const oneHot = () =>
  f64([
    [0, 1, 0],
    [1, 0, 0],
  ]);
const binary = () =>
  f64([
    [1, 0, 1],
    [0, 0, 1],
  ]);

export const lossCases: Case[] = [
  { op: 'losses.hinge', f: (p) => tg.losses.hinge(signs(), p), inputs: () => [margins()] },
  // 0/1 labels, converted to -1/1: the same margins
  {
    op: 'losses.hinge (0/1 labels)',
    f: (p) => tg.losses.hinge(signs().add(1).div(2), p, { reduction: 'sum' }),
    inputs: () => [margins()],
  },
  { op: 'losses.squaredHinge', f: (p) => tg.losses.squaredHinge(signs(), p), inputs: () => [margins()] },
  // row 0: neg = max(0.9, 0.4)·…: no ties in max((1 - z)·p), and neg - pos + 1 away from 0
  {
    op: 'losses.categoricalHinge',
    f: (p) => tg.losses.categoricalHinge(oneHot(), p),
    inputs: () => [
      f64([
        [0.9, 0.5, 0.4],
        [0.2, 0.7, -0.3],
      ]),
    ],
  },
  {
    op: 'losses.klDivergence',
    f: (t, p) => tg.losses.klDivergence(t, p),
    inputs: () => [prob([2, 3], 3), prob([2, 3])],
  },
  { op: 'losses.poisson', f: (t, p) => tg.losses.poisson(t, p), inputs: () => [pos([2, 3], 3), pos([2, 3])] },
  { op: 'losses.logCosh', f: (t, p) => tg.losses.logCosh(t, p), inputs: () => [any([2, 3], 3), any([2, 3])] },
  {
    op: 'losses.cosineSimilarity',
    f: (t, p) => tg.losses.cosineSimilarity(t, p).add(tg.losses.cosineSimilarity(t, p, { axis: 0, reduction: 'sum' })),
    inputs: () => [any([2, 3], 3), any([2, 3])],
  },
  // |z - p| away from 0: labels 3, predictions in [-2, 2]
  {
    op: 'losses.meanAbsolutePercentageError',
    f: (p) => tg.losses.meanAbsolutePercentageError(tg.fill([2, 3], 3, 'float64'), p),
    inputs: () => [any([2, 3])],
  },
  {
    op: 'losses.meanSquaredLogarithmicError',
    f: (t, p) => tg.losses.meanSquaredLogarithmicError(t, p),
    inputs: () => [pos([2, 3], 3), pos([2, 3])],
  },
  {
    op: 'losses.binaryFocalCrossentropy',
    f: (p) => tg.losses.binaryFocalCrossentropy(binary(), p),
    inputs: () => [prob([2, 3])],
  },
  {
    op: 'losses.binaryFocalCrossentropy (logits, balanced, smoothed, gamma 1.5)',
    f: (p) =>
      tg.losses.binaryFocalCrossentropy(binary(), p, {
        fromLogits: true,
        applyClassBalancing: true,
        labelSmoothing: 0.1,
        gamma: 1.5,
        reduction: 'none',
      }),
    inputs: () => [any([2, 3])],
  },
  {
    op: 'losses.categoricalFocalCrossentropy',
    f: (p) => tg.losses.categoricalFocalCrossentropy(oneHot(), p, { alpha: [0.2, 0.5, 0.3] }),
    inputs: () => [prob([2, 3])],
  },
  {
    op: 'losses.categoricalFocalCrossentropy (logits, smoothed, axis 0)',
    f: (p) => tg.losses.categoricalFocalCrossentropy(oneHot(), p, { fromLogits: true, labelSmoothing: 0.1, axis: 0 }),
    inputs: () => [any([2, 3])],
  },
  // the options of the first six
  {
    op: 'losses.meanSquaredError (reduction)',
    f: (t, p) => tg.losses.meanSquaredError(t, p, { reduction: 'none' }),
    inputs: () => [any([2, 3], 3), any([2, 3])],
  },
  {
    op: 'losses.binaryCrossentropy (smoothed, axis 0)',
    f: (p) => tg.losses.binaryCrossentropy(binary(), p, { labelSmoothing: 0.2, axis: 0, reduction: 'sum' }),
    inputs: () => [prob([2, 3])],
  },
  {
    op: 'losses.categoricalCrossentropy (logits, smoothed, axis 0)',
    f: (p) => tg.losses.categoricalCrossentropy(oneHot(), p, { fromLogits: true, labelSmoothing: 0.1, axis: 0 }),
    inputs: () => [any([2, 3])],
  },
  {
    op: 'losses.sparseCategoricalCrossentropy (ignoreClass)',
    f: (p) => tg.losses.sparseCategoricalCrossentropy([2, -1, 0], p, { ignoreClass: -1 }),
    inputs: () => [prob([3, 3])],
  },
  {
    op: 'losses.huber (reduction)',
    f: (p) => tg.losses.huber(tg.zeros([2, 3], 'float64'), p, 0.5, { reduction: 'sum' }),
    inputs: () => [
      f64([
        [0.2, -0.9, 1.4],
        [-0.3, 0.1, -2],
      ]),
    ],
  },
];
