import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bookDir } from './helpers/site.ts';

// The glossary page in every locale, read from the built files: one entry per
// English term file, anchored by its file name, in the page's language where
// a translation exists and in English (marked lang="en") where none does.
const root = bookDir();
const glossaryRoot = 'i18n/glossary';

const locales = [
  { folder: 'en', path: '/reference/glossary/', lang: 'en' },
  { folder: 'ar', path: '/ar/reference/glossary/', lang: 'ar' },
  { folder: 'fa', path: '/fa/reference/glossary/', lang: 'fa' },
  { folder: 'zh-cn', path: '/zh-cn/reference/glossary/', lang: 'zh-CN' },
];

function termFiles(folder: string): Map<string, string> {
  const dir = join(glossaryRoot, folder);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((name) => name.endsWith('.md'))
      .map((name) => {
        const text = readFileSync(join(dir, name), 'utf8');
        const term = /^term:\s*(.+)$/m.exec(text)?.[1]?.trim().replace(/^"(.*)"$/, '$1') ?? '';
        return [name.replace(/\.md$/, ''), term];
      }),
  );
}

interface Entry {
  id: string;
  lang: string | undefined;
  term: string;
}

function renderedEntries(path: string): Entry[] {
  const html = readFileSync(join(root, path, 'index.html'), 'utf8');
  const list = /<dl class="byz-glossary[^"]*">([\s\S]*?)<\/dl>/.exec(html)?.[1];
  expect(list, `${path} has no glossary list`).toBeDefined();
  return [...list!.matchAll(/<dt id="([^"]+)"([^>]*)>\s*<a [^>]*>([^<]*)<\/a>/g)].map((m) => ({
    id: m[1]!,
    lang: /\blang="([^"]+)"/.exec(m[2]!)?.[1],
    term: m[3]!.replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
  }));
}

const english = termFiles('en');

test('there are English glossary terms to show', () => {
  expect(english.size).toBeGreaterThan(10);
});

describe.each(locales)('glossary page $path', ({ folder, path, lang }) => {
  const own = termFiles(folder);
  const entries = renderedEntries(path);

  test('shows every English term once, anchored by its file name', () => {
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...english.keys(), ...own.keys()]));
  });

  test('uses the translation where there is one, and marks English fallbacks', () => {
    for (const entry of entries) {
      if (own.has(entry.id)) {
        expect(entry.term, entry.id).toBe(own.get(entry.id));
        expect(entry.lang, `${entry.id} is translated and must not be marked English`).toBeUndefined();
      } else {
        expect(entry.term, entry.id).toBe(english.get(entry.id));
        expect(entry.lang, `${entry.id} is an English fallback`).toBe('en');
      }
    }
  });

  test('is sorted by term in the page language', () => {
    const terms = entries.map((e) => e.term);
    const collator = new Intl.Collator(lang, { sensitivity: 'base' });
    expect(terms).toEqual([...terms].sort(collator.compare));
  });
});
