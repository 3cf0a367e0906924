import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { bookDir, htmlPages } from './helpers/site.ts';

/**
 * Issue 7's byte budget, measured on the built book: an interactive page may
 * load at most 15 KB (gzip) of the project's own JavaScript on top of what
 * every page loads, and pages without interactive parts load none of it.
 * Counted: module scripts, everything they import (statically, and through
 * import() — a calculator's code loads when the reader first touches it, and
 * that counts too), and inline scripts. Search's lazily loaded UI is on every
 * page, so the baseline takes it out.
 */
const BUDGET_BYTES = 15 * 1024;
const dist = bookDir();

/** Custom elements that make a page interactive (the search button is on every page). */
const INTERACTIVE = /<byz-(?!search\b)[a-z-]+[\s>]/;

function pageScripts(htmlPath: string): Map<string, Buffer> {
  const html = readFileSync(htmlPath, 'utf8');
  const found = new Map<string, Buffer>();
  const visit = (url: string) => {
    if (found.has(url)) return;
    const code = readFileSync(join(dist, url));
    found.set(url, code);
    // import{a}from"./x.js", import"./y.js", export*from"./z.js" and import(`./w.js`), in any quotes;
    // computed paths (`${base}pagefind.js`) are Pagefind's, fetched from outside _astro.
    for (const match of code.toString('utf8').matchAll(/\b(?:import|export)\s*\(?\s*(?:[\w$*{},\s]*?\bfrom\s*)?["'`]([^"'`${}]+\.js)["'`]/g)) {
      visit(new URL(match[1]!, `http://book${url}`).pathname);
    }
  };
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) visit(new URL(match[1]!, 'http://book/').pathname);
  for (const match of html.matchAll(/<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)) {
    if (match[1]!.trim()) found.set(`inline:${match[1]}`, Buffer.from(match[1]!));
  }
  return found;
}

const gzipped = (scripts: Iterable<Buffer>) => [...scripts].reduce((sum, code) => sum + gzipSync(code, { level: 9 }).length, 0);

const pages = htmlPages(dist).map((path) => ({ path, file: join(dist, path, 'index.html') }));
const interactive = pages.filter(({ file }) => INTERACTIVE.test(readFileSync(file, 'utf8')));
const plain = pages.filter((page) => !interactive.includes(page));
// What every page loads anyway: Starlight's scripts and the search button. Scripts
// Starlight adds only to longer pages (the table of contents) count against the
// budget, which errs on the strict side.
const baseline = new Set(pageScripts(join(dist, 'index.html')).keys());

describe('JavaScript budget of interactive pages', () => {
  test('the book has interactive pages to measure (the calculators at least)', () => {
    expect(interactive.map((page) => page.path)).toContain('/long-links/calculators/');
    // The operator's pages: guided setup and controls, whose code loads only after the node answers (counted too).
    expect(interactive.map((page) => page.path)).toEqual(expect.arrayContaining(['/setup/guided-setup/', '/keeping/operate-this-node/']));
    expect(plain.length).toBeGreaterThan(0);
  });

  test.each(interactive.map((page) => [page.path, page.file] as const))(
    '%s loads at most 15 KB gzip of its own JavaScript',
    (_path, file) => {
      const own = [...pageScripts(file)].filter(([url]) => !baseline.has(url)).map(([, code]) => code);
      expect(own.length).toBeGreaterThan(0);
      const bytes = gzipped(own);
      console.info(`${_path}: ${own.length} scripts, ${bytes} bytes gzip of its own JavaScript`);
      expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    },
  );

  test('pages without interactive parts load none of the calculators', () => {
    for (const { path, file } of plain) {
      for (const [url, code] of pageScripts(file)) {
        expect(`${path} ${url}`).not.toMatch(/calc|LinkBudget|FresnelZone|CanAntenna/);
        expect(code.toString('utf8'), `${path} ${url}`).not.toMatch(/byz-(link-budget|fresnel-zone|can-antenna)/);
      }
    }
  });
});
