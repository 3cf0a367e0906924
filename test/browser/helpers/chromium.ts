import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. Never downloaded. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return path;
}

// The flags keep a headless Chromium from calling home on a machine with no Internet.
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: flags });
}

/** A cheap phone's screen. */
export const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * A phone-sized page that records what a reader would not want: requests to
 * any host but the one serving the book, console errors and uncaught exceptions.
 */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  foreignRequests: string[];
  errors: string[];
}

export async function openPhonePage(browser: Browser, origin: string): Promise<WatchedPage> {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const watched: WatchedPage = { context, page, foreignRequests: [], errors: [] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin) watched.foreignRequests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) watched.errors.push(`${response.status()} ${response.url()}`);
  });
  return watched;
}
