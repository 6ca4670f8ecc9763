// The largest singular value of the last two axes (batched over the rest), and its gradient u vᵀ as a
// primitive of its own whose rules are σ_max's Hessian: second derivatives are exact where σ_max is simple.
import { allocate } from '../../core/dtype';
import type { DType } from '../../core/dtype';
import { ShapeError } from '../../core/errors';
import { fmtShape, sizeOf } from '../../core/shape';
import { Tensor } from '../../core/tensor';
import { thinSvd } from '../../kernels/spectral';
import { definePrimitive } from '../primitive';
import { requireFloat } from '../operands';
import { add, mul, sub } from './binary';
import { matmul } from './matmul';
import { sum } from './reduce';
import { reshape } from './shape';

type NoAttrs = Record<string, never>;

/** Refuses what has no matrices in its last two axes, naming the op the caller called. */
function checkMatrix(op: string, a: Tensor): void {
  requireFloat(op, a);
  if (a.rank < 2)
    throw new ShapeError(
      `${op}: expected a tensor of rank >= 2 (matrices in the last two axes), got ${fmtShape(a.shape)}`,
    );
}

function constant(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const out = allocate(dtype, sizeOf(shape));
  out.set(values);
  return new Tensor(out, shape, dtype);
}

/**
 * The pieces of σ_max's Hessian, as constants (no derivative of their own: third derivatives of
 * σ_max are not exact): the top singular vectors u₁ `[...b, m, 1]` and v₁ `[...b, n, 1]`, all of
 * U `[...b, m, p]` and V `[...b, n, p]`, and per k the weights wa_k = σ₁/(σ₁² − σ_k²) and
 * wb_k = σ_k/(σ₁² − σ_k²) (0 for k = 1) `[...b, p, 1]` and 1/σ₁ `[...b, 1, 1]`; all zero where σ₁ = 0.
 */
function hessianParts(a: Tensor) {
  const batch = a.shape.slice(0, -2);
  const [m, n] = a.shape.slice(-2);
  const p = Math.min(m, n);
  const count = sizeOf(batch);
  const { s, u, v } = thinSvd(a.values, count, m, n);
  const u1 = new Float64Array(count * m);
  const v1 = new Float64Array(count * n);
  const wa = new Float64Array(count * p);
  const wb = new Float64Array(count * p);
  const inv = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const s1 = s[b * p];
    if (!(s1 > 0)) continue;
    for (let i = 0; i < m; i++) u1[b * m + i] = u[b * m * p + i * p];
    for (let i = 0; i < n; i++) v1[b * n + i] = v[b * n * p + i * p];
    inv[b] = 1 / s1;
    for (let k = 1; k < p; k++) {
      const sk = s[b * p + k];
      const d = (s1 - sk) * (s1 + sk);
      wa[b * p + k] = s1 / d;
      wb[b * p + k] = sk / d;
    }
  }
  const dt = a.dtype;
  return {
    u1: constant(u1, [...batch, m, 1], dt),
    v1: constant(v1, [...batch, n, 1], dt),
    U: constant(u, [...batch, m, p], dt),
    V: constant(v, [...batch, n, p], dt),
    wa: constant(wa, [...batch, p, 1], dt),
    wb: constant(wb, [...batch, p, 1], dt),
    inv: constant(inv, [...batch, 1, 1], dt),
  };
}

/**
 * σ_max's Hessian applied to D (shape `[...extra, ...a.shape]`): d(u₁v₁ᵀ) = du₁ v₁ᵀ + u₁ dv₁ᵀ with,
 * for a = Uᵀ D v₁ and b = Vᵀ Dᵀ u₁ (first-order perturbation of A v = σ u, Aᵀ u = σ v),
 * du₁ = U (wa·a + wb·b) + (D v₁ − U a)/σ₁ and dv₁ = V (wb·a + wa·b) + (Dᵀ u₁ − V b)/σ₁
 * (the last terms: the parts outside the span of U, resp. V). The map is symmetric, so it is both rules.
 */
