// The layers against Keras 3's formulas, by hand on small inputs: outputs and gradients with set weights,
// the lazy build and its checks, the default initializers, batch normalisation's moving statistics,
// dropout's scaling, Sequential.
import * as tg from '../../src';
import * as layers from '../../src/layers/index';
import * as initializers from '../../src/layers/initializers';
import { sequential } from '../../src/layers/sequential';
import { ArgumentError, ShapeError } from '../../src/core/errors';
import { expectTensor, flat } from '../helpers';

const f64 = (values: number[], shape: number[]) => tg.tensor(values, shape, 'float64');

/** The gradients of sum(c ⊙ f()) with respect to `sources`. */
function grads(f: () => tg.Tensor, c: tg.Tensor, sources: (tg.Variable | tg.Tensor)[]): tg.Tensor[] {
  using tape = new tg.GradientTape();
  for (const s of sources) if (s instanceof tg.Tensor) tape.watch(s);
  const y = f().mul(c).sum();
  return tape.gradient(y, sources) as tg.Tensor[];
}

describe('initializers, as keras/src/initializers', () => {
  test('glorotUniform is uniform in ±sqrt(6 / (fanIn + fanOut)): the same draws as randomUniform', () => {
    const limit = Math.sqrt(6 / (3 + 2)); // scale 1 / ((3 + 2) / 2), limit sqrt(3·scale)
    const got = initializers.glorotUniform({ seed: 11 }).apply([3, 2]);
    expect(flat(got)).toEqual(flat(tg.randomUniform([3, 2], { minval: -limit, maxval: limit, seed: 11 })));
  });

  test('heNormal on a conv kernel [2, 3, 4, 5]: fanIn 4·6 = 24, stddev sqrt(2/24) / 0.8796…, truncated', () => {
    const got = initializers.heNormal({ seed: 5 }).apply([2, 3, 4, 5]);
    const want = tg.truncatedNormal([2, 3, 4, 5], { stddev: Math.sqrt(2 / 24) / 0.8796256610342398, seed: 5 });
    expect(flat(got)).toEqual(flat(want));
  });

  test('glorotNormal: fan_avg (18 + 36) / 2 = 27 for [3, 3, 2, 4]; lecunUniform sqrt(3 / fanIn)', () => {
    expect(flat(initializers.glorotNormal({ seed: 2 }).apply([3, 3, 2, 4]))).toEqual(
      flat(tg.truncatedNormal([3, 3, 2, 4], { stddev: Math.sqrt(1 / 27) / 0.8796256610342398, seed: 2 })),
    );
    expect(flat(initializers.lecunUniform({ seed: 2 }).apply([4, 7]))).toEqual(
      flat(tg.randomUniform([4, 7], { minval: -Math.sqrt(3 / 4), maxval: Math.sqrt(3 / 4), seed: 2 })),
    );
    expect(flat(initializers.heUniform({ seed: 2 }).apply([8]))).toEqual(
      // rank 1: fanIn = fanOut = 8, limit sqrt(3·2/8)
      flat(tg.randomUniform([8], { minval: -Math.sqrt(6 / 8), maxval: Math.sqrt(6 / 8), seed: 2 })),
    );
  });

  test('varianceScaling untruncated; fan below 1 counts as 1; defaults of the plain random ones', () => {
    expect(
      flat(
        initializers
          .varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'untruncatedNormal', seed: 3 })
          .apply([5, 4]),
      ),
    ).toEqual(flat(tg.randomNormal([5, 4], { stddev: Math.sqrt(2 / 4), seed: 3 })));
    expect(flat(initializers.glorotUniform({ seed: 3 }).apply([0, 4]))).toEqual([]);
    expect(flat(initializers.randomNormal({ seed: 4 }).apply([3]))).toEqual(
      flat(tg.randomNormal([3], { stddev: 0.05, seed: 4 })),
    );
    expect(flat(initializers.randomUniform({ seed: 4 }).apply([3]))).toEqual(
      flat(tg.randomUniform([3], { minval: -0.05, maxval: 0.05, seed: 4 })),
    );
    expect(flat(initializers.constant({ value: -2 }).apply([2], 'float64'))).toEqual([-2, -2]);
    expect(initializers.zeros().apply([2], 'float64').dtype).toBe('float64');
  });

  test('bad options are refused with the factory name', () => {
    expect(() => initializers.glorotUniform({ sed: 1 } as never)).toThrow(
      /^initializers\.glorotUniform: unknown option "sed"/,
    );
    expect(() => initializers.varianceScaling({ mode: 'fan_in' as never })).toThrow(ArgumentError);
    expect(() => layers.dense({ units: 1, kernelInitializer: 'glorot' as never })).toThrow(
      /^layers\.dense: unknown kernelInitializer "glorot"/,
    );
  });
});

