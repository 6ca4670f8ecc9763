// The playground's example programs. Each runs as the body of an async function with `tg`,
// `console`, `plot`, `tick` and `sleep` in scope; the comments give what each line prints. The
// seeds are five notebooks (in Chinese) on autodiff; their numbers are reproduced here.
// (Written with String.raw: the programs themselves must contain no backtick and no `${`.)

/** @type {{ id: string, title: string, code: string }[]} */
export const examples = [
  {
    id: 'seeds-xy',
    title: 'f(x, y) = x²y + y + 2: gradient and Hessian (seed notebook)',
    code: String.raw`// The seeds' first example (after handson-ml2's extra_autodiff notebook):
// f(x, y) = x²y + y + 2 at (3, 4), by finite differences and then exactly, with a tape.
const f = (x, y) => x.mul(x).mul(y).add(y).add(2);

// 1. The notebook's gradients(): forward differences with h = 0.0001, in float64.
const approx = tg.numericGradient(f, [tg.scalar(3, 'float64'), tg.scalar(4, 'float64')], {
  eps: 1e-4,
  method: 'forward',
});
console.log('finite differences:', approx.map((g) => g.item()));
// [24.000400000048216, 10.000000000047748], the notebook's numbers

// 2. Reverse mode: exact. Trainable variables are watched as soon as an op reads them.
const x = new tg.Variable(3, { name: 'x' });
const y = new tg.Variable(4, { name: 'y' });
using tape = new tg.GradientTape({ persistent: true });
const z = f(x, y);
console.log('f(3, 4) =', z.item()); // 42
const [dfdx, dfdy] = tape.gradient(z, [x, y]);
console.log('df/dx =', dfdx, ' df/dy =', dfdy); // 24 (2xy) and 10 (x² + 1)

// 3. Second derivatives from the same persistent tape, which recorded its own gradient.
const hessian = [tape.gradient(dfdx, [x, y]), tape.gradient(dfdy, [x, y])];
const numbers = (row) => row.map((h) => (h === null ? null : h.item()));
console.log('Hessian:', hessian.map(numbers));
// [[8, 6], [6, null]]: df/dy = x² + 1 does not depend on y, so its gradient is null,
// not 0, as in TensorFlow. The playground prints tape.explain() for that null.
`,
  },
  {
    id: 'seeds-tape-basics',
    title: 'x² + y² + 1: persistent tapes, watch, two targets (seed notebook)',
    code: String.raw`// The seeds' second notebook (TensorFlow 2.3's tf.GradientTape):
// f(x, y) = x² + y² + 1 at (2, 3).
const f = (x, y) => x.pow(2).add(y.pow(2)).add(1);
const x = new tg.Variable(2, { name: 'x' });
const y = new tg.Variable(3, { name: 'y' });

// A tape answers gradient() once...
{
  using tape = new tg.GradientTape();
  const z = f(x, y);
  console.log(tape.gradient(z, x)); // Tensor(4, ...): dz/dx = 2x
  try {
    tape.gradient(z, y);
  } catch (e) {
    console.log(e.message); // can only be called once on non-persistent tapes
  }
}

// ...a persistent one any number of times, and several sources at once.
{
  using tape = new tg.GradientTape({ persistent: true });
  const z = f(x, y);
  console.log(tape.gradient(z, y), tape.gradient(z, x)); // 6 and 4
  console.log(tape.gradient(z, [x, y])); // [4, 6]
}

// Constants are not watched unless asked (tape.watch).
{
  const a = tg.scalar(2);
  const b = tg.scalar(3);
  using tape = new tg.GradientTape();
  tape.watch([a, b]);
  console.log(tape.gradient(f(a, b), [a, b])); // [4, 6]
}

// A list of targets: the gradient of their sum, 3 + 2x = 13 at x = 5.
{
  const v = new tg.Variable(5, { name: 'v' });
  using tape = new tg.GradientTape();
  const z1 = v.mul(3);
  const z2 = v.pow(2);
  console.log(tape.gradient([z1, z2], v)); // 13
}
`,
  },
  {
    id: 'seeds-descent',
    title: 'Gradient descent by hand and with SGD (seed notebook)',
    code: String.raw`// The seeds' gradient descent: minimise x² + 2x + 1 from x = 0, learning rate 0.1.
const f = (x) => x.pow(2).add(x.mul(2)).add(1);

// By hand: x -= 0.1 * dz/dx, 100 times; the plot shows x and z as they go.
const x = new tg.Variable(0, { name: 'x' });
for (let step = 0; step < 100; step++) {
  using tape = new tg.GradientTape();
  const z = f(x);
  plot(z, 'z');
  plot(x, 'x');
  x.assignSub(tape.gradient(z, x).mul(0.1));
}
console.log(x); // value=-0.9999999, as TensorFlow's float32 gives

// With an optimizer: applyGradients takes [gradient, variable] pairs, as TF's
// zip(grads, vars).
const w = new tg.Variable(0, { name: 'w' });
const optimizer = new tg.SGD({ learningRate: 0.1 });
for (let step = 0; step < 100; step++) {
  using tape = new tg.GradientTape();
  const z = f(w);
  optimizer.applyGradients([[tape.gradient(z, w), w]]);
}
console.log(w); // value=-0.9999999
console.log('steps taken:', optimizer.iterations); // 100
`,
  },
  {
    id: 'second-derivatives',
    title: 'Second and third derivatives with nested tapes',
    code: String.raw`// A tape's gradient() is made of ordinary ops, so an outer tape records it: nest tapes
// to differentiate again.

// y = x² at x = 3 on a watched constant (the seeds' fourth notebook): 6, then 2.
{
  const x = tg.scalar(3);
  using outer = new tg.GradientTape();
  outer.watch(x);
  let dydx;
  {
    using inner = new tg.GradientTape();
    inner.watch(x);
    dydx = inner.gradient(x.mul(x), x);
  }
  const d2 = outer.gradient(dydx, x);
  console.log('dy/dx =', dydx.item(), ' d²y/dx² =', d2.item()); // 6 2
}

// z = x⁴ + y² + 1 at (2, 3) (the seeds' second notebook): [32, 6], then
// [[48, null], [null, 2]].
{
  const x = new tg.Variable(2, { name: 'x' });
  const y = new tg.Variable(3, { name: 'y' });
  using outer = new tg.GradientTape({ persistent: true });
  let first;
  {
    using inner = new tg.GradientTape();
    first = inner.gradient(x.pow(4).add(y.pow(2)).add(1), [x, y]);
  }
  console.log('first:', first.map((g) => g.item())); // [32, 6]
  const numbers = (row) => row.map((h) => (h === null ? null : h.item()));
  const second = first.map((g) => numbers(outer.gradient(g, [x, y])));
  console.log('second:', second); // [[48, null], [null, 2]]: the nulls are explained below
}

// Three tapes, a third derivative: x⁴ at 2 gives 32, 48, 48.
{
  const x = new tg.Variable(2, { name: 'x' });
  using t3 = new tg.GradientTape();
  using t2 = new tg.GradientTape();
  using t1 = new tg.GradientTape();
  const d1 = t1.gradient(x.pow(4), x);
  const d2 = t2.gradient(d1, x);
  const d3 = t3.gradient(d2, x);
  console.log(d1.item(), d2.item(), d3.item()); // 32 48 48
}
// The tape picture can show each of these gradient() calls: pick one above the picture.
`,
  },
  {
    id: 'hessian',
    title: 'A Hessian: tg.hessian, a jacobian of a gradient, and H·v',
    code: String.raw`// The seeds' f(x, y) = x²y + y + 2 as a function of one vector v = [x, y], at [3, 4].
const f = (v) => {
  const [x, y] = tg.unstack(v);
  return x.mul(x).mul(y).add(y).add(2);
};
const v = tg.tensor([3, 4]);

// tg.hessian: forward over reverse, all rows in one pass. Dense: 0 where tapes say null.
console.log(tg.hessian(f)(v)); // [[8, 6], [6, 0]]

// The same from two tapes: the jacobian of the gradient.
{
  using outer = new tg.GradientTape();
  outer.watch(v);
  let g;
  {
    using inner = new tg.GradientTape();
    inner.watch(v);
    g = inner.gradient(f(v), v);
  }
  console.log('gradient', g); // [24, 10]
  console.log('jacobian of the gradient', outer.jacobian(g, v)); // [[8, 6], [6, 0]]
}

// A Hessian-vector product without forming H (forward over reverse): H·[1, 0] = [8, 6].
console.log('H·[1, 0] =', tg.hvp(f, v, tg.tensor([1, 0])));

// A bigger one: the Hessian of sum(tanh(W x)) for a 4×4 W is 4×4 and symmetric.
const W = tg.randomNormal([4, 4], { seed: 1 });
const g4 = (x) => tg.sum(tg.tanh(tg.matvec(W, x)));
const H = tg.hessian(g4)(tg.tensor([0.1, -0.2, 0.3, 0.4]));
console.log(H);
console.log('symmetric:', tg.max(tg.abs(H.sub(tg.transpose(H)))).item() < 1e-6); // true
`,
  },
  {
    id: 'forward-mode',
    title: 'Forward mode: ForwardAccumulator and jvp (the seeds’ dual numbers)',
    code: String.raw`// Forward mode carries a tangent with every value, as the seeds' dual numbers x + x'ε do.

// The seeds' third notebook (ADTangent): f = log(x) + x·y + sin(y) at x = 2, y = 5,
// seeded dx = 1, dy = 0. In float64 the numbers are the notebook's to the last digit.
const x = tg.scalar(2, 'float64');
const y = tg.scalar(5, 'float64');
{
  const seed = [tg.scalar(1, 'float64'), tg.scalar(0, 'float64')];
  using acc = new tg.ForwardAccumulator([x, y], seed);
  const f = tg.log(x).add(x.mul(y)).add(tg.sin(y));
  console.log('value:', f.item(), ' grad:', acc.jvp(f).item()); // 9.734222905896807 5.5
}

// The fourth notebook's Dual class: z = y/x - x + y at (2, 3), one pass per direction.
const z = (a, b) => b.div(a).sub(a).add(b);
const along = (da, db) => tg.jvp(z, [2, 3], [da, db]).tangent.item();
console.log('dz/dx =', along(1, 0), ' dz/dy =', along(0, 1)); // -1.75 1.5

// One forward pass gives a whole Jacobian-vector product: here J·t for y = x W.
const w = tg.tensor([[1, 2, 3], [4, 5, 6]]);
const row = tg.tensor([[1, 2]]);
{
  using acc = new tg.ForwardAccumulator(row, tg.tensor([[1, -1]]));
  console.log('J·t =', acc.jvp(tg.matmul(row, w))); // [[-3, -3, -3]]
}

// Reverse mode agrees (the third notebook's own tape, gred): f = log(x) + x·y - sin(y).
{
  using tape = new tg.GradientTape();
  tape.watch([x, y]);
  const f = tg.log(x).add(x.mul(y)).sub(tg.sin(y));
  const [dx, dy] = tape.gradient(f, [x, y]);
  console.log('f =', f.item(), ' df/dx =', dx.item(), ' df/dy =', dy.item());
  // 11.652071455223084 5.5 1.7163378145367738, as the notebook's gred
}
`,
  },
  {
    id: 'training',
    title: 'Training loop with a live loss plot (stays responsive)',
    code: String.raw`// Fit y = sin(3x) on [-1, 1] with a small MLP and Adam. plot() adds a point to the
// live loss plot; await tick() between steps lets the page repaint and react (try Stop).
const x = tg.reshape(tg.linspace(-1, 1, 128), [128, 1]);
const y = tg.sin(x.mul(3));
const model = tg.sequential({
  layers: [
    tg.layers.dense({ units: 16, activation: 'tanh', inputShape: [1], seed: 1, name: 'hidden1' }),
    tg.layers.dense({ units: 16, activation: 'tanh', seed: 2, name: 'hidden2' }),
    tg.layers.dense({ units: 1, seed: 3, name: 'out' }),
  ],
});
const weights = model.trainableVariables;
const optimizer = new tg.Adam({ learningRate: 0.003 });

for (let step = 1; step <= 1200; step++) {
  using tape = new tg.GradientTape();
  const loss = tg.losses.meanSquaredError(y, model.apply(x));
  const grads = tape.gradient(loss, weights);
  optimizer.applyGradients(grads.map((g, i) => [g, weights[i]]));
  plot(loss);
  if (step % 200 === 0) console.log('step', step, 'loss', loss.item().toFixed(6));
  await tick();
}
const worst = tg.max(tg.abs(model.apply(x).sub(y))).item();
console.log('largest error on the 128 points:', worst.toFixed(3));
// The tape picture shows the last step: the three dense layers and the loss, with the
// gradient that reached each weight (hover a node for more of its values).
`,
  },
  {
    id: 'null-gradient',
    title: 'Why is my gradient null? tape.explain',
    code: String.raw`// A gradient is null when no recorded op leads from the source to the target. Whenever
// gradient() returns a null, the playground prints tape.explain(target, source): why.
const x = new tg.Variable([1, 5, 2], { name: 'x' });
const c = tg.tensor([1, 2, 3]); // a constant: not watched unless asked
const frozen = new tg.Variable(2, { name: 'frozen', trainable: false });
using tape = new tg.GradientTape({ persistent: true });

const best = tg.argMax(x).cast('float32'); // argMax has no gradient, by design
console.log(tape.gradient(best, x)); // null: only through argMax and a cast

const stopped = tg.stopGradient(x).mul(2).sum();
console.log(tape.gradient(stopped, x)); // null: stopGradient

const y = x.mul(c).sum().mul(frozen).add(best);
const [dx, dc, dfrozen] = tape.gradient(y, [x, c, frozen]);
console.log('dy/dx =', dx); // [2, 4, 6]: c·frozen
console.log('dy/dc =', dc, ' dy/dfrozen =', dfrozen);
// null null: c was never watched, and frozen is not trainable

// When they are connected, explain() lists the recorded ops from the source to the target:
console.log(tape.explain(y, x));
`,
  },
];
