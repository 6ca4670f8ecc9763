// tg.debugging.onGradient: a listener sees, at each tape.gradient(), the graph that call
// differentiated — the recorded ops between the sources and the targets, with each node's value and
// gradient. It is how the playground draws the tape of a run, even of tapes already disposed.
// With no listener the walk is unchanged (intermediate gradients are dropped as they are used).
import type { OpRecord } from '../core/recording';
import type { Tensor } from '../core/tensor';

/** One node of a `GradientGraph`: a source, a constant an op read, or a recorded op's output. */
export interface GradientGraphNode {
  /** Unique within the graph (the tensor's id). */
  readonly id: number;
  readonly kind: 'source' | 'constant' | 'op';
  /** The op's name (`'mul'`, `'matmul'`), a variable's name, `'watched'` or `'constant'`. */
  readonly label: string;
  /** The ids of the nodes this one was computed from (empty for sources and constants). */
  readonly inputs: readonly number[];
  readonly value: Tensor;
  /** The gradient of the targets with respect to this node in that call; null where none flowed. */
  readonly gradient: Tensor | null;
  /** True for a tensor that was a target of the `gradient()` call. */
  readonly target: boolean;
}

/** What one `tape.gradient()` call differentiated: its nodes in execution order (inputs first). */
export interface GradientGraph {
  readonly nodes: readonly GradientGraphNode[];
}

/** Called by `tape.gradient()` with the graph it differentiated. */
export type GradientListener = (graph: GradientGraph) => void;

const listeners = new Set<GradientListener>();

/** True when some listener wants the graphs (the walk then keeps every intermediate gradient). */
export function gradientListened(): boolean {
  return listeners.size > 0;
}

/**
 * Calls `listener` at each `tape.gradient()` call, after the backward walk, with the graph that call
 * differentiated: the sources, the constants the recorded ops read, and the ops on a path from the
 * sources to the targets, each with its value and gradient. Returns a function that unsubscribes.
 * Meant for tools that draw or inspect a run (the playground's tape picture); no other library has
 * it. `jacobian()` does not report; the functional forms (`tg.grad`, `tg.hessian`, …) report the
 * `gradient()` calls they make.
 * @example
 * const graphs: tg.debugging.GradientGraph[] = [];
 * const stop = tg.debugging.onGradient((g) => graphs.push(g));
 * const x = new tg.Variable(3, { name: 'x' });
 * using tape = new tg.GradientTape();
 * tape.gradient(x.mul(x).add(1), x);
 * stop();
 * graphs[0].nodes.map((n) => n.label); // ['x', 'mul', 'constant', 'add']
 * graphs[0].nodes[1].gradient; // Tensor(1, shape=[], dtype=float32)
 */
export function onGradient(listener: GradientListener): () => void {
  if (typeof listener !== 'function') {
    throw new TypeError(`debugging.onGradient: the listener must be a function, got ${typeof listener}`);
  }
  // a Set keeps one subscription per function, so wrap it: the same listener twice is called twice
  const entry: GradientListener = (g) => listener(g);
  listeners.add(entry);
  return () => {
    listeners.delete(entry);
  };
}

/**
 * Builds the graph of one gradient() walk and hands it to every listener. `grads` holds every
 * gradient the walk made (tensor id → gradient); `sourceNames` names each source id.
 */
export function reportGradient(
  records: readonly OpRecord[],
  targets: readonly Tensor[],
  sourceNames: ReadonlyMap<number, string>,
  sources: ReadonlyMap<number, Tensor>,
  grads: ReadonlyMap<number, Tensor>,
): void {
  const targetIds = new Set(targets.map((t) => t.id));
  // the records between the sources and the targets: reached from a source, and given a gradient
  const produced = new Set<number>();
  const kept: OpRecord[] = [];
  for (const r of records) {
    if (!grads.has(r.output.id) && !targetIds.has(r.output.id)) continue;
    if (r.inputs.some((x) => sources.has(x.id) || produced.has(x.id))) {
      kept.push(r);
      produced.add(r.output.id);
    }
  }
  const nodes: GradientGraphNode[] = [];
  const seen = new Set<number>();
  const leaf = (x: Tensor): void => {
    if (seen.has(x.id)) return;
    seen.add(x.id);
    const name = sourceNames.get(x.id);
    nodes.push({
      id: x.id,
      kind: name === undefined ? 'constant' : 'source',
      label: name ?? 'constant',
      inputs: [],
      value: x,
      gradient: name === undefined ? null : (grads.get(x.id) ?? null),
      target: targetIds.has(x.id),
    });
  };
  for (const r of kept) {
    for (const x of r.inputs) if (!produced.has(x.id)) leaf(x);
    seen.add(r.output.id);
    nodes.push({
      id: r.output.id,
      kind: 'op',
      label: r.name,
      inputs: r.inputs.map((x) => x.id),
      value: r.output,
      gradient: grads.get(r.output.id) ?? null,
      target: targetIds.has(r.output.id),
    });
  }
  // a source that is itself a target (the gradient of x with respect to x)
  for (const [id, x] of sources) if (targetIds.has(id)) leaf(x);
  const graph: GradientGraph = { nodes };
  for (const listener of [...listeners]) listener(graph);
}
