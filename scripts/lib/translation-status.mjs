// How far each translation has come: pages translated, missing and outdated,
// UI strings and glossary terms missing. Used by `npm run i18n:status`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
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

/** The English commit a translation says it was made from (frontmatter `translatedFrom:`), or undefined. */
function translatedFrom(path) {
  const frontmatter = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(path, 'utf8'))?.[1] ?? '';
  return /^translatedFrom:\s*['"]?([0-9a-f]{7,40})['"]?\s*$/m.exec(frontmatter)?.[1];
}

/** Whether `path` differs now from what it was at `commit` (true also when git does not know the commit). */
function changedSince(commit, path, cwd) {
  try {
    execFileSync('git', ['diff', '--quiet', commit, '--', path], { cwd, stdio: 'ignore' });
    return false;
  } catch {
    return true; // exit 1: it changed; anything else: an unknown commit, which the translator must look at too
  }
}

/** The short commit of the English page as it is now, for a translator to write as `translatedFrom:`. */
function currentCommit(path, cwd) {
  try {
    return execFileSync('git', ['log', '-1', '--format=%h', '--', path], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
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
    /** For each outdated page: the English file, the commit the translation was made from (null: not recorded) and the English commit now. */
    const outdatedDetails = {};
    for (const page of english) {
      const translation = translated.get(page.slug);
      if (!translation) {
        missing.push(page.slug);
        continue;
      }
      // The translator's record is the authority; without one, commit times are a guess.
      const from = translatedFrom(translation.path);
      const isOutdated = from
        ? changedSince(from, relative(root, page.path), root)
        : (lastCommitted(page.path, root) ?? 0) > (lastCommitted(translation.path, root) ?? Infinity);
      if (!isOutdated) continue;
      outdated.push(page.slug);
      outdatedDetails[page.slug] = { english: relative(root, page.path), from: from ?? null, now: currentCommit(page.path, root) ?? null };
    }
    const byPriority = (a, b) => priorityRank(a, config.priority) - priorityRank(b, config.priority) || a.localeCompare(b);
    const localKeys = new Set(jsonKeys(join(root, config.uiDir, `${lang}.json`)));
    const localTerms = new Set(mdNames(join(root, config.glossaryDir, locale)));
    return {
      locale,
      pages: { total: english.length, translated: english.length - missing.length, missing: missing.sort(byPriority), outdated, outdatedDetails },
      uiStrings: { total: englishKeys.length, missing: englishKeys.filter((key) => !localKeys.has(key)) },
      glossary: { total: englishTerms.length, missing: englishTerms.filter((t) => !localTerms.has(t)).map((t) => t.slice(0, -3)) },
    };
  });
}
