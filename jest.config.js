// Jest over __tests__/ with ts-jest; type errors are caught by `npm run typecheck` (part of npm test).
module.exports = {
  // rebuilds the WebAssembly kernels (src/kernels/wasm/generated.ts) first when they are stale
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
};
