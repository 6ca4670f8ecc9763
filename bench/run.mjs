// npm run bench: every peer in its own process, one after another, on the same workloads; a table
// of medians with the ratio peer/tapegrad per row, then the forward-mode ratios from tapegrad's own
// rows, all written to bench/results/latest.json too.
//
//   node bench/run.mjs [peer…] [--rounds N] [--only W1,F1,…]
//
// peer…        run only these peers (tapegrad always runs): tfjs-cpu tfjs-wasm jax-eager jax-jit
// --rounds N   repeat the whole sequence N times (default 2), keeping each row's best median
// --only LIST  run only these workloads, comma-separated: an entry takes the row it names and the
//              rows it begins ('W5' takes every W5 row, 'F1' every F1 row); passed to the peers as
//              BENCH_ONLY. E.g. the forward-mode figures alone, quickly:
//              node bench/run.mjs tapegrad --rounds 1 --only F1,W5
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { selected } from './lib/timing.mjs';
import { W4 } from './lib/workloads.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

// `--rounds N` repeats the whole sequence (default 2) and keeps each peer's best median per
// workload: this machine's speed drifts by tens of percent between minutes, and the same rule for
// every peer keeps the ratios fair. Other arguments pick peers by name.
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 2;
const onlyAt = args.indexOf('--only');
const workloadFilter = onlyAt >= 0 ? (args.splice(onlyAt, 2)[1] ?? '') : '';
const only = args;
// tapegrad runs twice: as it comes (a helper thread takes half of each large matmul), and with
// TAPEGRAD_THREADS=1 for W4 alone, the single-thread matmul the peers' wasm backends are held to
const peers = [
  ['tapegrad', 'tapegrad.mjs', []],
  ['tapegrad', 'tapegrad.mjs', ['--one-thread'], { TAPEGRAD_THREADS: '1' }],
  ['tfjs-cpu', 'tfjs.mjs', ['cpu']],
  ['tfjs-wasm', 'tfjs.mjs', ['wasm']],
  ['jax-eager', 'jax.mjs', ['eager']],
  ['jax-jit', 'jax.mjs', ['jit']],
]
  .filter(([name]) => only.length === 0 || name === 'tapegrad' || only.includes(name))
  // the one-thread run has nothing to do when the filter leaves out W4
  .filter(
    ([, , peerArgs]) => !peerArgs.includes('--one-thread') || W4.sizes.some((n) => selected(`W4 ${n}`, workloadFilter)),
  );

