// The workloads and their inputs, the same numbers for every peer, with closed-form answers to check.

import { uniforms } from './uniforms.mjs';

export { uniforms };
export { W8 } from './attention.mjs';

export const W1 = { x: 3, y: 4, expected: [42, 24, 10] }; // x²y + y + 2; 2xy; x² + 1

/** W2: 200 ops alternating ×1.01, +0.1, sin on a length-1000 vector; d sum / dx in float64. */
export const W2 = {
  n: 1000,
  ops: 200,
  x: () => uniforms(1000, 2),
  step: (i) => ['mul', 'add', 'sin'][i % 3],
  reference(x) {
    return Array.from(x, (x0) => {
      let h = x0;
      let d = 1;
      for (let i = 0; i < 200; i++) {
        const op = W2.step(i);
        if (op === 'mul') {
          h *= 1.01;
          d *= 1.01;
        } else if (op === 'add') {
          h += 0.1;
        } else {
          d *= Math.cos(h);
          h = Math.sin(h);
        }
      }
      return d;
    });
  },
};

/**
 * F1: W2's chain in forward mode, on W2.x() along a fixed v. Per element, in float64: h = chain(x),
 * d = dh/dx and s = d²h/dx² (×c: d·c, s·c; +c: unchanged; sin: s = cos(h)·s − sin(h)·d², d = cos(h)·d),
 * so the gradient of sum(chain) is d, the jvp d·v and the hvp s·v (the Hessian is diagonal).
 */
export const F1 = {
  v: () => uniforms(1000, 11),
  reference(x, v) {
    const out = { value: [], grad: [], jvp: [], hvp: [] };
    x.forEach((x0, i) => {
      let h = x0;
      let d = 1;
      let s = 0;
      for (let k = 0; k < W2.ops; k++) {
        const op = W2.step(k);
        if (op === 'mul') {
          h *= 1.01;
          d *= 1.01;
          s *= 1.01;
        } else if (op === 'sin') {
          s = Math.cos(h) * s - Math.sin(h) * d * d;
          d *= Math.cos(h);
          h = Math.sin(h);
        } else {
          h += 0.1;
        }
      }
      out.value.push(h);
      out.grad.push(d);
      out.jvp.push(d * v[i]);
      out.hvp.push(s * v[i]);
    });
    return out;
  },
};

/** W3: one SGD step of a 784 → 256 (relu) → 10 softmax classifier on a batch of 128. */
export const W3 = {
  batch: 128,
  sizes: [784, 256, 10],
  lr: 0.01,
  /** the check: the first loss and its change after one update */
  checkSteps: 2,
  x: () => uniforms(128 * 784, 3, 0, 1),
  labels: () => Int32Array.from(uniforms(128, 4, 0, 10), (v) => Math.floor(v)),
  w1: () => uniforms(784 * 256, 5, -0.05, 0.05),
  w2: () => uniforms(256 * 10, 6, -0.1, 0.1),
};

/** W4: C = A·B for square float32 matrices. */
export const W4 = {
  sizes: [512, 1024],
  /** The entries of C that are checked: (0, 0), (n-1, n-1), (n/2, 3). */
  pick: (c, n) =>
    [
      [0, 0],
      [n - 1, n - 1],
      [n >> 1, 3],
    ].map(([i, j]) => c[i * n + j]),
  a: (n) => uniforms(n * n, 7),
  b: (n) => uniforms(n * n, 8),
  /** C[i][j] in float64, for a few (i, j). */
  entries(n, a, b) {
    return [
      [0, 0],
      [n - 1, n - 1],
      [n >> 1, 3],
    ].map(([i, j]) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      return s;
    });
  },
  flops: (n) => 2 * n * n * n,
};

