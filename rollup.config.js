// Builds the three forms of the package from src/index.ts: ESM, CommonJS, and a minified browser
// bundle (IIFE, global `tapegrad`). Type declarations come from `tsc -p tsconfig.build.json`.
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

module.exports = [
  {
    input: 'src/index.ts',
    plugins: [ts()],
    onwarn,
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: 'src/index.ts',
    plugins: [ts(), terser()],
    onwarn,
    output: { file: 'dist/tapegrad.min.js', format: 'iife', name: 'tapegrad', sourcemap: true },
  },
];
