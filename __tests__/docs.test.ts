// The docs' examples run here, against the built package: every ```ts block of README.md and docs/*.md
// runs, and every `console.log(x); // text` must print exactly `text`. Docs cannot drift from code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const pages = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Block {
  page: string;
  line: number;
  code: string;
}

function blocksOf(page: string): Block[] {
  const text = fs.readFileSync(path.join(root, page), 'utf8');
  const blocks: Block[] = [];
  const re = /^```ts\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text))
    blocks.push({ page, line: text.slice(0, m.index).split('\n').length, code: m[1] });
  return blocks;
}

/** The text each `console.log(...); // text` line promises, in order. */
function expectedOutputs(code: string): string[] {
  return code
    .split('\n')
    .filter((l) => /^\s*console\.log\(/.test(l))
    .map((l) => {
      const m = /\);\s*\/\/ (.*)$/.exec(l);
      if (!m) throw new Error(`a console.log without its expected output comment: ${l.trim()}`);
      return m[1];
    });
}

const tapegrad = require(path.join(root, 'dist', 'index.cjs'));
const blocks = pages.flatMap(blocksOf);

test('the docs have examples', () => {
  expect(blocks.length).toBeGreaterThan(10);
});

test.each(blocks.map((b) => [`${b.page}:${b.line}`, b] as const))('%s', (_where, block) => {
  const js = ts.transpileModule(block.code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  }).outputText;
  const printed: string[] = [];
  const fakeConsole = {
    log: (...args: unknown[]) => printed.push(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')),
  };
  const fakeRequire = (name: string) => {
    if (name === 'tapegrad') return tapegrad;
    throw new Error(`docs examples may only import tapegrad, not ${name}`);
  };
  new Function('require', 'console', 'exports', js)(fakeRequire, fakeConsole, {});
  expect(printed).toEqual(expectedOutputs(block.code));
});