/** W5: the full Hessian of sum(tanh(W x)), x of length 64, W 64×64: H = Wᵀ diag(-2 t (1 - t²)) W, t = tanh(Wx). */
export const W5 = {
  n: 64,
  /** The Hessian entries that are checked: H[0][0], H[3][7], H[63][63]. */
  pick: (h) => [h[0], h[3 * 64 + 7], h[63 * 64 + 63]],
  w: () => uniforms(64 * 64, 9, -0.2, 0.2),
  x: () => uniforms(64, 10),
  reference(w, x) {
    const n = 64;
    const s = Array.from({ length: n }, (_, i) => {
      let z = 0;
      for (let k = 0; k < n; k++) z += w[i * n + k] * x[k];
      const t = Math.tanh(z);
      return -2 * t * (1 - t * t);
    });
    const h = (p, q) => s.reduce((acc, si, i) => acc + w[i * n + p] * si * w[i * n + q], 0);
    return [h(0, 0), h(3, 7), h(63, 63)];
  },
};

/** W6: the demo's training loop (2-48-48-2 tanh, Adam 0.01, 400 spiral points), 300 full-batch steps. */
export const W6 = {
  steps: 300,
  hidden: 48,
  /**
   * the check: the first loss and its change after `checkSteps − 1` updates. Not more: the output
   * bias's gradient starts near 0 (balanced classes), where Adam's m/(√v + ε) turns float32 noise
   * into full steps, so later losses differ between libraries by their rounding, and by where each
   * puts ε (TF.js's tf.train.adam beside √v̂, Keras beside √v)
   */
  checkSteps: 2,
  check: (losses) => [losses[0], losses[W6.checkSteps - 1] - losses[0]],
  points() {
    const n = 200;
    const xs = new Float32Array(4 * n);
    const labels = new Int32Array(2 * n);
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < n; i++) {
        const r = 0.05 + (0.95 * i) / n;
        const theta = 3 * Math.PI * (i / n) + c * Math.PI;
        const k = c * n + i;
        xs[2 * k] = r * Math.cos(theta);
        xs[2 * k + 1] = r * Math.sin(theta);
        labels[k] = c;
      }
    }
    return { xs, labels };
  },
  weights: (i, rows, cols) =>
    uniforms(rows * cols, 20 + i, -Math.sqrt(6 / (rows + cols)), Math.sqrt(6 / (rows + cols))),
};

/**
 * W7: one SGD step (0.01) of a small CNN on a batch of 64 MNIST-sized images, NHWC: 28×28×1 → conv 5×5
 * 'valid', 16 filters, + bias, relu (24×24) → maxPool 2×2 stride 2 (12×12) → conv 5×5 'valid', 32 filters,
 * + bias, relu (8×8) → maxPool 2×2 stride 2 (4×4) → flatten (4·4·32 = 512, in (h, w, c) order) → dense 10
 * → softmax cross-entropy (mean over the batch). Filters HWIO, Glorot-uniform ranges, biases zero; every
 * peer starts from these. 'valid' as the measurements (with 'same', TF.js cpu takes 26 s a step).
 */
export const W7 = {
  batch: 64,
  size: 28,
  kernel: 5,
  filters: [16, 32],
  classes: 10,
  padding: 'valid',
  flat: 4 * 4 * 32,
  lr: 0.01,
  /** the check: the first loss and its change after one update */
  checkSteps: 2,
  x: () => uniforms(64 * 28 * 28, 30, 0, 1),
  labels: () => Int32Array.from(uniforms(64, 31, 0, 10), (v) => Math.floor(v)),
  /** conv filters [5, 5, in, out] and the dense weights [512, 10], fan-in + fan-out Glorot limits */
  w1: () => uniforms(5 * 5 * 1 * 16, 32, -Math.sqrt(6 / (25 + 400)), Math.sqrt(6 / (25 + 400))),
  w2: () => uniforms(5 * 5 * 16 * 32, 33, -Math.sqrt(6 / (400 + 800)), Math.sqrt(6 / (400 + 800))),
  w3: () => uniforms(512 * 10, 34, -Math.sqrt(6 / (512 + 10)), Math.sqrt(6 / (512 + 10))),
};

