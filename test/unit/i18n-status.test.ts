import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { translationStatus } from '../../scripts/lib/translation-status.mjs';

const config = {
  contentDir: 'content/docs',
  uiDir: 'i18n/ui',
  glossaryDir: 'i18n/glossary',
  locales: { ar: 'ar' },
  priority: ['start/safety-first', 'start/*'],
};

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'byz-i18n-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      cwd: root,
      env: { ...process.env, GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
    });
  git('init', '-q');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git('add', '-A');
  git('commit', '-qm', 'one');
  return root;
}

test('reports missing pages by priority, UI strings and glossary terms a language lacks', () => {
  const root = repo({
    'content/docs/start/index.mdx': 'x',
    'content/docs/start/safety-first.mdx': 'x',
    'content/docs/setup/babel.mdx': 'x',
    'content/docs/ar/start/index.mdx': 'x',
    'i18n/ui/en.json': '{"calc.a": "A", "calc.b": "B"}',
    'i18n/ui/ar.json': '{"calc.a": "أ"}',
    'i18n/glossary/en/babel.md': '---\nterm: Babel\n---\nx',
    'i18n/glossary/en/node.md': '---\nterm: Node\n---\nx',
    'i18n/glossary/ar/node.md': '---\nterm: عقدة\n---\nx',
  });
  const [ar] = translationStatus(root, config);
  expect(ar.pages).toEqual({ total: 3, translated: 1, missing: ['start/safety-first', 'setup/babel'], outdated: [], outdatedDetails: {} });
  expect(ar.uiStrings).toEqual({ total: 2, missing: ['calc.b'] });
  expect(ar.glossary).toEqual({ total: 2, missing: ['babel'] });
});

test('a translation whose English page was committed later is outdated', () => {
  const root = repo({ 'content/docs/start/index.mdx': 'one', 'content/docs/ar/start/index.mdx': 'واحد' });
  writeFileSync(join(root, 'content/docs/start/index.mdx'), 'two');
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'two'], {
    cwd: root,
    env: { ...process.env, GIT_COMMITTER_DATE: '2026-02-01T00:00:00Z' },
  });
  expect(translationStatus(root, config)[0].pages.outdated).toEqual(['start']);
});

/** Commits the files (at the given time) in an existing test repository; returns the new commit's short hash. */
function commit(root: string, files: Record<string, string>, date: string): string {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_COMMITTER_DATE: date } });
  git('commit', '-qam', date);
  return git('log', '-1', '--format=%h').trim();
}

const translation = (from: string, text = 'واحد') => `---\ntitle: x\ntranslatedFrom: '${from}'\n---\n${text}`;

test('a translation that records the English commit it matches is current, whatever the commit times say', () => {
  const root = repo({ 'content/docs/start/index.mdx': 'one', 'content/docs/ar/start/index.mdx': 'واحد' });
  const english = commit(root, { 'content/docs/start/index.mdx': 'one, corrected' }, '2026-02-01T00:00:00Z');
  // Committed with an earlier time than the English change, as a rebase leaves it: by times it would look outdated.
  commit(root, { 'content/docs/ar/start/index.mdx': translation(english) }, '2026-01-15T00:00:00Z');
  expect(translationStatus(root, config)[0].pages.outdated).toEqual([]);
});

test('a translation made from an older English page is outdated, even if committed after the change, and says what to compare', () => {
  const root = repo({ 'content/docs/start/index.mdx': 'one', 'content/docs/ar/start/index.mdx': 'واحد' });
  const old = execFileSync('git', ['log', '-1', '--format=%h'], { cwd: root, encoding: 'utf8' }).trim();
  const now = commit(root, { 'content/docs/start/index.mdx': 'two' }, '2026-02-01T00:00:00Z');
  commit(root, { 'content/docs/ar/start/index.mdx': translation(old) }, '2026-03-01T00:00:00Z');
  const { pages } = translationStatus(root, config)[0];
  expect(pages.outdated).toEqual(['start']);
  expect((pages.outdatedDetails as Record<string, unknown>).start).toEqual({ english: 'content/docs/start/index.mdx', from: old, now });
});

test('a translation naming a commit git does not know is outdated (the translator must look)', () => {
  const root = repo({ 'content/docs/start/index.mdx': 'one', 'content/docs/ar/start/index.mdx': translation('deadbeef') });
  expect(translationStatus(root, config)[0].pages.outdated).toEqual(['start']);
});
