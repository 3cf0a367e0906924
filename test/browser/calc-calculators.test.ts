import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, openPhonePage, phone, type WatchedPage } from './helpers/chromium.ts';
import { bookDir, serveStatic } from './helpers/site.ts';
import { xOfMatches } from './helpers/text-geometry.ts';

// The calculators page served as plain files: no node agent, no /api at all,
// which is how a reader of the published or offline book meets it. The page
// asks once whether a node serves it (GET /api/v1/radio, for "Fill from this
// node"); the 404 Chromium reports for that one request is the only noise
// allowed (test/browser/calc-prefill.test.ts tests the prefill itself).
let browser: Browser;
let site: Awaited<ReturnType<typeof serveStatic>>;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  site = await serveStatic(bookDir());
  browser = await launchChromium();
});
afterAll(async () => {
  for (const { context } of opened) await context.close();
  await browser?.close();
  await site?.close();
});

async function open(path: string): Promise<WatchedPage & { apiRequests: string[] }> {
  const watched = await openPhonePage(browser, site.origin);
  opened.push(watched);
  // Any other 404 is still caught: the response listener records it with its URL.
  const radioNoise = (error: string) => /^404 .*\/api\/v1\/radio$/.test(error) || /^Failed to load resource: .*\b404\b/.test(error);
  const record = watched.errors.push.bind(watched.errors);
  Object.defineProperty(watched.errors, 'push', { value: (...found: string[]) => record(...found.filter((error) => !radioNoise(error))) });
  const apiRequests: string[] = [];
  watched.page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/') && pathname !== '/api/v1/radio') apiRequests.push(request.url());
  });
  await watched.page.goto(site.origin + path);
  await watched.page.evaluate(() =>
    Promise.all(['byz-link-budget', 'byz-fresnel-zone', 'byz-can-antenna'].map((tag) => customElements.whenDefined(tag))),
  );
  return { ...watched, apiRequests };
}

const out = (page: Page, calc: string, id: string): Locator => page.locator(`${calc} [data-out="${id}"]`);
const field = (page: Page, calc: string, name: string): Locator => page.locator(`${calc} [name="${name}"]`);

/** Reads a formatted number back, whatever digits and decimal sign the locale used. */
function numberIn(text: string): number {
  const western = text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u066b]/g, '.')
    .replace(/[\u066c,]/g, '')
    .replace(/[\u2212]/g, '-')
    .replace(/[\u200e\u200f\u061c]/g, '');
  const match = /-?\d+(\.\d+)?/.exec(western);
  if (!match) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(match[0]);
}

async function fitsThePhone(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    calcs: [...document.querySelectorAll('.byz-calc')].map((el) => el.getBoundingClientRect().right),
  }));
  expect(widths.page).toBeLessThanOrEqual(phone.viewport.width);
  for (const right of widths.calcs) expect(right).toBeLessThanOrEqual(phone.viewport.width);
}

