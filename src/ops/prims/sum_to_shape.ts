// sumToShape: the gradient of a broadcast, the one place broadcasting is undone in the gradient rules.
import type { Shape } from '../../core/shape';
import { sameShape } from '../../core/shape';
import type { Tensor } from '../../core/tensor';
import { sum } from './reduce';
import { reshape } from './shape';

/**
 * Sums `g` over the axes that broadcasting added or stretched, so it has `shape` again: a gradient
 * of shape `[2, 3]` flowing back into an operand of shape `[3]` becomes the sum of its two rows.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  // NOTE: one shape array is the usual case (an op's output shares its input's): no compare
  if (g.shape === shape || sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(sum(g, axes), shape);
}
