// tape.explain(target, source): why a gradient is null, or the recorded ops that connect the two.
// It reads the tape's records, the notes it keeps of ops it saw but did not record (ids only: an op
// with no derivative, an integer result, one run while paused, one downstream of those), and when
// and how the tape watched things and stopped.
import type { DType } from '../core/dtype';
import { isFloat } from '../core/dtype';
import { formatNumber } from '../core/format';
import type { OpRecord } from '../core/recording';
import type { Tensor } from '../core/tensor';
import type { Variable } from '../core/variable';

/** Why a tape saw an op but did not record it. */
export type NoteReason = 'paused' | 'no-derivative' | 'non-float' | 'untracked';

/** What a tape keeps of an op it saw on something it follows but did not record: ids, no tensors. */
export interface OpNote {
  readonly name: string;
  readonly inputs: readonly number[];
  readonly output: number;
  readonly dtype: DType;
  readonly why: NoteReason;
}

/** What a tape keeps for explain() beside its records, made on first use. */
export interface ExplainNotes {
  readonly notes: OpNote[];
  /** The outputs of the notes, and values of variables read while paused. */
  readonly noted: Set<number>;
  /** Tensor id → the id counter when `watch()` took it. */
  readonly watchTimes: Map<number, number>;
  /** Variable id → its name and the ids of its values read while the tape was paused. */
  readonly pausedReads: Map<number, { name: string; ids: number[] }>;
}

/** Another active tape, as explain() asks about it. */
export interface OtherTape {
  produces(id: number): boolean;
  watches(id: number): boolean;
}

/** What explain() reads of a tape. */
export interface TapeState {
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
  readonly records: readonly OpRecord[];
  /** True when a non-persistent tape dropped its records at its gradient(). */
  readonly recordsDropped: boolean;
  readonly notes: readonly OpNote[];
  readonly watched: ReadonlySet<number>;
  /** Tensor id → the id counter when `watch()` took it. */
  readonly watchTimes: ReadonlyMap<number, number>;
  readonly variables: ReadonlyMap<number, { readonly variable: Variable; readonly reads: readonly number[] }>;
  /** Variable id → its name and the ids of its values read while the tape was paused. */
  readonly pausedReads: ReadonlyMap<number, { readonly name: string; readonly ids: readonly number[] }>;
  readonly variableNames: ReadonlyMap<number, string>;
  /** The id counter when the tape was made, and when it stopped (null while it records). */
  readonly startId: number;
  readonly stop: { readonly id: number; readonly used: boolean } | null;
  readonly others: readonly OtherTape[];
}

/** One op the tape recorded or noted, in execution order. */
interface Step {
  readonly name: string;
  readonly inputs: readonly number[];
  readonly output: number;
  readonly dtype: DType;
  readonly shape: string | null;
  /** null for a recorded op */
  readonly why: NoteReason | null;
}

const MAX_LINES = 12;

function stepsOf(state: TapeState): Step[] {
  const steps: Step[] = state.records.map((r) => ({
    name: r.name,
    inputs: r.inputs.map((t) => t.id),
    output: r.output.id,
    dtype: r.output.dtype,
    shape: `[${r.output.shape.join(',')}]`,
    why: null,
  }));
  for (const n of state.notes) steps.push({ ...n, shape: null });
  // ids increase with creation, so output ids give the execution order
  return steps.sort((a, b) => a.output - b.output);
}

/**
 * Names as tape.toString() gives them (variables by name, watched inputs x0 …, results t1 …), but
 * results the tape saw and did not record are u1 … (even a scalar toString names by its value).
 */
function namer(state: TapeState, steps: readonly Step[]): (id: number) => string {
  const names = new Map<number, string>();
  // scalars the records read, named by their value: an unrecorded op's result among them gets a u name
  const byValue = new Set<number>();
  let inputs = 0;
  let outputs = 0;
  // first the records alone, exactly as trace.ts names them
  const produced = new Set(state.records.map((r) => r.output.id));
  for (const r of state.records) {
    for (const t of r.inputs) {
      if (names.has(t.id) || produced.has(t.id)) continue;
      const v = state.variableNames.get(t.id);
      if (v !== undefined) names.set(t.id, v);
      else if (t.size === 1 && t.rank === 0) {
        names.set(t.id, formatNumber(t.values[0], t.dtype));
        byValue.add(t.id);
      } else names.set(t.id, `x${inputs++}`);
    }
    names.set(r.output.id, `t${++outputs}`);
  }
  for (const { name, ids } of state.pausedReads.values()) for (const id of ids) if (!names.has(id)) names.set(id, name);
  let unrecorded = 0;
  for (const s of steps) {
    if (s.why !== null && (!names.has(s.output) || byValue.has(s.output))) names.set(s.output, `u${++unrecorded}`);
  }
  // a tensor a note names but the tape never saw (a constant operand of an unrecorded op): `_`
  return (id) => names.get(id) ?? state.variableNames.get(id) ?? '_';
}

