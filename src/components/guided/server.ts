import { liveAttributes } from '../live/server.ts';
import { ALL_GUIDED_KEYS } from './strings.ts';

/** Shared by every job or login on these views. */
const COMMON = ['guided.visitor', 'guided.login.', 'guided.job.', 'live.loading'];

/**
 * The live views' element attributes (language, direction, strings) plus
 * this view's own strings: those starting with one of `prefixes`, and the
 * login and job strings every operator view shows.
 */
export function guidedAttributes(locals: App.Locals, prefixes: readonly string[]): Record<string, string> {
  const attributes = liveAttributes(locals, prefixes.filter((prefix) => prefix.startsWith('live.')));
  const strings = JSON.parse(attributes['data-strings']!) as Record<string, string>;
  const t = locals.t as unknown as (key: string) => string;
  for (const key of [...ALL_GUIDED_KEYS, 'live.loading']) {
    if ([...COMMON, ...prefixes].some((prefix) => key.startsWith(prefix))) strings[key] = t(key);
  }
  delete strings['live.updated']; // these views show no refresh time
  return { ...attributes, class: 'byz-live byz-guided not-content', 'data-strings': JSON.stringify(strings) };
}
