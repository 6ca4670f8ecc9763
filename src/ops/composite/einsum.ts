// einsum with TF's equation grammar, built from diagonals, sums, transposes, reshapes and matmul (its
// gradient is theirs): repeated labels within an operand take a diagonal, labels needed nowhere else are
// summed first, then the operands are contracted pairwise, left to right, each pair as one batched matmul.
import type { TensorLike } from '../../core/as_tensor';
import { toTensor } from '../../core/as_tensor';
import type { Tensor } from '../../core/tensor';
import { ArgumentError, DTypeError, ShapeError, describe } from '../../core/errors';
import { checkShape, fmtShape } from '../../core/shape';
import { matmul } from '../prims/matmul';
import { sum } from '../prims/reduce';
import { reshape, transpose } from '../prims/shape';
import { diagPartOf, diagPlaceOf } from '../prims/diag';

/** One operand's (or the output's) subscripts: its labels, and where its ellipsis stands (-1: none). */
interface Subscripts {
  labels: string[];
  ellipsis: number;
}

/** Letters are labels; '...' stands for the broadcast axes. */
function tokenize(s: string, what: string): Subscripts {
  const labels: string[] = [];
  let ellipsis = -1;
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (/^[A-Za-z]$/.test(c)) {
      labels.push(c);
      i++;
    } else if (s.startsWith('...', i)) {
      if (ellipsis >= 0) throw new ArgumentError(`einsum: ${what} '${s}' has more than one ellipsis`);
      ellipsis = labels.length;
      i += 3;
    } else {
      throw new ArgumentError(`einsum: ${what} '${s}' holds ${describe(c)}; expected letters and at most one '...'`);
    }
  }
  return { labels, ellipsis };
}

/** The subscripts of the operands and of the output (implicit: the labels seen once, sorted, after '...'). */
function parse(equation: unknown, n: number): { inputs: Subscripts[]; output: Subscripts } {
  if (typeof equation !== 'string')
    throw new ArgumentError(`einsum: equation must be a string, got ${describe(equation)}`);
  // TF removes the spaces of the equation
  const parts = equation.replace(/ /g, '').split('->');
  if (parts.length > 2) throw new ArgumentError(`einsum: equation '${equation}' has more than one '->'`);
  const operands = parts[0].split(',');
  if (operands.length !== n)
    throw new ArgumentError(
      `einsum: equation '${equation}' has subscripts for ${operands.length} operand(s), but ${n} were given`,
    );
  const inputs = operands.map((s, i) => tokenize(s, `the subscripts of operand ${i}`));
  let output: Subscripts;
  if (parts.length === 2) {
    output = tokenize(parts[1], 'the output subscripts');
    const seen = new Set(inputs.flatMap((s) => s.labels));
    for (const l of output.labels)
      if (!seen.has(l))
        throw new ArgumentError(`einsum: output label '${l}' of equation '${equation}' is in no operand's subscripts`);
  } else {
    const counts = new Map<string, number>();
    for (const l of inputs.flatMap((s) => s.labels)) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts.keys()].filter((l) => counts.get(l) === 1).sort();
    output = { labels: once, ellipsis: inputs.some((s) => s.ellipsis >= 0) ? 0 : -1 };
  }
  return { inputs, output };
}

/** The name of broadcast axis k counted from the right (1-based): never a letter. */
const broadcastLabel = (k: number): string => `.${k}`;

/** Subscripts with the ellipsis replaced by `nb` broadcast labels. */
function expand(s: Subscripts, nb: number): string[] {
  if (s.ellipsis < 0) return s.labels.slice();
  const broadcast = Array.from({ length: nb }, (_, j) => broadcastLabel(nb - j));
  return [...s.labels.slice(0, s.ellipsis), ...broadcast, ...s.labels.slice(s.ellipsis)];
}

/** A tensor and the label of each of its axes. */
interface Labelled {
  t: Tensor;
  labels: string[];
}

/** Sums the axes whose label is not in `keep`. */
function sumOut(x: Labelled, keep: ReadonlySet<string>): Labelled {
  const axes = x.labels.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return x;
  return { t: sum(x.t, axes), labels: x.labels.filter((l) => keep.has(l)) };
}

