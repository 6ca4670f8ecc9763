// npm run bench: every peer in its own process, one after another, on the same workloads; a table
// of medians with the ratio peer/tapegrad per row, written to bench/results/latest.json too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

if (
  !existsSync(join(here, 'node_modules', '@jax-js', 'jax')) ||
  !existsSync(join(here, 'node_modules', '@tensorflow', 'tfjs'))
) {
  console.log('Installing the peers into bench/node_modules (first run only)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
if (!existsSync(join(root, 'dist', 'index.mjs')))
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

// `--rounds N` repeats the whole sequence (default 2) and keeps each peer's best median per
// workload: this machine's speed drifts by tens of percent between minutes, and the same rule for
// every peer keeps the ratios fair. Other arguments pick peers by name.
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 2;
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
].filter(([name]) => only.length === 0 || name === 'tapegrad' || only.includes(name));

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
        env: { ...process.env, ...env },
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

// every peer's answers must agree with tapegrad's (which were checked against closed forms)
const base = results.tapegrad;
for (const [name, r] of Object.entries(results)) {
  if (name === 'tapegrad' || r.error) continue;
  for (const [w, row] of Object.entries(r)) {
    const ref = base[w]?.check;
    if (!ref || row.error) continue;
    const bad = row.check.some(
      (v, i) =>
        !(Math.abs(v - ref[i]) <= 2e-3 * Math.max(Math.abs(ref[i]), w === 'W2' ? 0 : 1e-2) + (w === 'W2' ? 0 : 1e-6)),
    );
    if (bad) row.mismatch = `answers ${JSON.stringify(row.check)} differ from tapegrad's ${JSON.stringify(ref)}`;
  }
}

const ONE_THREAD = ', 1 thread';
// each one-thread row right after its W4 row
const workloads = Object.keys(base)
  .filter((w) => !w.endsWith(ONE_THREAD))
  .flatMap((w) => (base[w + ONE_THREAD] ? [w, w + ONE_THREAD] : [w]));
const fmt = (row) => {
  if (!row || row.error) return 'n/a';
  if (row.mismatch) return 'WRONG';
  const t = row.ms >= 1 ? `${row.ms.toFixed(1)} ms` : `${(row.ms * 1000).toFixed(1)} µs`;
  return row.gflops ? `${t} ${row.gflops.toFixed(1)} GF/s` : t;
};
const names = Object.keys(results);
const header = ['workload', ...names.map((n) => (n === 'tapegrad' ? n : `${n} (×)`))];
const rows = workloads.map((w) => [
  w,
  ...names.map((n) => {
    // the peers' W4 is single-threaded already: its row also stands against tapegrad's one-thread row
    const row = results[n].error ? undefined : results[n][n === 'tapegrad' ? w : w.replace(ONE_THREAD, '')];
    if (n === 'tapegrad' || !row || row.error || row.mismatch) return fmt(row);
    return `${fmt(row)} (${(row.ms / base[w].ms).toFixed(1)}×)`;
  }),
]);
const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
const line = (r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ');
console.log(
  '\n' + line(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n' + rows.map(line).join('\n'),
);
console.log(
  `\n(×) = peer time / tapegrad time: above 1, tapegrad is faster. Best of ${rounds} rounds of medians; W4 also in GFLOP/s.`,
);
for (const [name, r] of Object.entries(results)) {
  if (r.error) console.log(`${name}: ${r.error}`);
  for (const [w, row] of Object.entries(r)) {
    if (row && row.mismatch) console.log(`${name} ${w}: ${row.mismatch}`);
    if (row && row.error) console.log(`${name} ${w}: could not run: ${row.error}`);
  }
}

const machine = {
  cpu: os.cpus()[0]?.model,
  cores: os.cpus().length,
  node: process.version,
  date: new Date().toISOString(),
  rounds,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify({ machine, results }, null, 2));
console.log(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}. Written to bench/results/latest.json`);
