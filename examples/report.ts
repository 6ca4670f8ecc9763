// How the demo shows progress (a bar in a terminal, plain lines in a log) and draws the loss curve.
/** Writes a progress bar over one line in a terminal, or a line every `every` steps otherwise. */
export function progress(total: number, every: number): (step: number, loss: number) => void {
  const tty = process.stdout.isTTY === true;
  return (step, loss) => {
    const done = step + 1;
    if (tty) {
      const width = 30;
      const filled = Math.round((width * done) / total);
      process.stdout.write(
        `\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  loss ${loss.toFixed(4)}`,
      );
      if (done === total) process.stdout.write('\n');
    } else if (done % every === 0 || done === total) {
      console.log(`  step ${done}/${total}  loss ${loss.toFixed(4)}`);
    }
  };
}

/** The loss curve as a small self-contained SVG (log-scale y axis). */
export function lossCurveSvg(losses: readonly number[]): string {
  const [w, h, pad] = [640, 360, 50];
  const logs = losses.map((l) => Math.log10(Math.max(l, 1e-6)));
  const lo = Math.floor(Math.min(...logs));
  const hi = Math.ceil(Math.max(...logs));
  const x = (i: number) => pad + ((w - 2 * pad) * i) / Math.max(1, losses.length - 1);
  const y = (v: number) => h - pad - ((h - 2 * pad) * (v - lo)) / Math.max(1e-9, hi - lo);
  const path = logs.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const ticks = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k)
    .map(
      (e) =>
        `<text x="${pad - 8}" y="${y(e) + 4}" text-anchor="end" font-size="12">1e${e}</text><line x1="${pad}" x2="${w - pad}" y1="${y(e)}" y2="${y(e)}" stroke="#eee"/>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    ticks,
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#333"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#333"/>`,
    `<path d="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>`,
    `<text x="${w / 2}" y="${h - 12}" text-anchor="middle" font-size="13">training step (${losses.length} in all)</text>`,
    `<text x="${w / 2}" y="24" text-anchor="middle" font-size="15">tapegrad: two-spirals classifier, cross-entropy loss</text>`,
    '</svg>',
  ].join('\n');
}
