// A static server for the built site, on localhost only: browsers refuse the playground's module
// scripts from a file:// URL, so the whole site is best opened over http.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a URL path names inside `dir` (a folder's index.html), or undefined outside it or missing. */
function fileFor(dir, urlPath) {
  const file = path.join(dir, path.normalize(decodeURIComponent(urlPath)));
  if (file !== dir && !file.startsWith(dir + path.sep)) return undefined;
  const target = fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, 'index.html') : file;
  return fs.existsSync(target) && fs.statSync(target).isFile() ? target : undefined;
}

/** Serves `dir` at http://localhost:port/ until the process is stopped. */
export function serve(dir, port) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    let file;
    try {
      file = fileFor(root, new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      file = undefined; // a malformed %-escape
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  server.listen(port, '127.0.0.1', () =>
    console.log(`site: serving ${root} at http://localhost:${port}/ (Ctrl+C stops)`),
  );
  return server;
}
