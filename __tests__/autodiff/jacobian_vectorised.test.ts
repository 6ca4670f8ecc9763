// tape.jacobian / batchJacobian by one forward walk with a batch of tangents (jacobian_forward.ts):
// the same Jacobians as the reverse walks (one per target element, checked here through
// tape.gradient with one-hot outputGradients), as closed forms and as central differences in
// float64; nesting, unconnected sources, the used-once rule and the reverse fallbacks.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import { activeRecorders } from '../../src/core/recording';
import { forwardBatchJacobian, forwardJacobian, pathToTarget } from '../../src/autodiff/jacobian_forward';
import { expectTensor, flat } from '../helpers';

afterEach(() => {
  expect(activeRecorders.length).toBe(0);
});

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (2 * s) / 2147483648 - 1;
  });
}

/** The Jacobian the reverse way, row by row: tape.gradient with one-hot outputGradients. */
function reverseJacobian(f: (x: Tensor) => Tensor, x: Tensor): number[] {
  using tape = new tg.GradientTape({ persistent: true });
  tape.watch(x);
  const y = f(x);
  const rows: number[] = [];
  for (let i = 0; i < y.size; i++) {
    const seed = tg.reshape(tg.oneHot([i], y.size, 1, 0, y.dtype), y.shape);
    rows.push(...flat(tape.gradient(y, x, { outputGradients: seed, unconnectedGradients: 'zero' })));
  }
  return rows;
}

/** Central differences of f at x (float64): row i is d f_i / d x, flattened as a Jacobian. */
function numericJacobian(f: (x: Tensor) => Tensor, x: Tensor, h = 1e-6): number[] {
  const x0 = flat(x);
  const m = f(x).size;
  const out = new Array<number>(m * x0.length).fill(0);
  for (let j = 0; j < x0.length; j++) {
    const at = (d: number) => {
      const xs = x0.slice();
      xs[j] += d;
      return flat(f(tg.tensor(xs, x.shape, 'float64')));
    };
    const [up, down] = [at(h), at(-h)];
    for (let i = 0; i < m; i++) out[i * x0.length + j] = (up[i] - down[i]) / (2 * h);
  }
  return out;
}

/** The Jacobian from the tape (one call, what is tested). */
function tapeJacobian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  using tape = new tg.GradientTape();
  tape.watch(x);
  return tape.jacobian(f(x), x) as Tensor;
}

