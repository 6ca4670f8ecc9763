// Builds the playground into site-dist/playground/: the page, its script modules and stylesheet
// (site/playground/), the browser bundle dist/tapegrad.min.js and dagre's browser bundle (the graph
// layout of the tape picture), so that the page loads nothing from outside its own origin.
//
//   node scripts/build-playground.mjs                 build into site-dist/playground
//   node scripts/build-playground.mjs --out DIR       build into DIR
//   node scripts/build-playground.mjs --serve [PORT]  build, then serve it at http://localhost:PORT/ (8080)
//
// `npm run build` must have made dist/tapegrad.min.js first. scripts/site.mjs imports buildPlayground.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pageDir = path.join(root, 'site', 'playground');
const dagreDir = path.join(root, 'node_modules', '@dagrejs', 'dagre', 'dist');

/** The files copied from elsewhere: [from, name in the output]. */
const vendored = [
  [path.join(root, 'dist', 'tapegrad.min.js'), 'tapegrad.min.js'],
  [path.join(dagreDir, 'dagre.min.js'), 'dagre.min.js'],
  [path.join(dagreDir, 'dagre.min.js.LEGAL.txt'), 'dagre.LICENSE.txt'],
];

/**
 * Writes the playground into `outDir` (emptied first) and returns the files written.
 * @param {{ outDir?: string }} [options]
 * @returns {string[]}
 */
export function buildPlayground({ outDir = path.join(root, 'site-dist', 'playground') } = {}) {
  const [bundle, dagre] = vendored;
  if (!fs.existsSync(bundle[0])) {
    throw new Error('build-playground: dist/tapegrad.min.js is missing: run npm run build first');
  }
  if (!fs.existsSync(dagre[0])) {
    throw new Error('build-playground: node_modules/@dagrejs/dagre is missing: run npm ci first');
  }
  const pageFiles = fs.readdirSync(pageDir).filter((f) => /\.(html|js|css)$/.test(f));
  for (const f of pageFiles) checkSameOrigin(f, fs.readFileSync(path.join(pageDir, f), 'utf8'));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of pageFiles) fs.copyFileSync(path.join(pageDir, f), path.join(outDir, f));
  for (const [from, name] of vendored) fs.copyFileSync(from, path.join(outDir, name));
  return [...pageFiles, ...vendored.map(([, name]) => name)];
}

/** The page must load nothing from another origin: no absolute URL in a src, href or import. */
function checkSameOrigin(file, text) {
  const remote =
    /(?:\bsrc|\bhref)\s*=\s*["'](?:https?:)?\/\/|\bimport\b[^'"\n]*["'](?:https?:)?\/\/|url\(\s*["']?(?:https?:)?\/\//i;
  const m = remote.exec(text);
  if (m) throw new Error(`build-playground: site/playground/${file} loads from another origin: ${m[0]}`);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static server for a built directory, on localhost only. */
function serve(dir, port) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    // normalize() of an absolute path cannot climb above its root: the file stays inside dir
    const file = path.join(dir, path.normalize(pathname));
    const target = pathname.endsWith('/') ? path.join(file, 'index.html') : file;
    if (!target.startsWith(dir) || !fs.existsSync(target) || fs.statSync(target).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(target)] ?? 'application/octet-stream' });
    fs.createReadStream(target).pipe(res);
  });
  server.listen(port, '127.0.0.1', () => console.log(`playground at http://localhost:${port}/ (Ctrl+C stops)`));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const outDir = outAt >= 0 ? path.resolve(args[outAt + 1] ?? '') : undefined;
  try {
    const files = buildPlayground({ outDir });
    const where = path.relative(process.cwd(), outDir ?? path.join(root, 'site-dist', 'playground')) || '.';
    console.log(`playground: ${files.length} files in ${where}`);
    const serveAt = args.indexOf('--serve');
    if (serveAt >= 0) {
      const port = Number(args[serveAt + 1]) || 8080;
      serve(outDir ?? path.join(root, 'site-dist', 'playground'), port);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
