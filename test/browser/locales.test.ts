import { describe, expect, test } from 'vitest';
import { bookInBrowser } from './helpers/book-in-browser.ts';
import { openPhonePage } from './helpers/chromium.ts';

// Every locale's home page, read on a phone from a node with no Internet.
const locales = [
  { path: '/', lang: 'en', dir: 'ltr' },
  { path: '/ar/', lang: 'ar', dir: 'rtl' },
  { path: '/fa/', lang: 'fa', dir: 'rtl' },
  { path: '/zh-cn/', lang: 'zh-CN', dir: 'ltr' },
];

const book = bookInBrowser();

describe.each(locales)('home page $path', ({ path, lang, dir }) => {
  test(`renders with lang=${lang} dir=${dir}, no foreign request, no console error`, async () => {
    const { page, context, foreignRequests, errors } = await openPhonePage(book.browser, book.origin);
    const response = await page.goto(book.origin + path, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.getAttribute('html', 'dir')).toBe(dir);
    // The page is written in its own language, not an English fallback.
    expect(await page.locator('.sl-markdown-content').count()).toBe(1);
    expect(await page.locator('[data-pagefind-body]').count()).toBe(1);
    expect(foreignRequests).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the sidebar opens on a phone and its links lead to pages of this locale', async () => {
    const { page, context, errors } = await openPhonePage(book.browser, book.origin);
    await page.goto(`${book.origin}${path}start/`);
    await page.locator('button[popovertarget="starlight__sidebar"]').click();
    const links = page.locator('#starlight__sidebar a[href]');
    await expect.poll(() => links.first().isVisible()).toBe(true);
    const href = (await links.first().getAttribute('href'))!;
    const prefix = path === '/' ? '/' : path;
    expect(href.startsWith(prefix)).toBe(true);
    await Promise.all([page.waitForURL(book.origin + href), links.first().click()]);
    expect(await page.locator('h1').first().textContent()).toBeTruthy();
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(errors).toEqual([]);
    await context.close();
  });
});

test('the language picker leads from English to the Arabic home page', async () => {
  const { page, context } = await openPhonePage(book.browser, book.origin);
  await page.goto(book.origin + '/');
  await page.locator('button[popovertarget="starlight__sidebar"]').click();
  const select = page.locator('starlight-lang-select select').last();
  await Promise.all([page.waitForURL(`${book.origin}/ar/`), select.selectOption({ label: 'العربية' })]);
  expect(await page.getAttribute('html', 'dir')).toBe('rtl');
  await context.close();
});
