// Runs the editor's program: its text becomes the body of an async function whose parameters are
// what the page puts in scope (tg, console, plot, tick, sleep). While it runs, every
// tape.gradient() call is captured through tg.debugging.onGradient for the tape picture, and every
// null gradient it returns is explained with tape.explain(target, source) in the output.
/* global window, MessageChannel */
import { formatArgs, formatValue } from './format.js';
import { LivePlot } from './plot.js';

/** What the program sees besides `tg`, in the order of the function's parameters. */
const PARAMS = ['tg', 'console', 'plot', 'tick', 'sleep'];
const PROGRAM_URL = 'playground-program.js';
/** How many gradient() graphs a run keeps for the tape picture (the last ones). */
const KEEP_GRAPHS = 50;
/** How many different null-gradient explanations a run prints before it only counts them. */
const MAX_EXPLANATIONS = 20;

const AsyncFunction = (async () => {}).constructor;

/** Thrown inside the program by tick() and sleep() once Stop was pressed. */
export class StopRequested extends Error {
  constructor() {
    super('stopped');
    this.name = 'StopRequested';
  }
}

/**
 * One captured `gradient()` call: its graph, its number in the run (1-based), and the explanations
 * of the null gradients it returned.
 * @typedef {{ index: number, graph: { nodes: readonly object[] }, explanations: string[] }} Capture
 */

/**
 * Runs `source` to its end (or to the first error, or until `signal.stopped` is seen by tick() or
 * sleep()). Errors are printed, not thrown.
 * @param {object} tg the library
 * @param {string} source the program
 * @param {{ output: import('./output.js').Output, signal: { stopped: boolean } }} env
 * @returns {Promise<{ captures: Capture[], total: number, hooked: boolean }>} the last graphs, how many
 *   gradient() calls there were, and whether this build of tapegrad can report them
 */
export async function runProgram(tg, source, { output, signal }) {
  const captures = [];
  let total = 0;
  const onGradient = tg.debugging?.onGradient;
  const unsubscribe =
    typeof onGradient === 'function'
      ? onGradient((graph) => {
          captures.push({ index: ++total, graph, explanations: [] });
          if (captures.length > KEEP_GRAPHS) captures.shift();
        })
      : null;
  const lastCapture = () => (captures.length > 0 ? captures[captures.length - 1] : null);
  const plots = new LivePlot(() => output.plotSlot());
  const restore = [
    explainNullGradients(tg, output, lastCapture),
    mirrorLibraryWarnings(tg, output),
    catchStrayErrors(tg, output),
  ];
  const started = performance.now();
  try {
    const program = compile(source);
    const result = await program(tg, programConsole(tg, output), plotter(tg, plots), ticker(signal), sleeper(signal));
    if (result !== undefined) output.write('log', `← ${formatValue(result, tg)}`);
    output.write('note', `done in ${Math.round(performance.now() - started)} ms`);
  } catch (e) {
    if (e instanceof StopRequested) output.write('note', `stopped after ${Math.round(performance.now() - started)} ms`);
    else output.write('error', describeError(e, tg));
  } finally {
    unsubscribe?.();
    for (const undo of restore) undo();
    plots.flush();
  }
  return { captures, total, hooked: unsubscribe !== null };
}

/** The program as an async function (strict mode; its stack frames name `playground-program.js`). */
function compile(source) {
  return new AsyncFunction(...PARAMS, `'use strict';${source}\n//# sourceURL=${PROGRAM_URL}`);
}

let headerLines = -1;
/** How many lines V8 puts before the body of a `new AsyncFunction` (2 in V8: the head and `) {`). */
function functionHeaderLines() {
  if (headerLines < 0) {
    const probe = new AsyncFunction('a', `throw new Error();\n//# sourceURL=${PROGRAM_URL}`);
    headerLines = 0;
    probe().catch((e) => {
      headerLines = (lineInProgram(e) ?? 1) - 1;
    });
  }
  return headerLines;
}
functionHeaderLines();

function lineInProgram(e) {
  const m = new RegExp(`${PROGRAM_URL.replace('.', '\\.')}:(\\d+):\\d+`).exec(String(e?.stack ?? ''));
  return m ? Number(m[1]) : null;
}

/** `TypeError: x.foo is not a function (line 3)`: the error and where in the program it was thrown. */
export function describeError(e, tg) {
  if (!(e instanceof Error)) return `Uncaught ${formatValue(e, tg)}`;
  const line = lineInProgram(e);
  const where = line === null ? '' : ` (line ${line - functionHeaderLines()})`;
  return `${e.name}: ${e.message}${where}`;
}

/** The program's `console`: everything it prints goes to #output, not to the browser's console. */
function programConsole(tg, output) {
  const timers = new Map();
  const log = (...args) => void output.write('log', formatArgs(args, tg));
  return {
    log,
    info: log,
    debug: log,
    dir: (value) => log(value),
    table: (value) => log(value),
    group: (...args) => args.length > 0 && log(...args),
    groupEnd: () => {},
    warn: (...args) => void output.write('warn', formatArgs(args, tg)),
    error: (...args) => void output.write('error', formatArgs(args, tg)),
    assert: (ok, ...args) => {
      if (!ok) output.write('error', `Assertion failed${args.length ? `: ${formatArgs(args, tg)}` : ''}`);
    },
    time: (label = 'default') => void timers.set(label, performance.now()),
    timeEnd: (label = 'default') => {
      const start = timers.get(label);
      timers.delete(label);
      if (start !== undefined) log(`${label}: ${(performance.now() - start).toFixed(1)} ms`);
    },
    clear: () => output.clear(),
  };
}