describe('dense', () => {
  test('x·W + b and its gradients, as Keras Dense', () => {
    const d = layers.dense({ units: 3, name: 'd0', dtype: 'float64' });
    const x = f64([1, 2, 3, 4], [2, 2]);
    d.apply(x);
    d.kernel.assign(f64([1, 0, 2, 0, 1, -1], [2, 3]));
    d.bias!.assign(f64([0.5, 0, -1], [3]));
    // [1, 2]·W = [1, 2, 0], [3, 4]·W = [3, 4, 2]; plus b
    expectTensor(d.apply(x), [1.5, 2, -1, 3.5, 4, 1], [2, 3]);
    const c = f64([1, 1, 1, 1, 1, 1], [2, 3]);
    const [gx, gk, gb] = grads(() => d.apply(x), c, [x, d.kernel, d.bias!]);
    expectTensor(gx, [3, 0, 3, 0], [2, 2]); // rows of W summed: 1 + 0 + 2, 0 + 1 - 1
    expectTensor(gk, [4, 4, 4, 6, 6, 6], [2, 3]); // column sums of x: 1 + 3, 2 + 4
    expectTensor(gb, [2, 2, 2], [3]);
  });

  test('activation by name, rank-3 inputs over the last axis, variable names and order', () => {
    const d = layers.dense({
      units: 2,
      name: 'd1',
      activation: 'relu',
      kernelInitializer: 'ones',
      biasInitializer: initializers.constant({ value: -4 }),
    });
    // [1, 2] → 3 - 4 = -1 → 0; [3, 4] → 7 - 4 = 3
    expectTensor(d.apply(tg.tensor([1, 2, 3, 4], [2, 1, 2])), [0, 0, 3, 3], [2, 1, 2]);
    expect(d.variables.map((v) => v.name)).toEqual(['d1/bias', 'd1/kernel']);
  });

  test('default weights: Glorot-uniform kernel within ±sqrt(6 / 7), zero bias; a seed makes them reproducible', () => {
    const a = layers.dense({ units: 3, seed: 7 });
    const b = layers.dense({ units: 3, seed: 7 });
    const c = layers.dense({ units: 3, seed: 8 });
    for (const l of [a, b, c]) l.apply(tg.ones([1, 4]));
    expect(flat(a.kernel.value())).toEqual(flat(b.kernel.value()));
    expect(flat(a.kernel.value())).not.toEqual(flat(c.kernel.value()));
    expect(Math.max(...flat(a.kernel.value()).map(Math.abs))).toBeLessThan(Math.sqrt(6 / 7));
    expect(flat(a.bias!.value())).toEqual([0, 0, 0]);
    expect(a.name).not.toBe(b.name); // dense, dense_1 … unique
  });

  test('built on first apply; an input that does not fit is a ShapeError naming the layer', () => {
    const d = layers.dense({ units: 1, name: 'fit' });
    expect(d.built).toBe(false);
    expect(d.variables).toEqual([]);
    d.apply(tg.ones([2, 3]));
    expect(d.built).toBe(true);
    expect(() => d.apply(tg.ones([2, 4]))).toThrow(ShapeError);
    expect(() => d.apply(tg.ones([2, 4]))).toThrow(
      "Dense.apply: layer 'fit' was built for inputs with axis -1 of size 3, got shape [2,4]",
    );
    expect(() => layers.dense({ units: 1 }).apply(tg.ones([3]))).toThrow(/expects an input of rank at least 2/);
  });

  test('inputShape builds at once and is checked; useBias false; bad options', () => {
    const d = layers.dense({ units: 2, inputShape: [3], useBias: false, name: 'eager' });
    expect(d.built).toBe(true);
    expect(d.kernel.shape).toEqual([3, 2]);
    expect(d.bias).toBeUndefined();
    expect(d.variables.map((v) => v.name)).toEqual(['eager/kernel']);
    expect(() => layers.dense({ units: 0 })).toThrow(/^layers\.dense: units must be an integer >= 1, got 0$/);
    expect(() => layers.dense({ units: 1, activation: 'nope' as never })).toThrow(/^layers\.dense: activation must be/);
    expect(() => layers.dense({ units: 1, unit: 2 } as never)).toThrow(/^layers\.dense: unknown option "unit"/);
  });

  test('trainable: false makes the weights non-trainable', () => {
    const d = layers.dense({ units: 1, trainable: false, inputShape: [2] });
    expect(d.trainableVariables).toEqual([]);
    expect(d.variables.length).toBe(2);
  });
});