/** Why an unrecorded op passes no gradient. */
function blockerText(s: Step): string {
  if (s.why === 'paused') return `'${s.name}' ran while the tape was paused by stopRecording()`;
  if (s.name === 'stopGradient') return `'stopGradient' stops gradients by design`;
  const result = `${/^[aeiou]/.test(s.dtype) ? 'an' : 'a'} ${s.dtype} result`;
  if (s.name === 'cast' && s.why === 'non-float')
    return `'cast to ${s.dtype}' gives ${result}, which carries no gradient`;
  if (s.why === 'non-float') return `'${s.name}' gives ${result}, which carries no gradient`;
  return `'${s.name}' is not differentiable (by design, as in TF)`;
}

function stepLine(s: Step, name: (id: number) => string, width: number): string {
  const call = `${name(s.output)} = ${s.name}(${s.inputs.map(name).join(', ')})`.padEnd(width);
  if (s.why === null) return `  ${call}   ${s.shape} ${s.dtype}`;
  const why =
    s.why === 'paused'
      ? 'not recorded: inside stopRecording()'
      : s.why === 'untracked'
        ? 'not recorded: its inputs carry no gradient'
        : `not recorded: ${s.why === 'non-float' ? `${s.dtype} result` : 'no derivative'}`;
  return `  ${call}   ${s.dtype}, ${why}`;
}

function listing(steps: readonly Step[], name: (id: number) => string): string[] {
  const shown = steps.slice(0, MAX_LINES);
  const width = Math.max(
    0,
    ...shown.map((s) => `${name(s.output)} = ${s.name}(${s.inputs.map(name).join(', ')})`.length),
  );
  const lines = shown.map((s) => stepLine(s, name, width));
  if (steps.length > MAX_LINES) lines.push(`  … ${steps.length - MAX_LINES} more`);
  return lines;
}

