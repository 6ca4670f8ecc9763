// The built package, as a user gets it: require() and import through package.json "exports",
// the browser bundle, and the .d.ts types checked on a user's file. `npm test` builds first.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const run = (args: string[]): string => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
const matmulLine = 'String(tg.tensor([[1,2],[3,4]]).matmul([[5,6],[7,8]]))';

test('require("tapegrad") resolves through exports to the CommonJS build', () => {
  expect(run(['-e', `const tg = require('tapegrad'); console.log(${matmulLine})`])).toBe(
    'Tensor([[19, 22], [43, 50]], shape=[2,2], dtype=float32)',
  );
  expect(run(['-e', "console.log(require.resolve('tapegrad'))"])).toBe(path.join(root, 'dist', 'index.cjs'));
});

test('import from "tapegrad" resolves through exports to the ESM build', () => {
  const out = run([
    '--input-type=module',
    '-e',
    `import * as tg from 'tapegrad'; const x = new tg.Variable(3); const t = new tg.GradientTape(); const y = x.mul(x); console.log(String(t.gradient(y, x)), import.meta.resolve('tapegrad').endsWith('/dist/index.mjs'))`,
  ]);
  expect(out).toBe('Tensor(6, shape=[], dtype=float32) true');
});

test('the minified browser bundle defines the global tapegrad', () => {
  const code = fs.readFileSync(path.join(root, 'dist', 'tapegrad.min.js'), 'utf8');
  const sandbox: { tapegrad?: { tensor: (v: number[]) => { sum: () => { item: () => number } } } } = {};
  new Function('self', 'globalThis', `${code}; self.tapegrad = tapegrad;`)(sandbox, sandbox);
  expect(sandbox.tapegrad!.tensor([1, 2, 3]).sum().item()).toBe(6);
});

test("a user's TypeScript file type-checks against the shipped .d.ts (methods, using, structures)", () => {
  const program = ts.createProgram([path.join(__dirname, 'fixtures', 'consumer.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
    types: [],
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
  const resolved = program
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => f.includes('dist/types/index.d.ts'));
  expect(resolved.length).toBe(1);
});

test('package.json: no runtime dependencies, files limited to dist, typescript below 7', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(pkg.files.every((f: string) => f.startsWith('dist/'))).toBe(true);
  expect(pkg.devDependencies.typescript).toMatch(/^~[56]\./);
});
