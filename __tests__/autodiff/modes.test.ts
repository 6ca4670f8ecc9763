// The nestings of forward and reverse mode on every case of the gradient-check table (float64), and their semantics.
import * as tg from '../../src';
import type { Tensor } from '../../src';
import type { OpRecord } from '../../src/core/recording';
import { activeRecorders, recordIfWanted } from '../../src/core/recording';
import { expectTensor, flat } from '../helpers';
import type { Case } from './cases';
import { cases } from './cases';

afterEach(() => expect(activeRecorders.length).toBe(0));

const f64 = (v: tg.NestedArray<number>) => tg.tensor(v, undefined, 'float64');
const rand = (shape: number[], seed: number) =>
  tg.randomUniform(shape, { minval: -1, maxval: 1, seed, dtype: 'float64' });

/** Default tolerance of the mode checks: all four are exact up to float64 rounding. */
const TOL = { rtol: 1e-9, atol: 1e-9 };
const tolerances: Record<string, { rtol: number; atol: number }> = {
  // cast's rules round the tangents and gradients that cross it to float32, and each mode rounds
  // different products (w·t, w·eᵢ, …): the modes agree to float32 precision only (seen: 2.5e-8 relative)
  cast: { rtol: 1e-6, atol: 1e-6 },
};

/** Throws, with the numbers, unless every |got - want| <= atol + rtol·|want|. */
function expectClose(got: Tensor | null, want: Tensor, tol: { rtol: number; atol: number }): void {
  if (got === null) throw new Error(`got null, expected ${want.toString()}`);
  if (!want.shape.every((d, i) => got.shape[i] === d) || got.rank !== want.rank) {
    throw new Error(`got shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]`);
  }
  const g = flat(got);
  const w = flat(want);
  let worst = -1;
  let excess = 0;
  g.forEach((gi, i) => {
    const e = Math.abs(gi - w[i]) - (tol.atol + tol.rtol * Math.abs(w[i]));
    if (!(e <= excess)) {
      excess = Number.isNaN(e) ? Infinity : e;
      worst = i;
    }
  });
  if (worst >= 0) {
    throw new Error(
      `element ${worst} is ${g[worst]}, expected ${w[worst]} (rtol ${tol.rtol}, atol ${tol.atol})\n` +
        `  got  [${g.join(', ')}]\n  want [${w.join(', ')}]`,
    );
  }
}

/**
 * One scalar function of one tensor built from a case, its directions and its Hessian. For each
 * input k the table's own s(x) = Σ f(…, x, …)·w; on its own that is linear in x for the linear and
 * multilinear ops (matmul, transpose, tile, mul …), H = 0 and nothing is compared, so each input also
 * gets Σ f(…, x, …)²·w (H = Jᵀ·diag(2w)·J + …, nonzero wherever f depends on x), and a case with
 * several inputs gets Σ f(all inputs cut from one vector)·w, whose H holds the mixed partials.
 */
interface Slot {
  label: string;
  x: Tensor;
  s: (x: Tensor) => Tensor;
  t: Tensor;
  u: Tensor;
  /** The Hessian of s at x from nested tapes, flattened to [n, n]. */
  H: Tensor;
}

/** H·v for an [n, n] H and a v of x's shape, in x's shape. */
const hTimes = (H: Tensor, v: Tensor) => tg.reshape(tg.matmul(H, tg.reshape(v, [-1, 1])), v.shape);

/** The nested-tape Hessian of s at x: the outer tape's Jacobian of the inner tape's gradient. */
function nestedTapeHessian(s: (x: Tensor) => Tensor, x: Tensor): Tensor {
  using outer = new tg.GradientTape();
  outer.watch(x);
  let g: Tensor;
  {
    using inner = new tg.GradientTape();
    inner.watch(x);
    g = inner.gradient(s(x), x, { unconnectedGradients: 'zero' }) as Tensor;
  }
  return outer.jacobian(g, x, { unconnectedGradients: 'zero' }) as Tensor;
}

function slotsOf(c: Case, index: number): Slot[] {
  const xs = c.inputs();
  const outShape = c.f(...xs).shape;
  const w = rand([...outShape], 1000 + index);
  const fns: [string, Tensor, (x: Tensor) => Tensor][] = [];
  xs.forEach((xk, k) => {
    const fAt = (x: Tensor) => {
      const args = xs.slice();
      args[k] = x;
      return c.f(...args);
    };
    fns.push([`input ${k}`, xk, (x) => tg.sum(fAt(x).mul(w))]);
    fns.push([`input ${k}, squared output`, xk, (x) => tg.sum(fAt(x).square().mul(w))]);
  });
  if (xs.length > 1) {
    const all = tg.concat(
      xs.map((x) => tg.reshape(x, [-1])),
      0,
    );
    const cut = (z: Tensor) =>
      tg
        .split(
          z,
          xs.map((x) => x.size),
          0,
        )
        .map((p, k) => tg.reshape(p, [...xs[k].shape]));
    fns.push(['all inputs jointly', all, (z) => tg.sum(c.f(...cut(z)).mul(w))]);
  }
  return fns.map(([label, x, s], j) => ({
    label,
    x,
    s,
    t: rand([...x.shape], 2000 + 10 * index + j),
    u: rand([...x.shape], 3000 + 10 * index + j),
    H: tg.reshape(nestedTapeHessian(s, x), [x.size, x.size]),
  }));
}

