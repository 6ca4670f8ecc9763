// Builds the three forms of the package from src/index.ts: ESM, CommonJS, and a minified browser
// bundle (IIFE, global `tapegrad`). Source maps are written next to them but not referenced
// (`hidden`) and not published. The type declarations are written here too (see `declarations`),
// after the ESM and CommonJS builds; `tsc -p tsconfig.build.json` then only type-checks.
const fs = require('node:fs');
const path = require('node:path');
const tsApi = require('typescript');
const typescript = require('@rollup/plugin-typescript');
const terser = require('@rollup/plugin-terser');

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    compilerOptions: { declaration: false, noEmit: false, types: [] },
  });

// Rules use the library's public ops, so op families import each other: circular by design.
const onwarn = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY') return;
  warn(warning);
};

/** The relative module specifiers a declaration file refers to (imports, re-exports, import types). */
function specifiersOf(file, text) {
  const sf = tsApi.createSourceFile(file, text, tsApi.ScriptTarget.Latest, false);
  const found = [];
  const visit = (node) => {
    const spec =
      tsApi.isImportDeclaration(node) || tsApi.isExportDeclaration(node)
        ? node.moduleSpecifier
        : tsApi.isImportTypeNode(node) && tsApi.isLiteralTypeNode(node.argument)
          ? node.argument.literal
          : undefined;
    if (spec && tsApi.isStringLiteral(spec) && spec.text.startsWith('.')) found.push(spec.text);
    tsApi.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * The published declarations: tsconfig.build.json's declarations of src, but only the files the
 * entry point reaches (internal modules' declarations are not published), written to dist/types.
 * `index.d.ts` is the CommonJS entry (the package is "type": "commonjs"); `index.d.mts`, the ESM
 * entry for the "import" condition, re-exports it, so `import` consumers get ESM-format types.
 */
function declarations() {
  return {
    name: 'tapegrad-declarations',
    closeBundle() {
      const host = { ...tsApi.sys, onUnRecoverableConfigFileDiagnostic: (d) => this.error(d.messageText) };
      const config = tsApi.getParsedCommandLineOfConfigFile('tsconfig.build.json', undefined, host);
      const options = { ...config.options, noEmit: false, declaration: true, emitDeclarationOnly: true };
      const emitted = new Map();
      const result = tsApi
        .createProgram(config.fileNames, options)
        .emit(undefined, (name, text) => emitted.set(path.resolve(name), text), undefined, true);
      if (result.emitSkipped || result.diagnostics.length > 0) {
        this.error(
          `declarations: ${result.diagnostics.map((d) => tsApi.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')}`,
        );
      }
      const outDir = path.resolve(options.declarationDir);
      const reached = new Set();
      const reach = (file) => {
        if (reached.has(file)) return;
        const text = emitted.get(file);
        if (text === undefined)
          this.error(`declarations: ${path.relative(outDir, file)} is referenced but was not emitted`);
        reached.add(file);
        for (const spec of specifiersOf(file, text)) {
          const base = path.resolve(path.dirname(file), spec.replace(/\.js$/, ''));
          reach(emitted.has(`${base}.d.ts`) ? `${base}.d.ts` : path.join(base, 'index.d.ts'));
        }
      };
      reach(path.join(outDir, 'index.d.ts'));
      fs.rmSync(outDir, { recursive: true, force: true });
      for (const file of reached) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, emitted.get(file));
      }
      // `export default` only once src/index.ts has one (else the ESM entry would not type-check)
      const index = emitted.get(path.join(outDir, 'index.d.ts'));
      const hasDefault = /^export default /m.test(index) || /^export \{[^}]*\bdefault\b[^}]*\}/m.test(index);
      fs.writeFileSync(
        path.join(outDir, 'index.d.mts'),
        "// The ESM entry's types: the same declarations as index.d.ts.\nexport * from './index.js';\n" +
          (hasDefault ? "export { default } from './index.js';\n" : ''),
      );
    },
  };
}

module.exports = [
  {
    input: 'src/index.ts',
    plugins: [ts(), declarations()],
    onwarn,
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: 'hidden' },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: 'hidden', exports: 'named' },
    ],
  },
  {
    input: 'src/index.ts',
    plugins: [ts(), terser()],
    onwarn,
    output: { file: 'dist/tapegrad.min.js', format: 'iife', name: 'tapegrad', sourcemap: 'hidden', exports: 'named' },
  },
];
