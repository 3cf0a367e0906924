// How far each translation has come: pages translated, missing and outdated,
// UI strings and glossary terms missing. Used by `npm run i18n:status`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bookPages } from './book-text.mjs';

/** Unix time of the last commit that touched `path`, or undefined outside git or for an uncommitted file. */
function lastCommitted(path, cwd) {
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%ct', '--', path], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.trim() ? Number(out.trim()) : undefined;
  } catch {
    return undefined;
  }
}

function priorityRank(slug, priority) {
  const rank = priority.findIndex((p) => (p.endsWith('*') ? slug.startsWith(p.slice(0, -1)) : slug === p || (p === 'index' && slug === '')));
  return rank === -1 ? priority.length : rank;
}

function jsonKeys(path) {
  return existsSync(path) ? Object.keys(JSON.parse(readFileSync(path, 'utf8'))) : [];
}

function mdNames(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.md')) : [];
}

/** @param {string} root the project directory; @param {object} config i18n/status.config.json */
export function translationStatus(root, config) {
  const pages = bookPages(join(root, config.contentDir));
  const english = pages.filter((p) => p.locale === 'en');
  const englishKeys = jsonKeys(join(root, config.uiDir, 'en.json'));
  const englishTerms = mdNames(join(root, config.glossaryDir, 'en'));
  return Object.entries(config.locales).map(([locale, lang]) => {
    const translated = new Map(pages.filter((p) => p.locale === locale).map((p) => [p.slug, p]));
    const missing = [];
    const outdated = [];
    for (const page of english) {
      const translation = translated.get(page.slug);
      if (!translation) {
        missing.push(page.slug);
        continue;
      }
      const source = lastCommitted(page.path, root);
      const target = lastCommitted(translation.path, root);
      if (source !== undefined && target !== undefined && source > target) outdated.push(page.slug);
    }
    const byPriority = (a, b) => priorityRank(a, config.priority) - priorityRank(b, config.priority) || a.localeCompare(b);
    const localKeys = new Set(jsonKeys(join(root, config.uiDir, `${lang}.json`)));
    const localTerms = new Set(mdNames(join(root, config.glossaryDir, locale)));
    return {
      locale,
      pages: { total: english.length, translated: english.length - missing.length, missing: missing.sort(byPriority), outdated },
      uiStrings: { total: englishKeys.length, missing: englishKeys.filter((key) => !localKeys.has(key)) },
      glossary: { total: englishTerms.length, missing: englishTerms.filter((t) => !localTerms.has(t)).map((t) => t.slice(0, -3)) },
    };
  });
}
