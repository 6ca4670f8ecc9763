// Seeing what a tape recorded: one line per op (`t3 = add(x, t2)  [2,3] float32`), and the same
// graph in Graphviz DOT.
import type { OpRecord } from '../core/recording';
import type { Tensor } from '../core/tensor';
import { formatNumber } from '../core/format';

/** Names for tensors: variables by their name, watched inputs x0, x1 …, outputs t1, t2 …, small constants by value. */
function namer(records: readonly OpRecord[], variableNames: ReadonlyMap<number, string>) {
  const produced = new Set(records.map((r) => r.output.id));
  const names = new Map<number, string>();
  let inputs = 0;
  let outputs = 0;
  for (const r of records) {
    for (const t of r.inputs) {
      if (names.has(t.id) || produced.has(t.id)) continue;
      const v = variableNames.get(t.id);
      if (v !== undefined) names.set(t.id, v);
      else if (t.size === 1 && t.rank === 0) names.set(t.id, formatNumber(t.values[0], t.dtype));
      else names.set(t.id, `x${inputs++}`);
    }
    names.set(r.output.id, `t${++outputs}`);
  }
  return (t: Tensor) => names.get(t.id) ?? `?${t.id}`;
}

/** `[2,3] float32` */
function describe(t: Tensor): string {
  return `[${t.shape.join(',')}] ${t.dtype}`;
}

/** One line per recorded op, in execution order. */
export function traceLines(records: readonly OpRecord[], variableNames: ReadonlyMap<number, string>): string[] {
  const name = namer(records, variableNames);
  const lines = records.map((r) => `${name(r.output)} = ${r.name}(${r.inputs.map(name).join(', ')})`);
  const width = Math.max(0, ...lines.map((l) => l.length));
  return lines.map((l, i) => `${l.padEnd(width)}   ${describe(records[i].output)}`);
}

/** A DOT string; `\n` in labels is DOT's own line break and stays as it is. */
const quote = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

/** The recorded graph as Graphviz DOT: tensors as ellipses, ops as boxes. */
export function traceDot(records: readonly OpRecord[], variableNames: ReadonlyMap<number, string>): string {
  const name = namer(records, variableNames);
  const lines = ['digraph tape {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  const seen = new Set<number>();
  const tensorNode = (t: Tensor) => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    const isVariable = variableNames.has(t.id);
    lines.push(
      `  ${quote(`n${t.id}`)} [shape=ellipse, label=${quote(`${name(t)}\\n${describe(t)}`)}${isVariable ? ', style=filled, fillcolor="#dde8ff"' : ''}];`,
    );
  };
  records.forEach((r, i) => {
    const op = quote(`op${i}`);
    lines.push(`  ${op} [shape=box, label=${quote(r.name)}];`);
    r.inputs.forEach((t) => {
      tensorNode(t);
      lines.push(`  ${quote(`n${t.id}`)} -> ${op};`);
    });
    tensorNode(r.output);
    lines.push(`  ${op} -> ${quote(`n${r.output.id}`)};`);
  });
  lines.push('}');
  return lines.join('\n');
}
