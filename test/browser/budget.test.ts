import { gzipSync } from 'node:zlib';
import { test } from 'vitest';
import type { Response } from 'playwright-core';
import { bookInBrowser } from './helpers/book-in-browser.ts';
import { openPhonePage } from './helpers/chromium.ts';
import { bookDir, htmlPages } from './helpers/site.ts';

/**
 * A reader on a slow mesh pays for every byte. The first visit to any page may
 * cost at most 30 KB of compressed HTML, CSS and JavaScript before the reader
 * opens search. Measured in the browser: whatever it actually fetched.
 */
const budget = 30 * 1024;
const counted = new Set(['document', 'stylesheet', 'script']);

const book = bookInBrowser();

// Every English page and every locale's home page; translated pages share their layout.
const pages = htmlPages(bookDir()).filter((path) => !/^\/(ar|fa|zh-cn)\/./.test(path) && path !== '/404/');

// Pages are independent first visits, each in its own browser context: a few at a time.
test.concurrent.for(pages)(`the first visit to %s fetches at most ${budget / 1024} KB compressed`, async (path, { expect }) => {
  const { page, context } = await openPhonePage(book.browser, book.origin);
  const sizes: Promise<number>[] = [];
  // A new context has an empty cache: this is a first visit.
  const count = (response: Response) => {
    if (counted.has(response.request().resourceType())) {
      sizes.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
    }
  };
  page.on('response', count);
  await page.goto(book.origin + path, { waitUntil: 'networkidle' });
  // Stop counting before summing, so that no body is read after the page closes.
  page.off('response', count);
  const total = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
  await context.close();
  expect(total, `${path} fetched nothing`).toBeGreaterThan(1000);
  expect(total, `${path}: ${(total / 1024).toFixed(1)} KB`).toBeLessThanOrEqual(budget);
});
