// definePrimitive: the only door into the kernels. A primitive is a name, its forward computation,
// its gradient rule (vjp) and its tangent rule (jvp), side by side. `run` computes (validating
// before it touches anything), then hands the op to the active recorders, so a failed op leaves no trace.
import type { Tensor } from '../core/tensor';
import type { Shape } from '../core/shape';
import { isFloat } from '../core/dtype';
import type { OpRecord } from '../core/recording';
import { activeRecorders, noteIfWanted, recordIfWanted } from '../core/recording';
import { fmtShape } from '../core/shape';

/** Declares that a primitive has no derivative by design (comparisons, argMax, floor …), never by omission. */
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

/**
 * A tangent rule: the output's tangent from the inputs' tangents (`null` where an input has none;
 * at least one has). Each tangent has shape `[...batch, ...input.shape]` (batch is `[]` except in
 * tg.hessian, which pushes many tangents through at once); the result must have shape
 * `[...batch, ...output.shape]`, or be `null` for "no tangent". Written with the library's ops,
 * so it nests with tapes and other accumulators.
 */
export type JvpRule<A> = (
  tangents: readonly (Tensor | null)[],
  inputs: readonly Tensor[],
  output: Tensor,
  attrs: A,
  batch: Shape,
) => Tensor | null;

/** Both rules, or neither (declared so): the type system refuses a primitive with only one of them. */
export type Rules<A> =
  | { readonly vjp: VjpRule<A>; readonly jvp: JvpRule<A> }
  | { readonly vjp: typeof NOT_DIFFERENTIABLE; readonly jvp: typeof NOT_DIFFERENTIABLE };

/** A primitive: a name, the forward computation and its rules, side by side. */
export type PrimitiveSpec<A> = Rules<A> & {
  readonly name: string;
  /** Validates its inputs (throwing ShapeError/DTypeError before any work) and computes the output. */
  readonly forward: (inputs: readonly Tensor[], attrs: A) => Tensor;
};

/** A defined primitive: its spec plus `run`, which computes and records. */
export type Primitive<A> = PrimitiveSpec<A> & {
  run(inputs: readonly Tensor[], attrs: A): Tensor;
};

/** One run of a primitive, as the recorders keep it: its rules applied to this run's tensors. */
class PrimitiveRecord<A> implements OpRecord {
  constructor(
    readonly name: string,
    readonly inputs: readonly Tensor[],
    readonly output: Tensor,
    private readonly rules: { readonly vjp: VjpRule<A>; readonly jvp: JvpRule<A> },
    private readonly attrs: A,
  ) {}

  // NOTE: methods, not closures per op: recording is the hot path of a scalar graph (W1)
  vjp(dy: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
    return this.rules.vjp(dy, this.inputs, this.output, this.attrs, needs);
  }

  jvp(tangents: readonly (Tensor | null)[], batch: Shape): Tensor | null {
    return this.rules.jvp(tangents, this.inputs, this.output, this.attrs, batch);
  }
}

/**
 * `tg.debugging.enableCheckNumerics()`'s state: `enabled`, and while a tape runs a gradient rule,
 * the name of the recorded op whose rule it is (`null` in the forward pass).
 */
export const numerics: { enabled: boolean; gradientOf: string | null } = { enabled: false, gradientOf: null };

/**
 * Runs a recorded op's rule (its gradient or its tangent rule) with checkNumerics told whose rule
 * it is, so that an error names the recorded op.
 */
export function inRuleOf<T>(name: string, rule: () => T): T {
  const outer = numerics.gradientOf;
  numerics.gradientOf = name;
  try {
    return rule();
  } finally {
    numerics.gradientOf = outer;
  }
}

/** Thrown by an op that makes a NaN or ±Infinity from finite inputs while `enableCheckNumerics()` is on. */
export class CheckNumericsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckNumericsError';
  }
}

/** True when every element is finite (always, for integer and bool tensors). */
function allFinite(t: Tensor): boolean {
  if (!isFloat(t.dtype)) return true;
  const v = t.values;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** Throws if `output` has a NaN or ±Infinity and every input is finite: this op made it. */
function checkNumerics(name: string, inputs: readonly Tensor[], output: Tensor): void {
  if (allFinite(output)) return;
  for (let i = 0; i < inputs.length; i++) if (!allFinite(inputs[i])) return;
  const v = output.values;
  let bad = 0;
  while (bad < v.length && Number.isFinite(v[bad])) bad++;
  const what = Number.isNaN(v[bad]) ? 'NaN' : v[bad] > 0 ? 'Infinity' : '-Infinity';
  const shapes = inputs.map((t) => `${fmtShape(t.shape)} ${t.dtype}`).join(', ');
  const context = numerics.gradientOf === null ? '' : `, in the gradient of '${numerics.gradientOf}'`;
  throw new CheckNumericsError(`checkNumerics: ${name} produced ${what} (input shapes ${shapes})${context}`);
}

/** Every primitive by name: the gradient-check tests assert each one is covered. */
export const primitives = new Map<string, PrimitiveSpec<never>>();

/** Defines a primitive and registers it by name. */
export function definePrimitive<A>(spec: PrimitiveSpec<A>): Primitive<A> {
  if (primitives.has(spec.name)) throw new Error(`definePrimitive: '${spec.name}' is defined twice`);
  const { name, forward } = spec;
  const rules = spec.vjp === NOT_DIFFERENTIABLE ? null : (spec as { vjp: VjpRule<A>; jvp: JvpRule<A> });
  const run = (inputs: readonly Tensor[], attrs: A): Tensor => {
    const output = forward(inputs, attrs);
    if (numerics.enabled) checkNumerics(name, inputs, output);
    // The hot path with no active recorder costs one length check.
    if (activeRecorders.length !== 0) {
      if (rules !== null && isFloat(output.dtype))
        recordIfWanted(new PrimitiveRecord(name, inputs, output, rules, attrs));
      // not recorded (no derivative, or an integer or bool result): tapes keep a note, for explain()
      else noteIfWanted(name, inputs, output, rules !== null);
    }
    return output;
  };
  const prim = { ...spec, run } as Primitive<A>;
  primitives.set(name, prim as unknown as PrimitiveSpec<never>);
  return prim;
}
