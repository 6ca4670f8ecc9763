// tg.Checkpoint: training resumed from a checkpoint in fresh objects follows the uninterrupted run bit for bit
// (Adam, SGD with momentum, gradient accumulation stopped mid-way, Nadam with a moving average); the bytes are
// safetensors with the documented names; a checkpoint that does not fit changes nothing and names each path.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { ArgumentError, DTypeError, ShapeError } from '../../src/core/errors';
import { Checkpoint } from '../../src/io/checkpoint';
import { decodeSafetensors } from '../../src/io/safetensors';
import type { Optimizer } from '../../src/optimizers/optimizer';
import { SGD } from '../../src/optimizers/sgd';
import { Adam } from '../../src/optimizers/adam';
import { Nadam } from '../../src/optimizers/nadam';
import { Mean } from '../../src/metrics/reduction';

/** The bytes of a tensor's values: equal bytes are equal bits (NaN payloads and -0 included). */
const bits = (t: Tensor) => Array.from(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));

/** A small model, built at once (inputShape); `seed` picks its initial weights. */
function makeModel(seed: number) {
  return tg.sequential({
    layers: [
      tg.layers.dense({ units: 4, activation: 'relu', inputShape: [3], seed }),
      tg.layers.batchNormalization(),
      tg.layers.dense({ units: 2, seed: seed + 1 }),
    ],
  });
}

// 12 examples, batches of 4 taken in turn
const X = tg.tensor(
  Array.from({ length: 36 }, (_, i) => Math.sin(i * 1.7) * 2),
  [12, 3],
);
const Y = tg.tensor(
  Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.9)),
  [12, 2],
);

/** One training step on batch `i % 3`. */
function step(model: ReturnType<typeof makeModel>, opt: Optimizer, i: number): void {
  const b = i % 3;
  const x = X.slice([4 * b, 0], [4, 3]);
  const y = Y.slice([4 * b, 0], [4, 2]);
  const vars = model.trainableVariables;
  const tape = new tg.GradientTape();
  let loss: Tensor;
  try {
    loss = tg.losses.meanSquaredError(y, model.apply(x, { training: true })).mean();
  } finally {
    tape.dispose();
  }
  const grads = tape.gradient(loss, vars);
  opt.applyGradients(grads.map((g, k) => [g, vars[k]] as const));
}

/** Every variable and optimizer tensor, by checkpoint name: the whole state to compare. */
function state(model: ReturnType<typeof makeModel>, opt: Optimizer): Map<string, number[]> {
  const { tensors } = decodeSafetensors(new Checkpoint({ model, optimizer: opt }).save());
  return new Map(Object.keys(tensors).map((k) => [k, bits(tensors[k])]));
}

