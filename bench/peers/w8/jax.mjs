// W8 in jax-js: a loss over a dict of weights, valueAndGrad, and Adam written out (as W6; jax-js's
// core has no optimizers), the whole step under `compile` (jit, or as is for eager). Every array
// used twice is passed as `.ref` (jax-js's ownership rule).
import { W8 } from '../../lib/workloads.mjs';

/**
 * `adamAlpha(lr, t)` is Adam's step size at step t as an array. Returns `step()`, one training step on the model it builds from W8's weights, returning the loss
 * as a number, and `dispose()`. The rows of x and y are kept 2-D, [8·64, 128]; attention reshapes
 * to [8, 4, 64, 32].
 */
export function transformerStep({ np, nn, valueAndGrad, compile, adamAlpha }) {
  const { batch, seq, width, heads, head, epsilon, lr } = W8;
  const rows = batch * seq;
  const x = np.array(W8.x()).reshape([rows, width]);
  const y = np.array(W8.y()).reshape([rows, width]);
  const names = W8.params().map(([name]) => name);

  const layerNorm = (a, gamma, beta) => {
    const centered = a.ref.sub(np.mean(a, -1, { keepdims: true }));
    const variance = np.mean(np.square(centered.ref), -1, { keepdims: true });
    return centered
      .div(np.sqrt(variance.add(epsilon)))
      .mul(gamma)
      .add(beta);
  };
  const dense = (a, w, b) => np.matmul(a, w).add(b);
  const splitHeads = (t) => t.reshape([batch, seq, heads, head]).transpose([0, 2, 1, 3]);
  const loss = (p) => {
    const h = layerNorm(x.ref, p.ln1Gamma, p.ln1Beta);
    const q = splitHeads(dense(h.ref, p.wq, p.bq));
    const k = splitHeads(dense(h.ref, p.wk, p.bk));
    const v = splitHeads(dense(h, p.wv, p.bv));
    const weights = nn.softmax(np.matmul(q, k.transpose([0, 1, 3, 2])).mul(1 / Math.sqrt(head)), -1);
    const merged = np.matmul(weights, v).transpose([0, 2, 1, 3]).reshape([rows, width]);
    const x1 = x.ref.add(dense(merged, p.wo, p.bo));
    const f = nn.gelu(dense(layerNorm(x1.ref, p.ln2Gamma, p.ln2Beta), p.w1, p.b1), { approximate: false });
    return np.mean(np.square(x1.add(dense(f, p.w2, p.b2)).sub(y.ref)));
  };
  const vg = valueAndGrad(loss);
  // Adam as Keras writes it: w −= α·m/(√v + ε), α = adamAlpha(lr, t) from the host, in float64
  const update = compile((p, m, v, alpha) => {
    const [l, g] = vg(Object.fromEntries(names.map((k) => [k, p[k].ref])));
    const next = {};
    const nm = {};
    const nv = {};
    for (const k of names) {
      nm[k] = m[k].ref.add(g[k].ref.sub(m[k]).mul(0.1));
      nv[k] = v[k].ref.add(g[k].ref.mul(g[k]).sub(v[k]).mul(0.001));
      next[k] = p[k].sub(nm[k].ref.mul(alpha.ref).div(np.sqrt(nv[k].ref).add(1e-7)));
    }
    alpha.dispose();
    return [l, next, nm, nv];
  });
  let p = Object.fromEntries(W8.params().map(([name, shape, values]) => [name, np.array(values).reshape(shape)]));
  let m = Object.fromEntries(names.map((k) => [k, np.zerosLike(p[k].ref)]));
  let v = Object.fromEntries(names.map((k) => [k, np.zerosLike(p[k].ref)]));
  let t = 0;
  return {
    step() {
      t++;
      const [l, a, b, c] = update(p, m, v, adamAlpha(lr, t));
      [p, m, v] = [a, b, c];
      return l.dataSync()[0];
    },
    dispose() {
      for (const k of names) [p, m, v].forEach((o) => o[k].dispose());
      [x, y].forEach((a) => a.dispose());
    },
  };
}
