// Property-based: random compositions of ops on random broadcastable shapes; the tape's gradient
// always matches central differences (float64), at first and second order.
import fc from 'fast-check';
import * as tg from '../../src';

type Unary = (x: tg.Tensor) => tg.Tensor;
type Binary = (a: tg.Tensor, b: tg.Tensor) => tg.Tensor;

// smooth everywhere on the inputs used (values in [-1.5, 1.5])
const unaries: [string, Unary][] = [
  ['sin', tg.sin],
  ['tanh', tg.tanh],
  ['sigmoid', tg.sigmoid],
  ['softplus', tg.softplus],
  ['exp', tg.exp],
  ['square', tg.square],
  ['atan', tg.atan],
  ['erf', tg.erf],
  ['gelu', tg.gelu],
  ['softmax', (x) => tg.softmax(x)],
  ['cumulative', (x) => tg.logSumExp(x, -1, true).add(x)],
];
const binaries: [string, Binary][] = [
  ['add', tg.add],
  ['sub', tg.sub],
  ['mul', tg.mul],
  ['div', (a, b) => tg.div(a, tg.exp(b))],
  ['pow', (a, b) => tg.pow(tg.exp(a), b)],
];

const shapePair = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
  .chain((base) =>
    fc
      .tuple(fc.constant(base), fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }))
      .map(([b, ones]) => [b, b.map((d, i) => (ones[i] ? 1 : d))] as const),
  );

const program = fc.record({
  shapes: shapePair,
  steps: fc.array(fc.tuple(fc.nat(unaries.length - 1), fc.nat(binaries.length - 1), fc.boolean()), {
    minLength: 1,
    maxLength: 4,
  }),
  seed: fc.nat(10000),
});

/** The two float64 inputs of a generated program, uniform in [-1, 1). */
function inputs(sa: readonly number[], sb: readonly number[], seed: number): [tg.Tensor, tg.Tensor] {
  return [
    tg.randomUniform([...sa], { minval: -1, maxval: 1, seed, dtype: 'float64' }),
    tg.randomUniform([...sb], { minval: -1, maxval: 1, seed: seed + 1, dtype: 'float64' }),
  ];
}

test('random compositions: tape gradients equal central differences (first order)', () => {
  fc.assert(
    fc.property(program, ({ shapes: [sa, sb], steps, seed }) => {
      const f = (a: tg.Tensor, b: tg.Tensor) => {
        let x = a;
        for (const [u, bi, useB] of steps) {
          x = unaries[u][1](x);
          x = useB ? binaries[bi][1](x, b) : x;
          // keep values tame, smoothly: a kink (clipByValue's) between the central-difference points
          // made this fail now and then
          x = tg.tanh(x.mul(0.5)).mul(1.5).add(x.mul(0.05));
        }
        return tg.sum(x.square(), -1);
      };
      const [a, b] = inputs(sa, sb, seed);
      const r1 = tg.checkGradients(f, [a, b], { rtol: 1e-4, atol: 1e-6 });
      if (!r1.ok) throw new Error(`first order: ${JSON.stringify(r1.details)}`);
    }),
    { numRuns: 40 },
  );
});

test('random smooth compositions: second order', () => {
  fc.assert(
    fc.property(program, ({ shapes: [sa, sb], steps, seed }) => {
      const f = (a: tg.Tensor, b: tg.Tensor) => {
        let x = a;
        for (const [u, bi, useB] of steps) {
          x = tg.tanh(unaries[u][1](x));
          if (useB) x = binaries[bi][1](x, b);
        }
        return x;
      };
      const [a, b] = inputs(sa, sb, seed);
      const r2 = tg.checkGradients(f, [a, b], { rtol: 1e-4, atol: 1e-5, order: 2 });
      if (!r2.ok) throw new Error(`second order: ${JSON.stringify(r2.details)}`);
    }),
    { numRuns: 25 },
  );
});

test('a wrong custom gradient is caught by checkGradients', () => {
  const wrong = tg.customGradient((x) => ({ value: tg.sin(x), grad: (dy) => dy.mul(tg.sin(x)) })); // should be cos
  const r = tg.checkGradients((x) => wrong(x), [tg.tensor([0.3, 1.2], undefined, 'float64')]);
  expect(r.ok).toBe(false);
  expect(r.maxAbsError).toBeGreaterThan(0.1);
  const right = tg.customGradient((x) => ({ value: tg.sin(x), grad: (dy) => dy.mul(tg.cos(x)) }));
  expect(tg.checkGradients((x) => right(x), [tg.tensor([0.3, 1.2], undefined, 'float64')]).ok).toBe(true);
});
