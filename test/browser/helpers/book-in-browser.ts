import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { bookDir, serveStatic } from './site.ts';

/**
 * Serves the built book on loopback and starts Chromium for the tests of one
 * file (before all of them), and stops both after. Read `browser` and
 * `origin` inside tests, once the hooks have run.
 */
export function bookInBrowser(): { browser: Browser; origin: string } {
  const book = {} as { browser: Browser; origin: string; close?: () => Promise<void> };
  beforeAll(async () => {
    const site = await serveStatic(bookDir());
    book.origin = site.origin;
    book.close = site.close;
    book.browser = await launchChromium();
  });
  afterAll(async () => {
    await book.browser?.close();
    await book.close?.();
  });
  return book;
}
