/** `ip -j link` → the machine's network interfaces. */
import { ParseError, asArray, asRecord, numberField, optionalString, parseJson, stringField, stringList } from './parse-error.ts';

export interface Link {
  readonly index: number;
  readonly name: string;
  readonly flags: readonly string[];
  /** UP when the administrator set it up (the UP flag), whatever the carrier. */
  readonly adminUp: boolean;
  readonly operState: string;
  readonly mac: string | undefined;
  readonly mtu: number;
  readonly master: string | undefined;
}

const SOURCE = 'ip -j link';

export function parseIpLink(text: string): Link[] {
  return asArray(SOURCE, parseJson(SOURCE, text)).map((item) => {
    const record = asRecord(SOURCE, item);
    const flags = stringList(SOURCE, record, 'flags');
    const name = stringField(SOURCE, record, 'ifname');
    if (name.length === 0 || name.length > 15) throw new ParseError(SOURCE, 'interface name out of bounds');
    return {
      index: numberField(SOURCE, record, 'ifindex'),
      name,
      flags,
      adminUp: flags.includes('UP'),
      operState: optionalString(SOURCE, record, 'operstate') ?? 'UNKNOWN',
      mac: optionalString(SOURCE, record, 'address'),
      mtu: numberField(SOURCE, record, 'mtu'),
      master: optionalString(SOURCE, record, 'master'),
    };
  });
}
