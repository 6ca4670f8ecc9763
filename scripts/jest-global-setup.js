// Jest globalSetup: rebuilds src/kernels/wasm/generated.ts (git-ignored, made by scripts/build-wasm.mjs)
// when it is missing or older than its sources, so a plain `npx jest` never tests stale kernels.
const { execFileSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const wasmDir = path.join(root, 'src', 'kernels', 'wasm');
const script = path.join(__dirname, 'build-wasm.mjs');
const generated = path.join(wasmDir, 'generated.ts');

/** The file's modification time in ms, or -Infinity where it does not exist. */
function modified(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/**
 * Runs scripts/build-wasm.mjs when one of its sources (the script itself, or any
 * src/kernels/wasm/*.wat.mjs) is newer than generated.ts; prints nothing when that succeeds.
 */
module.exports = function rebuildWasmKernels() {
  const sources = [
    script,
    ...readdirSync(wasmDir)
      .filter((file) => file.endsWith('.wat.mjs'))
      .map((file) => path.join(wasmDir, file)),
  ];
  const built = modified(generated);
  if (sources.every((source) => modified(source) <= built)) return;
  try {
    execFileSync(process.execPath, [script], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(
      `scripts/build-wasm.mjs failed, so src/kernels/wasm/generated.ts is not up to date:\n${e.stderr || e.message}`,
    );
  }
};
