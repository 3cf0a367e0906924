// `npm run book:stats`: pages and words per part, per language, and in total.
import { bookPages, glossaryEntries, pageWords } from './lib/book-text.mjs';

const rows = new Map();
for (const page of bookPages()) {
  const key = `${page.locale}\t${page.part}`;
  const row = rows.get(key) ?? { locale: page.locale, part: page.part, pages: 0, words: 0 };
  row.pages += 1;
  row.words += pageWords(page.path);
  rows.set(key, row);
}
// The glossary page is built from one small file per term.
for (const entry of glossaryEntries()) {
  const key = `${entry.locale}\tglossary terms`;
  const row = rows.get(key) ?? { locale: entry.locale, part: 'glossary terms', pages: 0, words: 0 };
  row.words += pageWords(entry.path);
  rows.set(key, row);
}

const byLocale = new Map();
console.log('language  part               pages    words');
for (const row of [...rows.values()].sort((a, b) => a.locale.localeCompare(b.locale))) {
  console.log(`${row.locale.padEnd(9)} ${row.part.padEnd(18)} ${String(row.pages).padStart(5)} ${String(row.words).padStart(8)}`);
  const total = byLocale.get(row.locale) ?? { pages: 0, words: 0 };
  total.pages += row.pages;
  total.words += row.words;
  byLocale.set(row.locale, total);
}
console.log('');
for (const [locale, total] of byLocale) {
  console.log(`${locale.padEnd(9)} ${'total'.padEnd(18)} ${String(total.pages).padStart(5)} ${String(total.words).padStart(8)}`);
}