describe('convolution layers', () => {
  test('conv2d is tg.conv2d plus a bias per channel; kernel [kh, kw, in, filters]', () => {
    const layer = layers.conv2d({
      filters: 2,
      kernelSize: [2, 1],
      strides: 1,
      padding: 'same',
      seed: 1,
      dtype: 'float64',
    });
    const x = tg.reshape(f64([1, 2, 3, 4, 5, 6], [6]), [1, 3, 2, 1]);
    layer.apply(x);
    expect(layer.kernel!.shape).toEqual([2, 1, 1, 2]);
    layer.bias!.assign(f64([1, -1], [2]));
    const want = tg.conv2d(x, layer.kernel!, 1, 'same').add(f64([1, -1], [2]));
    expectTensor(layer.apply(x), flat(want), [1, 3, 2, 2]);
    const c = tg.reshape(tg.range(1, 13, 1, 'float64'), [1, 3, 2, 2]);
    const [gk, gb] = grads(() => layer.apply(x), c, [layer.kernel!, layer.bias!]);
    const [wk] = grads(() => tg.conv2d(x, layer.kernel!, 1, 'same'), c, [layer.kernel!]);
    expectTensor(gk, flat(wk), [2, 1, 1, 2]);
    expectTensor(gb, [1 + 3 + 5 + 7 + 9 + 11, 2 + 4 + 6 + 8 + 10 + 12], [2]);
  });

  test("conv1d with 'causal' padding: (kernel − 1)·dilation zeros first", () => {
    const layer = layers.conv1d({ filters: 1, kernelSize: 2, padding: 'causal', kernelInitializer: 'ones' });
    // [0, 1, 2, 3] windows: 0 + 1, 1 + 2, 2 + 3
    expectTensor(layer.apply(tg.tensor([1, 2, 3], [1, 3, 1])), [1, 3, 5], [1, 3, 1]);
    const dilated = layers.conv1d({
      filters: 1,
      kernelSize: 2,
      dilationRate: 2,
      padding: 'causal',
      kernelInitializer: 'ones',
    });
    // [0, 0, 1, 2, 3]: x[t - 2] + x[t] = 0 + 1, 0 + 2, 1 + 3
    expectTensor(dilated.apply(tg.tensor([1, 2, 3], [1, 3, 1])), [1, 2, 4], [1, 3, 1]);
  });

  test("conv2dTranspose: kernel [kh, kw, filters, in]; output in·stride (+ max(k − s, 0) for 'valid')", () => {
    const valid = layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 });
    expect(valid.apply(tg.ones([1, 2, 2, 1])).shape).toEqual([1, 5, 5, 2]); // 2·2 + (3 − 2)
    expect(valid.kernel!.shape).toEqual([3, 3, 2, 1]);
    const same = layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same' });
    expect(same.apply(tg.ones([1, 2, 2, 1])).shape).toEqual([1, 4, 4, 1]);
    const x = tg.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const t = layers.conv2dTranspose({ filters: 1, kernelSize: 2, strides: 2, kernelInitializer: 'ones' });
    // stride 2, kernel 2: each input value spreads over its own 2×2 block
    expectTensor(t.apply(x), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], [1, 4, 4, 1]);
  });

  test('depthwiseConv2d is tg.depthwiseConv2d plus a bias of in·multiplier', () => {
    const layer = layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, seed: 3, biasInitializer: 'ones' });
    const x = tg.reshape(tg.range(0, 18, 1, 'float32'), [1, 3, 3, 2]);
    const y = layer.apply(x);
    expect(layer.depthwiseKernel!.shape).toEqual([2, 2, 2, 2]);
    expect(layer.bias!.shape).toEqual([4]);
    expectTensor(y, flat(tg.depthwiseConv2d(x, layer.depthwiseKernel!, 1, 'valid').add(1)), [1, 2, 2, 4], 1e-6);
    expect(layer.variables.map((v) => v.name.split('/')[1])).toEqual(['bias', 'depthwiseKernel']);
  });

  test('a conv layer built for 1 channel refuses 2, and a rank-3 input', () => {
    const layer = layers.conv2d({ filters: 1, kernelSize: 1, name: 'c' });
    layer.apply(tg.ones([1, 2, 2, 1]));
    expect(() => layer.apply(tg.ones([1, 2, 2, 2]))).toThrow(
      "Conv2D.apply: layer 'c' was built for inputs with axis -1 of size 1, got shape [1,2,2,2]",
    );
    expect(() => layer.apply(tg.ones([2, 2, 1]))).toThrow(/^Conv2D\.apply: layer 'c' expects an input of rank 4/);
  });
});

