// npm run bench: every peer on the same workloads, each (peer, workload, variant) in its own
// process so its peak memory (maxRSS) is that workload's; each row keeps the peer's fastest variant
// whose answers agree with tapegrad's (TF.js: inside or outside tf.tidy, its matmul gradient or
// explicit transposes, tf.conv2d or im2col; jax-js: W5 by hessian or jacrev(grad)). Prints the
// markdown table for the README (time · memory, ratio peer/tapegrad, the variants, the targets of
// issue 15, the forward-mode ratios) and writes it to bench/results/latest.md, the numbers to
// bench/results/latest.json.
//
//   node bench/run.mjs [peer…] [--rounds N] [--only W1,F1,…]
//
// peer…        run only these peers (tapegrad always runs): tfjs-cpu tfjs-wasm jax-eager jax-jit
// --rounds N   repeat the whole sequence N times (default 2), keeping each row's best median; round 1
//              times every variant, later rounds those within 10% of the best (the best alone for
//              rows over a second)
// --only LIST  run only these workloads, comma-separated: an entry takes the row it names and the
//              rows it begins ('W5' takes every W5 row, 'F1' every F1 row). E.g. the forward-mode
//              figures alone, quickly: node bench/run.mjs tapegrad --rounds 1 --only F1,W5
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { runPeer } from './lib/children.mjs';
import { formatCell, forwardModeRatios, markdownReport, targetsOf } from './lib/report.mjs';
import { selected } from './lib/timing.mjs';
import { W4, W8, agrees } from './lib/workloads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 2;
const onlyAt = args.indexOf('--only');
const workloadFilter = onlyAt >= 0 ? (args.splice(onlyAt, 2)[1] ?? '') : '';
const only = args;
// tapegrad runs twice: as it comes (helper threads take parts of large matmuls), and with
// TAPEGRAD_THREADS=1 for W4 alone, the single-thread matmul the peers' wasm backends are held to
const configs = [
  { peer: 'tapegrad', file: 'tapegrad.mjs', args: [] },
  { peer: 'tapegrad', file: 'tapegrad.mjs', args: ['--one-thread'], env: { TAPEGRAD_THREADS: '1' } },
  { peer: 'tfjs-cpu', file: 'tfjs.mjs', args: ['cpu'] },
  { peer: 'tfjs-wasm', file: 'tfjs.mjs', args: ['wasm'] },
  { peer: 'jax-eager', file: 'jax.mjs', args: ['eager'] },
  { peer: 'jax-jit', file: 'jax.mjs', args: ['jit'] },
]
  .filter(({ peer }) => only.length === 0 || peer === 'tapegrad' || only.includes(peer))
  // the one-thread run has nothing to do when the filter leaves out W4
  .filter(({ args: a }) => !a.includes('--one-thread') || W4.sizes.some((n) => selected(`W4 ${n}`, workloadFilter)));

