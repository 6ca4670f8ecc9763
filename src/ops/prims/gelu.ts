// The exact GELU as one primitive, and its backward pass as another (as TF's fused GeluGrad): one
// kernel each instead of the composite's five ops forward and nine backward, bit for bit their values.
import { allocate } from '../../core/dtype';
import { Tensor } from '../../core/tensor';
import { geluGradKernel, geluKernel } from '../../kernels/gelu';
import type { NumArray } from '../../kernels/offsets';
import { activeRecorders } from '../../core/recording';
import type { Primitive } from '../primitive';
import { definePrimitive } from '../primitive';
import { requireFloat, requireSameShapeAndDType } from '../operands';
import { mul, sub } from './binary';
import { broadcastTo } from './shape';
import { exp } from './unary';
import { sumTerms } from './tangents';

/** The attributes of geluGrad: erf(x·√½) when the forward pass kept it. */
interface ErfCache {
  erf: NumArray | null;
}

const ONE_OVER_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/** x broadcast to g's leading batch axes (a tangent's), so that the fused kernel sees one shape. */
const alongside = (x: Tensor, g: Tensor): Tensor => (g.rank === x.rank ? x : broadcastTo(x, g.shape));

/** gelu''(x) = φ(x)·(2 − x²), φ the standard normal density. */
function geluSecond(x: Tensor): Tensor {
  const x2 = mul(x, x);
  return mul(mul(exp(mul(x2, -0.5)), sub(2, x2)), ONE_OVER_SQRT_TWO_PI);
}

/**
 * dy · gelu'(x) = dy · (Φ(x) + x·φ(x)) in one pass. Its own derivatives: linear in dy (geluGrad
 * again), and dy · gelu''(x) for x.
 */
const geluGradP: Primitive<ErfCache> = definePrimitive<ErfCache>({
  name: 'geluGrad',
  forward: ([x, dy], { erf }) => {
    requireFloat('geluGrad', x);
    requireSameShapeAndDType('geluGrad', x, dy);
    const out = allocate(x.dtype, x.size);
    geluGradKernel(x.values, dy.values, out, erf?.length === x.size ? erf : undefined);
    return new Tensor(out, x.shape, x.dtype);
  },
  vjp: (g, [x, dy], _out, { erf }, needs) => [
    needs[0] ? mul(mul(g, dy), geluSecond(x)) : null,
    needs[1] ? geluGrad(x, g, erf) : null,
  ],
  // d out = dy·gelu''(x)·t_x + gelu'(x)·t_dy
  jvp: ([tx, tdy], [x, dy], out, _attrs, batch) =>
    sumTerms([tx && mul(tx, mul(dy, geluSecond(x))), tdy && geluGrad(alongside(x, tdy), tdy)], batch, out),
});

/** dy · gelu'(x) for same-shape, same-dtype float x and dy; `erf`, erf(x·√½) if the forward pass kept it. */
export function geluGrad(x: Tensor, dy: Tensor, erf: NumArray | null = null): Tensor {
  return geluGradP.run([x, dy], { erf });
}

/**
 * erf(x·√½) of a gelu output's input, kept while a recorder is active (so the output may be
 * differentiated): the backward pass reads it instead of computing it again.
 */
const erfOfOutput = new WeakMap<Tensor, NumArray>();

// d gelu(x) = gelu'(x) dx, in one pass (geluGrad)
const geluP: Primitive<null> = definePrimitive<null>({
  name: 'gelu',
  forward: ([x]) => {
    requireFloat('gelu', x);
    const out = allocate(x.dtype, x.size);
    const erf = activeRecorders.length === 0 ? undefined : allocate(x.dtype, x.size);
    geluKernel(x.values, out, erf);
    const y = new Tensor(out, x.shape, x.dtype);
    if (erf !== undefined) erfOfOutput.set(y, erf);
    return y;
  },
  vjp: (dy, [x], y) => [geluGrad(x, dy, erfOfOutput.get(y) ?? null)],
  jvp: ([t], [x], y) => geluGrad(alongside(x, t!), t!, t!.rank === x.rank ? (erfOfOutput.get(y) ?? null) : null),
});

/** The exact GELU of a float tensor (the public gelu checks its argument first). */
export function geluFloat(x: Tensor): Tensor {
  return geluP.run([x], null);
}