describe('Checkpoint: resuming in fresh objects is bit for bit the uninterrupted run', () => {
  const cases: [string, () => Optimizer, number, number][] = [
    ['Adam', () => new Adam({ learningRate: 0.01 }), 3, 3],
    ['SGD with momentum', () => new SGD({ learningRate: 0.05, momentum: 0.9 }), 4, 3],
    // 3 calls per update: stopped after 5 calls, 2 of the second update's 3 gradients are summed and waiting
    [
      'SGD with momentum and gradientAccumulationSteps, stopped mid-accumulation',
      () => new SGD({ learningRate: 0.05, momentum: 0.5, gradientAccumulationSteps: 3 }),
      5,
      4,
    ],
    [
      'Nadam (optimizer-wide uProduct) with useEma',
      () => new Nadam({ learningRate: 0.01, useEma: true, emaMomentum: 0.9 }),
      3,
      3,
    ],
  ];
  test.each(cases)('%s', (_name, makeOpt, before, after) => {
    // the uninterrupted run
    const modelA = makeModel(10);
    const optA = makeOpt();
    for (let i = 0; i < before + after; i++) step(modelA, optA, i);

    // stopped after `before` steps and saved
    const modelB = makeModel(10);
    const optB = makeOpt();
    for (let i = 0; i < before; i++) step(modelB, optB, i);
    const bytes = new Checkpoint({ model: modelB, optimizer: optB }).save();

    // fresh objects with other initial weights and a never-stepped optimizer, restored, then trained on
    const modelC = makeModel(99);
    const optC = makeOpt();
    const kernelBefore = bits(modelC.layers[0].variables[1].peek());
    new Checkpoint({ model: modelC, optimizer: optC }).restore(bytes);
    expect(bits(modelC.layers[0].variables[1].peek())).not.toEqual(kernelBefore); // really overwritten
    expect(optC.iterations).toBe(optB.iterations);
    for (let i = before; i < before + after; i++) step(modelC, optC, i);

    const a = state(modelA, optA);
    const c = state(modelC, optC);
    expect([...c.keys()]).toEqual([...a.keys()]);
    for (const [name, value] of a) expect({ name, bits: c.get(name) }).toEqual({ name, bits: value });
    // the moving statistics of batch normalisation (non-trainable) came along too
    expect(a.has('model/layers/1/movingMean') && a.has('model/layers/1/movingVariance')).toBe(true);
    // the state each optimizer keeps was in the checkpoint, under its documented name
    const saved = decodeSafetensors(bytes).tensors;
    const k0 = 'model/layers/0/kernel';
    if (optB instanceof Adam) expect(Object.keys(saved)).toEqual(expect.arrayContaining([`optimizer/m/${k0}`]));
    if (optB instanceof Nadam)
      expect(Object.keys(saved)).toEqual(expect.arrayContaining(['optimizer/uProduct', `optimizer/average/${k0}`]));
    if (optB instanceof SGD) expect(Object.keys(saved)).toEqual(expect.arrayContaining([`optimizer/momentum/${k0}`]));
    if (optB.gradientAccumulationSteps !== undefined) {
      // 5 calls: 2 gradients summed since the last update, not yet applied
      expect(saved['optimizer/iterations'].item()).toBe(5);
      expect(optB.iterations).toBe(1);
      expect(Array.from(saved[`optimizer/gradientAccumulator/${k0}`].values).some((g) => g !== 0)).toBe(true);
    }
    // and the run did move: the resumed weights differ from those at the save
    expect(bits(modelC.layers[2].variables[1].peek())).not.toEqual(bits(modelB.layers[2].variables[1].peek()));
  });

  test('without the optimizer state, Adam does not resume bit for bit (the test above can fail)', () => {
    const modelA = makeModel(10);
    const optA = new Adam({ learningRate: 0.01 });
    for (let i = 0; i < 4; i++) step(modelA, optA, i);
    const modelB = makeModel(10);
    const optB = new Adam({ learningRate: 0.01 });
    for (let i = 0; i < 2; i++) step(modelB, optB, i);
    const modelC = makeModel(99);
    new Checkpoint({ model: modelC }).restore(new Checkpoint({ model: modelB }).save());
    const optC = new Adam({ learningRate: 0.01 });
    for (let i = 2; i < 4; i++) step(modelC, optC, i);
    expect(bits(modelC.layers[2].variables[1].peek())).not.toEqual(bits(modelA.layers[2].variables[1].peek()));
  });
});