const second = cases.map((c, i) => [c.op, c, i] as const).filter(([, c]) => c.order2 !== false);

describe.each(second)('%s', (op, c, index) => {
  const tol = tolerances[op] ?? TOL;
  let memo: Slot[] | undefined;
  const slots = () => (memo ??= slotsOf(c, index));
  /** Runs a check on every slot; a failure names the case, the function and the mode. */
  const each = (mode: string, check: (sl: Slot) => void) => {
    for (const sl of slots()) {
      try {
        check(sl);
      } catch (e) {
        throw new Error(`${op}, ${sl.label}, ${mode}: ${(e as Error).stack ?? String(e)}`);
      }
    }
  };

  test('batched forward over reverse: tg.hessian equals the nested-tape Hessian', () => {
    // the comparisons below are not all of zeros
    expect(slots().some((sl) => flat(sl.H).some((h) => h !== 0))).toBe(true);
    each('tg.hessian', (sl) => {
      const h = tg.hessian(sl.s)(sl.x);
      expect(h.shape).toEqual([...sl.x.shape, ...sl.x.shape]);
      expectClose(tg.reshape(h, sl.H.shape), sl.H, tol);
    });
  });

  test('forward over forward: outer.jvp(inner.jvp(s(x))) equals uᵀ·H·t', () => {
    each('forward over forward', (sl) => {
      let d: Tensor;
      {
        using outer = new tg.ForwardAccumulator(sl.x, sl.t);
        let inner: Tensor;
        {
          using acc = new tg.ForwardAccumulator(sl.x, sl.u);
          inner = acc.jvp(sl.s(sl.x), { unconnectedGradients: 'zero' })!;
        }
        d = outer.jvp(inner, { unconnectedGradients: 'zero' })!;
      }
      expectClose(d, tg.sum(sl.u.mul(hTimes(sl.H, sl.t))), tol);
    });
  });

  test('reverse over forward: tape.gradient(acc.jvp(s(x)), x) equals H·t', () => {
    each('reverse over forward', (sl) => {
      using tape = new tg.GradientTape();
      tape.watch(sl.x);
      let d: Tensor;
      {
        using acc = new tg.ForwardAccumulator(sl.x, sl.t);
        d = acc.jvp(sl.s(sl.x), { unconnectedGradients: 'zero' })!;
      }
      const g = tape.gradient(d, sl.x, { unconnectedGradients: 'zero' });
      expectClose(g, hTimes(sl.H, sl.t), tol);
    });
  });

  test('forward over reverse: tg.hvp equals H·t', () => {
    each('tg.hvp', (sl) => expectClose(tg.hvp(sl.s, sl.x, sl.t), hTimes(sl.H, sl.t), tol));
  });
});

describe('batched tangents across broadcasting', () => {
  // s(x) = Σ (x − cᵀx)²: sub gets x with tangents [n, n] and the scalar cᵀx with tangents [n];
  // H = 2(I − 1cᵀ)ᵀ(I − 1cᵀ), so H_ij = 2(δ_ij − c_i − c_j + n·c_i·c_j)
  const c = [1, 2, 3];
  const s = (x: Tensor) => tg.sum(tg.sub(x, tg.sum(x.mul(f64(c)))).square());
  const H = c.flatMap((ci, i) => c.map((cj, j) => 2 * ((i === j ? 1 : 0) - ci - cj + c.length * ci * cj)));
  const x = f64([0.5, -1, 2]);

  test('tg.hessian of Σ(x − cᵀx)² is 2(I − 1cᵀ)ᵀ(I − 1cᵀ)', () => {
    expectTensor(tg.hessian(s)(x), H, [3, 3], 1e-12);
  });

  test('the nested-tape Hessian and tg.hvp agree with it', () => {
    expectTensor(nestedTapeHessian(s, x), H, [3, 3], 1e-12);
    expectTensor(tg.hvp(s, x, f64([0, 1, 0])), [H[1], H[4], H[7]], [3], 1e-12);
  });
});

