// Runs one peer process and reads the one JSON line it prints last.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const peersDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers');

const once = (file, args, env, timeoutMs) =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(peersDir, file), ...args],
      {
        cwd: join(peersDir, '..'),
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        timeout: timeoutMs,
        env: { ...process.env, ...env },
      },
      (err, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(last));
        } catch {
          const why =
            String(stderr || err?.message || 'no output')
              .trim()
              .split('\n')
              .filter((l) => /Error|error/.test(l))[0] ?? String(err?.message ?? 'no JSON line');
          resolve({ crashed: err?.killed ? `timed out after ${timeoutMs / 1000} s` : why });
        }
      },
    );
  });

/**
 * `node peers/<file> args…` with `env` added; resolves to its JSON line, or `{ crashed }` with the
 * first error line. A crash is retried once (tapegrad's dist/ may be mid-rebuild by another process).
 */
export async function runPeer(file, args, env, timeoutMs = 15 * 60 * 1000) {
  const first = await once(file, args, env, timeoutMs);
  return first.crashed && !first.crashed.startsWith('timed out') ? once(file, args, env, timeoutMs) : first;
}
