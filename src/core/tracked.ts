// The tensors a gradient tape tracks (what it watches and the outputs of what it recorded), each
// with a dense slot number (0, 1, 2 … in the order added), so that a backward walk can keep its
// gradients in an array rather than a Map.
//
// NOTE: the hot path of a scalar graph (W1) asks "is this input tracked?" for every input of every
// op and adds every output: a Set<number> costs 10-20 ns per add, and a new one per tape. Instead a
// tensor keeps the set that took it last and its slot there (`Tensor.tracker`, `Tensor.slot`), so
// the usual question is one field compare. When another set takes the tensor (nested tapes, or the
// next training step's tape reading a variable's value), it hands the (id, slot) pair back to the
// set it took it from, which indexes such pairs in a Map the first time it is asked about one.
import type { Tensor } from './tensor';

/**
 * A set of tensors with a slot for each. It holds ids, never the tensors, so it keeps no tensor
 * alive; a tensor holds the last set that took it (ids only).
 */
export class TrackedSet {
  /** slot → tensor id. */
  private readonly ids: number[] = [];
  /** (id, slot) pairs, flat, of tensors another set has taken since; null until the first. */
  private moved: number[] | null = null;
  /** id → slot of `moved`'s first `indexed` numbers: made when first needed, then kept up to date. */
  private movedIndex: Map<number, number> | null = null;
  private indexed = 0;
  /** Set by `retire()`: no pair is kept for a tensor taken away; a scan of `ids` finds it. */
  private retired = false;

  /** How many tensors were ever added: every slot is below this. */
  get size(): number {
    return this.ids.length;
  }

  /** The slot of `t`, or -1 when it is not in the set. */
  slotOf(t: Tensor): number {
    const owner = t.tracker;
    if (owner === this) return t.slot;
    // a tensor no set ever took: in none
    if (owner === null) return -1;
    // the cold path of a used tape, which keeps no index
    if (this.retired) return this.ids.indexOf(t.id);
    // nothing was ever taken from this set
    if (this.moved === null) return -1;
    return this.movedSlot(t.id);
  }

  /** True when `t` is in the set. */
  has(t: Tensor): boolean {
    return t.tracker === this || this.slotOf(t) >= 0;
  }

  /** Adds `t` (nothing changes when it is in already); true when it was not in before. */
  add(t: Tensor): boolean {
    const owner = t.tracker;
    if (owner === this) return false;
    if (owner !== null) {
      // in already, but taken by another set since: it stays theirs (no ping-pong between nested tapes)
      if (this.slotOf(t) >= 0) return false;
      owner.release(t);
    }
    t.tracker = this;
    t.slot = this.ids.length;
    this.ids.push(t.id);
    return true;
  }

  /** The id of the tensor in `slot`. */
  idAt(slot: number): number {
    return this.ids[slot];
  }

  /** True when the tensor with this id is in the set: a scan, for the cold paths (explain). */
  hasId(id: number): boolean {
    return this.ids.includes(id);
  }

  /** The ids in the set, as a new Set (for explain()). */
  idSet(): Set<number> {
    return new Set(this.ids);
  }

  /**
   * Says that slots will rarely be asked for again (a used non-persistent tape): a tensor another
   * set takes is then let go without a note, and found by a scan of the ids if it is ever asked about.
   */
  retire(): void {
    this.retired = true;
    this.moved = null;
    this.movedIndex = null;
  }

  /** Another set takes `t`: keep its slot here, unless retired. */
  private release(t: Tensor): void {
    if (!this.retired) (this.moved ??= []).push(t.id, t.slot);
  }

  /** The slot of a tensor another set took, or -1. */
  private movedSlot(id: number): number {
    const moved = this.moved as number[];
    const index = (this.movedIndex ??= new Map());
    for (let i = this.indexed; i < moved.length; i += 2) index.set(moved[i], moved[i + 1]);
    this.indexed = moved.length;
    return index.get(id) ?? -1;
  }
}