/** `plot(value, name = 'loss')`: appends a point (a number or a one-element tensor) to a live plot. */
function plotter(tg, plots) {
  return function plot(value, name = 'loss') {
    let y = value;
    if (value instanceof tg.Variable) y = value.value();
    if (y instanceof tg.Tensor) {
      if (y.size !== 1) throw new TypeError(`plot: expected a number or a one-element tensor, got shape [${y.shape}]`);
      y = y.item();
    }
    if (typeof y !== 'number')
      throw new TypeError(`plot: expected a number or a one-element tensor, got ${typeof value}`);
    plots.add(y, String(name));
  };
}

/** One trip through the browser's task queue (faster than setTimeout, which waits 4 ms when nested). */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/**
 * `await tick()`: lets the page repaint and handle input (Stop, scrolling) when the program has run
 * for 8 ms since the last time; otherwise it returns at once, so calling it every step costs little.
 * Throws StopRequested after Stop.
 */
function ticker(signal) {
  let last = performance.now();
  return async function tick() {
    if (signal.stopped) throw new StopRequested();
    if (performance.now() - last < 8) return;
    await nextTask();
    last = performance.now();
    if (signal.stopped) throw new StopRequested();
  };
}

/** `await sleep(ms)`: waits (a pause in an animation, say); throws StopRequested after Stop. */
function sleeper(signal) {
  return async function sleep(ms = 0) {
    if (signal.stopped) throw new StopRequested();
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (signal.stopped) throw new StopRequested();
  };
}

/**
 * While the program runs, `tape.gradient()` prints `tape.explain(target, source)` for each source it
 * returns `null` for (each different explanation once), and attaches it to the captured graph.
 * Returns the function that puts `gradient` back.
 */
function explainNullGradients(tg, output, lastCapture) {
  const proto = tg.GradientTape.prototype;
  const original = proto.gradient;
  const printed = new Map();
  let hidden = 0;
  proto.gradient = function gradient(target, sources, ...rest) {
    const before = lastCapture();
    const result = original.call(this, target, sources, ...rest);
    const capture = lastCapture() !== before ? lastCapture() : null;
    for (const { source, name } of nullSources(tg, sources, result)) {
      const text = explainOne(this, tg, target, source, name);
      capture?.explanations.push(text);
      const seen = printed.get(text);
      if (seen !== undefined) {
        seen.count++;
        seen.entry?.setAttribute('data-repeat', `×${seen.count}`);
      } else if (printed.size < MAX_EXPLANATIONS) {
        printed.set(text, { count: 1, entry: output.write('explain', text) });
      } else if (hidden++ === 0) {
        output.write('note', `(more null gradients were returned; their explanations are not printed)`);
      }
    }
    return result;
  };
  return () => {
    proto.gradient = original;
  };
}

/** The sources whose gradient is null, each with a name for the output (a variable's, or its path). */
function nullSources(tg, sources, result) {
  const found = [];
  const visit = (s, r, path) => {
    if (s instanceof tg.Tensor || s instanceof tg.Variable) {
      if (r === null) found.push({ source: s, name: s instanceof tg.Variable ? `variable '${s.name}'` : path });
    } else if (Array.isArray(s)) {
      s.forEach((x, i) => visit(x, Array.isArray(r) ? r[i] : undefined, `${path}[${i}]`));
    } else if (s !== null && typeof s === 'object' && r !== null && typeof r === 'object') {
      for (const k of Object.keys(s)) visit(s[k], r[k], `${path}.${k}`);
    }
  };
  visit(sources, result, 'sources');
  return found;
}

/** tape.explain for one null source, for each target tensor (a list of targets means their sum). */
function explainOne(tape, tg, target, source, name) {
  const targets = [];
  const collect = (t) => {
    if (t instanceof tg.Tensor || t instanceof tg.Variable) targets.push(t);
    else if (Array.isArray(t)) t.forEach(collect);
    else if (t !== null && typeof t === 'object') Object.values(t).forEach(collect);
  };
  collect(target);
  const why = targets.map((t, i) => {
    try {
      return `${targets.length > 1 ? `target ${i}: ` : ''}${tape.explain(t, source)}`;
    } catch (e) {
      return `tape.explain failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  });
  return `gradient() returned null for ${name}; tape.explain(target, source) says:\n${why.join('\n')}`;
}

/** The library's own warnings (console.warn) are shown in #output too while the program runs. */
function mirrorLibraryWarnings(tg, output) {
  const c = window.console;
  const original = c.warn;
  c.warn = function warn(...args) {
    output.write('warn', formatArgs(args, tg));
    return original.apply(this, args);
  };
  return () => {
    c.warn = original;
  };
}

/** Errors thrown in callbacks the program scheduled (setTimeout, a promise it did not await). */
function catchStrayErrors(tg, output) {
  const onError = (event) => {
    event.preventDefault();
    output.write('error', `Uncaught ${describeError(event.error ?? event.message, tg)}`);
  };
  const onRejection = (event) => {
    event.preventDefault();
    output.write('error', `Uncaught (in promise) ${describeError(event.reason, tg)}`);
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  };
}
