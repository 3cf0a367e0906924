import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { bookInBrowser } from './helpers/book-in-browser.ts';
import { openPhonePage } from './helpers/chromium.ts';

const book = bookInBrowser();

/** Opens search on `path`, types `query`, and returns the result links' paths. */
async function search(page: Page, path: string, query: string): Promise<string[]> {
  await page.goto(book.origin + path);
  await page.locator('byz-search [data-open]').click();
  const input = page.locator('#byz-search-ui input');
  await input.fill(query);
  // Pagefind shows a message line once a search has finished, with or without results.
  await page.locator('.pagefind-ui__message').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  return page
    .locator('.pagefind-ui__result-link')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

const cases = [
  { locale: '/', query: 'laptops', words: 'English' },
  { locale: '/ar/', query: 'الهاتف', words: 'Arabic' },
  { locale: '/fa/', query: 'گوشی', words: 'Persian' },
  { locale: '/zh-cn/', query: '节点', words: 'Chinese' },
];

test.each(cases)('$words search on $locale returns pages of that language only', async ({ locale, query }) => {
  const { page, context, foreignRequests, errors } = await openPhonePage(book.browser, book.origin);
  const results = await search(page, locale, query);
  expect(results.length).toBeGreaterThan(0);
  for (const path of results) {
    if (locale === '/') expect(path).not.toMatch(/^\/(ar|fa|zh-cn)\//);
    else expect(path.startsWith(locale)).toBe(true);
  }
  expect(foreignRequests).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

// Chinese has no spaces between words; Pagefind must segment the text so
// that a word in the middle of a sentence is found (pagefind issue 1237).
test.each(['网状网络', '笔记本电脑', '手机', '互联网', '服务'])('Chinese word %s is found inside running text', async (word) => {
  const { page, context } = await openPhonePage(book.browser, book.origin);
  const results = await search(page, '/zh-cn/', word);
  expect(results.length).toBeGreaterThan(0);
  expect(results.every((path) => path.startsWith('/zh-cn/'))).toBe(true);
  await context.close();
});

test('English fallback pages stay out of the other languages’ indexes', async () => {
  const { page, context } = await openPhonePage(book.browser, book.origin);
  // "biquad" appears only on English pages (long links, not translated);
  // their Arabic fallbacks must not be found.
  expect(await search(page, '/', 'biquad')).not.toEqual([]);
  expect(await search(page, '/ar/', 'biquad')).toEqual([]);
  await context.close();
});

test('search loads nothing until the reader opens it', async () => {
  const { page, context } = await openPhonePage(book.browser, book.origin);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(book.origin + '/', { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  expect(requested.filter((path) => /pagefind|ui-core/.test(path))).toEqual([]);
  await page.locator('byz-search [data-open]').click();
  await page.locator('#byz-search-ui input').waitFor();
  expect(requested.some((path) => path.startsWith('/pagefind/'))).toBe(true);
  await context.close();
});

test('in Arabic the search box and nested results are mirrored: magnifier right, clear button left, indent from the right', async () => {
  const { page, context } = await openPhonePage(book.browser, book.origin);
  expect((await search(page, '/ar/', 'العقدة')).length).toBeGreaterThan(0);
  const layout = await page.evaluate(() => {
    const input = document.querySelector('.pagefind-ui__search-input')!;
    const box = input.getBoundingClientRect();
    const form = document.querySelector('.pagefind-ui__form')!;
    // The magnifier is the form's ::before, placed by its resolved left offset.
    const before = getComputedStyle(form, '::before');
    const clear = document.querySelector('.pagefind-ui__search-clear')?.getBoundingClientRect();
    const nested = document.querySelector('.pagefind-ui__result-nested');
    return {
      inputCentre: box.x + box.width / 2,
      magnifierCentre: form.getBoundingClientRect().x + parseFloat(before.left) + parseFloat(before.width) / 2,
      clearCentre: clear ? clear.x + clear.width / 2 : null,
      padding: [parseFloat(getComputedStyle(input).paddingLeft), parseFloat(getComputedStyle(input).paddingRight)],
      nestedPadding: nested ? [parseFloat(getComputedStyle(nested).paddingLeft), parseFloat(getComputedStyle(nested).paddingRight)] : null,
    };
  });
  expect(layout.magnifierCentre).toBeGreaterThan(layout.inputCentre);
  expect(layout.clearCentre).not.toBeNull();
  expect(layout.clearCentre!).toBeLessThan(layout.inputCentre);
  // The query begins clear of the magnifier (right) and ends clear of the clear button (left).
  expect(layout.padding[1]).toBeGreaterThan(40);
  expect(layout.padding[0]).toBeGreaterThan(layout.padding[1]);
  if (layout.nestedPadding) expect(layout.nestedPadding[1]).toBeGreaterThan(layout.nestedPadding[0]);
  await context.close();
});
