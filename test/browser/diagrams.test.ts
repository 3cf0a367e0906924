import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { bookInBrowser } from './helpers/book-in-browser.ts';
import { openPhonePage } from './helpers/chromium.ts';
import { bookDir, htmlPages } from './helpers/site.ts';

// The book's diagrams are inline SVG written in MDX. Astro copies attribute
// names as written, so React-style names (textAnchor, strokeWidth) reach the
// browser unchanged, and the browser ignores them: text loses its alignment,
// lines their width. And a diagram without a text alternative is invisible
// to a screen reader.
const root = bookDir();
const pages = htmlPages(root).map((path) => ({ path, html: readFileSync(join(root, path, 'index.html'), 'utf8') }));

/** Opening tags of the diagrams in a page: SVG in the main column that carries text labels (icons carry none). */
function diagramTags(html: string): string[] {
  const main = /<main\b[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
  return [...main.matchAll(/<svg\b[\s\S]*?<\/svg>/g)]
    .map((m) => m[0])
    .filter((svg) => svg.includes('<text'))
    .map((svg) => /^<svg\b[^>]*>/.exec(svg)![0]);
}

test('no SVG attribute is written in camelCase (browsers ignore those)', () => {
  const camel = /\s(textAnchor|strokeWidth|strokeDasharray|strokeLinecap|strokeLinejoin|fontSize|fontFamily|fontWeight|dominantBaseline|markerEnd|markerStart|fillOpacity|strokeOpacity)=/g;
  const offenders: string[] = [];
  for (const { path, html } of pages) {
    for (const svg of html.matchAll(/<svg\b[\s\S]*?<\/svg>/g)) {
      // Translations fall back to the English page: name each source page once.
      const source = path.replace(/^\/(ar|fa|zh-cn)\//, '/');
      for (const match of svg[0].matchAll(camel)) offenders.push(`${source}: ${match[1]}`);
    }
  }
  expect([...new Set(offenders)]).toEqual([]);
});

test('every diagram in a page has role="img" and an aria-label', () => {
  const offenders: string[] = [];
  for (const { path, html } of pages) {
    for (const tag of diagramTags(html)) {
      if (!/\brole="img"/.test(tag) || !/\baria-label="[^"]{10,}"/.test(tag)) offenders.push(`${path}: ${tag.slice(0, 80)}`);
    }
  }
  expect(offenders).toEqual([]);
});

// On a 360 px phone the content column is about 328 px wide: a diagram drawn
// too wide is scaled down until its labels cannot be read.
const MIN_LABEL_PX = 11;
const book = bookInBrowser();
const withDiagrams = pages.filter(({ html }) => diagramTags(html).length > 0).map(({ path }) => path);

test(`every diagram label is at least ${MIN_LABEL_PX} px on a 360 px phone, in every language`, async () => {
  expect(withDiagrams.length).toBeGreaterThan(10);
  const { page, context } = await openPhonePage(book.browser, book.origin);
  const tooSmall: string[] = [];
  for (const path of withDiagrams) {
    await page.goto(book.origin + path);
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll('main svg[role="img"]')].flatMap((svg) => {
        const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map((text) => ({ label: text.textContent!.trim().slice(0, 40), px: parseFloat(getComputedStyle(text).fontSize) * scale }));
      }),
    );
    for (const { label, px } of sizes) if (px < MIN_LABEL_PX) tooSmall.push(`${path} "${label}": ${px.toFixed(1)} px`);
  }
  expect(tooSmall).toEqual([]);
  await context.close();
});
