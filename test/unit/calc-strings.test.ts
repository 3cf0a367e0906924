import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALC_KEYS } from '../../src/components/calc/strings.ts';

const load = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../../i18n/ui/${lang}.json`, import.meta.url), 'utf8'));
const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();
const english = load('en');

describe('calculator UI strings', () => {
  it('lists every calc.* key English has, and English has every listed key', () => {
    const inEnglish = Object.keys(english).filter((key) => key.startsWith('calc.'));
    expect(inEnglish.sort()).toEqual([...CALC_KEYS].sort());
  });

  it.each(['ar', 'fa', 'zh-CN'])('%s translates every key and keeps its {placeholders}', (lang) => {
    const strings = load(lang);
    for (const key of CALC_KEYS) {
      expect(strings[key], `${lang} ${key}`).toBeTypeOf('string');
      expect(strings[key]!.trim(), `${lang} ${key}`).not.toBe('');
      expect(placeholders(strings[key]!), `${lang} ${key}`).toEqual(placeholders(english[key]!));
    }
  });

  it('gives every unit a {value} slot in every language', () => {
    for (const lang of ['en', 'ar', 'fa', 'zh-CN']) {
      for (const key of CALC_KEYS.filter((k) => k.startsWith('calc.unit.'))) {
        expect(load(lang)[key], `${lang} ${key}`).toContain('{value}');
      }
    }
  });
});