describe('pooling, flatten, reshape, activation', () => {
  const x = tg.reshape(tg.range(1, 17), [1, 4, 4, 1]); // int32, rows 1-4, 5-8, 9-12, 13-16

  test('maxPooling2d and averagePooling2d: 2×2 windows, strides the pool size', () => {
    expectTensor(layers.maxPooling2d().apply(x), [6, 8, 14, 16], [1, 2, 2, 1]);
    // (1 + 2 + 5 + 6) / 4 = 3.5 …
    expectTensor(layers.averagePooling2d().apply(x), [3.5, 5.5, 11.5, 13.5], [1, 2, 2, 1]);
    expectTensor(layers.maxPooling2d({ poolSize: 3, strides: 1 }).apply(x), [11, 12, 15, 16], [1, 2, 2, 1]);
  });

  test('global pooling over height and width', () => {
    // int inputs are averaged as float32, as Keras's mean
    expectTensor(layers.globalAveragePooling2d().apply(x), [8.5], [1, 1]); // (1 + 16) / 2
    expectTensor(layers.globalMaxPooling2d({ keepDims: true }).apply(x), [16], [1, 1, 1, 1]);
  });

  test('flatten and reshape keep the batch axis; a reshape that does not fit is a ShapeError', () => {
    expect(layers.flatten().apply(x).shape).toEqual([1, 16]);
    expect(layers.reshape({ targetShape: [-1, 2] }).apply(x).shape).toEqual([1, 8, 2]);
    expect(() => layers.reshape({ targetShape: [3], name: 'r' }).apply(x)).toThrow(
      "Reshape.apply: layer 'r' cannot reshape examples of shape [4,4,1] (16 values) to targetShape [3]",
    );
  });

  test("activations by TF.js's and Keras's names, as Keras 3", () => {
    const v = tg.tensor([-1, 0, 2]);
    const act = (a: string) => layers.activation({ activation: a as never }).apply(v);
    expectTensor(act('leakyRelu'), [-0.2, 0, 2]); // negative slope 0.2
    expectTensor(act('leaky_relu'), [-0.2, 0, 2]);
    expectTensor(act('gelu'), flat(tg.gelu(v))); // exact (erf) gelu
    expectTensor(act('hardSigmoid'), [2 / 6, 0.5, 5 / 6]); // relu6(x + 3) / 6
    expectTensor(act('softmax'), flat(tg.softmax(v)));
    expectTensor(act('linear'), [-1, 0, 2]);
    expectTensor(act('elu'), [Math.exp(-1) - 1, 0, 2]);
    expectTensor(act('mish'), [-1 * Math.tanh(Math.log1p(Math.exp(-1))), 0, 2 * Math.tanh(Math.log1p(Math.exp(2)))]);
  });
});

