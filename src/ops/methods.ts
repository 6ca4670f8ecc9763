// Attaches every op of the op list (api.ts) as a chainable method of Tensor and Variable, in one
// place: `x.mul(x).add(2)`. Every op whose first argument is one tensor is a method; the few that
// are not are listed here.
import type { TensorLike } from '../core/as_tensor';
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';
import * as api from './api';

/** The ops that make tensors from numbers and shapes: functions only, and nothing to differentiate. */
export const creationOps = [
  'tensor',
  'constant',
  'scalar',
  'fill',
  'zeros',
  'ones',
  'zerosLike',
  'onesLike',
  'eye',
  'range',
  'linspace',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
] as const satisfies readonly (keyof typeof api)[];

/** Ops that are functions only: the creation ops, and those taking a list of tensors (see `concat`, `stack` below). */
const functionsOnly = [
  ...creationOps,
  'concat',
  'stack',
  'clipByGlobalNorm',
  'scatterND',
  'einsum',
  'meshgrid',
] as const;

/** The ops that are methods, their receiver the first argument. */
type MethodName = Exclude<keyof typeof api, (typeof functionsOnly)[number]>;

/** A function's parameters after the first. */
type Rest<F> = F extends (first: never, ...rest: infer R) => unknown ? R : never;

/** The methods every Tensor and Variable has: each op with the receiver as its first argument. */
export type OpMethods = {
  [K in MethodName]: (...args: Rest<(typeof api)[K]>) => ReturnType<(typeof api)[K]>;
} & {
  /** `x.concat(y, axis)` is `concat([x, y], axis)`; y may also be an array of tensors. */
  concat(others: TensorLike | readonly TensorLike[], axis?: number): Tensor;
  /** `x.stack(y, axis)` is `stack([x, y], axis)`; y may also be an array of tensors. */
  stack(others: TensorLike | readonly TensorLike[], axis?: number): Tensor;
};

// declaration merging: the classes gain the method types here, where the methods are attached
/* eslint-disable @typescript-eslint/no-empty-object-type -- declaration merging adds the methods to the classes */
declare module '../core/tensor' {
  interface Tensor extends OpMethods {}
}
declare module '../core/variable' {
  interface Variable extends OpMethods {}
}
/* eslint-enable @typescript-eslint/no-empty-object-type */

type AnyOp = (self: Tensor | Variable, ...args: unknown[]) => unknown;

const skipped = new Set<string>(functionsOnly);

/** The names of the chainable methods (for tests and docs). */
export const methodNames: readonly string[] = [
  ...Object.keys(api).filter((name) => !skipped.has(name)),
  'concat',
  'stack',
];

/** Attaches the methods; idempotent. */
function install(proto: object): void {
  for (const name of methodNames) {
    if (name === 'concat' || name === 'stack') continue;
    const fn = (api as unknown as Record<string, AnyOp>)[name];
    Object.defineProperty(proto, name, {
      value: function (this: Tensor | Variable, ...args: unknown[]) {
        return fn(this, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
  const joined = (join: (xs: readonly TensorLike[], axis?: number) => Tensor) =>
    function (this: Tensor | Variable, others: TensorLike | readonly TensorLike[], axis?: number) {
      // an array of tensors is a list; any other value (a nested array too) is one tensor
      const list =
        Array.isArray(others) && others.length > 0 && others.every((o) => o instanceof Tensor || o instanceof Variable);
      const rest = list ? (others as readonly TensorLike[]) : [others as TensorLike];
      return join([this, ...rest], axis);
    };
  Object.defineProperty(proto, 'concat', { value: joined(api.concat), writable: true, configurable: true });
  Object.defineProperty(proto, 'stack', { value: joined(api.stack), writable: true, configurable: true });
}

install(Tensor.prototype);
install(Variable.prototype);
