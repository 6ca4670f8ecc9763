// The package as a strict user meets it: their ESM and CommonJS files (module nodenext, strict,
// noUncheckedIndexedAccess, lib es2022 + dom, no skipLibCheck) type-check against the shipped types
// with zero diagnostics and run, and `npm pack` publishes what the package needs and nothing else.
// `npm test` builds first.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
const strict: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: false,
};
// the numbers both fixtures print: dx, dy of x²y at (3, 4); d/db; 3x² at 2; ∂(ab) at (3, 4); 2x at 3; 2x·1 summed at [1, 2]
const expected = [24, 9, 9, 12, 4, 3, 6, 6];

function diagnostics(file: string, options: ts.CompilerOptions = strict): { messages: string[]; files: string[] } {
  const program = ts.createProgram([file], options);
  const messages = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(root, d.file.fileName)}: ` : '';
    return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  const files = program
    .getSourceFiles()
    .map((f) => path.relative(root, f.fileName))
    .filter((f) => f.startsWith('dist/'));
  return { messages, files };
}

function run(file: string, format: ts.ModuleKind): number[] {
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { ...strict, noEmit: false, module: format, esModuleInterop: true },
  }).outputText;
  const args = format === ts.ModuleKind.ESNext ? ['--input-type=module', '-e', js] : ['-e', js];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim()) as number[];
}

describe('a strict consumer', () => {
  test('ESM (.mts): zero diagnostics, ESM types through the "import" condition, and it runs', () => {
    const { messages, files } = diagnostics(fixture('strict_consumer.mts'));
    expect(messages).toEqual([]);
    expect(files).toContain('dist/types/index.d.mts');
    expect(run(fixture('strict_consumer.mts'), ts.ModuleKind.ESNext)).toEqual(expected);
  });

  test('CommonJS (.cts): zero diagnostics, the CommonJS types through "require", and it runs', () => {
    const { messages, files } = diagnostics(fixture('strict_consumer.cts'));
    expect(messages).toEqual([]);
    expect(files).toContain('dist/types/index.d.ts');
    expect(files).not.toContain('dist/types/index.d.mts');
    expect(run(fixture('strict_consumer.cts'), ts.ModuleKind.CommonJS)).toEqual(expected);
  });

  test('the entry points have the module format of the code they describe', () => {
    const program = ts.createProgram([fixture('strict_consumer.mts'), fixture('strict_consumer.cts')], strict);
    const format = (f: string) => program.getSourceFile(path.join(root, 'dist', 'types', f))?.impliedNodeFormat;
    expect(format('index.d.mts')).toBe(ts.ModuleKind.ESNext);
    expect(format('index.d.ts')).toBe(ts.ModuleKind.CommonJS);
  });

  test('a consumer that has the esnext.disposable lib too (the two declarations merge) and uses `using`', () => {
    const { messages } = diagnostics(fixture('consumer.ts'), {
      ...strict,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
    });
    expect(messages).toEqual([]);
  });
});

describe('npm pack', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    files: string[];
    license: string;
    sideEffects: unknown;
  };
  const packed: string[] = (
    JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    ) as { files: { path: string }[] }[]
  )[0].files.map((f) => f.path);

  test('ships the MIT LICENSE, the README, package.json and only dist/ files besides', () => {
    expect(pkg.license).toBe('MIT');
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    const license = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 tapegrad contributors\n/);
    expect(pkg.files.every((f) => f.startsWith('dist/'))).toBe(true);
    const other = packed.filter((f) => !f.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(f));
    expect(other).toEqual([]);
  });

  test('every file "exports", "main", "module", "types" and "unpkg" name is shipped', () => {
    const raw = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const named = [...raw.matchAll(/"\.\/(dist\/[^"]+)"/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(5);
    for (const f of named) expect(packed).toContain(f);
  });

  test('no source map is referenced that is not shipped', () => {
    for (const f of packed.filter((p) => /\.(m|c)?js$/.test(p))) {
      const refs = [...fs.readFileSync(path.join(root, f), 'utf8').matchAll(/\/\/# sourceMappingURL=(\S+)/g)];
      for (const [, url] of refs) expect(packed).toContain(path.posix.join(path.posix.dirname(f), url));
    }
  });

  test('the types shipped are exactly those the entry points reach', () => {
    const program = ts.createProgram([fixture('strict_consumer.mts'), fixture('strict_consumer.cts')], strict);
    const reached = program
      .getSourceFiles()
      .map((f) => path.relative(root, f.fileName))
      .filter((f) => f.startsWith('dist/types/'))
      .sort();
    expect(packed.filter((f) => f.startsWith('dist/types/')).sort()).toEqual(reached);
  });

  test('sideEffects is true of every shipped script (each installs Tensor methods and Symbol.dispose)', () => {
    const scripts = packed.filter((p) => /\.(m|c)?js$/.test(p)).map((p) => `./${p}`);
    expect(
      pkg.sideEffects === true ||
        (Array.isArray(pkg.sideEffects) &&
          scripts.every((s) => pkg.sideEffects instanceof Array && pkg.sideEffects.includes(s))),
    ).toBe(true);
  });
});