describe('batchNormalization, as Keras 3', () => {
  // x: 2 examples × 2 features; batch mean [2, 4], biased variance [1, 4]
  const x = f64([1, 2, 3, 6], [2, 2]);
  const make = () => {
    const bn = layers.batchNormalization({ dtype: 'float64', name: 'bn' });
    bn.apply(x);
    bn.gamma!.assign(f64([2, 1], [2]));
    bn.beta!.assign(f64([0, 1], [2]));
    return bn;
  };

  test('weights, order and trainability', () => {
    const bn = make();
    expect(bn.variables.map((v) => v.name)).toEqual(['bn/beta', 'bn/gamma', 'bn/movingMean', 'bn/movingVariance']);
    expect(bn.trainableVariables.map((v) => v.name)).toEqual(['bn/beta', 'bn/gamma']);
    expect(bn.epsilon).toBe(1e-3);
    expect(bn.momentum).toBe(0.99);
  });

  test('training: batch statistics, then moving = moving·0.99 + batch·0.01', () => {
    const bn = make();
    const y = bn.apply(x, { training: true });
    const s0 = Math.sqrt(1 + 1e-3);
    const s1 = Math.sqrt(4 + 1e-3);
    // (x − mean)·gamma / sqrt(var + ε) + beta
    expectTensor(y, [(-1 * 2) / s0, -2 / s1 + 1, (1 * 2) / s0, 2 / s1 + 1], [2, 2], 1e-12);
    expectTensor(bn.movingMean.value(), [0 * 0.99 + 2 * 0.01, 0 * 0.99 + 4 * 0.01], [2], 1e-12);
    expectTensor(bn.movingVariance.value(), [1 * 0.99 + 1 * 0.01, 1 * 0.99 + 4 * 0.01], [2], 1e-12);
    // a second step moves on from there
    bn.apply(x, { training: true });
    expectTensor(bn.movingMean.value(), [0.02 * 0.99 + 0.02, 0.04 * 0.99 + 0.04], [2], 1e-12);
  });

  test('inference (the default) uses the moving statistics and changes nothing', () => {
    const bn = make();
    bn.movingMean.assign(f64([1, 2], [2]));
    bn.movingVariance.assign(f64([4, 9], [2]));
    const y = bn.apply(x);
    const s0 = Math.sqrt(4 + 1e-3);
    const s1 = Math.sqrt(9 + 1e-3);
    expectTensor(y, [0, 0 / s1 + 1, (2 * 2) / s0, 4 / s1 + 1], [2, 2], 1e-12);
    expectTensor(bn.movingMean.value(), [1, 2]);
  });

  test("training gradients are the batch statistics' (through mean and variance)", () => {
    const bn = make();
    const c = f64([1, -2, 3, 0.5], [2, 2]);
    const [gx, gGamma, gBeta] = grads(() => bn.apply(x, { training: true }), c, [x, bn.gamma!, bn.beta!]);
    // per feature, n = 2: x̂ = (x − μ)/σ, dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂))
    const feature = (xs: number[], dy: number[], gamma: number) => {
      const mu = (xs[0] + xs[1]) / 2;
      const sigma = Math.sqrt(((xs[0] - mu) ** 2 + (xs[1] - mu) ** 2) / 2 + 1e-3);
      const xh = xs.map((v) => (v - mu) / sigma);
      const mdy = (dy[0] + dy[1]) / 2;
      const mdyx = (dy[0] * xh[0] + dy[1] * xh[1]) / 2;
      return {
        dx: xs.map((_, i) => (gamma / sigma) * (dy[i] - mdy - xh[i] * mdyx)),
        dGamma: dy[0] * xh[0] + dy[1] * xh[1],
        dBeta: dy[0] + dy[1],
      };
    };
    const f0 = feature([1, 3], [1, 3], 2);
    const f1 = feature([2, 6], [-2, 0.5], 1);
    expectTensor(gx, [f0.dx[0], f1.dx[0], f0.dx[1], f1.dx[1]], [2, 2], 1e-10);
    expectTensor(gGamma, [f0.dGamma, f1.dGamma], [2], 1e-10);
    expectTensor(gBeta, [f0.dBeta, f1.dBeta], [2], 1e-10);
  });

  test('another axis: features on axis 1 of an NCHW-like input', () => {
    const bn = layers.batchNormalization({ axis: 1, epsilon: 0, dtype: 'float64' });
    // channels [1, 3] and [10, 30] over (batch 1, 2 positions)
    const y = bn.apply(f64([1, 3, 10, 30], [1, 2, 2]), { training: true });
    expectTensor(y, [-1, 1, -1, 1], [1, 2, 2], 1e-12);
    expectTensor(bn.movingMean.value(), [0.02, 0.2], [2], 1e-12);
    expect(() => bn.apply(f64([1, 2, 3], [1, 3, 1]))).toThrow(/BatchNormalization\.apply: layer .* axis 1 of size 2/);
  });

  test('a non-trainable layer normalises with the moving statistics even in training, as Keras', () => {
    const bn = layers.batchNormalization({ trainable: false, epsilon: 0 });
    const y = bn.apply([[1], [3]], { training: true });
    expectTensor(y, [1, 3]); // moving mean 0, variance 1
    expectTensor(bn.movingMean.value(), [0]);
  });
});

