// The TF.js idioms a workload can be timed in ("variants"), so each row keeps its fastest correct one:
// - scope: 'tidy' reads the answer inside `tf.tidy` (which walks whatever it returns: a large typed
//   array element by element); 'outside tidy' makes the tensors, reads them, then disposes them.
// - matmul gradient: TF.js's own (`matMul` with transposeA/transposeB, ~10× slower than a plain
//   product on wasm), or 'explicit transposes': `tf.customGrad` around the product, its gradient
//   `matMul(dy, transpose(b))` and `matMul(transpose(a), dy)`.
// - convolution (W7): `tf.conv2d`, or 'im2col' (k² shifted slices concatenated, one matMul).

/** The variants of a row: every combination of the dimensions given, each a list of labels ('' = default). */
export function variants(...dimensions) {
  return dimensions
    .reduce((acc, labels) => acc.flatMap((prefix) => labels.map((l) => [...prefix, l])), [[]])
    .map((parts) => parts.filter(Boolean).join(', ') || 'tidy');
}

/**
 * Keras's Adam in TF.js ops: `minimize(f)` takes one step on `vars` and returns the loss tensor.
 * tf.train.adam divides by √v̂ + ε with v̂ bias-corrected, Keras by √v + ε with the correction in
 * the step size; with ε = 1e-7 the two differ wherever a gradient is below ~1e-6 (W8's mean over
 * 65,536 outputs has many), which moves W8's loss after three steps by 0.4%: TF.js runs Keras's.
 */
export function kerasAdam(tf, vars, { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = {}) {
  // in tidy: a tf.variable keeps its initial tensor alive (and counted) until that is disposed
  const m = tf.tidy(() => vars.map((v) => tf.variable(tf.zerosLike(v), false)));
  const s = tf.tidy(() => vars.map((v) => tf.variable(tf.zerosLike(v), false)));
  let t = 0;
  return {
    minimize(f) {
      const { value, grads } = tf.variableGrads(f, vars);
      t++;
      const alpha = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      tf.tidy(() =>
        vars.forEach((v, i) => {
          const g = grads[v.name];
          m[i].assign(m[i].mul(beta1).add(g.mul(1 - beta1)));
          s[i].assign(s[i].mul(beta2).add(g.square().mul(1 - beta2)));
          v.assign(v.sub(m[i].mul(alpha).div(s[i].sqrt().add(epsilon))));
        }),
      );
      tf.dispose(Object.values(grads));
      return value;
    },
    dispose: () => tf.dispose([...m, ...s]),
  };
}

/** The idioms of one variant (its label as `variants` makes it). */
export function idioms(tf, variant) {
  const outside = variant.includes('outside tidy');
  const explicit = variant.includes('explicit transposes');
  /** `f()` makes a tensor or a list of them; `read` turns that into numbers, inside tidy or before disposing */
  const scoped = outside
    ? (f, read) => {
        const made = f();
        const out = read(made);
        tf.dispose(made);
        return out;
      }
    : (f, read) => tf.tidy(() => read(f()));
  // swaps the last two axes
  const swap = (t) =>
    tf.transpose(
      t,
      [...t.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : 2 * all.length - 3 - i)),
    );
  const product = tf.customGrad((a, b, save) => {
    save([a, b]);
    return { value: tf.matMul(a, b), gradFunc: (dy, [sa, sb]) => [tf.matMul(dy, swap(sb)), tf.matMul(swap(sa), dy)] };
  });
  return {
    scoped,
    /** a·b */
    matMul: explicit ? (a, b) => product(a, b) : (a, b) => tf.matMul(a, b),
    /** a·bᵀ over the last two axes */
    matMulT: explicit ? (a, b) => product(a, swap(b)) : (a, b) => tf.matMul(a, b, false, true),
    /**
     * a·b where a is data (no gradient wanted): TF.js's own gradient skips it; the custom one takes
     * b alone as its input, a closed over, so the unused product dy·bᵀ is not computed either
     */
    matMulData: explicit
      ? (a, b) =>
          tf.customGrad((w, save) => {
            // `a` may be an intermediate (W7's patches), disposed when the forward pass ends: saved
            save([a]);
            return { value: tf.matMul(a, w), gradFunc: (dy, [sa]) => [tf.matMul(swap(sa), dy)] };
          })(b)
      : (a, b) => tf.matMul(a, b),
    /** TF.js's tensor count after `fn`, against before: a variant that leaks is not a correct one */
    noLeak(fn) {
      const before = tf.memory().numTensors;
      const out = fn();
      const leaked = tf.memory().numTensors - before;
      if (leaked > 0) throw new Error(`${variant}: leaks ${leaked} tensors over the timed calls`);
      return out;
    },
  };
}
