// `npm run site` (scripts/site.mjs) without the playground, into a temporary folder: every guide page is
// there with the site's navigation, links between pages reach files (and headings) that exist, the
// API reference documents the ops as functions and the Tensor methods as methods (the TypeDoc plugin),
// and no page loads anything from another origin. Then the guides alone, from a made-up repository:
// links rewritten, a broken link refused.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Runs a copy or the real scripts/site.mjs; returns its output, or throws with it. */
function site(repo: string, ...args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'scripts', 'site.mjs'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

/** Every file under dir, relative to it, with forward slashes. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'));
}

/** The hrefs of the page's <a> elements, in order. */
function anchors(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

/** The text of some HTML, tags dropped, entities decoded, and a long signature's line breaks undone. */
function text(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => entities[e])
    .replace(/\(\s+/g, '(')
    .replace(/,\s*\)/g, ')')
    .replace(/,\s+/g, ', ');
}

/** The id of the TypeDoc member group (`<h2 … id="methods">`) holding the element with `id`. */
function groupOf(html: string, id: string): string | undefined {
  const at = html.search(new RegExp(`<(h3|dt)[^>]*\\bid="${id}"`));
  if (at === -1) return undefined;
  const headings = [...html.slice(0, at).matchAll(/<h2 class="tsd-anchor-link" id="([^"]+)"/g)];
  return headings.at(-1)?.[1].replace(/-\d+$/, ''); // TypeDoc numbers a repeated id: methods-1
}

/** Elements or CSS that would load something from another origin (`http:`, `https:` or `//`). */
function remoteLoads(file: string, content: string): string[] {
  const remote = `(?:https?:)?//`;
  const patterns = file.endsWith('.css')
    ? [new RegExp(`url\\(\\s*["']?${remote}`, 'gi'), new RegExp(`@import\\s+["']${remote}`, 'gi')]
    : [
        new RegExp(`<(?:script|img|iframe|source|video|audio|embed)\\b[^>]*\\bsrc=["']?${remote}`, 'gi'),
        new RegExp(`<link\\b[^>]*\\bhref=["']?${remote}`, 'gi'),
        new RegExp(`url\\(\\s*["']?${remote}`, 'gi'),
      ];
  return patterns.flatMap((p) => content.match(p) ?? []);
}

describe('npm run site (without the playground)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-site-'));
  const guides = [
    'index.html',
    ...fs
      .readdirSync(path.join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f.replace(/\.md$/, '.html')}`),
  ];
  let files: string[] = [];
  const read = (page: string) => fs.readFileSync(path.join(out, page), 'utf8');

  beforeAll(() => {
    const log = site(root, '--out', out, '--no-playground');
    expect(log).toContain('site: playground skipped');
    files = filesUnder(out);
  }, 180_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('every guide (README and docs/*.md) is a page with the bar and a sidebar linking every guide', () => {
    expect(guides.length).toBe(10);
    for (const page of guides) {
      const html = read(page);
      const links = anchors(html).map((href) => path.posix.normalize(path.posix.join(path.posix.dirname(page), href)));
      expect(html).toMatch(/<nav class="tg-bar"/);
      expect(html).toMatch(/<nav class="tg-sidebar"/);
      expect(links).toEqual(expect.arrayContaining([...guides, 'api/index.html', 'playground/index.html']));
      expect(html).toMatch(/<link rel="stylesheet" href="(\.\.\/)?site\.css">/);
    }
    expect(text(read('docs/gradient-tape.html'))).toContain('GradientTape');
    expect(read('docs/ops.html')).toMatch(/<table>/);
    expect(files).toContain('site.css');
  });

  test('links between the pages reach files that exist, and headings that exist', () => {
    const pages = files.filter((f) => f.endsWith('.html') && !f.startsWith('api/'));
    expect(pages.length).toBeGreaterThanOrEqual(guides.length);
    let checked = 0;
    for (const page of pages) {
      for (const href of anchors(read(page))) {
        if (/^[a-z]+:/i.test(href) || href.startsWith('#')) continue;
        const [file, hash] = href.split('#');
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
        if (target === 'playground/index.html') continue; // built by its own script, skipped here
        expect({ page, href, exists: files.includes(target) }).toEqual({ page, href, exists: true });
        if (hash)
          expect({ page, href, heading: read(target).includes(`id="${hash}"`) }).toMatchObject({ heading: true });
        checked++;
      }
    }
    // the README's links to docs/*.md and CONTRIBUTING.md became links to their pages
    const home = anchors(read('index.html'));
    expect(home).toEqual(expect.arrayContaining(['docs/models.html', 'docs/ops.html', 'CONTRIBUTING.html']));
    expect(home.some((href) => href.endsWith('.md'))).toBe(false);
    // docs/models.md links to ../examples/mnist.ts: a page showing that file
    expect(anchors(read('docs/models.html'))).toContain('../examples/mnist.ts.html');
    expect(read('examples/mnist.ts.html')).toContain('tg.layers');
    expect(checked).toBeGreaterThan(100);
  });

  test('the ops are functions in the API reference, with their TSDoc and examples', () => {
    expect(files).toContain('api/functions/tanh.html');
    expect(files.filter((f) => f.startsWith('api/variables/'))).toEqual([]);
    const tanh = read('api/functions/tanh.html');
    expect(tanh).toContain('<h1>Function tanh</h1>');
    expect(text(tanh)).toContain('tanh(x: TensorLike): Tensor');
    expect(text(tanh)).toContain('Hyperbolic tangent.');
    expect(text(tanh)).toContain('tg.tanh([0]); // [0]');
    const index = read('api/index.html');
    for (const op of ['tanh', 'sum', 'add', 'matmul'])
      expect({ op, group: groupOf(index, op) }).toEqual({ op, group: 'functions' });
    expect(text(read('api/functions/sum.html'))).toContain(
      'sum(x: TensorLike, axis?: number | readonly number[] | null, keepDims?: boolean): Tensor',
    );
    // the docs' op table links each op to its page
    expect(anchors(read('docs/ops.html'))).toEqual(expect.arrayContaining(['../api/functions/tanh.html']));
  });

  test('Tensor and Variable document each op as a method: signature, description, link to the op', () => {
    for (const page of ['api/classes/Tensor.html', 'api/classes/Variable.html']) {
      const html = read(page);
      expect({ page, group: groupOf(html, 'add') }).toEqual({ page, group: 'methods' });
      expect({ page, group: groupOf(html, 'sum') }).toEqual({ page, group: 'methods' });
      expect(html).not.toMatch(/= binary\.|tsd-kind-property">add</);
      const all = text(html);
      expect(all).toContain('add(b: TensorLike): Tensor');
      expect(all).toContain('a + b, broadcasting.');
      expect(all).toContain('Method form of tg.add: a.add(b) is tg.add(a, b)');
      expect(all).toContain('sum(axis?: number | readonly number[] | null, keepDims?: boolean): Tensor');
      expect(all).toContain('tanh(): Tensor');
      expect(html).toContain('href="../functions/add.html"');
    }
    expect(groupOf(read('api/classes/Tensor.html'), 'shape')).toBe('properties');
  });

  test('API pages carry the site bar, linking back to the guides', () => {
    const tensor = read('api/classes/Tensor.html');
    expect(tensor).toMatch(/<nav class="tg-bar"/);
    expect(anchors(tensor)).toEqual(expect.arrayContaining(['../../index.html', '../../playground/index.html']));
    expect(files).toContain('api/assets/custom.css');
  });

  test('no page loads a script, style, image or font from another origin', () => {
    const loads = files
      .filter((f) => /\.(html|css)$/.test(f))
      .flatMap((f) => remoteLoads(f, fs.readFileSync(path.join(out, f), 'utf8')).map((m) => `${f}: ${m}`));
    expect(loads).toEqual([]);
    // the check itself finds such loads
    expect(remoteLoads('a.html', '<script src="https://cdn.example/x.js"></script>')).toHaveLength(1);
    expect(remoteLoads('a.html', '<link rel="stylesheet" href="//fonts.example/css">')).toHaveLength(1);
    expect(remoteLoads('a.css', '@font-face { src: url("https://x/f.woff2") }')).toHaveLength(1);
  });
});

describe('the guides of a made-up repository', () => {
  let repo = '';
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-guides-'));
    const scripts = fs.readdirSync(path.join(root, 'scripts', 'site')).map((f) => `scripts/site/${f}`);
    for (const f of ['scripts/site.mjs', ...scripts, 'site/site.css']) {
      fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
      fs.copyFileSync(path.join(root, f), path.join(repo, f));
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    fs.mkdirSync(path.join(repo, 'docs'));
    fs.mkdirSync(path.join(repo, 'src'));
    fs.writeFileSync(path.join(repo, 'src', 'x.ts'), 'export const x = 1 < 2;\n');
    fs.writeFileSync(path.join(repo, 'README.md'), '# Home\n\nSee [the guide](docs/b-guide.md#two-words).\n');
    fs.writeFileSync(
      path.join(repo, 'docs', 'b-guide.md'),
      '# B guide\n\n## Two words\n\n## Two words\n\n[home](../README.md), [code](../src/x.ts), [site](https://example.org/a.md)\n\n| a |\n| - |\n| `b` |\n',
    );
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('renders each page with its title, heading ids, rewritten links and a page for a linked source file', () => {
    site(repo, '--no-api', '--no-playground');
    const out = path.join(repo, 'site-dist');
    expect(filesUnder(out).sort()).toEqual(['docs/b-guide.html', 'index.html', 'site.css', 'src/x.ts.html']);
    const home = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(home).toContain('<title>Home · tapegrad</title>');
    expect(home).toContain('<a href="docs/b-guide.html#two-words">the guide</a>');
    const guide = fs.readFileSync(path.join(out, 'docs', 'b-guide.html'), 'utf8');
    expect(guide).toContain('<h2 id="two-words">Two words</h2>');
    expect(guide).toContain('<h2 id="two-words-1">Two words</h2>');
    expect(guide).toContain('<a href="../index.html">home</a>');
    expect(guide).toContain('<a href="../src/x.ts.html">code</a>');
    expect(guide).toContain('<a href="https://example.org/a.md">site</a>');
    expect(guide).toContain('<a href="b-guide.html" aria-current="page">B guide</a>');
    expect(guide).not.toContain('<a href="../index.html" aria-current');
    expect(guide).toContain('<div class="tg-table"><table>');
    expect(fs.readFileSync(path.join(out, 'src', 'x.ts.html'), 'utf8')).toContain('export const x = 1 &lt; 2;');
  });

  test('a link to a file that does not exist fails the build, naming the page and the link', () => {
    fs.appendFileSync(path.join(repo, 'docs', 'b-guide.md'), '\n[gone](missing.md)\n');
    expect(() => site(repo, '--no-api', '--no-playground')).toThrow(/docs\/b-guide\.md links to missing\.md/);
  });
});
