// npm run demo: the seeds' worked examples, computed by the built package.
// Plain JavaScript on Node 20 has no `using`; TypeScript users write `using tape = …` instead of dispose().
import * as tg from '../dist/index.mjs';

const x = new tg.Variable(3, { name: 'x' });
const y = new tg.Variable(4, { name: 'y' });

console.log('f(x, y) = x²y + y + 2 at (3, 4)');
const tape = new tg.GradientTape({ persistent: true });
const f = x.mul(x).mul(y).add(y).add(2);
const [dfdx, dfdy] = tape.gradient(f, [x, y]);
const hessian = [tape.gradient(dfdx, [x, y]), tape.gradient(dfdy, [x, y])];
tape.dispose();
console.log('  f        =', String(f));
console.log('  df/dx    =', String(dfdx), '  (2xy)');
console.log('  df/dy    =', String(dfdy), '  (x² + 1)');
console.log('  Hessian  =', JSON.stringify(hessian.map((row) => row.map((g) => (g === null ? null : g.item())))), '  (null: df/dy does not depend on y)');

console.log('\nGradient descent on x² + 2x + 1 from 0, learning rate 0.1, 100 steps');
const v = new tg.Variable(0, { name: 'x' });
for (let step = 0; step < 100; step++) {
  const t = new tg.GradientTape();
  const z = v.pow(2).add(v.mul(2)).add(1);
  v.assignSub(t.gradient(z, v).mul(0.1)); // a non-persistent tape leaves the stack at gradient()
}
console.log(' ', String(v));