describe('layerNormalization, as Keras 3', () => {
  test('per example over the last axis: x·inv + (beta − mean·inv), inv = gamma / sqrt(var + 1e-3)', () => {
    const ln = layers.layerNormalization({ dtype: 'float64', name: 'ln' });
    const x = f64([1, 2, 3, 2, 2, 8], [2, 3]);
    ln.apply(x);
    ln.gamma!.assign(f64([1, 2, 3], [3]));
    ln.beta!.assign(f64([0, 0, 1], [3]));
    const row = (r: number[]) => {
      const m = (r[0] + r[1] + r[2]) / 3;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / 3;
      return r.map((e, i) => ((e - m) * [1, 2, 3][i]) / Math.sqrt(v + 1e-3) + [0, 0, 1][i]);
    };
    // row 1: mean 2, var 2/3; row 2: mean 4, var 8
    expectTensor(ln.apply(x), [...row([1, 2, 3]), ...row([2, 2, 8])], [2, 3], 1e-12);
    expect(ln.variables.map((v) => v.name)).toEqual(['ln/beta', 'ln/gamma']);
    const c = f64([1, 0, 0, 0, 0, 0], [2, 3]);
    const [gb, gg] = grads(() => ln.apply(x), c, [ln.beta!, ln.gamma!]);
    expectTensor(gb, [1, 0, 0], [3]);
    expectTensor(gg, [-1 / Math.sqrt(2 / 3 + 1e-3), 0, 0], [3], 1e-12); // x̂ of x[0, 0]
  });

  test('the gradient through the statistics matches a numeric one', () => {
    const ln = layers.layerNormalization({ dtype: 'float64' });
    const x = f64([0.5, -1, 2, 0.25], [1, 4]);
    const res = tg.checkGradients(
      (t: tg.Tensor) =>
        ln
          .apply(t)
          .mul(f64([1, 2, -1, 3], [4]))
          .sum(),
      [x],
    );
    expect(res.ok).toBe(true);
  });
});