/** The diagonal over repeated labels ('ii' → 'i'), labels in order of first appearance. */
function takeDiagonal(x: Labelled): Labelled {
  const unique = [...new Set(x.labels)];
  if (unique.length === x.labels.length) return x;
  const groups = unique.map((l) => x.labels.flatMap((m, i) => (m === l ? [i] : [])));
  return { t: diagPartOf(x.t, groups), labels: unique };
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * One pairwise contraction: labels of both operands kept for later are batch axes (broadcast by
 * matmul), those of both not kept are contracted, the rest stay free. One matmul of
 * [batch, freeA, contracted] by [batch, contracted, freeB].
 */
function contract(a0: Labelled, b0: Labelled, keep: ReadonlySet<string>): Labelled {
  const inB = new Set(b0.labels);
  const inA = new Set(a0.labels);
  const a = sumOut(a0, new Set([...keep, ...inB]));
  const b = sumOut(b0, new Set([...keep, ...inA]));
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const contracted = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const freeA = a.labels.filter((l) => !inB.has(l));
  const freeB = b.labels.filter((l) => !inA.has(l));
  const dimA = (l: string) => a.t.shape[a.labels.indexOf(l)];
  const dimB = (l: string) => b.t.shape[b.labels.indexOf(l)];
  const axesA = (ls: string[]) => ls.map((l) => a.labels.indexOf(l));
  const axesB = (ls: string[]) => ls.map((l) => b.labels.indexOf(l));
  const left = reshape(transpose(a.t, axesA([...batch, ...freeA, ...contracted])), [
    ...batch.map(dimA),
    product(freeA.map(dimA)),
    product(contracted.map(dimA)),
  ]);
  const right = reshape(transpose(b.t, axesB([...batch, ...contracted, ...freeB])), [
    ...batch.map(dimB),
    product(contracted.map(dimB)),
    product(freeB.map(dimB)),
  ]);
  const out = matmul(left, right);
  return {
    t: reshape(out, [...out.shape.slice(0, batch.length), ...freeA.map(dimA), ...freeB.map(dimB)]),
    labels: [...batch, ...freeA, ...freeB],
  };
}

/**
 * Tensor contraction by an equation, as TF's `einsum`: `'ij,jk->ik'` (explicit output) or `'ij,jk'`
 * (implicit: the labels seen once, in alphabetical order); a label repeated within an operand takes
 * its diagonal (`'ii->i'`, `'ii'` the trace), one repeated in the output writes a diagonal (`'i->ii'`);
 * `...` stands for broadcast axes. Any number of operands, contracted pairwise from the left.
 * @example
 * tg.einsum('ij,jk->ik', [[1, 2], [3, 4]], [[5, 6], [7, 8]]); // [[19, 22], [43, 50]]
 * tg.einsum('ii', [[1, 2], [3, 4]]); // 5  (1 + 4)
 */
export function einsum(equation: string, ...xs: TensorLike[]): Tensor {
  const ts = xs.map((x) => toTensor('einsum', x));
  const { inputs, output } = parse(equation, ts.length);
  for (const t of ts) {
    if (t.dtype !== ts[0].dtype)
      throw new DTypeError(`einsum: all operands must have one dtype, got ${ts[0].dtype} and ${t.dtype}`);
    if (t.dtype === 'bool') throw new DTypeError('einsum: expected numeric operands, got bool');
  }
  // the ellipses expanded to broadcast labels, and every label's size (broadcast ones may be 1)
  const sizes = new Map<string, number>();
  let maxB = 0;
  const labelled: Labelled[] = ts.map((t, i) => {
    const s = inputs[i];
    const nb = t.rank - s.labels.length;
    if (s.ellipsis < 0 ? nb !== 0 : nb < 0)
      throw new ShapeError(
        `einsum: operand ${i} has shape ${fmtShape(t.shape)}, but its subscripts need rank ${s.ellipsis < 0 ? '' : 'at least '}${s.labels.length}`,
      );
    maxB = Math.max(maxB, s.ellipsis < 0 ? 0 : nb);
    const labels = expand(s, nb);
    labels.forEach((l, ax) => {
      const d = t.shape[ax];
      const seen = sizes.get(l);
      const broadcast = l.startsWith('.');
      if (seen !== undefined && seen !== d && !(broadcast && (seen === 1 || d === 1)))
        throw new ShapeError(
          `einsum: label '${broadcast ? '...' : l}' has size ${seen} and ${d} (axis ${ax} of operand ${i}, shape ${fmtShape(t.shape)})`,
        );
      sizes.set(l, seen === undefined || seen === 1 ? d : seen);
    });
    return { t, labels };
  });
  // TF: broadcast axes in the operands need an ellipsis in the output
  if (output.ellipsis < 0 && maxB > 0)
    throw new ShapeError(
      `einsum: the operands have ${maxB} broadcast axes but the output subscripts of '${equation}' have no '...'`,
    );
  const outLabels = expand(output, maxB);
  const outShape = checkShape(
    'einsum',
    outLabels.map((l) => sizes.get(l)!),
  );

  // each operand: its diagonals, then the sum over labels no other operand and not the output has
  const wanted = new Set(outLabels);
  let ops = labelled.map(takeDiagonal);
  ops = ops.map((op, i) => sumOut(op, new Set([...wanted, ...ops.flatMap((o, j) => (j === i ? [] : o.labels))])));
  let acc = ops[0];
  for (let k = 1; k < ops.length; k++) {
    const keep = new Set([...wanted, ...ops.slice(k + 1).flatMap((o) => o.labels)]);
    acc = contract(acc, ops[k], keep);
  }
  acc = sumOut(acc, wanted);
  const unique = [...new Set(outLabels)];
  const result = transpose(
    acc.t,
    unique.map((l) => acc.labels.indexOf(l)),
  );
  if (unique.length === outLabels.length) return result;
  // a label repeated in the output: the result is written on that diagonal of zeros
  return diagPlaceOf(
    result,
    outShape,
    unique.map((l) => outLabels.flatMap((m, i) => (m === l ? [i] : []))),
  );
}
