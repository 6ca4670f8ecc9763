// The runner's report: cells (time · memory), the targets of issue 15, the forward-mode ratios, and
// the markdown the README quotes.

const PEER_NAMES = {
  tapegrad: 'tapegrad',
  'tfjs-cpu': 'TF.js cpu',
  'tfjs-wasm': 'TF.js wasm',
  'jax-eager': 'jax-js eager',
  'jax-jit': 'jax-js jit',
};

const LABELS = {
  W1: 'W1 value and gradient of x²y + y + 2',
  W2: 'W2 200-op chain on 1000 floats, gradient',
  W3: 'W3 MLP step 128×784→256→10, SGD',
  'W4 512': 'W4 matmul 512² float32, every core',
  'W4 512, 1 thread': 'W4 matmul 512², 1 thread',
  'W4 1024': 'W4 matmul 1024² float32, every core',
  'W4 1024, 1 thread': 'W4 matmul 1024², 1 thread',
  W5: 'W5 Hessian of sum(tanh(Wx)), n = 64, nested tapes',
  'W5 nested, persistent': 'W5 the same, persistent outer tape + `jacobian`',
  'W5 tg.hessian': 'W5 the same by `tg.hessian`',
  W6: 'W6 the demo’s training loop, 300 Adam steps',
  W7: 'W7 CNN training step, batch 64 of 28×28×1',
  W8: 'W8 transformer block training step, 8×64×128, Adam',
  'F1 forward pass': 'F1 W2’s chain, forward pass',
  'F1 reverse gradient': 'F1 W2’s chain, reverse gradient',
  'F1 jvp': 'F1 W2’s chain, `ForwardAccumulator` jvp',
  'F1 hvp': 'F1 W2’s chain, `tg.hvp`',
  'L1 cholesky 256': 'L1 Cholesky 256×256 float64',
  'L2 solve 256': 'L2 solve 256×256 float64',
  'L3 svd 256': 'L3 SVD 256×256 float64',
  'L4 GP likelihood gradient n=500': 'L4 GP likelihood and gradient, n = 500, float64',
};

const timed = (r) => r && !r.error && !r.mismatch && !r.screened && Number.isFinite(r.ms);

/** 1.8 µs, 829 µs, 7.5 ms, 198 ms, 2810 ms */
export function formatTime(ms) {
  const [v, unit] = ms < 1 ? [ms * 1000, 'µs'] : [ms, 'ms'];
  return `${v < 100 ? v.toFixed(1) : v.toFixed(0)} ${unit}`;
}
const formatRatio = (r) => `${r < 1 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : r.toFixed(0)}×`;
const formatMB = (mb) => (Number.isFinite(mb) ? ` · ${mb.toFixed(0)} MB` : '');

/** One result as the progress lines show it: time (and GFLOP/s), memory, or why there is none. */
export function formatCell(r) {
  if (!r) return '';
  if (r.screened) return `screened out (${formatTime(r.ms)} first call)`;
  if (r.error) return `could not run: ${r.error}`;
  const t = `${formatTime(r.ms)}${r.gflops ? `, ${r.gflops.toFixed(1)} GF/s` : ''}`;
  return `${t}${formatMB(r.maxRssMB)}${r.mismatch ? ' WRONG' : ''}`;
}

/** The targets of issue 15 (one thread unless said), each a ratio peer time / tapegrad time. */
const TARGETS = [
  { target: 'W1 ≥ 30× TF.js cpu', row: 'W1', peers: ['tfjs-cpu'], need: 30 },
  { target: 'W3 ≥ 1.5× jax-js jit', row: 'W3', peers: ['jax-jit'], need: 1.5 },
  { target: 'W4 512² ≥ 1.2× TF.js wasm, 1 thread', row: 'W4 512, 1 thread', peers: ['tfjs-wasm'], need: 1.2 },
  { target: 'W4 1024² ≥ 1.2× TF.js wasm, 1 thread', row: 'W4 1024, 1 thread', peers: ['tfjs-wasm'], need: 1.2 },
  { target: 'W4 512² ≥ 2× TF.js wasm, every core', row: 'W4 512', peers: ['tfjs-wasm'], need: 2 },
  { target: 'W4 1024² ≥ 2× TF.js wasm, every core', row: 'W4 1024', peers: ['tfjs-wasm'], need: 2 },
  { target: 'W5 nested tapes faster than jax-js jit', row: 'W5', peers: ['jax-jit'], need: 1, strict: true },
  {
    target: 'W5 persistent tape + jacobian faster than jax-js jit',
    row: 'W5 nested, persistent',
    peers: ['jax-jit'],
    need: 1,
    strict: true,
  },
  { target: 'W5 `tg.hessian` faster than jax-js jit', row: 'W5 tg.hessian', peers: ['jax-jit'], need: 1, strict: true },
  { target: 'W7 faster than every peer', row: 'W7', peers: 'all', need: 1, strict: true },
  { target: 'W8 faster than every peer', row: 'W8', peers: 'all', need: 1, strict: true },
];

/** Each target with its ratio in this run (the closest peer's, for "every peer"), and whether it is met. */
export function targetsOf(results, peerRow) {
  const base = results.tapegrad ?? {};
  return TARGETS.map(({ target, row, peers, need, strict = false }) => {
    const names = peers === 'all' ? Object.keys(results).filter((p) => p !== 'tapegrad') : peers;
    const ratios = names
      .map((p) => ({ peer: p, r: results[p]?.[peerRow(row)] }))
      .filter(({ r }) => timed(r) && timed(base[row]))
      .map(({ peer, r }) => ({ peer, ratio: r.ms / base[row].ms }))
      .sort((a, b) => a.ratio - b.ratio);
    // every named peer must have a timed row for the target to be judged
    if (ratios.length === 0 || ratios.length < names.length) return { target, row, value: null, met: null };
    const { peer, ratio } = ratios[0];
    return { target, row, peer, value: ratio, need, met: strict ? ratio > need : ratio >= need };
  });
}

