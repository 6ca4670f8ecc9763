// Two interleaved spirals: a classic data set that a linear model cannot separate. Made here, seeded.
import * as tg from 'tapegrad';

/** `n` points per class: features [2n, 2] and integer labels [2n]. */
export function spirals(n: number, seed: number): { x: tg.Tensor; labels: tg.Tensor } {
  const noise = tg.randomNormal([2 * n, 2], { seed, stddev: 0.02 }).dataSync();
  const xs: number[] = [];
  const labels: number[] = [];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      const r = 0.05 + (0.95 * i) / n; // radius grows along the arm
      const theta = 3 * Math.PI * (i / n) + c * Math.PI; // one and a half turns, the arms opposite
      const k = c * n + i;
      xs.push(r * Math.cos(theta) + noise[2 * k], r * Math.sin(theta) + noise[2 * k + 1]);
      labels.push(c);
    }
  }
  return { x: tg.tensor(xs, [2 * n, 2]), labels: tg.tensor(labels, [2 * n], 'int32') };
}
