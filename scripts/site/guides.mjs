// The guides of the site: README.md (the home page), docs/*.md and CONTRIBUTING.md rendered to HTML
// with markdown-it. Links between the Markdown files become links between the pages; a link to
// another file of the repository (`../examples/mnist.ts`) becomes a page showing that file; a link
// to a file that does not exist fails the build. Headings get GitHub's ids, so `page.md#a-heading`
// links work, and the op table of docs/ops.md links each op to its API page when that exists.
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { escapeHtml, layout, relativeUrl } from './layout.mjs';

/** The guides in reading order with their sidebar labels; any other docs/*.md follows, by its title. */
const ORDER = [
  ['README.md', 'Overview'],
  ['docs/gradient-tape.md', 'GradientTape'],
  ['docs/higher-order.md', 'Higher-order derivatives'],
  ['docs/forward-mode.md', 'Forward mode'],
  ['docs/training.md', 'Training'],
  ['docs/models.md', 'Models'],
  ['docs/linear-algebra.md', 'Linear algebra and L-BFGS'],
  ['docs/ops.md', 'Ops'],
  ['docs/from-tensorflow.md', 'From TensorFlow'],
  ['docs/design.md', 'Design'],
  ['CONTRIBUTING.md', 'Contributing'],
];

/** Where a Markdown file's page goes, from the site root: README.md is the home page. */
export function pagePath(source) {
  return source === 'README.md' ? 'index.html' : source.replace(/\.md$/, '.html');
}

/** The Markdown files of the site, repository-relative, in sidebar order. */
export function guideSources(root) {
  const docs = fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`)
    .sort();
  const all = ['README.md', ...docs, 'CONTRIBUTING.md'].filter((f) => fs.existsSync(path.join(root, f)));
  const rank = (f) => {
    const i = ORDER.findIndex(([source]) => source === f);
    return i === -1 ? ORDER.length - 1.5 : i; // unknown docs go before Contributing, the last entry
  };
  return all.sort((a, b) => rank(a) - rank(b));
}

/** GitHub's heading id: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2 … */
function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text
      .toLowerCase()
      .trim()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

/** The plain text of an inline token (a heading's), without its markup. */
function inlineText(token) {
  return (token.children ?? []).map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : '')).join('');
}

/**
 * A markdown-it with the site's rules; each render's `env` carries `slug` (a slugger),
 * `link(href)` (the rewritten href) and `opLink(name)` (an op's API page, or undefined).
 */
function markdown() {
  // the docs are this repository's own files: the HTML they hold (comments) is trusted
  const md = new MarkdownIt({ html: true });
  md.core.ruler.push('tapegrad_site', (state) => {
    const tokens = state.tokens;
    tokens.forEach((token, i) => {
      if (token.type === 'heading_open') token.attrSet('id', state.env.slug(inlineText(tokens[i + 1])));
      if (token.type !== 'inline') return;
      for (const child of token.children ?? []) {
        if (child.type === 'link_open') child.attrSet('href', state.env.link(child.attrGet('href')));
      }
      // the first cell of a table row holding just `name`: a link to the op's API page
      const firstCell = tokens[i - 1]?.type === 'td_open' && tokens[i - 2]?.type === 'tr_open';
      const only = token.children?.length === 1 ? token.children[0] : undefined;
      const href = firstCell && only?.type === 'code_inline' ? state.env.opLink(only.content) : undefined;
      if (href) {
        const open = new state.Token('link_open', 'a', 1);
        open.attrSet('href', href);
        token.children = [open, only, new state.Token('link_close', 'a', -1)];
      }
    });
  });
  // wide tables scroll sideways on a phone instead of widening the page
  md.renderer.rules.table_open = () => '<div class="tg-table"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';
  return md;
}

/** A page for a non-Markdown file a guide links to: the file as a code block. */
function sourcePage(root, source) {
  const text = fs.readFileSync(path.join(root, source), 'utf8');
  const body = `<h1>${escapeHtml(source)}</h1>\n<pre><code>${escapeHtml(text)}</code></pre>`;
  return { out: `${source}.html`, title: source, body };
}

/**
 * Renders the guides into `out`.
 * @param {{ root: string, out: string, hasApi: boolean }} options the repository, the site folder, whether
 *   out/api holds the API reference (then ops link to their pages)
 * @returns {string[]} the pages written, from the site root
 */
export function buildGuides({ root, out, hasApi }) {
  const sources = guideSources(root);
  const pages = new Map(sources.map((s) => [s, pagePath(s)]));
  const linked = new Map(); // other files the guides link to: source → page
  const md = markdown();

  /** The href of a link written in `from`, for the page of `from`. */
  const rewrite = (from, href) => {
    if (/^([a-z][a-z0-9+.-]*:|#)/i.test(href)) return href; // another site, or this page
    const cut = href.includes('#') ? href.indexOf('#') : href.length;
    const [file, hash] = [href.slice(0, cut), href.slice(cut)];
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURI(file)));
    const exists = !target.startsWith('..') && !href.startsWith('/') && fs.existsSync(path.join(root, target));
    if (!exists || !fs.statSync(path.join(root, target)).isFile()) {
      throw new Error(`site: ${from} links to ${href}, which is not a file of the repository`);
    }
    if (!pages.has(target) && !linked.has(target)) linked.set(target, `${target}.html`);
    return relativeUrl(pagePath(from), pages.get(target) ?? linked.get(target)) + hash;
  };
  const opLink = (from, name) => {
    const page = `api/functions/${name}.html`;
    return hasApi && fs.existsSync(path.join(out, page)) ? relativeUrl(pagePath(from), page) : undefined;
  };

  const rendered = sources.map((source) => {
    const text = fs.readFileSync(path.join(root, source), 'utf8');
    const env = { slug: slugger(), link: (href) => rewrite(source, href), opLink: (name) => opLink(source, name) };
    const tokens = md.parse(text, env);
    const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
    const title = h1 === -1 ? source : inlineText(tokens[h1 + 1]);
    return { out: pages.get(source), title, body: md.renderer.render(tokens, md.options, env) };
  });
  const extra = [...linked.keys()].map((source) => sourcePage(root, source));

  const nav = sources.map((s) => ({
    out: pages.get(s),
    label: ORDER.find(([source]) => source === s)?.[1] ?? rendered.find((p) => p.out === pages.get(s)).title,
  }));
  for (const page of [...rendered, ...extra]) {
    const file = path.join(out, page.out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, layout(page, nav));
  }
  return [...rendered, ...extra].map((p) => p.out);
}
