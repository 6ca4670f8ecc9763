// `npm run site`: the static site in site-dist/, in three parts that link to each other:
//   api/          the API reference: TypeDoc with typedoc.json and scripts/typedoc-plugin.mjs;
//   index.html,   the guides: README.md (the home page), docs/*.md and CONTRIBUTING.md
//   docs/*.html   (scripts/site/guides.mjs), styled by site/site.css;
//   playground/   made by scripts/build-playground.mjs from dist/ (so `npm run build` comes first).
// Nothing in it is loaded from another origin.
//
//   node scripts/site.mjs [--out DIR] [--no-api] [--no-playground]   build (into site-dist/ by default)
//   node scripts/site.mjs --serve [PORT] [--out DIR]                 serve the built site (port 8080)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGuides } from './site/guides.mjs';
import { serve } from './site/serve.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The command line's options. */
function options(args) {
  const valueOf = (flag) => {
    const at = args.indexOf(flag);
    return at === -1 ? undefined : (args[at + 1] ?? '');
  };
  const out = valueOf('--out');
  if (out === '') throw new Error('site: --out needs a folder');
  const serveAt = args.indexOf('--serve');
  return {
    out: out === undefined ? path.join(root, 'site-dist') : path.resolve(out),
    api: !args.includes('--no-api'),
    playground: !args.includes('--no-playground'),
    serve: serveAt === -1 ? undefined : Number(args[serveAt + 1]) || 8080,
  };
}

/** Runs `step` and prints how long it took. */
function timed(label, step) {
  const start = performance.now();
  const result = step();
  console.log(`site: ${label} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

/** Runs a Node script, its output shown; throws when it fails. */
function node(...args) {
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
}

function build({ out, api, playground }) {
  if (!path.relative(out, root).startsWith('..')) {
    throw new Error(`site: will not empty ${out}, which holds the repository`);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });

  if (api) {
    timed('API reference (TypeDoc) written to api/', () =>
      node(path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', path.join(out, 'api')),
    );
  }
  const pages = timed('guides written', () => buildGuides({ root, out, hasApi: api }));
  fs.copyFileSync(path.join(root, 'site', 'site.css'), path.join(out, 'site.css'));
  console.log(`site: ${pages.length} guide pages: ${pages.join(', ')}`);

  const script = path.join(root, 'scripts', 'build-playground.mjs');
  if (!playground) {
    console.log('site: playground skipped (--no-playground)');
  } else if (!fs.existsSync(script)) {
    console.log('site: playground skipped: scripts/build-playground.mjs does not exist yet');
  } else {
    if (!fs.existsSync(path.join(root, 'dist', 'tapegrad.min.js'))) {
      throw new Error('site: the playground needs dist/: run `npm run build` first (`npm run site` does)');
    }
    timed('playground written to playground/', () => node(script, '--out', path.join(out, 'playground')));
  }
  const serveCommand = `node scripts/site.mjs --serve${out === path.join(root, 'site-dist') ? '' : ` --out ${out}`}`;
  console.log(`site: built ${out}; \`${serveCommand}\` serves it at http://localhost:8080/`);
}

try {
  const opts = options(process.argv.slice(2));
  if (opts.serve === undefined) build(opts);
  else if (!fs.existsSync(path.join(opts.out, 'index.html'))) throw new Error(`site: nothing built in ${opts.out} yet`);
  else serve(opts.out, opts.serve);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
