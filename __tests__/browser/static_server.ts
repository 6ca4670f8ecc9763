// A tiny static file server on 127.0.0.1 for the real-browser tests: URL prefixes mapped to folders,
// with the MIME types browsers insist on (module scripts need text/javascript, streaming WebAssembly
// compilation needs application/wasm). Under `/isolated/` the same files come with the COOP/COEP
// headers that make a page cross-origin isolated; under `/isolated-no-blob-workers/` also with a
// Content-Security-Policy that refuses workers made from blob: URLs.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The prefix whose responses carry Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy. */
export const ISOLATED_PREFIX = '/isolated';
/** The prefix whose responses are cross-origin isolated and whose CSP allows workers from 'self' only. */
export const NO_BLOB_WORKERS_PREFIX = '/isolated-no-blob-workers';

/** The headers that make a page cross-origin isolated. */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** A running server: its origin (`http://127.0.0.1:port`) and how to stop it. */
export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** The file a URL path names under `mounts` (prefix → folder), or undefined when none or outside it. */
function fileFor(mounts: Record<string, string>, urlPath: string): string | undefined {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.join(dir, urlPath.slice(prefix.length));
    const inside = path.relative(dir, file);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined;
    return fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, 'index.html') : file;
  }
  return undefined;
}

/**
 * Serves `mounts` (URL prefix ending in '/' → folder) on an ephemeral port of 127.0.0.1.
 * @example
 * const server = await startStaticServer({ '/dist/': distDir });
 * await page.goto(`${server.origin}/dist/tapegrad.min.js`);
 * await server.close();
 */
export function startStaticServer(mounts: Record<string, string>): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    let urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (urlPath.startsWith(`${ISOLATED_PREFIX}/`)) {
      urlPath = urlPath.slice(ISOLATED_PREFIX.length);
      Object.assign(headers, ISOLATION_HEADERS);
    } else if (urlPath.startsWith(`${NO_BLOB_WORKERS_PREFIX}/`)) {
      urlPath = urlPath.slice(NO_BLOB_WORKERS_PREFIX.length);
      // only worker-src: scripts (and page.evaluate's eval) stay allowed, Web Workers from blob: do not
      Object.assign(headers, ISOLATION_HEADERS, { 'Content-Security-Policy': "worker-src 'self'" });
    }
    if (urlPath === '/favicon.ico') {
      // no icon: say so without a 404, which Chromium would log as a console error
      res.writeHead(204, headers).end();
      return;
    }
    const file = fileFor(mounts, urlPath);
    if (file === undefined || !fs.existsSync(file)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(`not found: ${urlPath}`);
      return;
    }
    const type = MIME[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'Content-Type': type }).end(fs.readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            // the browser may hold keep-alive connections open; without this close() would wait for them
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