/**
 * Whether a peer's check values agree with tapegrad's for `row`: within 2e-3 of max(|ref|, 0.01)
 * (plus 1e-6), or relative to |ref| itself for W2's and F1's derivatives (far below 1); W8's first
 * loss to 1e-4 of itself.
 */
export function agrees(row, got, ref) {
  const relative = row === 'W2' || row.startsWith('F1 ');
  return (
    got.length === ref.length &&
    got.every((v, i) => {
      const tol = row === 'W8' && i === 0 ? 1e-4 : 2e-3;
      return Math.abs(v - ref[i]) <= tol * Math.max(Math.abs(ref[i]), relative ? 0 : 1e-2) + (relative ? 0 : 1e-6);
    })
  );
}

/**
 * Throws unless every value is within `tol` of the expected one: relative to max(1, |expected|),
 * or to |expected| itself with `relative` (for values far below 1).
 */
export function check(name, got, expected, tol, relative = false) {
  got.forEach((g, i) => {
    const e = expected[i];
    const scale = relative ? Math.abs(e) : Math.max(1, Math.abs(e));
    if (!(Math.abs(g - e) <= tol * scale))
      throw new Error(`${name}: value ${i} is ${g}, expected ${e} (tolerance ${tol}${relative ? ', relative' : ''})`);
  });
}

/** The float64 matrices of the L rows, n×n row-major: the same numbers for every peer. */
const f64 = (n, seed, lo, hi) => Float64Array.from(uniforms(n, seed, lo, hi));
/** a·b for n×n row-major matrices, in float64. */
const matmulNN = (a, b, n, m = n) => {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] += aik * b[k * m + j];
    }
  return c;
};
const maxAbs = (xs) => xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * L1–L3: Cholesky, solve and SVD of 256×256 float64 matrices. `spd` is M·Mᵀ/n + I (M uniform in
 * [-1, 1)), well conditioned (its eigenvalues lie in [1, 5]); `rhs` the right-hand side [n, 1] of L2;
 * `random` the uniform matrix of L3. Each peer checks its answer by reconstruction (L·Lᵀ = A,
 * U·diag(s)·Vᵀ = A) or residual (A·x = b), relative to the size of A, and reports a few entries.
 */
export const L = {
  n: 256,
  spd(n) {
    const m = f64(n * n, 40, -1, 1);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += m[i * n + k] * m[j * n + k];
        a[i * n + j] = a[j * n + i] = s / n + (i === j ? 1 : 0);
      }
    return a;
  },
  rhs: (n) => f64(n, 41, -1, 1),
  random: (n) => f64(n * n, 42, -1, 1),
  /** entries (0, 0), (n-1, n-1), (n/2, 3) of an n×n matrix */
  pick: (c, n) => [c[0], c[n * n - 1], c[(n >> 1) * n + 3]],
  /** max |L·Lᵀ − A| / max |A|, reading only the lower triangle of `l` */
  choleskyError(a, l, n) {
    const low = Float64Array.from(l, (v, k) => (k % n <= Math.floor(k / n) ? v : 0));
    const lt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lt[j * n + i] = low[i * n + j];
    const llt = matmulNN(low, lt, n);
    return maxAbs(llt.map((v, k) => v - a[k])) / maxAbs(a);
  },
  /** max |A·x − b| / (max |A| · max |x| · n), x and b [n, 1] */
  solveResidual(a, x, b, n) {
    const ax = matmulNN(a, x, n, 1);
    return maxAbs(ax.map((v, k) => v - b[k])) / (maxAbs(a) * maxAbs(x) * n);
  },
  /** max |U·diag(s)·Vᵀ − A| / max |A|, U and V n×n row-major (V, not Vᵀ, as TF returns it) */
  svdError(a, u, s, v, n) {
    const us = Float64Array.from(u, (x, k) => x * s[k % n]);
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j];
    return maxAbs(matmulNN(us, vt, n).map((x, k) => x - a[k])) / maxAbs(a);
  },
  /** the largest error a float64 decomposition of a 256×256 matrix may show: a few ulps × n */
  tolerance: 256 * 16 * Number.EPSILON,
};

