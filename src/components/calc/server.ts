import { makeFormat, type Format } from './format.ts';
import { clientStrings, type CalcKey } from './strings.ts';

/** What a calculator component needs on the server: the page's language, a typed `t`, a formatter and the browser's strings. */
export function calcContext(locals: App.Locals, keys: readonly CalcKey[]): {
  lang: string;
  dir: 'ltr' | 'rtl';
  t: (key: CalcKey) => string;
  format: Format;
  strings: Record<string, string>;
} {
  const lang = locals.starlightRoute?.lang ?? 'en';
  const t = (key: CalcKey): string => locals.t(key);
  const strings = clientStrings(t, keys);
  // Set on the calculator itself: an untranslated page is an English fallback
  // in a left-to-right container, but the calculator speaks the reader's language.
  const dir = locals.t.dir() === 'rtl' ? 'rtl' : 'ltr';
  return { lang, dir, t, format: makeFormat(lang, strings), strings };
}
