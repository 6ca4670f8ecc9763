// The HTML around every guide page of the site: the bar (home, guides, API, playground), the
// sidebar listing every guide, and the page's own content. Links are relative, so the site works
// from any folder, from a file:// URL, and under any path of a web server.
import path from 'node:path';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** The URL of `target` (a path from the site root) as seen from the page at `from` (also from the root). */
export function relativeUrl(from, target) {
  const url = path.posix.relative(path.posix.dirname(from), target);
  return url === '' ? path.posix.basename(target) : url;
}

/** The site bar; the same markup (and site.css rules) as the bar the TypeDoc plugin adds to the API pages. */
function bar(at) {
  const link = (target, label) => `<a href="${escapeHtml(relativeUrl(at, target))}">${label}</a>`;
  return [
    '<nav class="tg-bar" aria-label="Site">',
    `<a class="tg-bar-home" href="${escapeHtml(relativeUrl(at, 'index.html'))}">tapegrad</a>`,
    link('index.html', 'Guides'),
    link('api/index.html', 'API'),
    link('playground/index.html', 'Playground'),
    '</nav>',
  ].join('');
}

/** The sidebar: every guide (the current one marked), then the reference pages. */
function sidebar(at, guides) {
  const item = (target, label) => {
    const current = target === at ? ' aria-current="page"' : '';
    return `<li><a href="${escapeHtml(relativeUrl(at, target))}"${current}>${escapeHtml(label)}</a></li>`;
  };
  return [
    '<nav class="tg-sidebar" aria-label="Guides">',
    '<h2>Guides</h2><ul>',
    ...guides.map((g) => item(g.out, g.label)),
    '</ul><h2>Reference</h2><ul>',
    item('api/index.html', 'API reference'),
    item('playground/index.html', 'Playground'),
    '</ul></nav>',
  ].join('');
}

/**
 * A whole page.
 * @param {{ out: string, title: string, body: string }} page where it goes (from the site root), its title, its HTML
 * @param {{ out: string, label: string }[]} guides the sidebar's entries
 */
export function layout(page, guides) {
  const title = page.title === 'tapegrad' ? 'tapegrad' : `${page.title} · tapegrad`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(relativeUrl(page.out, 'site.css'))}">
</head>
<body class="tg-guide">
${bar(page.out)}
<div class="tg-layout">
${sidebar(page.out, guides)}
<main class="tg-content">
${page.body}
</main>
</div>
</body>
</html>
`;
}
