// The playground (site/playground, built by scripts/build-playground.mjs into site-dist/playground)
// in real headless Chromium, through its test hooks: `<select id="examples">`, `#run`, `#output`,
// the tape picture `#tape svg`, `window.playground` ({ setCode, getCode, run, examples }) and a
// `#code=<base64url>` link. Every example runs with no console error, no uncaught exception, no
// error printed, no main-thread task of a second or more, and nothing loaded from another origin. Needs `npm run build` (the playground
// loads dist/).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { Chromium, PageLog } from './chromium';
import { launchChromium, watchPage } from './chromium';
import type { StaticServer } from './static_server';
import { startStaticServer } from './static_server';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '..', '..');
const buildScript = path.join(root, 'scripts', 'build-playground.mjs');

/** An example as `window.playground.examples` lists it. */
interface Example {
  readonly id: string;
  readonly title: string;
  readonly code: string;
}

let browser: Chromium | undefined;
let server: StaticServer | undefined;

beforeAll(async () => {
  if (!fs.existsSync(buildScript))
    throw new Error('scripts/build-playground.mjs is missing: the playground cannot be built.');
  if (!fs.existsSync(path.join(root, 'dist', 'tapegrad.min.js')))
    throw new Error('dist/ is missing: run `npm run build`.');
  execFileSync(process.execPath, [buildScript], { cwd: root, stdio: 'pipe' });
  server = await startStaticServer({ '/': path.join(root, 'site-dist') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the playground (with `fragment`, e.g. `#code=...`) and waits until `window.playground` is set. */
async function openPlayground(fragment = ''): Promise<{ page: Page; log: PageLog }> {
  const page = await browser!.context.newPage();
  const log = watchPage(page, server!.origin);
  await page.goto(`${server!.origin}/playground/index.html${fragment}`);
  try {
    await page.waitForFunction('typeof globalThis.playground === "object" && globalThis.playground !== null', null, {
      timeout: 10_000,
    });
  } catch (e) {
    throw new Error(`window.playground never appeared: ${String(e)}\n${JSON.stringify(log, null, 2)}`);
  }
  return { page, log };
}

/** What a run left that should not be there: the log's errors and any error entry in #output. */
async function problemsOf(page: Page, log: PageLog): Promise<Record<string, string[]>> {
  return {
    consoleErrors: [...log.consoleErrors],
    pageErrors: [...log.pageErrors],
    foreignRequests: [...log.foreignRequests],
    // the playground prints a program's exceptions as #output entries of class out-error
    printedErrors: await page.$$eval('#output .out-error', (entries) => entries.map((e) => e.textContent ?? '')),
  };
}

const noProblems = { consoleErrors: [], pageErrors: [], foreignRequests: [], printedErrors: [] };

/** The number of nodes (shapes with a label) in the tape picture. */
const tapeNodes = (page: Page): Promise<{ shapes: number; labels: number }> =>
  page.$$eval('#tape svg', (svgs) => ({
    shapes: svgs.reduce((n, svg) => n + svg.querySelectorAll('rect, ellipse, circle, polygon').length, 0),
    labels: svgs.reduce((n, svg) => n + svg.querySelectorAll('text').length, 0),
  }));

/**
 * Runs the editor's program by `window.playground.run()` and returns the longest main-thread task
 * meanwhile in ms (Long Tasks API: tasks of 50 ms or more; 0 when there was none). A long run must
 * yield to the event loop (or use a worker) so that the page never freezes.
 */
const runTimingTasks = (page: Page): Promise<number> =>
  page.evaluate(`(async () => {
    const durations = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => durations.push(e.duration)));
    observer.observe({ type: 'longtask' });
    await globalThis.playground.run();
    await new Promise((resolve) => setTimeout(resolve, 0));
    observer.takeRecords().forEach((e) => durations.push(e.duration));
    observer.disconnect();
    return Math.max(0, ...durations);
  })()`) as Promise<number>;

test('every example runs: output, no error, no frozen page, a tape picture for those that call gradient()', async () => {
  const { page, log } = await openPlayground();
  try {
    const examples = (await page.evaluate(
      'globalThis.playground.examples.map(({ id, title, code }) => ({ id, title, code }))',
    )) as Example[];
    expect(examples.length).toBeGreaterThanOrEqual(5);
    const options = await page.$$eval('#examples option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(expect.arrayContaining(examples.map((e) => e.id)));
    for (const example of examples) {
      await page.selectOption('#examples', example.id);
      expect({ id: example.id, code: await page.evaluate('globalThis.playground.getCode()') }).toEqual({
        id: example.id,
        code: example.code,
      });
      // the picture checked below must be this example's, not one left by the example before
      await page.$$eval('#tape svg', (svgs) => svgs.forEach((svg) => svg.remove()));
      const longestTask = await runTimingTasks(page);
      const output = await page.innerText('#output');
      expect({
        id: example.id,
        printed: output.trim() !== '',
        responsive: longestTask < 1000,
        ...(await problemsOf(page, log)),
      }).toEqual({ id: example.id, printed: true, responsive: true, ...noProblems });
      if (/\.gradient\(/.test(example.code)) {
        const nodes = await tapeNodes(page);
        expect({ id: example.id, hasNodes: nodes.shapes >= 2 && nodes.labels >= 2 }).toEqual({
          id: example.id,
          hasNodes: true,
        });
      }
    }
  } finally {
    await page.close();
  }
});

test('a #code= link (base64url of UTF-8, no padding) loads a program that prints a gradient', async () => {
  const source = [
    '// ∂y/∂x of y = x³ at x = 1.5, which is 3·1.5²',
    'const x = new tg.Variable(1.5);',
    'const tape = new tg.GradientTape();',
    'const y = x.mul(x).mul(x);',
    'console.log(tape.gradient(y, x).item());',
    '',
  ].join('\n');
  const encoded = Buffer.from(source, 'utf8').toString('base64url');
  // the link exercises what plain base64 would get wrong: '_' or '-', missing padding, non-ASCII
  expect([/[-_]/.test(encoded), encoded.length % 4 !== 0]).toEqual([true, true]);
  const { page, log } = await openPlayground(`#code=${encoded}`);
  try {
    expect(await page.evaluate('globalThis.playground.getCode()')).toBe(source);
    await page.click('#run');
    await page.waitForFunction('document.querySelector("#output").innerText.includes("6.75")', null, {
      timeout: 10_000,
    });
    expect(await problemsOf(page, log)).toEqual(noProblems);
    const nodes = await tapeNodes(page);
    expect(nodes.shapes).toBeGreaterThanOrEqual(2);
  } finally {
    await page.close();
  }
});
