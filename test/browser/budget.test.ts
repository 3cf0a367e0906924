import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openPhonePage } from './helpers/chromium.ts';
import { bookDir, htmlPages, serveStatic } from './helpers/site.ts';

/**
 * A reader on a slow mesh pays for every byte. The first visit to any page may
 * cost at most 30 KB of compressed HTML, CSS and JavaScript before the reader
 * opens search. Measured in the browser: whatever it actually fetched.
 */
const budget = 30 * 1024;
const counted = new Set(['document', 'stylesheet', 'script']);

let browser: Browser;
let site: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  site = await serveStatic(bookDir());
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

// Every English page and every locale's home page; translated pages share their layout.
const pages = htmlPages(bookDir()).filter((path) => !/^\/(ar|fa|zh-cn)\/./.test(path) && path !== '/404/');

test(`the first visit to each of ${pages.length} pages fetches at most ${budget / 1024} KB compressed`, async () => {
  const over: string[] = [];
  const { page, context } = await openPhonePage(browser, site.origin);
  for (const path of pages) {
    await context.clearCookies();
    const bodies: Promise<number>[] = [];
    const listener = (response: import('playwright-core').Response) => {
      if (counted.has(response.request().resourceType())) {
        bodies.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
      }
    };
    page.on('response', listener);
    // A fresh page per visit so that nothing is served from the memory cache.
    await page.goto('about:blank');
    await context.route('**', (route) => route.continue());
    await page.goto(site.origin + path, { waitUntil: 'networkidle' });
    page.off('response', listener);
    await context.unroute('**');
    const total = (await Promise.all(bodies)).reduce((sum, size) => sum + size, 0);
    expect(total, `${path} fetched nothing`).toBeGreaterThan(1000);
    if (total > budget) over.push(`${path}: ${(total / 1024).toFixed(1)} KB`);
  }
  expect(over).toEqual([]);
  await context.close();
});