describe('the forward walk gives the reverse walks’ Jacobian', () => {
  const chain = (x: Tensor) => {
    let h = x;
    for (let i = 0; i < 12; i++) h = i % 3 === 0 ? tg.sin(h) : i % 3 === 1 ? h.mul(1.5).sub(tg.square(h)) : h.add(0.1);
    return h;
  };
  const w = tg.tensor(values(6 * 4, 3), [6, 4], 'float64');
  const functions: [string, (x: Tensor) => Tensor, readonly number[]][] = [
    ['an elementwise chain', chain, [5]],
    ['a matrix function (tanh of W·x, softmax)', (x) => tg.softmax(tg.tanh(tg.matmul(w, tg.reshape(x, [4, 1])))), [4]],
    ['broadcasting and a reduction', (x) => tg.exp(x).mul(tg.sum(x, 0, true)), [2, 3]],
    ['slices and concatenation', (x) => tg.concat([tg.slice(x, [1], [3]).mul(2), tg.cos(x)], 0), [4]],
  ];
  test.each(functions)('%s: forward = reverse = central differences (float64)', (_name, f, shape) => {
    const x = tg.tensor(
      values(
        shape.reduce((a, b) => a * b, 1),
        7,
      ),
      shape,
      'float64',
    );
    const j = tapeJacobian(f, x);
    expect(j.shape).toEqual([...f(x).shape, ...shape]);
    expect(j.dtype).toBe('float64');
    expectTensor(j, reverseJacobian(f, x), undefined, 1e-12);
    expectTensor(j, numericJacobian(f, x), undefined, 1e-7);
  });

  test('these Jacobians do take the forward walk (it answers; the reverse walks are not needed)', () => {
    const x = tg.tensor(values(5, 7), [5], 'float64');
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const y = chain(x);
    const records = (tape as unknown as { records: tg.Tensor[] }).records as never;
    const j = forwardJacobian(records, y, [{ ids: [x.id], shape: x.shape, dtype: x.dtype }]);
    expect(j).not.toBeNull();
    expectTensor(j![0], flat(tape.jacobian(y, x)), [5, 5], 1e-12);
  });

  test('a matmul: J_a[i,j,p,q] = δ_ip b[q,j] and J_b[i,j,p,q] = a[i,p] δ_qj', () => {
    const a = tg.tensor(values(6, 1), [3, 2]);
    const b = tg.tensor(values(8, 2), [2, 4]);
    using tape = new tg.GradientTape();
    tape.watch([a, b]);
    const [ja, jb] = tape.jacobian(tg.matmul(a, b), [a, b]) as Tensor[];
    expect(ja.shape).toEqual([3, 4, 3, 2]);
    expect(jb.shape).toEqual([3, 4, 2, 4]);
    const [av, bv] = [flat(a), flat(b)];
    const wantA: number[] = [];
    const wantB: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) {
        for (let p = 0; p < 3; p++) for (let q = 0; q < 2; q++) wantA.push(i === p ? bv[q * 4 + j] : 0);
        for (let p = 0; p < 2; p++) for (let q = 0; q < 4; q++) wantB.push(q === j ? av[i * 2 + p] : 0);
      }
    expectTensor(ja, wantA);
    expectTensor(jb, wantB);
  });

  test('a Jacobian in several chunks, a source split between two of them', () => {
    // 1200 columns over tensors of 1200 elements: more than 2^20 tangent elements, so two walks
    // (of 873 columns, then 327); the first takes all of a and the start of b
    const a = tg.tensor(values(600, 4), [600], 'float64');
    const b = tg.tensor(values(600, 5), [600], 'float64');
    using tape = new tg.GradientTape();
    tape.watch([a, b]);
    const y = tg.concat([tg.square(a), tg.sin(b)], 0);
    const [ja, jb] = tape.jacobian(y, [a, b]) as Tensor[];
    expect(ja.shape).toEqual([1200, 600]);
    const [jav, jbv, av, bv] = [flat(ja), flat(jb), flat(a), flat(b)];
    let worst = 0;
    let nonzero = 0;
    for (let i = 0; i < 1200; i++)
      for (let j = 0; j < 600; j++) {
        const wa = i === j ? 2 * av[j] : 0;
        const wb = i === 600 + j ? Math.cos(bv[j]) : 0;
        worst = Math.max(worst, Math.abs(jav[i * 600 + j] - wa), Math.abs(jbv[i * 600 + j] - wb));
        if (jav[i * 600 + j] !== 0) nonzero++;
        if (jbv[i * 600 + j] !== 0) nonzero++;
      }
    expect(worst).toBeLessThan(1e-15);
    expect(nonzero).toBe(1200); // the diagonals only (no value here is 0, so none of cos is either)
  });
});