describe('Checkpoint.save: the bytes', () => {
  test('decode to attribute paths with their shapes and dtypes, the values, and the format marker', () => {
    const model = tg.sequential({
      layers: [tg.layers.dense({ units: 4, inputShape: [3], seed: 1 }), tg.layers.dense({ units: 2, seed: 2 })],
    });
    const opt = new Adam({ learningRate: 0.1 });
    step(model as unknown as ReturnType<typeof makeModel>, opt, 0);
    const { tensors, metadata } = decodeSafetensors(new Checkpoint({ model, optimizer: opt }).save());
    expect(metadata).toEqual({ format: 'tapegrad-checkpoint', version: '1' });
    const layout = Object.fromEntries(
      Object.keys(tensors)
        .sort()
        .map((k) => [k, `${tensors[k].dtype} [${tensors[k].shape.join(',')}]`]),
    );
    expect(layout).toEqual({
      'model/layers/0/bias': 'float32 [4]',
      'model/layers/0/kernel': 'float32 [3,4]',
      'model/layers/1/bias': 'float32 [2]',
      'model/layers/1/kernel': 'float32 [4,2]',
      'optimizer/iterations': 'int32 []',
      'optimizer/m/model/layers/0/bias': 'float32 [4]',
      'optimizer/m/model/layers/0/kernel': 'float32 [3,4]',
      'optimizer/m/model/layers/1/bias': 'float32 [2]',
      'optimizer/m/model/layers/1/kernel': 'float32 [4,2]',
      'optimizer/v/model/layers/0/bias': 'float32 [4]',
      'optimizer/v/model/layers/0/kernel': 'float32 [3,4]',
      'optimizer/v/model/layers/1/bias': 'float32 [2]',
      'optimizer/v/model/layers/1/kernel': 'float32 [4,2]',
    });
    expect(tensors['optimizer/iterations'].item()).toBe(1); // one applyGradients call
    const [layer0] = model.layers as tg.layers.Dense[];
    expect(bits(tensors['model/layers/0/kernel'])).toEqual(bits(layer0.kernel.peek()));
    const m = opt.slotEntries().find((e) => e.slot === 'm' && e.variable === layer0.kernel)!;
    expect(bits(tensors['optimizer/m/model/layers/0/kernel'])).toEqual(bits(m.value));
  });

  test('plain objects (keys sorted), arrays, Maps, Variables and metrics; a variable reached twice is saved once', () => {
    const w = new tg.Variable([1, 2], { name: 'w' });
    const acc = new Mean();
    acc.updateState([2, 4]); // total 6, count 2
    const step7 = new tg.Variable(7, { dtype: 'int32' });
    const flag = new tg.Variable([true, false], { dtype: 'bool' });
    const holder = new tg.Module('holder');
    Object.assign(holder, { inner: w });
    const ckpt = new Checkpoint({
      zeta: holder, // w again: saved under the first path found, 'extra/a/0' ('extra' sorts before 'zeta')
      extra: { b: new Map([['x', step7]]), a: [w, flag] },
      acc,
    });
    const { tensors } = decodeSafetensors(ckpt.save());
    expect(Object.keys(tensors).sort()).toEqual(['acc/count', 'acc/total', 'extra/a/0', 'extra/a/1', 'extra/b/x']);
    expect(tensors['acc/total'].item()).toBe(6);
    expect(tensors['acc/count'].item()).toBe(2);
    expect(Array.from(tensors['extra/a/0'].values)).toEqual([1, 2]);
    expect(Array.from(tensors['extra/a/1'].values)).toEqual([1, 0]);
    expect(tensors['extra/b/x'].dtype).toBe('int32');

    // restored into fresh ones: the metric's result comes back
    const acc2 = new Mean();
    const w2 = new tg.Variable([0, 0]);
    const step2 = new tg.Variable(0, { dtype: 'int32' });
    const flag2 = new tg.Variable([false, false], { dtype: 'bool' });
    new Checkpoint({ acc: acc2, extra: { a: [w2, flag2], b: new Map([['x', step2]]) } }).restore(ckpt.save());
    expect(acc2.result().item()).toBe(3); // 6 / 2
    expect(Array.from(w2.peek().values)).toEqual([1, 2]);
    expect(step2.peek().item()).toBe(7);
    expect(Array.from(flag2.peek().values)).toEqual([1, 0]);
  });

  test('optimizer state for a variable the checkpoint does not reach is an error naming it', () => {
    const w = new tg.Variable(1, { name: 'lonely' });
    const opt = new SGD({ learningRate: 0.1, momentum: 0.9 });
    opt.applyGradients([[tg.scalar(1), w]]);
    expect(() => new Checkpoint({ optimizer: opt }).save()).toThrow(ArgumentError);
    expect(() => new Checkpoint({ optimizer: opt }).save()).toThrow(
      "Checkpoint.save: 'optimizer' has state for variable 'lonely', which the checkpoint does not reach",
    );
    expect(() => new Checkpoint({ optimizer: opt }).restore(new Checkpoint({}).save())).toThrow(
      "Checkpoint.restore: 'optimizer' has state for variable 'lonely'",
    );
    // reached: saved as optimizer/momentum/w
    const names = Object.keys(decodeSafetensors(new Checkpoint({ optimizer: opt, w }).save()).tensors).sort();
    expect(names).toEqual(['optimizer/iterations', 'optimizer/momentum/w', 'w']);
  });

  test('an unbuilt layer is an error saying so, at save and at restore', () => {
    const model = tg.sequential({ layers: [tg.layers.dense({ units: 2, name: 'lazy' })] });
    const msg = "layer 'lazy' at 'model/layers/0' is not built, so its variables do not exist yet";
    expect(() => new Checkpoint({ model }).save()).toThrow(`Checkpoint.save: ${msg}`);
    expect(() => new Checkpoint({ model }).restore(new Checkpoint({}).save())).toThrow(`Checkpoint.restore: ${msg}`);
    model.apply(tg.ones([1, 3]));
    expect(Object.keys(decodeSafetensors(new Checkpoint({ model }).save()).tensors).sort()).toEqual([
      'model/layers/0/bias',
      'model/layers/0/kernel',
    ]);
  });
});

