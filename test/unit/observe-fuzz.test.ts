// Random and mutated input must only ever make a parser return or throw ParseError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpLink } from '../../tools/observe/ip-link.ts';
import { parseIpAddr } from '../../tools/observe/ip-addr.ts';
import { parseIpRoute } from '../../tools/observe/ip-route.ts';
import { parseIpNeigh } from '../../tools/observe/ip-neigh.ts';
import { parseBabeldDump } from '../../tools/observe/babeld.ts';
import { parseDnsmasqLeases } from '../../tools/observe/dnsmasq-leases.ts';
import { parseArping } from '../../tools/observe/arping.ts';
import { parseIwDev, parseIwPhy } from '../../tools/observe/iw.ts';
import { ParseError } from '../../tools/observe/parse-error.ts';
import { seededRandom } from '../../tools/plan/random.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/observe/${name}`, import.meta.url), 'utf8');

const parsers: [string, (text: string) => unknown, string][] = [
  ['ip link', parseIpLink, 'ip-link-node.json'],
  ['ip addr', parseIpAddr, 'ip-addr-node.json'],
  ['ip route', parseIpRoute, 'ip-route-node.json'],
  ['ip neigh', parseIpNeigh, 'ip-neigh-mesh.json'],
  ['babeld dump', parseBabeldDump, 'babeld-dump-two-nodes.txt'],
  ['dnsmasq leases', parseDnsmasqLeases, 'dnsmasq-leases-one-phone.txt'],
  ['arping', parseArping, 'arping-in-use.txt'],
  ['iw dev', parseIwDev, 'iw-dev-managed.txt'],
  ['iw phy', parseIwPhy, 'iw-phy-modes.txt'],
];

const ALPHABET = ' \n\t{}[]":,.0123456789abcdefz/-_\\\u0000\u00e9nulltrue';

function mutate(text: string, random: ReturnType<typeof seededRandom>): string {
  const chars = [...text];
  const edits = 1 + random.below(6);
  for (let i = 0; i < edits; i++) {
    const at = random.below(chars.length + 1);
    const kind = random.below(3);
    const ch = ALPHABET[random.below(ALPHABET.length)] as string;
    if (kind === 0) chars.splice(at, 1);
    else if (kind === 1) chars.splice(at, 0, ch);
    else chars[at] = ch;
  }
  return chars.join('');
}

function onlyParseErrors(parse: (text: string) => unknown, input: string): void {
  try {
    parse(input);
  } catch (error) {
    if (!(error instanceof ParseError)) throw new Error(`threw ${String(error)} for ${JSON.stringify(input.slice(0, 200))}`);
  }
}

describe('parser fuzzing', () => {
  for (const [name, parse, file] of parsers) {
    it(`${name}: mutated real output and random text only ever throw ParseError`, () => {
      const random = seededRandom(`fuzz-${name}`);
      const base = fixture(file);
      for (let i = 0; i < 1500; i++) onlyParseErrors(parse, mutate(base, random));
      for (let i = 0; i < 500; i++) {
        const length = random.below(200);
        let text = '';
        for (let j = 0; j < length; j++) text += ALPHABET[random.below(ALPHABET.length)];
        onlyParseErrors(parse, text);
      }
      for (const odd of ['', 'null', '[null]', '[{}]', '[1]', '{"__proto__":{}}', '[{"ifname":{}}]', '\u0000']) onlyParseErrors(parse, odd);
      expect(true).toBe(true);
    });
  }
});
