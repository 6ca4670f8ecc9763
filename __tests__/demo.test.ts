// npm run demo, as a user runs it after the build: it trains, beats 95% accuracy, and writes the SVG.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

test('the demo trains the spirals classifier above 95% accuracy and writes the loss curve', () => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.examples.json'], {
    cwd: root,
  });
  const svg = path.join(root, 'examples', 'out', 'loss-curve.svg');
  fs.rmSync(svg, { force: true });
  const out = execFileSync(process.execPath, ['examples/out/demo.js'], { cwd: root, encoding: 'utf8' });
  const accuracy = Number(/accuracy ([\d.]+)%/.exec(out)![1]);
  expect(accuracy).toBeGreaterThan(95);
  const seconds = Number(/in ([\d.]+) s/.exec(out)![1]);
  expect(seconds).toBeLessThan(60);
  expect(out).toContain('Loss curve written to examples/out/loss-curve.svg');
  const text = fs.readFileSync(svg, 'utf8');
  expect(text.startsWith('<svg')).toBe(true);
  expect((/ d="([^"]*)"/.exec(text)![1].match(/L/g) ?? []).length).toBe(1500 - 1); // one point per step
  expect(out.split('\n').filter((l) => l.includes('step ')).length).toBe(10); // plain lines when not a terminal
}, 120_000);