describe('sources', () => {
  test('several sources, one unconnected (null, or zeros with unconnectedGradients: zero), one int', () => {
    const a = tg.tensor([1, 2]);
    const b = tg.tensor([3, 4, 5]);
    const c = tg.tensor([7]);
    const i = tg.tensor([1, 2], [2], 'int32');
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch([a, b, c]);
    const y = tg.concat([a.mul(3), tg.sum(b.square(), 0, true)], 0); // [3a0, 3a1, Σb²]
    const [ja, jb, jc, ji] = tape.jacobian(y, [a, b, c, i]);
    expectTensor(ja, [3, 0, 0, 3, 0, 0], [3, 2]);
    expectTensor(jb, [0, 0, 0, 0, 0, 0, 6, 8, 10], [3, 3]);
    expect(jc).toBeNull();
    expect(ji).toBeNull();
    const z = tape.jacobian(y, [c, i], { unconnectedGradients: 'zero' });
    expectTensor(z[0], [0, 0, 0], [3, 1]);
    expectTensor(z[1], [0, 0, 0, 0, 0, 0], [3, 2]);
    expect(z[1]!.dtype).toBe('int32');
  });

  test('the same source twice, a variable read twice, the target as its own source', () => {
    const x = tg.tensor([1, 2]);
    const v = new tg.Variable([3, 4]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const y = v.mul(x).add(v.mul(v)); // two reads of v: d/dv = x + 2v
    const [j1, j2, jv] = tape.jacobian(y, [x, x, v]);
    expectTensor(j1, [3, 0, 0, 4], [2, 2]);
    expectTensor(j2, [3, 0, 0, 4], [2, 2]);
    expectTensor(jv, [7, 0, 0, 10], [2, 2]);
    expectTensor(tape.jacobian(x, x), [1, 0, 0, 1], [2, 2]);
  });

  test('an intermediate as a source beside the input it was computed from', () => {
    const x = tg.tensor([0.5, -1]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    const h = x.square(); // watched as a source: y's Jacobian through it and around it
    tape.watch(h);
    const y = tg.concat([h.mul(x), h.add(x)], 0); // [x³, x² + x]
    const [jx, jh] = tape.jacobian(y, [x, h]) as Tensor[];
    // through h and directly: 3x² and 2x + 1
    expectTensor(jx, [3 * 0.25, 0, 0, 3, 2, 0, 0, -1], [4, 2]);
    expectTensor(jh, [0.5, 0, 0, -1, 1, 0, 0, 1], [4, 2]);
  });

  test('an op whose tangent rule gives none but whose gradient is zeros: connected, zeros (as the reverse walk)', () => {
    const x = tg.tensor([-2, 3]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.jacobian(tg.sign(x).mul(x), x), [-1, 0, 0, 1], [2, 2]); // d(sign(x)·x) = sign(x)
    using t2 = new tg.GradientTape();
    t2.watch(x);
    const j = t2.jacobian(tg.sign(x), x);
    expectTensor(j, [0, 0, 0, 0], [2, 2]);
  });

  test('a float32 source through a float64 computation: the Jacobian has the source’s dtype, as the gradient', () => {
    const x = tg.tensor([1, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    const y = tg.cast(x, 'float64').square();
    const j = tape.jacobian(y, x) as Tensor;
    expect(j.dtype).toBe('float32');
    expectTensor(j, [2, 0, 0, 4], [2, 2]);
  });

  test('an int target: null for every source, zeros on request', () => {
    const x = tg.tensor([1.5, 2.5]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const t = tg.cast(x.mul(2), 'int32');
    expect(tape.jacobian(t, x)).toBeNull();
    expectTensor(tape.jacobian(t, x, { unconnectedGradients: 'zero' }), [0, 0, 0, 0], [2, 2]);
  });
});

describe('where a derivative is infinite: the reverse walks’ entries (TF’s)', () => {
  // forward, 0·∞ would put NaN in the element's row instead of its column, and sqrt's tangent is
  // unguarded where its gradient is guarded: such a Jacobian is done again by the reverse walks
  test.each([
    ['sqrt at [0, 4]', (x: Tensor) => tg.sqrt(x), [0, 4], [Infinity, 0, 0, 0.25]],
    ['x·c with c = [∞, 1]', (x: Tensor) => x.mul(tg.tensor([Infinity, 1])), [1, 2], [Infinity, 0, NaN, 1]],
    ['log at [0, 2]', (x: Tensor) => tg.log(x), [0, 2], [Infinity, 0, NaN, 0.5]],
  ] as const)('%s', (_name, f, at, want) => {
    const x = tg.tensor(at.slice());
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.jacobian(f(x), x), want.slice(), [2, 2]);
  });

  test('batchJacobian too', () => {
    const x = tg.tensor([0, 4, 1, 0], [2, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.batchJacobian(tg.sqrt(x), x), [Infinity, 0, 0, 0.25, 0.5, 0, 0, Infinity], [2, 2, 2]);
  });
});

describe('which walk', () => {
  /** The records of a persistent tape after `f`, for forwardJacobian. */
  function recorded(f: (x: Tensor) => Tensor, x: Tensor) {
    const tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const y = f(x);
    tape.dispose();
    const records = (tape as unknown as { records: never }).records;
    return { y, records, source: { ids: [x.id], shape: x.shape, dtype: x.dtype } };
  }

  test('forward when the target has at least as many elements as the sources, reverse when fewer', () => {
    const x = tg.tensor([1, 2, 3]);
    const wide = recorded((x) => tg.concat([x, x.square()], 0), x);
    expect(forwardJacobian(wide.records, wide.y, [wide.source])).not.toBeNull();
    const narrow = recorded((x) => tg.sum(x.square()), x);
    expect(forwardJacobian(narrow.records, narrow.y, [narrow.source])).toBeNull();
    // and the tape still answers the narrow one (by reverse walks)
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.jacobian(tg.sum(x.square()), x), [2, 4, 6], [3]);
  });

  test('only the records between the sources and the target are walked', () => {
    const x = tg.tensor([1, 2]);
    const tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const a = x.mul(2);
    x.exp(); // on x, but not on the way to the target
    const y = a.add(1);
    tape.dispose();
    const records = (tape as unknown as { records: { name: string }[] }).records;
    expect(records.map((r) => r.name)).toEqual(['mul', 'exp', 'add']);
    const path = pathToTarget(records as never, new Set([x.id]), y.id);
    expect(path.map((r) => r.name)).toEqual(['mul', 'add']);
  });

  test('a customGradient on the path: the reverse walks, so that its rule is honoured', () => {
    // value x, gradient 5·dy: the Jacobian is 5·I, not the identity forward mode would give
    const fiveTimes = tg.customGradient((x) => ({ value: x.mul(1), grad: (dy) => dy.mul(5) }));
    const x = tg.tensor([1, 2]);
    const r = recorded((x) => fiveTimes(x).mul(2), x);
    expect(forwardJacobian(r.records, r.y, [r.source])).toBeNull();
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.jacobian(fiveTimes(x).mul(2), x), [10, 0, 0, 10], [2, 2]);
  });
});

describe('nesting', () => {
  // f(x) = Σ tanh(W x): ∇f = Wᵀ(1 - t²), H = Wᵀ diag(-2t(1 - t²)) W, and the third derivative
  // T_pqr = Σ_i W_ip W_iq W_ir · tanh'''(z_i), tanh''' = -2(1 - t²)(1 - 3t²), with z = Wx, t = tanh z
  const n = 4;
  const W = tg.tensor(values(n * n, 11), [n, n], 'float64');
  const x = tg.tensor(values(n, 12), [n], 'float64');
  const f = (x: Tensor) => tg.sum(tg.tanh(tg.matmul(W, tg.reshape(x, [n, 1]))));
  const wv = flat(W);
  const t = Array.from({ length: n }, (_, i) =>
    Math.tanh(wv.slice(i * n, i * n + n).reduce((s, w, k) => s + w * flat(x)[k], 0)),
  );
  const d2 = t.map((ti) => -2 * ti * (1 - ti * ti));
  const d3 = t.map((ti) => -2 * (1 - ti * ti) * (1 - 3 * ti * ti));
  const H: number[] = [];
  for (let p = 0; p < n; p++)
    for (let q = 0; q < n; q++) H.push(d2.reduce((s, di, i) => s + wv[i * n + p] * di * wv[i * n + q], 0));
  const T: number[] = [];
  for (let p = 0; p < n; p++)
    for (let q = 0; q < n; q++)
      for (let r = 0; r < n; r++)
        T.push(d3.reduce((s, di, i) => s + wv[i * n + p] * wv[i * n + q] * wv[i * n + r] * di, 0));

  test.each([false, true])('Hessian as outer.jacobian(inner.gradient(f, x), x), outer persistent: %s', (persistent) => {
    const outer = new tg.GradientTape({ persistent });
    outer.watch(x);
    const inner = new tg.GradientTape();
    inner.watch(x);
    const g = inner.gradient(f(x), x) as Tensor;
    outer.dispose(); // TF's guide: the outer `with` block ends before jacobian()
    expectTensor(outer.jacobian(g, x), H, [n, n], 1e-12);
  });

  test('a third derivative: the Hessian by a jacobian, differentiated by a tape around it', () => {
    using third = new tg.GradientTape();
    third.watch(x);
    let h: Tensor;
    {
      using outer = new tg.GradientTape();
      outer.watch(x);
      let g: Tensor;
      {
        using inner = new tg.GradientTape();
        inner.watch(x);
        g = inner.gradient(f(x), x) as Tensor;
      }
      h = outer.jacobian(g, x) as Tensor; // forward walk, its rules recorded by `third`
    }
    expectTensor(h, H, [n, n], 1e-12);
    expectTensor(third.jacobian(h, x), T, [n, n, n], 1e-12);
  });

  test('the walk’s ops go to the tapes outside, not to the non-persistent tape being used', () => {
    const y0 = tg.tensor([0.5, 2]);
    using outside = new tg.GradientTape();
    outside.watch(y0);
    const tape = new tg.GradientTape();
    tape.watch(y0);
    const y = y0.square().mul(y0); // y³
    const before = outside.toString().split('\n').length;
    const j = tape.jacobian(y, y0) as Tensor; // diag(3y²)
    expect(String(tape)).toBe('GradientTape(persistent=false, 0 ops)'); // records dropped after use
    expect(outside.toString().split('\n').length).toBeGreaterThan(before);
    // d/dy Σ J = d/dy Σ 3y² = 6y
    expectTensor(outside.gradient(j, y0), [3, 12], [2]);
    tape.dispose();
  });

  test('a persistent tape still recording records its own jacobian, as its gradient (second derivatives)', () => {
    const x = tg.tensor([0.5, 2]);
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const j = tape.jacobian(x.square().mul(x), x) as Tensor; // diag(3x²)
    expectTensor(tape.gradient(j, x), [3, 12], [2]); // 6x
  });
});

describe('the rules of use and the errors are unchanged', () => {
  test('a non-persistent tape answers one jacobian, then refuses', () => {
    const x = tg.tensor([1, 2]);
    const tape = new tg.GradientTape();
    tape.watch(x);
    const y = x.square();
    expectTensor(tape.jacobian(y, x), [2, 0, 0, 4], [2, 2]);
    expect(() => tape.jacobian(y, x)).toThrow('GradientTape.gradient can only be called once on non-persistent tapes.');
    expect(() => tape.gradient(y, x)).toThrow(/only be called once/);
    expect(activeRecorders).not.toContain(tape);
  });

  test('bad arguments throw before the tape is used', () => {
    const x = tg.tensor([1, 2]);
    const tape = new tg.GradientTape();
    tape.watch(x);
    const y = x.square();
    expect(() => tape.jacobian(y, [x, null as never])).toThrow(/^GradientTape\.jacobian: source 1 is null/);
    expect(() => tape.jacobian(y, x, { unconnectedGradients: 'nan' as never })).toThrow(
      /^GradientTape\.jacobian: unconnectedGradients must be 'none' or 'zero', got "nan"/,
    );
    expectTensor(tape.jacobian(y, x), [2, 0, 0, 4], [2, 2]); // still unused
  });

  test('checkNumerics names the recorded op whose tangent rule made a NaN', () => {
    const x = tg.tensor([0, 4]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    const y = tg.sqrt(x);
    tg.debugging.enableCheckNumerics();
    try {
      expect(() => tape.jacobian(y, x)).toThrow(/in the gradient of 'sqrt'/);
    } finally {
      tg.debugging.disableCheckNumerics();
    }
  });
});

describe('batchJacobian', () => {
  test('one walk over a row’s elements: the per-example Jacobian of x² W, against the closed form', () => {
    const x = tg.tensor(values(3 * 2, 21), [3, 2], 'float64');
    const w = tg.tensor(values(2 * 4, 22), [2, 4], 'float64');
    using tape = new tg.GradientTape({ persistent: true });
    tape.watch(x);
    const y = tg.matmul(x.square(), w); // y[b, j] = Σ_i x[b,i]² w[i,j]
    const r = forwardBatchJacobian((tape as unknown as { records: never }).records, y, {
      ids: [x.id],
      shape: x.shape,
      dtype: x.dtype,
    });
    expect(r).toBeInstanceOf(tg.Tensor);
    const j = tape.batchJacobian(y, x);
    expect(j.shape).toEqual([3, 4, 2]);
    const [xv, wv] = [flat(x), flat(w)];
    const want: number[] = [];
    for (let b = 0; b < 3; b++)
      for (let jj = 0; jj < 4; jj++) for (let i = 0; i < 2; i++) want.push(2 * xv[b * 2 + i] * wv[i * 4 + jj]);
    expectTensor(j, want, undefined, 1e-12);
    expectTensor(r as Tensor, want, [3, 4, 2], 1e-12);
  });

  test('a row of higher rank: target [B, 2, 2], source [B, 2]', () => {
    const x = tg.tensor([1, 2, 3, 4], [2, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    // y[b] = outer(x[b], x[b]): d y[b,p,q] / d x[b,r] = δ_pr x[b,q] + x[b,p] δ_qr
    const y = tg.mul(tg.reshape(x, [2, 2, 1]), tg.reshape(x, [2, 1, 2]));
    const j = tape.batchJacobian(y, x);
    expect(j.shape).toEqual([2, 2, 2, 2]);
    const xv = flat(x);
    const want: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let p = 0; p < 2; p++)
        for (let q = 0; q < 2; q++)
          for (let r = 0; r < 2; r++) want.push((p === r ? xv[b * 2 + q] : 0) + (q === r ? xv[b * 2 + p] : 0));
    expectTensor(j, want);
  });

  test('unconnected: zeros whatever unconnectedGradients says (TF); used once; mismatched batches refused', () => {
    const x = tg.tensor([
      [1, 2],
      [3, 4],
    ]);
    const tape = new tg.GradientTape();
    tape.watch(x);
    expect(() => tape.batchJacobian(tg.ones([3, 2]).mul(1), x)).toThrow(
      /^GradientTape\.batchJacobian: target \[3,2\] and source \[2,2\] need the same leading batch dimension/,
    );
    const j = tape.batchJacobian(tg.ones([2, 3]).mul(2), x);
    expectTensor(j, new Array(12).fill(0), [2, 3, 2]);
    expect(() => tape.batchJacobian(x.square(), x)).toThrow(/only be called once/);
  });
});

describe('tg.jacobian goes through the same walk', () => {
  test('tg.jacobian of a vector function equals central differences (float64)', () => {
    const f = (x: Tensor) => tg.concat([tg.sin(x).mul(x), tg.reshape(tg.sum(x.square()), [1])], 0);
    const x = tg.tensor([0.3, -0.7, 1.1], [3], 'float64');
    expectTensor(tg.jacobian(f)(x), numericJacobian(f, x), [4, 3], 1e-7);
  });
});
