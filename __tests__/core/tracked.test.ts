// TrackedSet: the slots a tape gives what it tracks, as tensors move between nested tapes.
import * as tg from '../../src';
import { TrackedSet } from '../../src/core/tracked';

describe('TrackedSet', () => {
  test('slots in the order added; adding twice changes nothing', () => {
    const s = new TrackedSet();
    const [a, b] = [tg.scalar(1), tg.scalar(2)];
    expect(s.add(a)).toBe(true);
    expect(s.add(b)).toBe(true);
    expect(s.add(a)).toBe(false);
    expect([s.slotOf(a), s.slotOf(b), s.size]).toEqual([0, 1, 2]);
    expect(s.slotOf(tg.scalar(3))).toBe(-1);
    expect([s.idAt(0), s.idAt(1)]).toEqual([a.id, b.id]);
    expect([...s.idSet()]).toEqual([a.id, b.id]);
  });

  test('a tensor another set takes keeps its slot in the first, and stays with the second', () => {
    const outer = new TrackedSet();
    const inner = new TrackedSet();
    const [a, b] = [tg.scalar(1), tg.scalar(2)];
    outer.add(a);
    outer.add(b);
    expect(inner.add(a)).toBe(true);
    expect(inner.slotOf(a)).toBe(0);
    expect(outer.slotOf(a)).toBe(0); // through the moved index
    expect(outer.has(a) && inner.has(a)).toBe(true);
    // in both already: adding to the first again does not take it back
    expect(outer.add(a)).toBe(false);
    expect(a.tracker).toBe(inner);
    expect(outer.hasId(b.id) && !inner.hasId(b.id)).toBe(true);
  });

  test('a retired set keeps no index and finds its tensors by a scan', () => {
    const used = new TrackedSet();
    const next = new TrackedSet();
    const a = tg.scalar(1);
    used.add(a);
    used.retire();
    next.add(a);
    expect(next.slotOf(a)).toBe(0);
    expect(used.slotOf(a)).toBe(0);
    expect(used.slotOf(tg.scalar(5))).toBe(-1);
  });

  test('nested tapes that pass tensors back and forth give the right gradients', () => {
    const x = tg.tensor(2);
    const outer = new tg.GradientTape({ persistent: true });
    outer.watch(x);
    const inner = new tg.GradientTape({ persistent: true });
    inner.watch(x);
    const y = x.mul(x).mul(x); // both tapes record, the inner takes the outputs last
    const dy = inner.gradient(y, x)!; // 3x² = 12, recorded on the outer tape
    expect(dy.item()).toBe(12);
    expect(outer.gradient(dy, x)!.item()).toBe(12); // 6x
    expect(outer.gradient(y, x)!.item()).toBe(12); // the outer still walks y's records
    expect(inner.gradient(y, x)!.item()).toBe(12);
    outer.dispose();
    inner.dispose();
  });
});
