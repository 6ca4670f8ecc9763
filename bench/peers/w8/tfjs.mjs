// W8 in TensorFlow.js: plain ops on tf.variables, Keras's Adam (see kerasAdam), in the variant's
// idioms (tidy or not; TF.js's matmul gradient or explicit transposes).
import { W8 } from '../../lib/workloads.mjs';
import { kerasAdam } from '../tfjs-idioms.mjs';

/**
 * Returns `step()`, one training step on the model it builds from W8's weights, returning the loss
 * as a number; `dispose()` frees the model. `mm` and `scoped` come from the variant's idioms. The
 * rows of x and y are kept 2-D, [8·64, 128]; attention reshapes to [8, 4, 64, 32].
 */
export function transformerStep(tf, { matMul, matMulT, scoped }) {
  const { batch, seq, width, heads, head, epsilon, lr } = W8;
  const rows = batch * seq;
  const x = tf.tensor2d(W8.x(), [rows, width]);
  const y = tf.tensor2d(W8.y(), [rows, width]);
  const p = Object.fromEntries(W8.params().map(([name, shape, v]) => [name, tf.variable(tf.tensor(v, shape))]));
  const vars = Object.values(p);
  const opt = kerasAdam(tf, vars, { learningRate: lr });

  const layerNorm = (a, gamma, beta) => {
    const { mean, variance } = tf.moments(a, -1, true);
    return a
      .sub(mean)
      .mul(tf.rsqrt(variance.add(epsilon)))
      .mul(gamma)
      .add(beta);
  };
  const dense = (a, w, b) => matMul(a, w).add(b);
  const splitHeads = (t) => tf.transpose(t.reshape([batch, seq, heads, head]), [0, 2, 1, 3]);
  const gelu = (z) => z.mul(0.5).mul(tf.erf(z.mul(Math.SQRT1_2)).add(1));
  const loss = () => {
    const h = layerNorm(x, p.ln1Gamma, p.ln1Beta);
    const q = splitHeads(dense(h, p.wq, p.bq));
    const k = splitHeads(dense(h, p.wk, p.bk));
    const v = splitHeads(dense(h, p.wv, p.bv));
    const weights = tf.softmax(matMulT(q, k).mul(1 / Math.sqrt(head)));
    const merged = tf.transpose(matMul(weights, v), [0, 2, 1, 3]).reshape([rows, width]);
    const x1 = x.add(dense(merged, p.wo, p.bo));
    const f = gelu(dense(layerNorm(x1, p.ln2Gamma, p.ln2Beta), p.w1, p.b1));
    return tf.losses.meanSquaredError(y, x1.add(dense(f, p.w2, p.b2)));
  };
  return {
    step: () =>
      scoped(
        () => opt.minimize(loss),
        (l) => l.dataSync()[0],
      ),
    dispose: () => {
      tf.dispose([x, y, ...vars]);
      opt.dispose();
    },
  };
}
