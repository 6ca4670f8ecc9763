// Module against tf.Module: variables and submodules found through own properties, each once, in
// tf.Module's order (names sorted, plain-object keys sorted, arrays in order, Maps in insertion order,
// own finds before the submodules'), cycles ended, trainable filtering, the default snake-case name.
import * as tg from '../../src';
import { Module, flattenModule } from '../../src/layers/module';
import { ArgumentError } from '../../src/core/errors';

const v = (name: string, trainable = true) => new tg.Variable(1, { name, trainable });
const names = (vs: { name: string }[]) => vs.map((x) => x.name);

describe('Module', () => {
  test('the default name is the class name in snake case, as tf.Module', () => {
    class MyDenseModel extends Module {}
    class HTTPLayer extends Module {}
    expect(new MyDenseModel().name).toBe('my_dense_model');
    expect(new HTTPLayer().name).toBe('http_layer');
    expect(new Module().name).toBe('module');
    expect(new Module('given').name).toBe('given');
    expect(() => new Module(3 as unknown as string)).toThrow(ArgumentError);
    expect(() => new Module(3 as unknown as string)).toThrow(/^Module: name must be a non-empty string, got 3$/);
  });

  test('own variables in sorted property order, containers flattened as nest: keys sorted, arrays, Maps', () => {
    const m = new Module('m');
    const map = new Map<string, unknown>([
      ['z', v('map_z')],
      ['a', v('map_a')],
    ]);
    Object.assign(m, {
      zeta: v('zeta'),
      alpha: [v('alpha0'), { y: v('alpha1_y'), b: v('alpha1_b') }],
      mid: map,
      beta: 'not a variable',
      gamma: 7,
    });
    // alpha < beta < gamma < mid < name < zeta; {b, y} sorted; the Map in insertion order (z before a)
    expect(names(m.variables)).toEqual(['alpha0', 'alpha1_b', 'alpha1_y', 'map_z', 'map_a', 'zeta']);
  });

  test("a module's own variables come before its submodules', submodules depth first in the order found", () => {
    const leaf = new Module('leaf');
    Object.assign(leaf, { w: v('leaf_w') });
    const a = new Module('a');
    Object.assign(a, { sub: leaf, w: v('a_w') });
    const b = new Module('b');
    Object.assign(b, { w: v('b_w') });
    const root = new Module('root');
    Object.assign(root, { children: [a, b], z: v('root_z') });
    // root: children (a, b are leaves queued), z → root_z first; then a: a_w, then leaf; then b
    expect(names(root.variables)).toEqual(['root_z', 'a_w', 'leaf_w', 'b_w']);
    // direct submodules first (a, b), then a's (leaf)
    expect(root.submodules.map((s) => s.name)).toEqual(['a', 'b', 'leaf']);
  });

  test('each variable and module once, even when reached twice; cycles end', () => {
    const shared = v('shared');
    const child = new Module('child');
    Object.assign(child, { w: shared, parent: null as unknown });
    const root = new Module('root');
    const list: unknown[] = [shared];
    list.push(list); // an array containing itself
    Object.assign(root, { a: shared, b: child, c: child, d: list });
    (child as unknown as { parent: Module }).parent = root; // a cycle through modules
    expect(names(root.variables)).toEqual(['shared']);
    expect(root.submodules.map((s) => s.name)).toEqual(['child']);
  });

  test('trainableVariables leaves out the non-trainable ones', () => {
    const m = new Module();
    Object.assign(m, { a: v('a'), b: v('b', false), c: v('c') });
    expect(names(m.trainableVariables)).toEqual(['a', 'c']);
    expect(names(m.variables)).toEqual(['a', 'b', 'c']);
  });

  test('only own enumerable properties are read: a prototype property and a getter are not', () => {
    class WithGetter extends Module {
      get hidden() {
        return v('getter');
      }
    }
    const m = new WithGetter();
    Object.defineProperty(m, 'secret', { value: v('secret'), enumerable: false });
    Object.assign(m, { shown: v('shown') });
    expect(names(m.variables)).toEqual(['shown']);
  });

  test('flattenModule gives the attribute paths (the first path to each variable)', () => {
    const inner = new Module('inner');
    const k = v('k');
    Object.assign(inner, { kernel: k });
    const root = new Module('root');
    Object.assign(root, { layers: [inner], alias: { k } });
    const found = flattenModule(root, (x): x is tg.Variable => x instanceof tg.Variable);
    // 'alias' sorts first, so k is reached through it; inner's own kernel is then a repeat
    expect(found.map((e) => e.path.join('/'))).toEqual(['alias/k']);
    const inner2 = new Module('inner2');
    Object.assign(inner2, { kernel: v('k2') });
    const r2 = new Module('r2');
    Object.assign(r2, { layers: [inner2] });
    expect(flattenModule(r2, (x): x is tg.Variable => x instanceof tg.Variable).map((e) => e.path.join('/'))).toEqual([
      'layers/0/kernel',
    ]);
  });
});