function hessian(a: Tensor, d: Tensor): Tensor {
  const { u1, v1, U, V, wa, wb, inv } = hessianParts(a);
  const dv = matmul(d, v1);
  const dtu = matmul(d, u1, true, false);
  const ca = matmul(U, dv, true, false);
  const cb = matmul(V, dtu, true, false);
  const du1 = add(matmul(U, add(mul(wa, ca), mul(wb, cb))), mul(sub(dv, matmul(U, ca)), inv));
  const dv1 = add(matmul(V, add(mul(wb, ca), mul(wa, cb))), mul(sub(dtu, matmul(V, cb)), inv));
  return add(matmul(du1, v1, false, true), matmul(u1, dv1, false, true));
}

// NOTE: at a tie σ₁ = σ₂ = … the gradient is the mean of u_k v_kᵀ over the tied k, and 0 where σ₁ = 0:
// TF's norm takes reduce_max(abs(svd(A))), whose gradient splits among equal maxima and is 0 at |0|
const maxSingularValueGradP = definePrimitive<NoAttrs>({
  name: 'maxSingularValueGrad',
  forward: ([a]) => {
    checkMatrix('maxSingularValueGrad', a);
    const batch = a.shape.slice(0, -2);
    const [m, n] = a.shape.slice(-2);
    const p = Math.min(m, n);
    const count = sizeOf(batch);
    const { s, u, v } = thinSvd(a.values, count, m, n);
    const out = allocate(a.dtype, count * m * n);
    for (let b = 0; b < count; b++) {
      const s1 = p > 0 ? s[b * p] : 0;
      if (!(s1 > 0)) continue;
      let tied = 0;
      while (tied < p && s[b * p + tied] === s1) tied++;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let g = 0;
          for (let k = 0; k < tied; k++) g += u[b * m * p + i * p + k] * v[b * n * p + j * p + k];
          out[b * m * n + i * n + j] = g / tied;
        }
      }
    }
    return new Tensor(out, a.shape.slice(), a.dtype);
  },
  // G = ∇σ₁(A), so dG = H[dA] with H σ₁'s Hessian, symmetric: the gradient of ⟨W, G⟩ is H[W] too
  vjp: (dy, [a]) => [hessian(a, dy)],
  jvp: ([t], [a]) => hessian(a, t!),
});

/** u₁v₁ᵀ: the gradient of σ_max at `a` (the mean over tied top singular values; 0 where σ_max = 0). */
function maxSingularValueGrad(a: Tensor): Tensor {
  return maxSingularValueGradP.run([a], {});
}

const maxSingularValueP = definePrimitive<NoAttrs>({
  name: 'maxSingularValue',
  forward: ([a]) => {
    checkMatrix('maxSingularValue', a);
    const batch = a.shape.slice(0, -2);
    const [m, n] = a.shape.slice(-2);
    const p = Math.min(m, n);
    const count = sizeOf(batch);
    const { s } = thinSvd(a.values, count, m, n);
    const out = allocate(a.dtype, count);
    // NOTE: an empty matrix gives -Infinity, as TF's reduce_max over no singular values
    for (let b = 0; b < count; b++) out[b] = p > 0 ? s[b * p] : -Infinity;
    return new Tensor(out, batch, a.dtype);
  },
  // dA = dσ · u₁v₁ᵀ (TF's Svd gradient U diag(dS) Vᵀ with dS one-hot at the top value)
  vjp: (dy, [a]) => [mul(reshape(dy, [...dy.shape, 1, 1]), maxSingularValueGrad(a))],
  // dσ = u₁ᵀ dA v₁ = ⟨u₁v₁ᵀ, dA⟩ over the last two axes
  jvp: ([t], [a]) => sum(mul(t!, maxSingularValueGrad(a)), [-2, -1]),
});

/**
 * The largest singular value of each matrix in the last two axes of a float tensor (σ_max, the
 * spectral norm), shape `a.shape` without its last two axes. `op` names the caller in errors.
 * @example
 * tg.norm([[3, 0], [0, -4]], 2, [0, 1]); // 4  (σ_max of diag(3, -4))
 */
export function maxSingularValue(a: Tensor, op = 'maxSingularValue'): Tensor {
  checkMatrix(op, a);
  return maxSingularValueP.run([a], {});
}
