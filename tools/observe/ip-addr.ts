/** `ip -j addr` → the addresses on each interface. */
import { ParseError, asArray, asRecord, isRecord, numberField, parseJson, stringField } from './parse-error.ts';

export interface Address {
  readonly ifname: string;
  readonly family: 'inet' | 'inet6';
  readonly local: string;
  readonly prefixlen: number;
  readonly scope: string;
  /** IPv6 duplicate address detection still running: the address cannot be used yet (babeld needs it ready). */
  readonly tentative: boolean;
  readonly dadFailed: boolean;
}

const SOURCE = 'ip -j addr';

export function parseIpAddr(text: string): Address[] {
  const out: Address[] = [];
  for (const item of asArray(SOURCE, parseJson(SOURCE, text))) {
    const link = asRecord(SOURCE, item);
    // `ip -j addr` prints an empty object for links it could not describe.
    if (Object.keys(link).length === 0) continue;
    const ifname = stringField(SOURCE, link, 'ifname');
    const infos = link.addr_info === undefined ? [] : asArray(SOURCE, link.addr_info);
    for (const info of infos) {
      if (!isRecord(info) || Object.keys(info).length === 0) continue;
      const family = stringField(SOURCE, info, 'family');
      if (family !== 'inet' && family !== 'inet6') continue;
      const prefixlen = numberField(SOURCE, info, 'prefixlen');
      if (!Number.isInteger(prefixlen) || prefixlen < 0 || prefixlen > (family === 'inet' ? 32 : 128)) {
        throw new ParseError(SOURCE, 'prefix length out of range');
      }
      out.push({
        ifname,
        family,
        local: stringField(SOURCE, info, 'local'),
        prefixlen,
        scope: typeof info.scope === 'string' ? info.scope : 'global',
        tentative: info.tentative === true,
        dadFailed: info.dadfailed === true,
      });
    }
  }
  return out;
}