describe('Checkpoint.restore: all or nothing', () => {
  /** Two dense layers and Adam after one step, saved. */
  function saved(units = 4) {
    const model = tg.sequential({
      layers: [tg.layers.dense({ units, inputShape: [3], seed: 1 }), tg.layers.dense({ units: 2, seed: 2 })],
    });
    const opt = new Adam({ learningRate: 0.1 });
    step(model as unknown as ReturnType<typeof makeModel>, opt, 0);
    return { model, opt, bytes: new Checkpoint({ model, optimizer: opt }).save() };
  }
  /** Every value of the objects, to check that nothing changed. */
  const snapshot = (vars: tg.Variable[], opt?: Optimizer) => [
    ...vars.map((v) => bits(v.peek())),
    ...(opt ? opt.slotEntries().map((e) => bits(e.value)) : []),
    opt?.iterations,
  ];
  function thrown(f: () => unknown): Error {
    try {
      f();
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected an error');
  }

  test('a missing and an unexpected name: one error naming each path, nothing changed', () => {
    const { bytes } = saved();
    const model = tg.sequential({
      layers: [tg.layers.dense({ units: 4, inputShape: [3], seed: 5 }), tg.layers.dense({ units: 2, seed: 6 })],
    });
    const extra = new tg.Variable(0);
    const before = snapshot([...model.variables, extra]);
    // no optimizer here: its 9 names are unexpected; 'extra' is missing
    const e = thrown(() => new Checkpoint({ model, extra }).restore(bytes));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe(
      "Checkpoint.restore: the checkpoint does not fit the objects, and nothing was restored: missing from the checkpoint: 'extra'; in the checkpoint but not in the objects: " +
        "'optimizer/m/model/layers/0/bias', 'optimizer/m/model/layers/0/kernel', 'optimizer/m/model/layers/1/bias', 'optimizer/m/model/layers/1/kernel', " +
        "'optimizer/v/model/layers/0/bias', 'optimizer/v/model/layers/0/kernel', 'optimizer/v/model/layers/1/bias', 'optimizer/v/model/layers/1/kernel', " +
        "'optimizer/iterations' (restore(bytes, { allowPartial: true }) accepts missing and unexpected names)",
    );
    expect(snapshot([...model.variables, extra])).toEqual(before);
  });

  test('allowPartial (expect_partial) takes what fits and returns what did not', () => {
    const { model: src, bytes } = saved();
    const model = tg.sequential({
      layers: [tg.layers.dense({ units: 4, inputShape: [3], seed: 5 }), tg.layers.dense({ units: 2, seed: 6 })],
    });
    const extra = new tg.Variable(5);
    const result = new Checkpoint({ model, extra }).restore(bytes, { allowPartial: true });
    expect(result.missing).toEqual(['extra']);
    expect(result.unexpected.length).toBe(9); // 8 slots and iterations
    expect(model.variables.map((v) => bits(v.peek()))).toEqual(src.variables.map((v) => bits(v.peek())));
    expect(extra.peek().item()).toBe(5);
    // without allowPartial the result lists nothing
    expect(new Checkpoint({ model, optimizer: new Adam() }).restore(bytes)).toEqual({ missing: [], unexpected: [] });
  });

  test('a shape that differs: a ShapeError naming each path; neither model nor optimizer changed', () => {
    const { bytes } = saved(5); // the first layer has 5 units here
    const model = tg.sequential({
      layers: [tg.layers.dense({ units: 4, inputShape: [3], seed: 5 }), tg.layers.dense({ units: 2, seed: 6 })],
    });
    const opt = new Adam({ learningRate: 0.1 });
    step(model as unknown as ReturnType<typeof makeModel>, opt, 1);
    const before = snapshot(model.variables, opt);
    const e = thrown(() => new Checkpoint({ model, optimizer: opt }).restore(bytes));
    expect(e).toBeInstanceOf(ShapeError);
    for (const path of ['model/layers/0/bias', 'model/layers/0/kernel', 'model/layers/1/kernel'])
      expect(e.message).toContain(`'${path}' is`);
    expect(e.message).toContain("'model/layers/0/kernel' is [3,5] in the checkpoint but [3,4] here");
    expect(e.message).toContain("'optimizer/m/model/layers/1/kernel' is [5,2] in the checkpoint but [4,2] here");
    expect(e.message).not.toContain("'model/layers/1/bias'"); // that one fits
    expect(snapshot(model.variables, opt)).toEqual(before);
  });

  test('a dtype that differs is a DTypeError naming the path', () => {
    const bytes = new Checkpoint({ w: new tg.Variable([1, 2], { dtype: 'float64' }) }).save();
    const w = new tg.Variable([0, 0]);
    const e = thrown(() => new Checkpoint({ w }).restore(bytes));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toBe(
      "Checkpoint.restore: the checkpoint does not fit the objects, and nothing was restored: 'w' is float64 in the checkpoint but float32 here",
    );
  });

  test('a stepped optimizer restored from a checkpoint without its state: its names are missing', () => {
    const { model, bytes } = saved();
    const opt = new Adam();
    step(model as unknown as ReturnType<typeof makeModel>, opt, 0);
    const modelOnly = new Checkpoint({ model }).save();
    const e = thrown(() => new Checkpoint({ model, optimizer: opt }).restore(modelOnly));
    expect(e.message).toContain(
      "missing from the checkpoint: 'optimizer/iterations', 'optimizer/m/model/layers/0/bias'",
    );
    // a fresh optimizer restored from a checkpoint that has the state takes all of it
    const fresh = new Adam({ learningRate: 0.1 });
    expect(fresh.slotEntries()).toEqual([]);
    new Checkpoint({ model, optimizer: fresh }).restore(bytes);
    expect(fresh.slotEntries().length).toBe(8);
    expect(fresh.iterations).toBe(1);
  });

  test("a fresh optimizer given only part of a variable's slots: the missing ones are named", () => {
    const w = new tg.Variable([1, 2]);
    const opt = new Adam();
    opt.applyGradients([[tg.tensor([1, 1]), w]]);
    const { tensors, metadata } = decodeSafetensors(new Checkpoint({ w, opt }).save());
    delete tensors['opt/v/w'];
    const bytes = tg.io.encodeSafetensors(tensors, metadata);
    const fresh = new Adam();
    const e = thrown(() => new Checkpoint({ w, opt: fresh }).restore(bytes));
    expect(e.message).toContain("missing from the checkpoint: 'opt/v/w'");
    expect(fresh.slotEntries()).toEqual([]);
    expect(fresh.iterations).toBe(0);
    // with allowPartial the incomplete state is left for the optimizer to make; iterations is taken
    expect(new Checkpoint({ w, opt: fresh }).restore(bytes, { allowPartial: true }).missing).toEqual(['opt/v/w']);
    expect(fresh.slotEntries()).toEqual([]);
    expect(fresh.iterations).toBe(1);
  });

  test('a negative iterations count is refused', () => {
    const bytes = tg.io.encodeSafetensors({ 'opt/iterations': tg.scalar(-1, 'int32') });
    expect(() => new Checkpoint({ opt: new SGD() }).restore(bytes)).toThrow(
      "'opt/iterations' is -1, expected a non-negative count",
    );
  });
});

describe('Checkpoint: arguments', () => {
  test('the constructor takes a plain object of trackable things with simple names', () => {
    expect(() => new Checkpoint(new Map() as never)).toThrow(
      'Checkpoint: expected a plain object of named objects ({ model, optimizer, … }), got a Map',
    );
    expect(() => new Checkpoint({ 'a/b': new tg.Variable(1) })).toThrow(
      `Checkpoint: "a/b" cannot name an object (names are non-empty, without '/', and not "__metadata__")`,
    );
    expect(() => new Checkpoint({ vars: [new tg.Variable(1), 3] } as never)).toThrow(
      "Checkpoint: 'vars/1' is 3; a checkpoint holds Modules, optimizers, metrics, Variables and arrays, Maps and plain objects of them",
    );
    expect(() => new Checkpoint({ t: tg.scalar(1) } as never)).toThrow("Checkpoint: 't' is a Tensor;");
  });

  test('restore checks its options and bytes, and names itself', () => {
    const ckpt = new Checkpoint({ w: new tg.Variable(1) });
    const bytes = ckpt.save();
    expect(() => ckpt.restore(bytes, { partial: true } as never)).toThrow(
      'Checkpoint.restore: unknown option "partial"; expected allowPartial',
    );
    expect(() => ckpt.restore(bytes, { allowPartial: 1 } as never)).toThrow(
      'Checkpoint.restore: allowPartial must be true or false, got 1',
    );
    expect(() => ckpt.restore(bytes.subarray(0, 12))).toThrow(/^Checkpoint\.restore: invalid safetensors file: /);
    expect(() => ckpt.restore('x' as never)).toThrow(
      'Checkpoint.restore: bytes must be a Uint8Array or an ArrayBuffer, got "x"',
    );
    const newer = tg.io.encodeSafetensors({ w: tg.scalar(1) }, { format: 'tapegrad-checkpoint', version: '2' });
    expect(() => ckpt.restore(newer)).toThrow(
      'Checkpoint.restore: the checkpoint is of version "2"; this tapegrad reads version 1',
    );
    // a plain safetensors file with fitting names restores (the names are the contract)
    ckpt.restore(tg.io.encodeSafetensors({ w: tg.scalar(4) }));
    expect(decodeSafetensors(ckpt.save()).tensors.w.item()).toBe(4);
    // an ArrayBuffer (fetch's arrayBuffer(), IndexedDB) restores as well
    ckpt.restore(tg.io.encodeSafetensors({ w: tg.scalar(9) }).slice().buffer);
    expect(decodeSafetensors(ckpt.save()).tensors.w.item()).toBe(9);
  });
});
