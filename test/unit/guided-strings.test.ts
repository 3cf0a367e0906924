import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_GUIDED_KEYS, STEP_KEYS } from '../../src/components/guided/strings.ts';
import { commandLine } from '../../src/guided/render-plan.ts';
import { tokenFrom } from '../../src/guided/session.ts';
import { MESSAGES } from '../../tools/plan/messages.ts';

const load = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../../i18n/ui/${lang}.json`, import.meta.url), 'utf8'));
const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();
const english = load('en');

describe('guided setup and operator UI strings', () => {
  it('lists every guided.* and operate.* key English has, and English has every listed key', () => {
    expect(Object.keys(english).filter((key) => /^(guided|operate)\./.test(key)).sort()).toEqual([...ALL_GUIDED_KEYS].sort());
  });

  it("translates each of the setup tools' step messages with the same placeholders", () => {
    for (const [key, text] of Object.entries(MESSAGES)) {
      expect(STEP_KEYS).toContain(`guided.step.${key}`);
      expect(placeholders(english[`guided.step.${key}`]!), key).toEqual(placeholders(text));
    }
  });

  it.each(['ar', 'fa', 'zh-CN'])('%s translates every key and keeps its {placeholders}', (lang) => {
    const strings = load(lang);
    for (const key of ALL_GUIDED_KEYS) {
      expect(strings[key]?.trim(), `${lang} ${key}`).toBeTruthy();
      expect(placeholders(strings[key]!), `${lang} ${key}`).toEqual(placeholders(english[key]!));
    }
  });
});

describe('plan display helpers', () => {
  it('shows an argv as a command line, quoting what a shell would split', () => {
    expect(commandLine(['ip', 'addr', 'add', '10.1.2.3/32', 'dev', 'wlan0'])).toBe('ip addr add 10.1.2.3/32 dev wlan0');
    expect(commandLine(['iw', 'dev', 'wlan0', 'ibss', 'join', "Bob's mesh", '2412'])).toBe(`iw dev wlan0 ibss join 'Bob'\\''s mesh' 2412`);
  });

  it('takes the token out of a pasted login link, and refuses anything else', () => {
    expect(tokenFrom('  http://localhost:4321/operator/login#abcDEF0123456789.xyz_-  ')).toBe('abcDEF0123456789.xyz_-');
    expect(tokenFrom('abcDEF0123456789abc')).toBe('abcDEF0123456789abc');
    expect(tokenFrom('http://x/operator/login#<script>')).toBeNull();
    expect(tokenFrom('')).toBeNull();
  });
});
