// The playground page: wires the editor, the example picker, Run/Stop/Share, the output and the
// tape picture, loads a program from the URL fragment, and exposes `window.playground` for tests.
/* global window, document, location, history, navigator */
import { examples } from './examples.js';
import { attachEditorKeys } from './editor.js';
import { Output } from './output.js';
import { runProgram } from './runner.js';
import { encodeSource, parseFragment } from './share.js';
import { TapePanel } from './tape-panel.js';

const byId = (id) => document.getElementById(id);
const code = /** @type {HTMLTextAreaElement} */ (byId('code'));
const picker = /** @type {HTMLSelectElement} */ (byId('examples'));
const runButton = /** @type {HTMLButtonElement} */ (byId('run'));
const stopButton = /** @type {HTMLButtonElement} */ (byId('stop'));
const shareButton = /** @type {HTMLButtonElement} */ (byId('share'));
const status = byId('status');
const output = new Output(byId('output'), byId('plots'));

// dist/tapegrad.min.js defines the global `tapegrad`; programs (and the devtools console) call it tg
const tg = window.tapegrad ?? window.tg;
if (tg !== undefined) window.tg = tg;
const tape = new TapePanel(
  { pick: byId('tape-pick'), zoom: byId('tape-zoom'), canvas: byId('tape-canvas'), notes: byId('tape-notes') },
  window.dagre,
);

for (const ex of examples) {
  const option = document.createElement('option');
  option.value = ex.id;
  option.textContent = ex.title;
  picker.append(option);
}
const custom = document.createElement('option');
custom.value = '';
custom.textContent = '(your program)';
custom.hidden = true;
picker.append(custom);

/** The run in progress: its stop signal and the promise of its end. */
let current = null;

function setCode(source) {
  code.value = source;
  const match = examples.find((e) => e.code === source);
  picker.value = match ? match.id : '';
}

function getCode() {
  return code.value;
}

async function run() {
  if (current !== null) {
    current.signal.stopped = true;
    await current.done;
  }
  if (tg === undefined) {
    output.clear();
    output.write('error', 'tapegrad did not load (tapegrad.min.js is missing next to this page).');
    return;
  }
  const signal = { stopped: false };
  output.clear();
  runButton.disabled = true;
  stopButton.disabled = false;
  status.textContent = 'running…';
  const done = runProgram(tg, getCode(), { output, signal });
  current = { signal, done };
  try {
    const result = await done;
    try {
      tape.show(result);
    } catch (e) {
      output.write('error', `The tape picture failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  } finally {
    if (current?.done === done) {
      current = null;
      runButton.disabled = false;
      stopButton.disabled = true;
      status.textContent = '';
    }
  }
}

/** The promise of the latest run (so idle() can wait for a run the page started by itself). */
let latest = Promise.resolve();
function start() {
  latest = run();
  return latest;
}

/** Resolves when the latest run has finished and its tape is drawn. */
function idle() {
  return latest;
}

function stop() {
  if (current !== null) current.signal.stopped = true;
}

/** Loads what the fragment asks for (a program or an example) and runs it if it says `&run`. */
function loadFragment() {
  const wanted = parseFragment(location.hash);
  if (wanted === null) return false;
  if (wanted.error !== undefined) {
    output.clear();
    output.write('error', `Could not load the program from the link: ${wanted.error}`);
    return false;
  }
  if (wanted.code !== undefined) setCode(wanted.code);
  else {
    const ex = examples.find((e) => e.id === wanted.example);
    if (ex === undefined) {
      output.write(
        'error',
        `No example "${wanted.example}"; the examples are ${examples.map((e) => e.id).join(', ')}.`,
      );
      return false;
    }
    setCode(ex.code);
  }
  if (wanted.run) void start();
  return true;
}

/** Sets the fragment without a hashchange (the page already shows what it says). */
function replaceFragment(fragment) {
  history.replaceState(null, '', `${location.pathname}${location.search}${fragment}`);
}

async function share() {
  replaceFragment(`#code=${encodeSource(getCode())}`);
  try {
    await navigator.clipboard.writeText(location.href);
    status.textContent = 'link copied';
  } catch {
    status.textContent = 'link in the address bar';
  }
}

picker.addEventListener('change', () => {
  const ex = examples.find((e) => e.id === picker.value);
  if (ex === undefined) return;
  setCode(ex.code);
  replaceFragment(`#example=${ex.id}`);
});
code.addEventListener('input', () => {
  if (picker.value !== '') picker.value = '';
  if (location.hash !== '') replaceFragment('');
});
runButton.addEventListener('click', () => void start());
stopButton.addEventListener('click', stop);
shareButton.addEventListener('click', () => void share());
window.addEventListener('hashchange', loadFragment);
attachEditorKeys(code, { run: () => void start() });

window.playground = { setCode, getCode, run: start, stop, idle, examples };
if (!loadFragment()) setCode(examples[0].code);
document.documentElement.dataset.ready = 'true';