/** tapegrad's forward-mode ratios, as the medians of this run (so the machine's drift cancels). */
export function forwardModeRatios(base) {
  return [
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
}

const SUPERSCRIPTS = ['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
const footnoteMark = (i) =>
  String(i + 1)
    .split('')
    .map((d) => SUPERSCRIPTS[d - 1] ?? '⁰')
    .join('');

/** The markdown the README quotes: the table, the variants, the targets, the forward-mode ratios. */
export function markdownReport({ machine, results, idleMB, targets, forwardMode, peerRow }) {
  const peers = Object.keys(results);
  const base = results.tapegrad ?? {};
  const rowsOf = (r) => Object.keys(r ?? {});
  // tapegrad's rows in its order (each one-thread W4 row after its W4 row), then rows only a peer has
  const tgRows = rowsOf(base);
  const ordered = tgRows
    .filter((w) => !w.endsWith(', 1 thread'))
    .flatMap((w) => [w, ...tgRows.filter((x) => x === `${w}, 1 thread`)]);
  const extra = peers
    .flatMap((p) => rowsOf(results[p]))
    .filter((w) => !tgRows.includes(w) && !ordered.includes(peerRow(w)));
  const rows = [...ordered, ...new Set(extra)];
  const notes = [];
  const noteFor = (variant) => {
    if (!variant) return '';
    if (!notes.includes(variant)) notes.push(variant);
    return ` ${footnoteMark(notes.indexOf(variant))}`;
  };
  const cell = (peer, row) => {
    const r = results[peer]?.[peer === 'tapegrad' ? row : peerRow(row)];
    if (!r) return '';
    if (r.mismatch) return 'wrong answer';
    if (r.error) return 'cannot run';
    const t = r.gflops ? `${r.gflops.toFixed(1)} GFLOP/s` : formatTime(r.ms);
    const ratio = peer !== 'tapegrad' && timed(base[row]) ? ` (${formatRatio(r.ms / base[row].ms)})` : '';
    return `${t}${ratio}${formatMB(r.maxRssMB)}${noteFor(r.variant)}`;
  };
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const table = [
    line(['workload', ...peers.map((p) => PEER_NAMES[p] ?? p)]),
    line(['---', ...peers.map(() => '---')]),
    ...rows.map((row) => line([LABELS[row] ?? row, ...peers.map((p) => cell(p, row))])),
    line([
      'process with the library loaded, idle',
      ...peers.map((p) => (idleMB[p] ? `${idleMB[p].toFixed(0)} MB` : '')),
    ]),
  ];
  // why a cell says 'cannot run' or 'wrong answer': one line per row and reason, naming the peers
  const why = (pick) => {
    const byReason = new Map();
    for (const p of peers)
      for (const w of rowsOf(results[p])) {
        const reason = pick(results[p][w]);
        if (!reason) continue;
        const key = `${w}\u0000${reason}`;
        byReason.set(key, [...(byReason.get(key) ?? []), PEER_NAMES[p] ?? p]);
      }
    return [...byReason].map(([key, names]) => {
      const [w, reason] = key.split('\u0000');
      return `- ${w}, ${names.join(' and ')}: ${reason}`;
    });
  };
  const cannot = why((r) => !r.mismatch && r.error);
  const wrong = why((r) => r.mismatch);
  const out = [
    `Measured ${machine.date.slice(0, 10)} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node.replace(/^v/, '')}: ` +
      `\`${machine.command}\`, ${machine.minutes} min; the best of ${machine.rounds} round${machine.rounds === 1 ? '' : 's'} of medians` +
      `${machine.only ? `, only ${machine.only}` : ''}. Each cell: time (or GFLOP/s), (peer time / tapegrad time: above 1, tapegrad ` +
      'is faster), the peak resident memory of the process that ran that workload alone, and the variant that was fastest.',
    '',
    ...table,
  ];
  if (notes.length) out.push('', `Variants: ${notes.map((v, i) => `${footnoteMark(i)} ${v}`).join('; ')}.`);
  if (cannot.length) out.push('', 'Cannot run:', ...cannot);
  if (wrong.length) out.push('', 'Wrong answers (no variant agreed with tapegrad):', ...wrong);
  const judged = targets.filter((t) => t.value !== null);
  if (judged.length) {
    out.push(
      '',
      line(['target (issue 15)', 'this run', '']),
      line(['---', '---', '---']),
      ...judged.map((t) =>
        line([
          t.target,
          `${formatRatio(t.value)}${t.peer && TARGETS.find((x) => x.target === t.target).peers === 'all' ? ` (closest: ${PEER_NAMES[t.peer]})` : ''}`,
          t.met ? 'met' : `missed (${((t.value / t.need) * 100).toFixed(0)}% of ${t.need}×)`,
        ]),
      ),
    );
  }
  const fm = forwardMode.filter((f) => f.value !== null);
  if (fm.length)
    out.push(
      '',
      line(['forward mode (tapegrad)', 'ratio', 'target', '']),
      line(['---', '---', '---', '---']),
      ...fm.map((f) =>
        line([f.ratio, formatRatio(f.value), f.target ?? '', f.met === null ? '' : f.met ? 'met' : 'missed']),
      ),
    );
  return out.join('\n');
}
