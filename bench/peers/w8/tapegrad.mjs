// W8 in tapegrad, by its public API: plain ops on Variables, a GradientTape, tg.Adam.
import { W8 } from '../../lib/workloads.mjs';

/**
 * Returns `step()`, one training step on the model it builds from W8's weights, returning the loss
 * as a number. The rows of x and y are kept 2-D, [8·64, 128], so each projection is one matmul;
 * attention reshapes to [8, 4, 64, 32].
 */
export function transformerStep(tg) {
  const { batch, seq, width, heads, head, epsilon, lr } = W8;
  const rows = batch * seq;
  const x = tg.tensor(W8.x(), [rows, width]);
  const y = tg.tensor(W8.y(), [rows, width]);
  const p = Object.fromEntries(W8.params().map(([name, shape, v]) => [name, new tg.Variable(tg.tensor(v, shape))]));
  const vars = Object.values(p);
  const opt = new tg.Adam({ learningRate: lr });

  const layerNorm = (a, gamma, beta) => {
    const { mean, variance } = tg.moments(a, -1, true);
    return a
      .sub(mean)
      .mul(tg.rsqrt(variance.add(epsilon)))
      .mul(gamma)
      .add(beta);
  };
  const dense = (a, w, b) => tg.matmul(a, w).add(b);
  const splitHeads = (t) => tg.transpose(tg.reshape(t, [batch, seq, heads, head]), [0, 2, 1, 3]);
  const loss = () => {
    const h = layerNorm(x, p.ln1Gamma, p.ln1Beta);
    const q = splitHeads(dense(h, p.wq, p.bq));
    const k = splitHeads(dense(h, p.wk, p.bk));
    const v = splitHeads(dense(h, p.wv, p.bv));
    const weights = tg.softmax(tg.matmul(q, k, false, true).mul(1 / Math.sqrt(head)));
    const merged = tg.reshape(tg.transpose(tg.matmul(weights, v), [0, 2, 1, 3]), [rows, width]);
    const x1 = x.add(dense(merged, p.wo, p.bo));
    const f = tg.gelu(dense(layerNorm(x1, p.ln2Gamma, p.ln2Beta), p.w1, p.b1));
    return tg.losses.meanSquaredError(y, x1.add(dense(f, p.w2, p.b2)));
  };
  return () => {
    const tape = new tg.GradientTape();
    const l = loss();
    const grads = tape.gradient(l, vars);
    opt.applyGradients(grads.map((g, i) => [g, vars[i]]));
    return l.item();
  };
}
