// Adam (with AMSGrad) and AdamW, Keras 3's rule.
import { Tensor } from '../core/tensor';
import { allocate } from '../core/dtype';
import { sameShape } from '../core/shape';
import { adamKernel } from '../kernels/adam';
import { add, div, maximum, mul, pow, sub } from '../ops/prims/binary';
import { sqrt } from '../ops/prims/unary';
import { square } from '../ops/composite/arith';
import { scalar } from '../ops/create';
import type { OptimizerOptions, Slots } from './optimizer';
import { BASE_OPTION_NAMES, Optimizer, zeroSlots } from './optimizer';
import { requireBoolean, requireFiniteNumber, requireOptions } from '../core/args';

const ADAM_OPTION_NAMES = [...BASE_OPTION_NAMES, 'beta1', 'beta2', 'epsilon', 'amsgrad'] as const;

/** Options of `new Adam()`. */
export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

/**
 * Adam (Keras 3): `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`,
 * `w -= m·α / (√v + ε)` with `α = lr·√(1 - β2^t) / (1 - β1^t)`; AMSGrad uses the running max of v.
 * Defaults: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7.
 * @example
 * const opt = new tg.Adam({ learningRate: 0.01 });
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options?: AdamOptions, name = 'Adam') {
    const o = requireOptions<AdamOptions>(name, options, ADAM_OPTION_NAMES);
    super(name, o, 0.001);
    this.beta1 = o.beta1 === undefined ? 0.9 : requireFiniteNumber(name, 'beta1', o.beta1);
    this.beta2 = o.beta2 === undefined ? 0.999 : requireFiniteNumber(name, 'beta2', o.beta2);
    this.epsilon = o.epsilon === undefined ? 1e-7 : requireFiniteNumber(name, 'epsilon', o.epsilon);
    this.amsgrad = o.amsgrad === undefined ? false : requireBoolean(name, 'amsgrad', o.amsgrad);
  }

  protected initialSlots(value: Tensor): Slots {
    return zeroSlots(value, this.amsgrad ? ['m', 'v', 'vHat'] : ['m', 'v']);
  }

  protected update(g: Tensor, w: Tensor, lr: number, slots: Slots, step: number): { value: Tensor; slots: Slots } {
    // the bias corrections are computed in the variable's dtype, as Keras does
    const t = scalar(step + 1, w.dtype);
    const beta1Power = pow(scalar(this.beta1, w.dtype), t);
    const beta2Power = pow(scalar(this.beta2, w.dtype), t);
    const alpha = div(mul(scalar(lr, w.dtype), sqrt(sub(1, beta2Power))), sub(1, beta1Power));
    if (!this.amsgrad && fusable(g, w, slots.m, slots.v)) return this.fusedUpdate(g, w, slots, alpha.values[0]);
    const m = add(slots.m, mul(sub(g, slots.m), 1 - this.beta1));
    const v = add(slots.v, mul(sub(square(g), slots.v), 1 - this.beta2));
    const next: Slots = { m, v };
    let vUsed = v;
    if (this.amsgrad) {
      next.vHat = maximum(slots.vHat, v);
      vUsed = next.vHat;
    }
    return { value: sub(w, div(mul(m, alpha), add(sqrt(vUsed), this.epsilon))), slots: next };
  }

  /** The update above in one pass (kernels/adam.ts), bit for bit; the step is never recorded. */
  private fusedUpdate(g: Tensor, w: Tensor, slots: Slots, alpha: number): { value: Tensor; slots: Slots } {
    const round = w.dtype === 'float32' ? Math.fround : (x: number) => x;
    const out = (): Float32Array | Float64Array => allocate(w.dtype, w.size) as Float32Array | Float64Array;
    const [value, m, v] = [out(), out(), out()];
    adamKernel(
      g.values,
      w.values,
      slots.m.values,
      slots.v.values,
      {
        oneMinusBeta1: round(1 - this.beta1),
        oneMinusBeta2: round(1 - this.beta2),
        alpha,
        epsilon: round(this.epsilon),
      },
      value,
      m,
      v,
    );
    const tensor = (a: Float32Array | Float64Array): Tensor => new Tensor(a, w.shape, w.dtype);
    return { value: tensor(value), slots: { m: tensor(m), v: tensor(v) } };
  }
}

/** True when the gradient, the value and both moments share one shape and one float dtype. */
function fusable(g: Tensor, w: Tensor, m: Tensor, v: Tensor): boolean {
  return (
    (w.dtype === 'float32' || w.dtype === 'float64') &&
    [g, m, v].every((t) => t.dtype === w.dtype && sameShape(t.shape, w.shape))
  );
}

/**
 * Adam with decoupled weight decay (Keras 3's AdamW): `w -= w·weightDecay·lr` before each Adam
 * step. Default weight decay 0.004.
 * @example
 * const opt = new tg.AdamW({ learningRate: 0.001, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  constructor(options?: AdamOptions) {
    super({ weightDecay: 0.004, ...requireOptions<AdamOptions>('AdamW', options, ADAM_OPTION_NAMES) }, 'AdamW');
  }
}
