// The one conversion every op uses: Tensor, Variable (a read) or plain value to Tensor.
import type { DType } from './dtype';
import type { PlainValue } from './convert';
import { fromPlain, scalarTensor } from './convert';
import { Tensor } from './tensor';
import { Variable } from './variable';

/** Anything an op accepts where a tensor is expected. */
export type TensorLike = PlainValue | Tensor | Variable;

/**
 * A tensor from `x`. A Variable counts as a read (tapes are told); a plain value gets `dtype`
 * (the other operand's dtype in a binary op), else float32.
 */
export function toTensor(op: string, x: TensorLike, dtype?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (x instanceof Variable) return x.value();
  if (typeof x === 'number' && dtype !== undefined && dtype !== 'int32') return scalarTensor(x, dtype);
  return fromPlain(op, x, undefined, dtype);
}

/** True for a Tensor or a Variable, whose dtype a plain partner should take. */
export function isTensorish(x: TensorLike): x is Tensor | Variable {
  return x instanceof Tensor || x instanceof Variable;
}
