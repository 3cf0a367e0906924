import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIVE_KEYS } from '../../src/components/live/strings.ts';

const load = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../../i18n/ui/${lang}.json`, import.meta.url), 'utf8'));
const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();
const english = load('en');

describe('live view UI strings', () => {
  it('lists every live.* key English has, and English has every listed key', () => {
    expect(Object.keys(english).filter((key) => key.startsWith('live.')).sort()).toEqual([...LIVE_KEYS].sort());
  });

  it.each(['ar', 'fa', 'zh-CN'])('%s translates every key and keeps its {placeholders}', (lang) => {
    const strings = load(lang);
    for (const key of LIVE_KEYS) {
      expect(strings[key]?.trim(), `${lang} ${key}`).toBeTruthy();
      expect(placeholders(strings[key]!), `${lang} ${key}`).toEqual(placeholders(english[key]!));
    }
  });
});
