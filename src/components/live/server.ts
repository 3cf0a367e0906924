import { LIVE_KEYS, type LiveKey } from './strings.ts';

/** Attributes every live view's custom element carries: its language, direction and the strings its script needs. */
export function liveAttributes(locals: App.Locals): Record<string, string> {
  const lang = locals.starlightRoute?.lang ?? 'en';
  return {
    class: 'byz-live not-content',
    lang,
    // The view speaks the reader's language even inside an untranslated (English, left-to-right) page.
    dir: locals.t.dir() === 'rtl' ? 'rtl' : 'ltr',
    'data-lang': lang,
    'data-strings': JSON.stringify(Object.fromEntries(LIVE_KEYS.map((key: LiveKey) => [key, locals.t(key)]))),
  };
}
