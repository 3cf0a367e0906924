import { LIVE_KEYS, type LiveKey } from './strings.ts';

// What every view can say about the node itself; each view adds its own strings.
const COMMON = ['live.absent', 'live.unavailable', 'live.invalid', 'live.updated'];

/**
 * Attributes every live view's custom element carries: its language,
 * direction and only the strings its script needs (`prefixes` picks the
 * view's own), since each one is sent to every phone that opens the page.
 */
export function liveAttributes(locals: App.Locals, prefixes: readonly string[]): Record<string, string> {
  const keys = LIVE_KEYS.filter((key) => COMMON.includes(key) || prefixes.some((prefix) => key.startsWith(prefix)));
  const lang = locals.starlightRoute?.lang ?? 'en';
  return {
    class: 'byz-live not-content',
    lang,
    // The view speaks the reader's language even inside an untranslated (English, left-to-right) page.
    dir: locals.t.dir() === 'rtl' ? 'rtl' : 'ltr',
    'data-lang': lang,
    'data-strings': JSON.stringify(Object.fromEntries(keys.map((key: LiveKey) => [key, locals.t(key)]))),
  };
}
