import { describe, expect, test } from 'vitest';
import { bookInBrowser } from './helpers/book-in-browser.ts';
import { openPhonePage } from './helpers/chromium.ts';
import { xOfMatches } from './helpers/text-geometry.ts';

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

describe.each(['ar', 'fa'])('a page not translated yet, read in /%s/', (locale) => {
  test('the "not translated" notice reads right to left, in the reader\'s language', async () => {
    const { page, context } = await openPhonePage(book.browser, book.origin);
    await page.goto(`${book.origin}/${locale}/long-links/calculators/`);
    // The page's text is English; the notice is the interface's.
    expect(await page.getAttribute('main', 'lang')).toBe('en');
    const notice = page.locator(`main div[lang="${locale}"][dir="rtl"]`);
    expect(await notice.count()).toBe(1);
    expect((await notice.textContent())!.trim().length).toBeGreaterThan(10);
    expect(await notice.locator('p').first().evaluate((p) => getComputedStyle(p).direction)).toBe('rtl');
    await context.close();
  });

  test('English headings in "On this page" keep their "?" at the end', async () => {
    const { page, context } = await openPhonePage(book.browser, book.origin);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${book.origin}/${locale}/long-links/calculators/`);
    const link = page.locator('starlight-toc a', { hasText: 'Is the path clear enough?' });
    // Where the first letter and the question mark are drawn: English runs left to right, "?" last.
    const [first, last] = await link.evaluate(xOfMatches, { contains: '?', patterns: ['I', '\\?\\s*$'] });
    expect(last).toBeGreaterThan(first);
    await context.close();
  });
});

test.each(['/ar/start/node-in-ten-minutes/', '/fa/start/node-in-ten-minutes/', '/start/node-in-ten-minutes/'])(
  'on %s short commands and names in running text are never split across lines, and nothing overflows',
  async (path) => {
    const { page, context } = await openPhonePage(book.browser, book.origin);
    await page.goto(book.origin + path);
    const found = await page.evaluate(() => {
      const short = [...document.querySelectorAll('.sl-markdown-content :not(pre) > code')].filter((code) => code.textContent!.length <= 28);
      return {
        count: short.length,
        split: short.filter((code) => code.getClientRects().length > 1).map((code) => code.textContent),
        width: document.documentElement.scrollWidth,
      };
    });
    expect(found.count).toBeGreaterThan(5);
    expect(found.split).toEqual([]);
    expect(found.width).toBeLessThanOrEqual(360);
    await context.close();
  },
);
