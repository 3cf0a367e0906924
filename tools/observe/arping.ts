/**
 * arping from iputils (Debian's "iputils-arping" package) run as
 * `arping -D -I DEV -c N -w S ADDRESS`: duplicate address detection, probes
 * sent from 0.0.0.0. Its exit status says it all (0 free, 1 a reply came,
 * 2 could not probe); the parsed replies name who holds the address.
 */
import { ParseError } from './parse-error.ts';

export interface ArpingResult {
  readonly address: string;
  /** MAC addresses that answered, lower case; empty when the address is free on this link. */
  readonly answeredBy: string[];
}

const SOURCE = 'arping';
const HEADER = /^ARPING (\d{1,3}(?:\.\d{1,3}){3}) from \S+ \S+$/;
const REPLY = /^(?:Unicast|Broadcast) reply from (\d{1,3}(?:\.\d{1,3}){3}) \[([0-9a-f]{2}(?::[0-9a-f]{2}){5})\]/i;

export function parseArping(text: string): ArpingResult {
  const lines = text.split('\n');
  const header = lines.map((line) => HEADER.exec(line.trim())).find((match) => match !== null);
  if (!header) throw new ParseError(SOURCE, 'no "ARPING ADDRESS from SOURCE DEV" header');
  const address = header[1] as string;
  const answeredBy = new Set<string>();
  for (const line of lines) {
    const match = REPLY.exec(line.trim());
    if (match && match[1] === address) answeredBy.add((match[2] as string).toLowerCase());
  }
  return { address, answeredBy: [...answeredBy] };
}

/** What arping's exit status says about the address: 0 free, 1 in use, anything else unknown (no probe went out). */
export function arpingVerdict(exitCode: number): boolean | undefined {
  return exitCode === 0 ? false : exitCode === 1 ? true : undefined;
}
