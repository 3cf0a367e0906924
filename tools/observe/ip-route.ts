/** `ip -j route` → the routing table (main table unless asked otherwise). */
import { asArray, asRecord, optionalNumber, optionalString, parseJson, stringField, stringList } from './parse-error.ts';

export interface Route {
  /** "default" or a prefix; a host route is written without /32 by ip. */
  readonly dst: string;
  readonly gateway: string | undefined;
  readonly dev: string | undefined;
  readonly protocol: string;
  readonly type: string;
  readonly metric: number | undefined;
  readonly flags: readonly string[];
}

const SOURCE = 'ip -j route';

export function parseIpRoute(text: string): Route[] {
  return asArray(SOURCE, parseJson(SOURCE, text)).map((item) => {
    const record = asRecord(SOURCE, item);
    return {
      dst: stringField(SOURCE, record, 'dst'),
      gateway: optionalString(SOURCE, record, 'gateway'),
      dev: optionalString(SOURCE, record, 'dev'),
      protocol: optionalString(SOURCE, record, 'protocol') ?? 'boot',
      type: optionalString(SOURCE, record, 'type') ?? 'unicast',
      metric: optionalNumber(SOURCE, record, 'metric'),
      flags: stringList(SOURCE, record, 'flags'),
    };
  });
}
