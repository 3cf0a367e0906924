import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bookDir, htmlPages } from './helpers/site.ts';
// A plain JavaScript module shared with scripts/book-stats.mjs.
import { bookPages, countWords, locales } from '../../scripts/lib/book-text.mjs';

// Checks of the built files that need no browser. The browser tests judge
// what a reader sees; these catch what a reader would only notice too late.
const root = bookDir();
const pages = htmlPages(root);
const html = new Map(pages.map((path) => [path, readFileSync(join(root, path, 'index.html'), 'utf8')]));

describe('offline-clean', () => {
  // Anything the browser would fetch by itself: scripts, styles, icons,
  // images, frames, media. Plain links (<a href>) and canonical/alternate
  // metadata are not fetched.
  const fetched = [
    /<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc="(https?:)?\/\/[^"]*"/g,
    /<link\b(?=[^>]*\brel="(?:stylesheet|icon|shortcut icon|preload|modulepreload|manifest|apple-touch-icon)")[^>]*\bhref="(?:https?:)?\/\/[^"]*"/g,
    /url\(\s*['"]?(?:https?:)?\/\//g,
    /@import\s+(?:url\()?['"]?(?:https?:)?\/\//g,
  ];

  test('no page or stylesheet asks the browser to fetch from another host', () => {
    const offenders: string[] = [];
    for (const [path, text] of html) {
      for (const pattern of fetched) for (const match of text.matchAll(pattern)) offenders.push(`${path}: ${match[0]}`);
    }
    for (const file of readdirSync(join(root, '_astro')).filter((f) => f.endsWith('.css'))) {
      const text = readFileSync(join(root, '_astro', file), 'utf8');
      for (const pattern of fetched.slice(2)) for (const match of text.matchAll(pattern)) offenders.push(`${file}: ${match[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  test('every bundled asset has a content hash in its name, so it can be cached forever', () => {
    // (.br and .gz are the node agent's precompressed twins of the same files.)
    const unhashed = readdirSync(join(root, '_astro')).filter((f) => !/\.[\w-]{8}\.\w+(\.br|\.gz)?$/.test(f));
    expect(unhashed).toEqual([]);
  });
});

describe('search indexes per language', () => {
  const english = bookPages().filter((p: { locale: string }) => p.locale === 'en');
  const translated = new Set(bookPages().map((p: { locale: string; slug: string }) => `${p.locale}/${p.slug}`));

  test.each(locales)('English fallback pages under /%s/ are not indexed; translated pages are', (locale) => {
    let fallbacks = 0;
    for (const { slug, path: source } of english) {
      const path = `/${locale}/${slug ? `${slug}/` : ''}`;
      const text = html.get(path);
      expect(text, `${path} was not built`).toBeDefined();
      // A page kept out of search in every language (the 404 page) is not a fallback either.
      if (/^pagefind: false$/m.test(readFileSync(source, 'utf8'))) {
        expect(text!.includes('data-pagefind-body'), `${path} asks to stay out of search`).toBe(false);
        continue;
      }
      if (translated.has(`${locale}/${slug}`)) {
        expect(text!.includes('data-pagefind-body'), `${path} is translated and must be indexed`).toBe(true);
      } else {
        fallbacks += 1;
        expect(text!.includes('data-pagefind-body'), `${path} is an English fallback and must not be indexed`).toBe(false);
      }
    }
    expect(fallbacks).toBeGreaterThan(0);
  });
});

describe('every page is whole', () => {
  test('every page has a title and a description', () => {
    const missing = pages.filter((path) => {
      const text = html.get(path)!;
      const title = /<title>([^<]*)<\/title>/.exec(text)?.[1]?.trim();
      const description = /<meta name="description" content="([^"]*)"/.exec(text)?.[1]?.trim();
      return !title || !description;
    });
    expect(missing).toEqual([]);
  });

  test('every internal link and anchor leads somewhere', () => {
    const broken: string[] = [];
    const ids = (text: string) => new Set([...text.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    for (const [path, text] of html) {
      for (const [, href] of text.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
        if (/^(?:[a-z]+:|\/\/)/i.test(href)) continue;
        const url = new URL(href.replaceAll('&amp;', '&'), `http://book${path}`);
        const target = decodeURIComponent(url.pathname);
        const file = target.endsWith('/') ? join(root, target, 'index.html') : join(root, target);
        if (!existsSync(file)) {
          broken.push(`${path} → ${href}`);
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (fragment && file.endsWith('.html')) {
          const targetText = html.get(target) ?? readFileSync(file, 'utf8');
          if (!ids(targetText).has(fragment)) broken.push(`${path} → ${href} (no such anchor)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  // Counted in the built page, so that pages made from data (the glossary) count too.
  const mainProse = (text: string) =>
    (/<main\b[\s\S]*<\/main>/.exec(text)?.[0] ?? '')
      .replace(/<(script|style|svg|pre)\b[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[a-z#0-9]+;/g, ' ');

  test('no content page is a stub (under 300 words); index pages may be short', () => {
    const stubs = bookPages()
      .filter((p: { isIndex: boolean; locale: string; slug: string }) => !p.isIndex && p.locale === 'en' && p.slug !== '404')
      .map((p: { slug: string }) => {
        const words = countWords(mainProse(html.get(`/${p.slug}/`) ?? ''));
        return { slug: p.slug, words };
      })
      .filter((p: { words: number }) => p.words < 300)
      .map((p: { slug: string; words: number }) => `/${p.slug}/: ${p.words} words`);
    expect(stubs).toEqual([]);
  });
});
