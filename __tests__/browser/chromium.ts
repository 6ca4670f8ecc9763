// Launches Debian's system Chromium (package `chromium`, /usr/bin/chromium) through playwright-core,
// headless, with a fresh profile, and watches pages for what a user would see go wrong: console
// errors, uncaught exceptions, and requests that leave the page's own origin. Playwright never
// downloads a browser here; a missing Chromium is a test failure that says how to install it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags Chromium needs in this environment (no sandbox, GPU, QUIC, or background traffic). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running Chromium: its one browser context, and `close()` that also removes its profile. */
export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts /usr/bin/chromium with a new user data dir; throws, saying how to install it, when it is missing.
 * @example
 * const browser = await launchChromium();
 * const page = await browser.context.newPage();
 * await browser.close();
 */
export async function launchChromium(): Promise<Chromium> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The real-browser tests need Debian's Chromium at ${CHROMIUM_PATH}, which is missing. ` +
        'Install it as root: apt-get update && apt-get install -y chromium (.ci/run does this on CI).',
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    return {
      context,
      close: async () => {
        await context.close();
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** What a page did wrong (console errors, uncaught exceptions, URLs outside its origin) and what it loaded. */
export interface PageLog {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly foreignRequests: string[];
  /** The paths of the page's requests to its own origin, in order (the favicon left out). */
  readonly requests: string[];
}

/**
 * Records a page's console errors, uncaught exceptions, requests that are not to `origin` (data:
 * and blob: URLs are the page's own), and the paths it requested from `origin`.
 * @example
 * const log = watchPage(page, server.origin);
 * await page.goto(url);
 * expect(log.consoleErrors).toEqual([]);
 */
export function watchPage(page: Page, origin: string): PageLog {
  const log: PageLog = { consoleErrors: [], pageErrors: [], foreignRequests: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      log.consoleErrors.push(`${message.text()} (${where.url}:${where.lineNumber})`);
    }
  });
  page.on('pageerror', (error) => log.pageErrors.push(error.stack ?? String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith(`${origin}/`)) {
      const urlPath = new URL(url).pathname;
      if (urlPath !== '/favicon.ico') log.requests.push(urlPath);
    } else if (!/^(data|blob):/.test(url)) log.foreignRequests.push(url);
  });
  return log;
}