/** The steps on a path from `from` to `to`: reached from `from` going forward, and needed by `to` going back. */
function connecting(steps: readonly Step[], from: ReadonlySet<number>, to: number): Step[] {
  const reached = new Set(from);
  const forward: Step[] = [];
  for (const s of steps) {
    if (s.inputs.some((id) => reached.has(id))) {
      reached.add(s.output);
      forward.push(s);
    }
  }
  if (!reached.has(to)) return [];
  const needed = new Set([to]);
  const path: Step[] = [];
  for (let k = forward.length - 1; k >= 0; k--) {
    const s = forward[k];
    if (!needed.has(s.output)) continue;
    path.push(s);
    for (const id of s.inputs) needed.add(id);
  }
  return path.reverse();
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The explanation: see `GradientTape.explain`. */
export function explainGradient(
  state: TapeState,
  target: Tensor,
  targetLabel: string | null,
  source: Tensor | Variable,
  isVariable: boolean,
): string {
  const steps = stepsOf(state);
  const name = namer(state, steps);
  const label = (id: number, what: string) => (name(id) === '_' ? what : `${what} ${name(id)}`);
  const tName = targetLabel ?? label(target.id, 'the target');
  const variable = isVariable ? (source as Variable) : null;
  const sName = variable !== null ? `variable '${variable.name}'` : label(source.id, 'the source');
  const head = `gradient of ${tName} with respect to ${sName}`;
  const dropped = state.recordsDropped
    ? ' This non-persistent tape dropped its records at its gradient() (it keeps them only when a gradient was null): make it with { persistent: true } to see more.'
    : '';

  if (!isFloat(source.dtype)) {
    return `${head} is null: ${sName} has dtype ${source.dtype}; only float32 and float64 tensors carry gradients (cast it to a float dtype before the ops that use it).`;
  }
  if (!isFloat(target.dtype)) {
    return `${head} is null: ${tName} has dtype ${target.dtype}; a non-float target has no gradient.`;
  }

  // the ids that stand for the source on this tape
  const ids = new Set<number>();
  if (variable !== null) {
    for (const id of state.variables.get(variable.id)?.reads ?? []) ids.add(id);
  } else if (state.watched.has(source.id)) ids.add(source.id);
  const pausedIds = variable !== null ? (state.pausedReads.get(variable.id)?.ids ?? []) : [];

  if (ids.has(target.id)) return `${head}: the target is the source itself (the gradient is ones).`;

  if (ids.size === 0 && pausedIds.length === 0) {
    if (variable !== null) {
      if (!variable.trainable && !state.variables.has(variable.id)) {
        return `${head} is null: ${sName} is not trainable, and tapes watch only trainable variables by themselves. Call tape.watch(${variable.name}) before the ops that use it, or make it with trainable: true.`;
      }
      if (!state.watchAccessedVariables && !state.variables.has(variable.id)) {
        return `${head} is null: this tape was made with watchAccessedVariables: false and ${sName} was never watched. Call tape.watch(${variable.name}) before the ops that use it.`;
      }
      return `${head} is null: no op read ${sName} while this tape recorded (the ops that use it ran before the tape was made${state.stop !== null ? ', or after it stopped recording' : ''}).${whereElse(state, variable.peek().id)}`;
    }
    return `${head} is null: this tape does not watch ${sName}. A tensor (not a variable) is watched only by tape.watch(x), before the ops that use it.${whereElse(state, source.id)}`;
  }

  const all = new Set<number>([...ids, ...pausedIds]);
  const recordSteps = steps.filter((s) => s.why === null);
  const recorded = connecting(recordSteps, ids, target.id);
  const seen = connecting(steps, all, target.id);
  const reasons = blockers(seen);
  if (recorded.length !== 0) {
    return [
      `${tName} depends on ${sName} through ${plural(recorded.length, 'recorded op')}:`,
      ...listing(recorded, name),
      ...(reasons.length !== 0 ? [`Other paths pass no gradient: ${reasons.join('; ')}.`] : []),
    ].join('\n');
  }

  if (seen.length !== 0) {
    return [
      `${head} is null: ${tName} depends on ${sName} only through ops that pass no gradient: ${reasons.join('; ')}.`,
      ...listing(seen, name),
    ].join('\n');
  }

  // the target is not connected to the source on this tape: say where the target came from
  const late = variable === null ? state.watchTimes.get(source.id) : undefined;
  if (late !== undefined && late > target.id) {
    return `${head} is null: ${sName} was watched after ${tName} was computed; call tape.watch() before the ops that use it.`;
  }
  const producedHere =
    steps.some((s) => s.output === target.id) || (state.recordsDropped && state.watched.has(target.id));
  if (!producedHere) {
    if (target.id < state.startId) {
      return `${head} is null: ${tName} was computed before this tape was made, so the tape did not see the ops that made it.`;
    }
    if (state.stop !== null && target.id > state.stop.id) {
      return `${head} is null: ${tName} was computed after this tape stopped recording (${state.stop.used ? 'a non-persistent tape stops at its gradient()' : 'it was disposed, or its using block ended'}).${whereElse(state, target.id)}`;
    }
    const other = state.others.some((t) => t.produces(target.id));
    return `${head} is null: no op of this tape produced ${tName}${other ? '; another active tape recorded it (is this the right tape?)' : ': it was computed from tensors this tape does not watch'}.${dropped}`;
  }
  if (state.recordsDropped) {
    return `${head}: this tape recorded ${tName} from what it watches, but the path cannot be shown: a non-persistent tape drops its records at its gradient() when every gradient it gave was connected. Make it with { persistent: true } to see the path.`;
  }
  return `${head} is null: ${tName} does not depend on ${sName}: no recorded op leads from ${sName} to ${tName}.`;
}

/** Why the first unrecorded ops of a path (those not fed by another unrecorded op) pass no gradient. */
function blockers(path: readonly Step[]): string[] {
  const noted = new Set<number>();
  for (const s of path) if (s.why !== null) noted.add(s.output);
  const first = path.filter((s) => s.why !== null && !s.inputs.some((id) => noted.has(id)));
  return [...new Set(first.map(blockerText))];
}

/** " Another active tape watches it." when one does. */
function whereElse(state: TapeState, id: number): string {
  return state.others.some((t) => t.watches(id) || t.produces(id))
    ? ' Another active tape watches it: is this the right tape?'
    : '';
}
