// ESLint: typescript-eslint's recommended rules, and the layers of docs/design.md as import rules:
// core <- kernels <- ops <- autodiff <- optimizers, metrics, data <- layers <- io <- index; nothing
// imports upward, and the primitives (ops/prims) never import the composites built on them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import patterns a folder may not use: every layer above it. */
const above = {
  core: ['kernels', 'ops', 'autodiff', 'optimizers', 'metrics', 'io', 'data', 'layers'],
  kernels: ['ops', 'autodiff', 'optimizers', 'metrics', 'io', 'data', 'layers'],
  ops: ['autodiff', 'optimizers', 'metrics', 'io', 'data', 'layers'],
  autodiff: ['optimizers', 'metrics', 'io', 'data', 'layers'],
  optimizers: ['layers', 'io'],
  metrics: ['layers', 'io'],
  data: ['layers', 'io'],
  // io holds the checkpoint, which reads modules and optimizer slots: it sits above layers
  layers: ['io'],
};

const layerRules = Object.entries(above).map(([layer, banned]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: banned.flatMap((b) => [`../${b}/*`, `../../${b}/*`, `../${b}`, `../../${b}`]),
            message: `src/${layer} is below ${banned.join(', ')}: imports only go down the layers (docs/design.md).`,
          },
          { group: ['../index', '../../index'], message: 'Only the public face imports from index.ts.' },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/node_modules/**',
      'examples/out/**',
      'site-dist/**',
      'coverage/**',
      'src/kernels/wasm/generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        globalThis: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        atob: 'readonly',
        btoa: 'readonly',
        WebAssembly: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSAnyKeyword', message: 'No `any`: name the type.' }],
    },
  },
  ...layerRules,
  {
    files: ['src/ops/prims/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../composite/*', '../../autodiff/*', '../../optimizers/*', '../../layers/*'],
              message: 'Primitives are written with primitives only: ops/prims imports nothing from ops/composite.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