describe('link calculators on a 360×740 phone', () => {
  test('English: the link budget recomputes as the reader types, with the reference path loss', async () => {
    const { page, errors, foreignRequests, apiRequests } = await open('/long-links/calculators/');
    const calc = 'byz-link-budget';
    await field(page, calc, 'frequency').fill('2400');
    await field(page, calc, 'distance').fill('1');
    // 20·log10(4π·1000 m·2.4 GHz / c) = 100.05 dB: "about 100 dB".
    await expect.poll(() => out(page, calc, 'pathLoss').textContent()).toBe('100.1 dB');
    await field(page, calc, 'frequency').fill('5800');
    await field(page, calc, 'distance').fill('10');
    await expect.poll(() => out(page, calc, 'pathLoss').textContent()).toBe('127.7 dB');
    // 18 dBm − 1 dB + 12 dBi − 127.7 dB + 12 dBi − 1 dB = −87.7 dBm, below the −80 dBm receiver.
    expect(numberIn((await out(page, calc, 'received').textContent()) ?? '')).toBeCloseTo(-87.7, 1);
    await expect.poll(() => page.locator(`${calc} [data-verdict]`).getAttribute('data-tone')).toBe('bad');
    await expect.poll(() => page.locator(`${calc} [data-verdict]`).textContent()).toContain('will not work');
    await fitsThePhone(page);
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(apiRequests).toEqual([]);
  });

  test('English: the Fresnel calculator gives about 5.6 m at the middle of 1 km at 2.4 GHz', async () => {
    const { page, errors } = await open('/long-links/calculators/');
    const calc = 'byz-fresnel-zone';
    await field(page, calc, 'frequency').fill('2400');
    await field(page, calc, 'distance').fill('1');
    await field(page, calc, 'obstacleDistance').fill('0.5');
    await expect.poll(() => out(page, calc, 'midpointFresnel').textContent()).toBe('5.6 m');
    const obstacleTop = () => page.locator(`${calc} [data-shape="obstacle"]`).getAttribute('y').then(Number);
    const lineAtA = await page.locator(`${calc} [data-shape="line"]`).getAttribute('y1').then(Number);
    expect(await obstacleTop()).toBeGreaterThan(lineAtA);
    await field(page, calc, 'obstacleHeight').fill('40');
    await expect.poll(() => page.locator(`${calc} [data-verdict]`).getAttribute('data-tone')).toBe('bad');
    // The drawing follows: the obstacle now rises above the line between the antennas (SVG y grows downwards).
    expect(await obstacleTop()).toBeLessThan(await page.locator(`${calc} [data-shape="line"]`).getAttribute('y1').then(Number));
    expect(errors).toEqual([]);
  });

  test('English: the can calculator follows the chosen channel', async () => {
    const { page, errors } = await open('/long-links/calculators/');
    const calc = 'byz-can-antenna';
    await expect.poll(() => out(page, calc, 'probeFromBack').textContent()).toMatch(/^6\d\.\d mm$/);
    await page.locator(`${calc} select`).selectOption('5:36');
    await field(page, calc, 'diameter').fill('40');
    await expect.poll(() => out(page, calc, 'frequency').textContent()).toBe('5,180 MHz');
    await expect.poll(() => out(page, calc, 'probeLength').textContent()).toBe('14.5 mm');
    expect(errors).toEqual([]);
  });

  test('bad input shows a message on the field instead of NaN', async () => {
    const { page, errors } = await open('/long-links/calculators/');
    const lb = 'byz-link-budget';
    const error = page.locator(`${lb} [data-error]`);
    await field(page, lb, 'distance').fill('-1');
    await expect.poll(() => error.textContent()).toBe('The distance must be more than 0 and at most 1000 km.');
    expect(await error.isVisible()).toBe(true);
    expect(await field(page, lb, 'distance').getAttribute('aria-invalid')).toBe('true');
    await field(page, lb, 'distance').fill('1');
    await field(page, lb, 'frequency').fill('0');
    await expect.poll(() => error.textContent()).toContain('frequency must be between');
    expect(await field(page, lb, 'distance').getAttribute('aria-invalid')).toBeNull();
    await field(page, lb, 'frequency').fill('abc');
    await expect.poll(() => error.textContent()).toBe('Type a plain number, such as 2437 or -85.5.');
    await field(page, lb, 'frequency').fill('');
    await expect.poll(() => error.textContent()).toBe('Fill in this field.');

    const can = 'byz-can-antenna';
    await field(page, can, 'diameter').fill('60');
    await expect.poll(() => page.locator(`${can} [data-error]`).textContent()).toMatch(/too narrow.*between 72\.1–94\.2 mm/);

    const text = await page.locator('.byz-calc').allTextContents();
    expect(text.join(' ')).not.toMatch(/NaN|Infinity|undefined/);
    expect(errors).toEqual([]);
  });

  test('Arabic: right to left, Arabic labels, locale numbers, and Arabic-Indic digits accepted', async () => {
    const { page, errors, apiRequests } = await open('/ar/long-links/calculators/');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    const calc = 'byz-link-budget';
    await expect.poll(() => page.locator(`${calc} legend`).first().textContent()).toBe('طرف الإرسال');
    await field(page, calc, 'frequency').fill('٢٤٠٠');
    await field(page, calc, 'distance').fill('١');
    const expected = await page.evaluate(
      // The number is isolated from its unit (U+2068 … U+2069), so that every value reads the same way round.
      () => `\u2068${new Intl.NumberFormat('ar', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(100.052)}\u2069 ديسيبل`,
    );
    await expect.poll(() => out(page, calc, 'pathLoss').textContent()).toBe(expected);
    expect(numberIn(expected)).toBeCloseTo(100.1, 5);
    // A negative received power and a positive EIRP: in both the unit is drawn left of the number.
    for (const id of ['received', 'eirp']) {
      const [unitX, numberX] = await out(page, calc, id).evaluate(xOfMatches, { contains: 'dBm', patterns: ['dBm', '[0-9٠-٩]'] });
      expect(unitX, id).toBeLessThan(numberX);
    }

    // Right to left: a field's label text starts at the right edge, where its input does.
    const edges = await page.locator(`${calc} form .field`).first().evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element.querySelector('label')!);
      const text = range.getBoundingClientRect();
      const input = element.querySelector('input')!.getBoundingClientRect();
      return { textLeft: text.left, textRight: text.right, inputLeft: input.left, inputRight: input.right };
    });
    expect(Math.abs(edges.textRight - edges.inputRight)).toBeLessThan(2);
    expect(edges.textLeft).toBeGreaterThan(edges.inputLeft + 10);

    await field(page, calc, 'distance').fill('-1');
    await expect.poll(() => page.locator(`${calc} [data-error]`).textContent()).toBe(
      'يجب أن تكون المسافة أكبر من 0 ولا تتجاوز 1000 كم.',
    );
    await fitsThePhone(page);
    expect(errors).toEqual([]);
    expect(apiRequests).toEqual([]);
  });

  test("a calculator's own code loads only when the reader first touches it", async () => {
    const { page, errors } = await open('/long-links/calculators/');
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.waitForLoadState('networkidle');
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    expect(loaded.filter((path) => /-view\.[\w-]+\.js$/.test(path))).toEqual([]);
    // Results for the example values are there already, rendered by the server.
    expect(await out(page, 'byz-link-budget', 'pathLoss').textContent()).toBe('106.2 dB');
    await field(page, 'byz-link-budget', 'distance').fill('1');
    await expect.poll(() => out(page, 'byz-link-budget', 'pathLoss').textContent()).toBe('100.2 dB');
    expect(fetched.some((path) => /link-budget-view\.[\w-]+\.js$/.test(path))).toBe(true);
    expect(fetched.some((path) => /can-antenna-view/.test(path))).toBe(false);
    expect(errors).toEqual([]);
  });

  test('without JavaScript the page still shows results for the example values', async () => {
    const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.origin + '/fa/long-links/calculators/');
    const pathLoss = await out(page, 'byz-link-budget', 'pathLoss').textContent();
    expect(pathLoss).toContain('دسی‌بل');
    expect(numberIn(pathLoss ?? '')).toBeCloseTo(106.2, 1);
    expect(await page.locator('byz-fresnel-zone [data-verdict]').textContent()).not.toBe('');
    await context.close();
  });
});
