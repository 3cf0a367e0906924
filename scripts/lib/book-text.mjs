// Reads the book's page sources and counts their words, for `npm run
// book:stats` and the test that no page is a stub.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const locales = ['ar', 'fa', 'zh-cn'];

/** Every page source under content/docs, with its locale ('en' for the root) and part. */
export function bookPages(root = 'content/docs') {
  const pages = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.mdx?$/.test(name)) {
        const parts = relative(root, path).split(sep);
        const locale = locales.includes(parts[0]) ? parts.shift() : 'en';
        const part = parts.length > 1 ? parts[0] : '(home)';
        const slug = parts.join('/').replace(/\.mdx?$/, '').replace(/(^|\/)index$/, '');
        pages.push({ path, locale, part, slug, isIndex: /(^|\/)index\.mdx?$/.test(parts.join('/')) });
      }
    }
  };
  walk(root);
  return pages;
}

/**
 * The prose of an MDX page: no frontmatter, imports, code blocks, inline
 * SVG, component tags or markup; link text stays, link targets go.
 */
export function prose(source) {
  return source
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^(import|export) .*$/gm, '')
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#*_`|>{}]/g, ' ');
}

/** Words in a text; each Han character counts as one word, as is usual for Chinese. */
export function countWords(text) {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const other = text.replace(/\p{Script=Han}/gu, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)?.length ?? 0;
  return han + other;
}

export function pageWords(path) {
  return countWords(prose(readFileSync(path, 'utf8')));
}

/** The glossary's term files: i18n/glossary/<locale>/<term>.md. */
export function glossaryEntries(root = 'i18n/glossary') {
  let dirs = [];
  try {
    dirs = readdirSync(root);
  } catch {
    return [];
  }
  return dirs.flatMap((locale) =>
    readdirSync(join(root, locale))
      .filter((name) => name.endsWith('.md'))
      .map((name) => ({ locale, path: join(root, locale, name) })),
  );
}