if (
  peers.some(([name]) => name !== 'tapegrad') &&
  (!existsSync(join(here, 'node_modules', '@jax-js', 'jax')) ||
    !existsSync(join(here, 'node_modules', '@tensorflow', 'tfjs')))
) {
  console.log('Installing the peers into bench/node_modules (first run only)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
if (!existsSync(join(root, 'dist', 'index.mjs')))
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const results = {};
for (let round = 1; round <= rounds; round++) {
  for (const [name, file, peerArgs, env = {}] of peers) {
    process.stdout.write(`round ${round}/${rounds}: ${name}${peerArgs.length ? ` ${peerArgs.join(' ')}` : ''}… `);
    const t0 = Date.now();
    let run;
    try {
      const out = execFileSync(process.execPath, [join(here, 'peers', file), ...peerArgs], {
        cwd: here,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 24,
        env: { ...process.env, BENCH_ONLY: workloadFilter, ...env },
      });
      run = JSON.parse(out.trim().split('\n').pop());
      console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } catch (e) {
      const msg =
        String(e.stderr || e.message)
          .trim()
          .split('\n')
          .filter((l) => /Error|error/.test(l))[0] ?? String(e.message);
      run = { error: msg };
      console.log(`failed: ${msg}`);
    }
    const prev = results[name];
    if (!prev || prev.error) results[name] = run;
    else if (!run.error)
      for (const [w, row] of Object.entries(run))
        if (!row.error && (!prev[w] || prev[w].error || row.ms < prev[w].ms)) prev[w] = row;
  }
}

// every peer's answers must agree with tapegrad's (which were checked against closed forms); the
// derivatives of W2's chain (W2, F1) are far below 1, so they are compared relative to themselves
const base = results.tapegrad && !results.tapegrad.error ? results.tapegrad : {};
for (const [name, r] of Object.entries(results)) {
  if (name === 'tapegrad' || r.error) continue;
  for (const [w, row] of Object.entries(r)) {
    const ref = base[w]?.check;
    if (!ref || row.error) continue;
    const relative = w === 'W2' || w.startsWith('F1 ');
    const bad = row.check.some(
      (v, i) =>
        !(Math.abs(v - ref[i]) <= 2e-3 * Math.max(Math.abs(ref[i]), relative ? 0 : 1e-2) + (relative ? 0 : 1e-6)),
    );
    if (bad) row.mismatch = `answers ${JSON.stringify(row.check)} differ from tapegrad's ${JSON.stringify(ref)}`;
  }
}

/** Prints a table: a header, a rule, and the rows, each column as wide as its widest cell. */
const printTable = (header, rows) => {
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  const line = (r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  console.log(
    '\n' + line(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n' + rows.map(line).join('\n'),
  );
};

const ONE_THREAD = ', 1 thread';
// tapegrad's rows in its order, then any row only a peer has; each one-thread row right after its W4 row
const all = [...new Set([base, ...Object.values(results)].flatMap((r) => (r.error ? [] : Object.keys(r))))];
const workloads = all
  .filter((w) => !w.endsWith(ONE_THREAD))
  .flatMap((w) => (all.includes(w + ONE_THREAD) ? [w, w + ONE_THREAD] : [w]));
const fmt = (row) => {
  if (!row || row.error) return 'n/a';
  if (row.mismatch) return 'WRONG';
  const t = row.ms >= 1 ? `${row.ms.toFixed(1)} ms` : `${(row.ms * 1000).toFixed(1)} µs`;
  return row.gflops ? `${t} ${row.gflops.toFixed(1)} GF/s` : t;
};
const timed = (row) => row && !row.error && !row.mismatch;
const names = Object.keys(results);
printTable(
  ['workload', ...names.map((n) => (n === 'tapegrad' ? n : `${n} (×)`))],
  workloads.map((w) => [
    w,
    ...names.map((n) => {
      if (results[n].error) return 'n/a';
      // the peers' W4 is single-threaded already: its row also stands against tapegrad's one-thread row
      const row = results[n][n === 'tapegrad' ? w : w.replace(ONE_THREAD, '')];
      if (row === undefined) return ''; // a workload this peer does not run (or the filter left out)
      if (n === 'tapegrad' || !timed(row) || !timed(base[w])) return fmt(row);
      return `${fmt(row)} (${(row.ms / base[w].ms).toFixed(1)}×)`;
    }),
  ]),
);
console.log(
  `\n(×) = peer time / tapegrad time: above 1, tapegrad is faster. Best of ${rounds} rounds of medians; W4 also in GFLOP/s.` +
    '\nA blank cell: the peer does not run that workload.',
);
for (const [name, r] of Object.entries(results)) {
  if (r.error) console.log(`${name}: ${r.error}`);
  for (const [w, row] of Object.entries(r)) {
    if (row && row.mismatch) console.log(`${name} ${w}: ${row.mismatch}`);
    if (row && row.error) console.log(`${name} ${w}: could not run: ${row.error}`);
  }
}

// The forward-mode targets, as ratios of tapegrad's medians from this same run (so the machine's
// drift cancels): each is `of` / `over`, beside its target when it has one.
const forwardMode = [
  { ratio: 'jvp / forward pass', of: 'F1 jvp', over: 'F1 forward pass', target: '≤ 3×', meets: (r) => r <= 3 },
  { ratio: 'hvp / forward pass', of: 'F1 hvp', over: 'F1 forward pass', target: '≤ 6×', meets: (r) => r <= 6 },
  { ratio: 'reverse gradient / forward pass', of: 'F1 reverse gradient', over: 'F1 forward pass' },
  {
    ratio: 'tg.hessian / W5 nested, persistent',
    of: 'W5 tg.hessian',
    over: 'W5 nested, persistent',
    target: '< 1× (faster)',
    meets: (r) => r < 1,
  },
  {
    ratio: 'tg.hessian / W5 nested (non-persistent)',
    of: 'W5 tg.hessian',
    over: 'W5',
    target: '< 1× (faster)',
    meets: (r) => r < 1,
  },
].map(({ ratio, of, over, target = null, meets }) => {
  const value = timed(base[of]) && timed(base[over]) ? base[of].ms / base[over].ms : null;
  return { ratio, of, over, value, target, met: value === null || !meets ? null : meets(value) };
});
if (forwardMode.some((f) => f.value !== null)) {
  printTable(
    ['forward mode (tapegrad)', 'ratio', 'target', ''],
    forwardMode.map(({ ratio, value, target, met }) => [
      ratio,
      value === null ? 'n/a' : `${value.toFixed(2)}×`,
      target ?? '',
      met === null ? '' : met ? 'met' : 'not met',
    ]),
  );
  console.log('\nRatios of medians of this run: F1 is W2’s chain on 1000 floats, W5 the 64×64 Hessian.');
}

const machine = {
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
  node: process.version,
  date: new Date().toISOString(),
  rounds,
  ...(workloadFilter ? { only: workloadFilter } : {}),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify({ machine, results, forwardMode }, null, 2));
console.log(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}. Written to bench/results/latest.json`);
