// W8's data, weights and float64 reference: one training step of a one-layer pre-LN transformer
// block, the same numbers for every peer.
import { uniforms } from './uniforms.mjs';

const glorot = (rows, cols, seed) => {
  const limit = Math.sqrt(6 / (rows + cols));
  return uniforms(rows * cols, seed, -limit, limit);
};

/**
 * W8: x [8, 64, 128] → LayerNorm → 4-head self-attention (heads of 32; Wq, Wk, Wv, Wo 128×128 with
 * biases; softmax(QKᵀ/√32)V) → + x → LayerNorm → dense 128→512, exact GELU (x·Φ(x), erf: every peer
 * has it), dense 512→128 → + residual; loss = mean squared error against y [8, 64, 128]; one Adam
 * step (Keras defaults: lr 1e-3, β 0.9/0.999, ε 1e-7) on all 16 weights. LayerNorm's ε is Keras's
 * 1e-3, over the last axis, variance biased. Glorot-uniform matrices; gammas near 1 and betas and
 * biases near 0 but not equal, so the first loss depends on every weight. The check is the first
 * step's loss and the loss's change after `steps − 1` updates (which depends on every gradient).
 */
export const W8 = {
  batch: 8,
  seq: 64,
  width: 128,
  heads: 4,
  head: 32,
  hidden: 512,
  lr: 1e-3,
  epsilon: 1e-3,
  steps: 4,
  x: () => uniforms(8 * 64 * 128, 60),
  y: () => uniforms(8 * 64 * 128, 61),
  /** [name, shape, values] of every weight, in the one order every peer uses */
  params() {
    const d = 128;
    const h = 512;
    const vec = (n, seed, lo, hi) => uniforms(n, seed, lo, hi);
    return [
      ['ln1Gamma', [d], vec(d, 62, 0.9, 1.1)],
      ['ln1Beta', [d], vec(d, 63, -0.1, 0.1)],
      ['wq', [d, d], glorot(d, d, 64)],
      ['bq', [d], vec(d, 65, -0.1, 0.1)],
      ['wk', [d, d], glorot(d, d, 66)],
      ['bk', [d], vec(d, 67, -0.1, 0.1)],
      ['wv', [d, d], glorot(d, d, 68)],
      ['bv', [d], vec(d, 69, -0.1, 0.1)],
      ['wo', [d, d], glorot(d, d, 70)],
      ['bo', [d], vec(d, 71, -0.1, 0.1)],
      ['ln2Gamma', [d], vec(d, 72, 0.9, 1.1)],
      ['ln2Beta', [d], vec(d, 73, -0.1, 0.1)],
      ['w1', [d, h], glorot(d, h, 74)],
      ['b1', [h], vec(h, 75, -0.1, 0.1)],
      ['w2', [h, d], glorot(h, d, 76)],
      ['b2', [d], vec(d, 77, -0.1, 0.1)],
    ];
  },
  /** The first step's loss, by the same block in float64 (erf by Abramowitz–Stegun 7.1.26, ±1.5e-7). */
  referenceLoss() {
    const { batch, seq, width: d, heads, head, hidden, epsilon } = W8;
    const rows = batch * seq;
    const p = Object.fromEntries(W8.params().map(([name, , v]) => [name, Float64Array.from(v)]));
    const x = Float64Array.from(W8.x());
    const y = W8.y();
    const layerNorm = (a, gamma, beta) => {
      const out = new Float64Array(a.length);
      for (let r = 0; r < rows; r++) {
        let mean = 0;
        for (let c = 0; c < d; c++) mean += a[r * d + c];
        mean /= d;
        let variance = 0;
        for (let c = 0; c < d; c++) variance += (a[r * d + c] - mean) ** 2;
        const scale = 1 / Math.sqrt(variance / d + epsilon);
        for (let c = 0; c < d; c++) out[r * d + c] = (a[r * d + c] - mean) * scale * gamma[c] + beta[c];
      }
      return out;
    };
    const dense = (a, w, b, n, m) => {
      const out = new Float64Array(rows * m);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < m; j++) out[r * m + j] = b[j];
        for (let k = 0; k < n; k++) {
          const ark = a[r * n + k];
          for (let j = 0; j < m; j++) out[r * m + j] += ark * w[k * m + j];
        }
      }
      return out;
    };
    const h1 = layerNorm(x, p.ln1Gamma, p.ln1Beta);
    const [q, k, v] = ['q', 'k', 'v'].map((n) => dense(h1, p[`w${n}`], p[`b${n}`], d, d));
    const att = new Float64Array(rows * d);
    const scores = new Float64Array(seq);
    for (let b = 0; b < batch; b++)
      for (let hd = 0; hd < heads; hd++)
        for (let i = 0; i < seq; i++) {
          const qi = (b * seq + i) * d + hd * head;
          let max = -Infinity;
          for (let j = 0; j < seq; j++) {
            const kj = (b * seq + j) * d + hd * head;
            let s = 0;
            for (let c = 0; c < head; c++) s += q[qi + c] * k[kj + c];
            scores[j] = s / Math.sqrt(head);
            max = Math.max(max, scores[j]);
          }
          let total = 0;
          for (let j = 0; j < seq; j++) total += scores[j] = Math.exp(scores[j] - max);
          for (let j = 0; j < seq; j++) {
            const vj = (b * seq + j) * d + hd * head;
            for (let c = 0; c < head; c++) att[qi + c] += (scores[j] / total) * v[vj + c];
          }
        }
    const x1 = dense(att, p.wo, p.bo, d, d).map((o, i) => o + x[i]);
    const f = dense(layerNorm(x1, p.ln2Gamma, p.ln2Beta), p.w1, p.b1, d, hidden).map((z) => z * Phi(z));
    const out = dense(f, p.w2, p.b2, hidden, d);
    let loss = 0;
    for (let i = 0; i < out.length; i++) loss += (out[i] + x1[i] - y[i]) ** 2;
    return loss / out.length;
  },
};

/** Φ(z) = (1 + erf(z/√2)) / 2, erf by Abramowitz–Stegun 7.1.26 (absolute error below 1.5e-7). */
function Phi(z) {
  const t = Math.abs(z) * Math.SQRT1_2;
  const u = 1 / (1 + 0.3275911 * t);
  const poly = u * (0.254829592 + u * (-0.284496736 + u * (1.421413741 + u * (-1.453152027 + u * 1.061405429))));
  const erf = 1 - poly * Math.exp(-t * t);
  return 0.5 * (1 + (z < 0 ? -erf : erf));
}
