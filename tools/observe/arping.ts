/**
 * arping (Thomas Habets' arping 2.x, Debian's "arping" package) run as
 * `arping -0 -i DEV -c N ADDRESS`: a probe from 0.0.0.0, like duplicate
 * address detection. Each reply names a machine already using the address.
 */
import { ParseError } from './parse-error.ts';

export interface ArpingResult {
  readonly address: string;
  /** MAC addresses that answered; empty when the address is free on this link. */
  readonly answeredBy: string[];
}

const SOURCE = 'arping';
const REPLY = /^\d+ bytes from ([0-9a-f]{2}(?::[0-9a-f]{2}){5}) \(([\d.]+)\): index=\d+/i;

export function parseArping(text: string): ArpingResult {
  const lines = text.split('\n');
  const header = lines.find((line) => line.startsWith('ARPING '));
  if (header === undefined) throw new ParseError(SOURCE, 'no "ARPING" header');
  const address = header.slice('ARPING '.length).trim();
  if (!/^[\d.]{7,15}$/.test(address)) throw new ParseError(SOURCE, 'bad address in header');
  const answeredBy = new Set<string>();
  for (const line of lines) {
    const match = REPLY.exec(line);
    if (match && match[2] === address) answeredBy.add((match[1] as string).toLowerCase());
  }
  return { address, answeredBy: [...answeredBy] };
}
