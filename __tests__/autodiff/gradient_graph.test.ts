import * as tg from '../../src';
import type { GradientGraph } from '../../src/debugging';

/** The graphs the listener saw while `run` ran. */
function captured(run: () => void): GradientGraph[] {
  const graphs: GradientGraph[] = [];
  const stop = tg.debugging.onGradient((g) => graphs.push(g));
  try {
    run();
  } finally {
    stop();
  }
  return graphs;
}

const summary = (g: GradientGraph) =>
  g.nodes.map((n) => ({
    kind: n.kind,
    label: n.label,
    value: n.value.arraySync(),
    gradient: n.gradient === null ? null : n.gradient.arraySync(),
    target: n.target,
  }));

describe('debugging.onGradient', () => {
  test('f(x, y) = x²y + y + 2: every node with its value and gradient', () => {
    const graphs = captured(() => {
      const x = new tg.Variable(3, { name: 'x' });
      const y = new tg.Variable(4, { name: 'y' });
      const tape = new tg.GradientTape();
      const f = x.mul(x).mul(y).add(y).add(2);
      tape.gradient(f, [x, y]);
      tape.dispose();
    });
    expect(graphs).toHaveLength(1);
    const g = graphs[0];
    // df/d(x·x) = y = 4; df/d(x²y) = 1; dx = 2xy = 24, dy = x² + 1 = 10
    expect(summary(g).filter((n) => n.kind === 'op')).toEqual([
      { kind: 'op', label: 'mul', value: 9, gradient: 4, target: false },
      { kind: 'op', label: 'mul', value: 36, gradient: 1, target: false },
      { kind: 'op', label: 'add', value: 40, gradient: 1, target: false },
      { kind: 'op', label: 'add', value: 42, gradient: 1, target: true },
    ]);
    const sources = g.nodes.filter((n) => n.kind === 'source');
    // a variable read while its value is unchanged is one tensor: one node, named after the variable
    expect(sources.map((n) => [n.label, n.gradient?.arraySync()])).toEqual([
      ['x', 24],
      ['y', 10],
    ]);
    // every input is a node listed before its op
    const order = new Map(g.nodes.map((n, i) => [n.id, i]));
    for (const [i, n] of g.nodes.entries()) for (const id of n.inputs) expect(order.get(id)).toBeLessThan(i);
    const constant = g.nodes.find((n) => n.kind === 'constant');
    expect(constant?.value.arraySync()).toBe(2);
    expect(constant?.gradient).toBeNull();
  });

  test('ops off the path between the sources and the target are left out', () => {
    const [g] = captured(() => {
      const x = tg.tensor([1, 2]);
      const tape = new tg.GradientTape({ persistent: true });
      tape.watch(x);
      const unused = x.exp();
      const y = x.square().sum();
      tape.gradient(y, x);
      expect(unused.shape).toEqual([2]);
    });
    expect(summary(g)).toEqual([
      { kind: 'source', label: 'watched', value: [1, 2], gradient: [2, 4], target: false },
      // square is a composite: x·x
      { kind: 'op', label: 'mul', value: [1, 4], gradient: [1, 1], target: false },
      { kind: 'op', label: 'sum', value: 5, gradient: 1, target: true },
    ]);
  });

  test('nested tapes report each gradient() call; jacobian() does not report', () => {
    const graphs = captured(() => {
      const x = tg.tensor(2);
      const outer = new tg.GradientTape({ persistent: true });
      outer.watch(x);
      const inner = new tg.GradientTape();
      inner.watch(x);
      const y = x.pow(3);
      const dy = inner.gradient(y, x) as tg.Tensor;
      expect(outer.gradient(dy, x)?.arraySync()).toBe(12);
      outer.jacobian(dy, x);
    });
    expect(graphs).toHaveLength(2);
    expect(graphs[0].nodes.find((n) => n.target)?.label).toBe('pow');
    // the outer graph is the inner walk's ops: its target is 3x² = 12 at x = 2
    expect(graphs[1].nodes.find((n) => n.target)?.value.arraySync()).toBe(12);
    expect(graphs[1].nodes.find((n) => n.kind === 'source')?.gradient?.arraySync()).toBe(12);
  });

  test('the gradient of a source with respect to itself', () => {
    const [g] = captured(() => {
      const x = tg.tensor(5);
      const tape = new tg.GradientTape();
      tape.watch(x);
      tape.gradient(x, x);
    });
    expect(summary(g)).toEqual([{ kind: 'source', label: 'watched', value: 5, gradient: 1, target: true }]);
  });

  test('unsubscribing stops the calls; a listener subscribed twice is called twice', () => {
    let calls = 0;
    const listener = () => void calls++;
    const stop1 = tg.debugging.onGradient(listener);
    const stop2 = tg.debugging.onGradient(listener);
    const x = tg.tensor(1);
    const run = () => {
      const tape = new tg.GradientTape();
      tape.watch(x);
      tape.gradient(x.mul(2), x);
    };
    run();
    expect(calls).toBe(2);
    stop1();
    run();
    expect(calls).toBe(3);
    stop2();
    run();
    expect(calls).toBe(3);
  });

  test('a listener that is not a function is refused by name', () => {
    expect(() => tg.debugging.onGradient(5 as unknown as () => void)).toThrow(
      'debugging.onGradient: the listener must be a function, got number',
    );
  });

  test('the walk gives the same gradients with and without a listener', () => {
    const run = () => {
      const w = new tg.Variable(
        tg.tensor([
          [0.5, -1],
          [2, 0.25],
        ]),
      );
      const tape = new tg.GradientTape();
      const loss = tg.tanh(tg.matmul(w, w)).sum();
      return (tape.gradient(loss, w) as tg.Tensor).arraySync();
    };
    const plain = run();
    let listened: unknown = null;
    captured(() => (listened = run()));
    expect(listened).toEqual(plain);
  });
});
