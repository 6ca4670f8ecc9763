// Variable: a named, mutable holder of a tensor value, watched automatically by tapes when trainable.
import type { DType } from './dtype';
import { DTypeError, ShapeError } from './errors';
import { fmtShape, sameShape } from './shape';
import type { PlainValue } from './convert';
import { fromPlain } from './convert';
import { Tensor } from './tensor';
import { nextId } from './ids';
import { formatValues } from './format';
import { notifyVariableRead } from './recording';

/** Options of `new Variable(initial, options)`. */
export interface VariableOptions {
  /** Shown when printed; TensorFlow's default is `'Variable'`. */
  name?: string;
  /** Trainable variables are watched by tapes as soon as an op reads them. Default true. */
  trainable?: boolean;
  /** Converts a plain initial value to this dtype (default float32). */
  dtype?: DType;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A mutable tensor-valued state, like `tf.Variable`. It can be passed to every op; `assign`,
 * `assignAdd` and `assignSub` change it in place. A gradient always uses the value an op read,
 * even if the variable was assigned afterwards.
 * @example
 * const x = new tg.Variable(3);
 * using tape = new tg.GradientTape();
 * const y = x.mul(x);
 * tape.gradient(y, x); // Tensor(6, shape=[], dtype=float32)
 */
export class Variable {
  /** Unique and increasing, shared with tensor ids. */
  readonly id: number;
  readonly name: string;
  readonly trainable: boolean;
  private current: Tensor;

  constructor(initial: PlainValue | Tensor | Variable, options: VariableOptions = {}) {
    const { name = 'Variable', trainable = true, dtype } = options;
    this.id = nextId();
    this.name = name;
    this.trainable = trainable;
    if (initial instanceof Variable) initial = initial.current;
    if (initial instanceof Tensor) {
      if (dtype !== undefined && dtype !== initial.dtype) {
        throw new DTypeError(
          `Variable: initial value has dtype ${initial.dtype} but dtype ${dtype} was asked for; cast it first`,
        );
      }
      this.current = initial;
    } else {
      this.current = fromPlain('Variable', initial, undefined, dtype);
    }
  }

  get shape(): readonly number[] {
    return this.current.shape;
  }

  get dtype(): DType {
    return this.current.dtype;
  }

  get rank(): number {
    return this.current.rank;
  }

  get size(): number {
    return this.current.size;
  }

  /**
   * The current value as an immutable tensor. Inside a tape this counts as a read, as in TensorFlow.
   * @example
   * new tg.Variable([1, 2]).value(); // Tensor([1, 2], shape=[2], dtype=float32)
   */
  value(): Tensor {
    notifyVariableRead(this, this.current);
    return this.current;
  }

  /** @internal The current value without telling any tape. */
  peek(): Tensor {
    return this.current;
  }

  /**
   * Replaces the value. The new value must have the variable's shape and dtype.
   * @example
   * const v = new tg.Variable([1, 2]);
   * v.assign([3, 4]);
   * v.value(); // Tensor([3, 4], shape=[2], dtype=float32)
   */
  assign(value: PlainValue | Tensor | Variable): this {
    this.current = this.checked('assign', value);
    return this;
  }

  /**
   * Adds to the value in place: `v = v + delta`.
   * @example
   * new tg.Variable([1, 2]).assignAdd([10, 10]).value(); // [11, 12]
   */
  assignAdd(delta: PlainValue | Tensor | Variable): this {
    return this.update('assignAdd', delta, 1);
  }

  /**
   * Subtracts from the value in place: `v = v - delta`.
   * @example
   * const x = new tg.Variable(0);
   * x.assignSub(0.5);
   * x.value(); // -0.5
   */
  assignSub(delta: PlainValue | Tensor | Variable): this {
    return this.update('assignSub', delta, -1);
  }

  private update(op: string, delta: PlainValue | Tensor | Variable, sign: 1 | -1): this {
    const d = this.checked(op, delta).values;
    const cur = this.current.values;
    const next = cur.slice();
    for (let i = 0; i < next.length; i++) next[i] = cur[i] + sign * d[i];
    this.current = new Tensor(next, this.current.shape, this.dtype);
    return this;
  }

  /** The value converted and checked against this variable's shape and dtype. */
  private checked(op: string, value: PlainValue | Tensor | Variable): Tensor {
    const t =
      value instanceof Variable
        ? value.current
        : value instanceof Tensor
          ? value
          : fromPlain(`Variable.${op}`, value, undefined, this.dtype);
    if (t.dtype !== this.dtype) {
      throw new DTypeError(
        `Variable.${op}: variable '${this.name}' has dtype ${this.dtype}, got a value of dtype ${t.dtype}; cast it first`,
      );
    }
    if (!sameShape(t.shape, this.shape)) {
      throw new ShapeError(
        `Variable.${op}: variable '${this.name}' has shape ${fmtShape(this.shape)}, got a value of shape ${fmtShape(t.shape)}`,
      );
    }
    return t;
  }

  /**
   * `Variable('x', shape=[], dtype=float32, value=-0.9999999)`.
   * @example
   * String(new tg.Variable(1, { name: 'x' })); // "Variable('x', shape=[], dtype=float32, value=1)"
   */
  toString(): string {
    const prefix = `Variable('${this.name}', shape=[${this.shape.join(',')}], dtype=${this.dtype}, value=`;
    return `${prefix}${formatValues(this.current.values, this.dtype, this.shape, ' '.repeat(prefix.length))})`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}
