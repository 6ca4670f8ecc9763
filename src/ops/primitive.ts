// definePrimitive: the only door into the kernels. It runs the forward computation (which validates
// before it touches anything), then hands the op to the active recorders, so a failed op leaves no trace.
import type { Tensor } from '../core/tensor';
import { isFloat } from '../core/dtype';
import type { OpRecord } from '../core/recording';
import { activeRecorders, recordIfWanted } from '../core/recording';

/** Declares that a primitive has no gradient by design (comparisons, argMax, floor …), never by omission. */
export const NOT_DIFFERENTIABLE = 'not differentiable' as const;

/**
 * A gradient rule: the gradient of each input from the upstream gradient `dy`. Written with the
 * library's public ops only, so a rule can itself be differentiated. `needs[i]` false allows `null`.
 */
export type VjpRule<A> = (
  dy: Tensor,
  inputs: readonly Tensor[],
  output: Tensor,
  attrs: A,
  needs: readonly boolean[],
) => readonly (Tensor | null)[];

/** A primitive: a name, the forward computation and its gradient rule, side by side. */
export interface PrimitiveSpec<A> {
  readonly name: string;
  /** Validates its inputs (throwing ShapeError/DTypeError before any work) and computes the output. */
  readonly forward: (inputs: readonly Tensor[], attrs: A) => Tensor;
  readonly vjp: VjpRule<A> | typeof NOT_DIFFERENTIABLE;
}

/** A defined primitive: its spec plus `run`, which computes and records. */
export interface Primitive<A> extends PrimitiveSpec<A> {
  run(inputs: readonly Tensor[], attrs: A): Tensor;
}

/** One run of a primitive, as the recorders keep it: its backward applies the primitive's rule. */
class PrimitiveRecord<A> implements OpRecord {
  constructor(
    readonly name: string,
    readonly inputs: readonly Tensor[],
    readonly output: Tensor,
    private readonly vjp: VjpRule<A>,
    private readonly attrs: A,
  ) {}

  // NOTE: a method, not a closure per op: recording is the hot path of a scalar graph (W1)
  backward(dy: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
    return this.vjp(dy, this.inputs, this.output, this.attrs, needs);
  }
}

/** Every primitive by name: the gradient-check tests assert each one is covered. */
export const primitives = new Map<string, PrimitiveSpec<never>>();

/** Defines a primitive and registers it by name. */
export function definePrimitive<A>(spec: PrimitiveSpec<A>): Primitive<A> {
  if (primitives.has(spec.name)) throw new Error(`definePrimitive: '${spec.name}' is defined twice`);
  const { name, forward, vjp } = spec;
  const run = (inputs: readonly Tensor[], attrs: A): Tensor => {
    const output = forward(inputs, attrs);
    // The hot path with no active recorder costs one length check.
    if (activeRecorders.length !== 0 && vjp !== NOT_DIFFERENTIABLE && isFloat(output.dtype)) {
      recordIfWanted(new PrimitiveRecord(name, inputs, output, vjp, attrs));
    }
    return output;
  };
  const prim: Primitive<A> = { ...spec, run };
  primitives.set(name, prim as unknown as PrimitiveSpec<never>);
  return prim;
}