/**
 * L4: a Gaussian process's negative log marginal likelihood over n = 500 points x (uniform in
 * [-5, 5)) with targets y = sin(x) + noise, RBF kernel K = σf²·exp(−(xᵢ − xⱼ)² / 2ℓ²) + σn²·I, and its
 * gradient with respect to θ = (log ℓ, log σf², log σn²). Every peer computes it the way GP codes do:
 * L = cholesky(K), z = L⁻¹y (a triangular solve), nlml = ½ zᵀz + Σ log Lᵢᵢ + (n/2) log 2π, the
 * gradient by its autodiff. `reference` is the closed form ½ tr((K⁻¹ − ααᵀ) ∂K/∂θⱼ), α = K⁻¹y.
 */
export const L4 = {
  n: 500,
  theta: [0, 0, -3],
  x: () => f64(500, 43, -5, 5),
  y: () => {
    const x = L4.x();
    const e = f64(500, 44, -0.1, 0.1);
    return x.map((v, i) => Math.sin(v) + e[i]);
  },
  /** the squared distances (xᵢ − xⱼ)², n×n: data, computed once outside the gradient */
  d2: () => {
    const x = L4.x();
    const n = x.length;
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = (x[i] - x[j]) ** 2;
    return d;
  },
  /** [nlml, ∂/∂log ℓ, ∂/∂log σf², ∂/∂log σn²] in float64, by the closed form */
  reference() {
    const [logL, logSf, logSn] = L4.theta;
    const y = L4.y();
    const d2 = L4.d2();
    const n = y.length;
    const ell2 = Math.exp(2 * logL);
    const kr = d2.map((d) => Math.exp(logSf) * Math.exp((-0.5 * d) / ell2));
    const k = kr.map((v, idx) => v + (idx % (n + 1) === 0 ? Math.exp(logSn) : 0));
    // Cholesky, then K⁻¹ column by column
    const l = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      let s = k[j * n + j];
      for (let p = 0; p < j; p++) s -= l[j * n + p] ** 2;
      const ljj = Math.sqrt(s);
      l[j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let t = k[i * n + j];
        for (let p = 0; p < j; p++) t -= l[i * n + p] * l[j * n + p];
        l[i * n + j] = t / ljj;
      }
    }
    const solve = (b) => {
      const z = Float64Array.from(b);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < i; p++) z[i] -= l[i * n + p] * z[p];
        z[i] /= l[i * n + i];
      }
      for (let i = n - 1; i >= 0; i--) {
        for (let p = i + 1; p < n; p++) z[i] -= l[p * n + i] * z[p];
        z[i] /= l[i * n + i];
      }
      return z;
    };
    const alpha = solve(y);
    const kinv = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      const e = new Float64Array(n);
      e[j] = 1;
      kinv.set(solve(e), j * n); // K⁻¹ is symmetric: its column j is its row j
    }
    let nlml = 0.5 * y.reduce((s, v, i) => s + v * alpha[i], 0) + (n / 2) * Math.log(2 * Math.PI);
    for (let i = 0; i < n; i++) nlml += Math.log(l[i * n + i]);
    const half = (dk) => {
      let s = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) s += (kinv[i * n + j] - alpha[i] * alpha[j]) * dk(i * n + j, i, j);
      return 0.5 * s;
    };
    return [
      nlml,
      half((idx) => (kr[idx] * d2[idx]) / ell2),
      half((idx) => kr[idx]),
      half((_, i, j) => (i === j ? Math.exp(logSn) : 0)),
    ];
  },
};