if (
  configs.some(({ peer }) => peer !== 'tapegrad') &&
  (!existsSync(join(here, 'node_modules', '@jax-js', 'jax')) ||
    !existsSync(join(here, 'node_modules', '@tensorflow', 'tfjs')))
) {
  console.log('Installing the peers into bench/node_modules (first run only)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
if (!existsSync(join(root, 'dist', 'index.mjs')))
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

/** A peer's row in tapegrad's terms: the peers' W4 is single-threaded already, and W5 has one form. */
const peerRow = (row) => {
  const plain = row.replace(', 1 thread', '');
  return plain.startsWith('W5 ') ? 'W5' : plain;
};

// What each process lists: its rows, their variants, and its memory with the library loaded
const started = Date.now();
const idleMB = {};
const plan = []; // { config, row, variants, error? }
for (const config of configs) {
  const out = await runPeer(config.file, config.args, { ...config.env, BENCH_LIST: '1', BENCH_ONLY: workloadFilter });
  if (out.crashed) {
    console.log(`${config.peer} ${config.args.join(' ')}: cannot start: ${out.crashed}`);
    plan.push({ config, row: null, error: out.crashed });
    continue;
  }
  if (!config.args.includes('--one-thread')) idleMB[config.peer] = out.maxRssMB;
  for (const entry of out.list) plan.push({ config, ...entry });
}

// store[peer][row] = { error?, variants: { [variant]: { ms, check, gflops?, maxRssMB, error?, screened?, mismatch? } } }
const store = {};
const slot = (peer, row) => ((store[peer] ??= {})[row] ??= { variants: {} });
const correct = (r) => r && !r.error && !r.screened && !r.mismatch && Number.isFinite(r.ms);
const bestOf = (variants) =>
  Object.entries(variants)
    .filter(([, r]) => correct(r))
    .sort(([, a], [, b]) => a.ms - b.ms)[0];
/** The variants a round times: all in round 1, then those within 10% of the best (the best alone past 1 s). */
const variantsFor = (round, { variants }, s) => {
  const best = bestOf(s.variants);
  if (round === 1 || !best) return variants;
  return variants.filter(
    (v) => v === best[0] || (best[1].ms < 1000 && correct(s.variants[v]) && s.variants[v].ms <= 1.1 * best[1].ms),
  );
};
const mark = (peer, row, r) => {
  if (!correct(r)) return;
  if (peer === 'tapegrad') {
    // W8's first loss against the float64 forward pass (computed here, not in the measured process)
    const expected = row === 'W8' ? W8.referenceLoss() : null;
    if (expected !== null && !(Math.abs(r.check[0] - expected) <= 1e-4 * Math.abs(expected)))
      r.mismatch = `first loss ${r.check[0]} differs from the float64 reference ${expected}`;
    return;
  }
  const ref = store.tapegrad?.[row]?.variants['']?.check;
  if (ref && !agrees(row, r.check, ref))
    r.mismatch = `answers ${JSON.stringify(r.check)} differ from tapegrad's ${JSON.stringify(ref)}`;
};

for (let round = 1; round <= rounds; round++) {
  for (const entry of plan) {
    const { config, row } = entry;
    if (row === null) continue;
    const s = slot(config.peer, row);
    if (entry.error) {
      s.error = entry.error;
      continue;
    }
    const line = [];
    for (const variant of variantsFor(round, entry, s)) {
      const best = bestOf(s.variants);
      const out = await runPeer(config.file, config.args, {
        ...config.env,
        BENCH_ONLY: '',
        BENCH_ROW: row,
        BENCH_VARIANT: variant,
        BENCH_CUTOFF_MS: best ? String(3 * best[1].ms + 2000) : '',
      });
      const r = out.crashed ? { error: out.crashed } : { ...out.results?.[row]?.[variant], maxRssMB: out.maxRssMB };
      if (!out.crashed && r.ms === undefined && !r.error) r.error = 'no result';
      mark(config.peer, row, r);
      const prev = s.variants[variant];
      if (!prev || !correct(prev)) s.variants[variant] = r;
      else if (correct(r)) {
        if (r.ms < prev.ms) s.variants[variant] = { ...r, maxRssMB: Math.max(r.maxRssMB, prev.maxRssMB) };
        else prev.maxRssMB = Math.max(r.maxRssMB, prev.maxRssMB);
      }
      line.push(`${variant ? `${variant}: ` : ''}${formatCell(r)}`);
    }
    console.log(`round ${round}/${rounds}  ${config.peer}  ${row}  ${line.join('  |  ')}`);
  }
}

// each row's kept result: the fastest correct variant, else why there is none
const results = {};
for (const [peer, rows] of Object.entries(store)) {
  results[peer] = {};
  for (const [row, s] of Object.entries(rows)) {
    const best = bestOf(s.variants);
    const all = Object.values(s.variants);
    results[peer][row] = best
      ? { ...best[1], variant: best[0], variants: s.variants }
      : {
          error:
            s.error ?? all.find((r) => r.error)?.error ?? (all.some((r) => r.screened) ? 'screened out' : 'no result'),
          ...(all.find((r) => r.mismatch) ? { mismatch: all.find((r) => r.mismatch).mismatch } : {}),
          variants: s.variants,
        };
  }
}

const machine = {
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
  node: process.version,
  date: new Date().toISOString(),
  rounds,
  command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  minutes: Number(((Date.now() - started) / 60000).toFixed(1)),
  ...(workloadFilter ? { only: workloadFilter } : {}),
};
const targets = targetsOf(results, peerRow);
const forwardMode = forwardModeRatios(results.tapegrad ?? {});
const markdown = markdownReport({ machine, results, idleMB, targets, forwardMode, peerRow });
console.log('\n' + markdown);
for (const [peer, rows] of Object.entries(results))
  for (const [row, r] of Object.entries(rows)) {
    for (const [v, x] of Object.entries(r.variants))
      if (x.mismatch) console.log(`${peer} ${row}${v ? ` [${v}]` : ''}: ${x.mismatch}`);
      else if (x.error && !/^TF\.js has no float64/.test(x.error))
        console.log(`${peer} ${row}${v ? ` [${v}]` : ''}: could not run: ${x.error}`);
  }
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'latest.json'),
  JSON.stringify({ machine, idleMB, results, targets, forwardMode }, null, 2),
);
writeFileSync(join(here, 'results', 'latest.md'), markdown + '\n');
console.log(`\n${machine.minutes} min. Written to bench/results/latest.md and bench/results/latest.json`);