describe('customGradient under forward mode (TensorFlow)', () => {
  const f = tg.customGradient((x) => ({ value: x.mul(x).mul(x), grad: (dy) => dy.mul(7) }));

  test('an accumulator differentiates the forward ops: 3x² = [0.75, 12], as TF 2.21 gives', () => {
    const x = f64([0.5, 2]);
    using acc = new tg.ForwardAccumulator(x, f64([1, 1]));
    expectTensor(acc.jvp(f(x)), [0.75, 12], [2], 1e-15);
  });

  test('a tape uses the custom rule: [7, 7]', () => {
    const x = f64([0.5, 2]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    expectTensor(tape.gradient(f(x), x), [7, 7], [2], 0);
  });
});

describe('recorder order', () => {
  const x0 = [0.3, -1.2];
  const t0 = [2, 0.5];

  test('a tape inside an accumulator records only the primal op, not the tangent rule', () => {
    const x = f64(x0);
    using acc = new tg.ForwardAccumulator(x, f64(t0));
    using tape = new tg.GradientTape();
    tape.watch(x);
    const y = tg.sin(x);
    const lines = tape.toString().split('\n');
    expect(lines[0]).toBe('GradientTape(persistent=false, 1 op)');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {2}t1 = sin\(x0\) +\[2\] float64$/);
    expectTensor(
      acc.jvp(y),
      x0.map((v, i) => Math.cos(v) * t0[i]),
      [2],
      1e-15,
    );
  });

  test('a tape outside an accumulator records the tangent rule too, and differentiates the jvp: -sin(x)·t', () => {
    const x = f64(x0);
    using tape = new tg.GradientTape();
    tape.watch(x);
    let d: Tensor;
    {
      using acc = new tg.ForwardAccumulator(x, f64(t0));
      d = acc.jvp(tg.sin(x))!;
    }
    const lines = tape.toString().split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/= sin\(x0\)/);
    expect(lines.slice(1).some((l) => /= cos\(/.test(l))).toBe(true);
    expectTensor(
      tape.gradient(d, x),
      x0.map((v, i) => -Math.sin(v) * t0[i]),
      [2],
      1e-15,
    );
  });
});

describe('the accumulator checks what tangent rules return', () => {
  /** A hand-made op y = 2x whose tangent rule returns `tangent(batch)` instead of the right shape. */
  const broken = (x: Tensor, tangent: (batch: readonly number[]) => Tensor): OpRecord => ({
    name: 'broken',
    inputs: [x],
    output: x.mul(2),
    vjp: (dy) => [dy.mul(2)],
    jvp: (_ts, batch) => tangent(batch),
  });

  test('a tangent of the wrong shape is a TapeError naming the primitive', () => {
    const x = f64([1, 2]);
    const op = broken(x, () => tg.zeros([3], 'float64'));
    using acc = new tg.ForwardAccumulator(x, f64([1, 1]));
    expect(() => recordIfWanted(op)).toThrow(tg.TapeError);
    expect(() => recordIfWanted(op)).toThrow(/tangent of 'broken' has shape \[3\]/);
    expect(acc.jvp(op.output)).toBeNull();
  });

  test('a batched rule that drops the batch axes is a TapeError naming the primitive', () => {
    const x = f64([1, 2]);
    const op = broken(x, () => tg.zeros([2], 'float64'));
    using acc = tg.ForwardAccumulator.batched(
      x,
      f64([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      [3],
    );
    expect(acc.jvp(x)!.shape).toEqual([3, 2]);
    expect(() => recordIfWanted(op)).toThrow(tg.TapeError);
    expect(() => recordIfWanted(op)).toThrow(/tangent of 'broken' has shape \[2\] .*\[3, ?2\]/);
    expect(acc.jvp(op.output)).toBeNull();
  });

  test('a batched rule with the batch axes passes', () => {
    const x = f64([1, 2]);
    const op = broken(x, (batch) => tg.zeros([...batch, 2], 'float64'));
    using acc = tg.ForwardAccumulator.batched(
      x,
      f64([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      [3],
    );
    recordIfWanted(op);
    expect(acc.jvp(op.output)!.shape).toEqual([3, 2]);
  });
});

describe('tg.jvp takes arguments as JAX does', () => {
  test('one argument: x² at 3 along 1 gives 9 and 6', () => {
    const { value, tangent } = tg.jvp((x) => x.square(), [3], [1]);
    expect(value.item()).toBe(9);
    expect(tangent.item()).toBe(6);
  });

  test('two arguments: d(xy) at (2, 5) along x is 5', () => {
    expect(tg.jvp((x, y) => x.mul(y), [2, 5], [1, 0]).tangent.item()).toBe(5);
  });

  test('a list of two for a one-argument function is refused', () => {
    expect(() => tg.jvp((x) => x.square(), [1, 2], [1, 0])).toThrow(tg.TapeError);
    expect(() => tg.jvp((x) => x.square(), [1, 2], [1, 0])).toThrow(/takes 1 argument but 2 were given/);
  });

  test('a tangents list of the wrong length is refused', () => {
    expect(() => tg.jvp((x, y) => x.mul(y), [2, 5], [1])).toThrow(tg.TapeError);
    expect(() => tg.jvp((x, y) => x.mul(y), [2, 5], [1])).toThrow(/2 primals but 1 tangents/);
    expect(() => tg.jvp((x, y) => x.mul(y), [2, 5], [1, 0, 0])).toThrow(/2 primals but 3 tangents/);
    expect(activeRecorders.length).toBe(0);
  });
});