describe('embedding and dropout', () => {
  test('embedding: row i for index i; gradients add up per row; out-of-range is refused', () => {
    const e = layers.embedding({ inputDim: 3, outputDim: 2, name: 'emb' });
    const idx = tg.tensor([2, 0, 2], [1, 3], 'int32');
    e.apply(idx);
    e.embeddings.assign(tg.tensor([1, 2, 3, 4, 5, 6], [3, 2]));
    expectTensor(e.apply(idx), [5, 6, 1, 2, 5, 6], [1, 3, 2]);
    expectTensor(e.apply([1.7]), [3, 4], [1, 2]); // float indices are cast to int32, as Keras
    const [g] = grads(() => e.apply(idx), tg.ones([1, 3, 2]), [e.embeddings]);
    expectTensor(g, [1, 1, 0, 0, 2, 2], [3, 2]);
    expect(() => e.apply(tg.tensor([3], [1], 'int32'))).toThrow(
      "Embedding.apply: layer 'emb' got index 3, outside [0, 3)",
    );
    // default initializer: uniform in [-0.05, 0.05)
    const d = layers.embedding({ inputDim: 10, outputDim: 10, seed: 1 });
    d.apply(tg.tensor([0], [1], 'int32'));
    expect(Math.max(...flat(d.embeddings.value()).map(Math.abs))).toBeLessThan(0.05);
  });

  test('dropout: the identity at inference; in training zeros or 1 / (1 − rate), the gradient the same mask', () => {
    const x = tg.ones([200]);
    expect(layers.dropout({ rate: 0.75 }).apply(x)).toBe(x);
    const a = layers.dropout({ rate: 0.75, seed: 9 });
    const b = layers.dropout({ rate: 0.75, seed: 9 });
    const ya = a.apply(x, { training: true });
    expect(flat(ya).every((v) => v === 0 || v === 4)).toBe(true);
    expect(flat(ya).filter((v) => v === 4).length).toBeGreaterThan(20); // about 50 of 200 kept
    expect(flat(b.apply(x, { training: true }))).toEqual(flat(ya)); // same seed, same first mask
    expect(flat(a.apply(x, { training: true }))).not.toEqual(flat(ya)); // the next call draws a new one
    const v = new tg.Variable(tg.ones([200]));
    const c = layers.dropout({ rate: 0.75, seed: 9 });
    using tape = new tg.GradientTape();
    const y = c.apply(v, { training: true });
    expect(flat(tape.gradient(y.sum(), v))).toEqual(flat(ya));
    expect(() => layers.dropout({ rate: 1 })).toThrow(/^layers\.dropout: rate must be a number in \[0, 1\), got 1$/);
  });
});

describe('sequential', () => {
  test('applies the layers in order, passes training on, finds variables layer by layer', () => {
    const model = sequential({
      layers: [
        layers.dense({ units: 2, name: 'h', kernelInitializer: 'ones', inputShape: [2] }),
        layers.dropout({ rate: 0.5, seed: 1 }),
      ],
    });
    model.add(layers.dense({ units: 1, name: 'o', kernelInitializer: 'ones', biasInitializer: 'ones' }));
    // [1, 2] → [3, 3] → 6 + 1
    expectTensor(model.apply([[1, 2]]), [7], [1, 1]);
    const trained = flat(model.apply(tg.ones([50, 2]), { training: true }));
    expect(trained.every((v) => [1, 5, 9].includes(v))).toBe(true); // 1 + (0, 4 or 8): dropout was on
    expect(model.variables.map((v) => v.name)).toEqual(['h/bias', 'h/kernel', 'o/bias', 'o/kernel']);
    expect(model.built).toBe(true);
    expect(() => model.add(3 as never)).toThrow(/^Sequential\.add: expected a layer/);
    expect(() => sequential().apply([1])).toThrow(/^Sequential\.apply: model .* has no layers$/);
  });

  test('a shape error deep in the stack names the layer that refused it', () => {
    const model = sequential({ layers: [layers.dense({ units: 2, name: 'first', inputShape: [3] })] });
    expect(() => model.apply(tg.ones([1, 4]))).toThrow(ShapeError);
    expect(() => model.apply(tg.ones([1, 4]))).toThrow(/layer 'first'/);
  });
});

describe('sequential building', () => {
  test('a first layer with a known inputShape builds every layer at once, as Keras; add builds the new one', () => {
    const model = sequential({
      layers: [layers.dense({ units: 3, inputShape: [2], name: 's1' }), layers.batchNormalization({ name: 's2' })],
    });
    expect(model.built).toBe(true);
    expect(model.variables.map((v) => v.name)).toEqual([
      's1/bias',
      's1/kernel',
      's2/beta',
      's2/gamma',
      's2/movingMean',
      's2/movingVariance',
    ]);
    // the zero pass was inference: the moving statistics are untouched
    expect(flat(model.variables[4].value())).toEqual([0, 0, 0]);
    model.add(layers.dense({ units: 1, name: 's3' }));
    expect(model.built).toBe(true);
    expect(model.variables.length).toBe(8);
    expect(sequential({ layers: [layers.dense({ units: 1 })] }).built).toBe(false);
  });
});
