/**
 * babeld's local control interface (`dump` on the socket set by local-path):
 * lines "add <kind> <id> key value ...". Other nodes' routes arrive here, so
 * every value is checked before anything else reads it.
 */
import { ParseError } from './parse-error.ts';

export interface BabelInterface {
  readonly name: string;
  readonly up: boolean;
  readonly ipv4: string | undefined;
  readonly ipv6: string | undefined;
}
export interface BabelNeighbour {
  readonly id: string;
  readonly address: string;
  readonly ifname: string;
  readonly reach: string;
  readonly cost: number;
}
export interface BabelRoute {
  readonly prefix: string;
  readonly from: string;
  readonly installed: boolean;
  readonly routerId: string;
  readonly metric: number;
  readonly via: string;
  readonly ifname: string;
}
export interface BabelXroute {
  readonly prefix: string;
  readonly metric: number;
}
export interface BabelDump {
  readonly version: string | undefined;
  readonly myId: string | undefined;
  readonly interfaces: BabelInterface[];
  readonly neighbours: BabelNeighbour[];
  readonly routes: BabelRoute[];
  readonly xroutes: BabelXroute[];
}

const SOURCE = 'babeld dump';
const TOKEN = /^[\x21-\x7e]{1,128}$/;
const PREFIX = /^[0-9a-fA-F:.]{2,45}\/\d{1,3}$/;
const ADDRESS = /^[0-9a-fA-F:.]{2,45}$/;
const IFNAME = /^[^\s/]{1,15}$/;
const METRIC = /^\d{1,5}$/;

function fields(tokens: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < tokens.length; i += 2) map.set(tokens[i] as string, tokens[i + 1] as string);
  return map;
}

function need(map: Map<string, string>, key: string, pattern: RegExp): string {
  const value = map.get(key);
  if (value === undefined || !pattern.test(value)) throw new ParseError(SOURCE, `bad or missing "${key}"`);
  return value;
}

function optional(map: Map<string, string>, key: string, pattern: RegExp): string | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new ParseError(SOURCE, `bad "${key}"`);
  return value;
}

export function parseBabeldDump(text: string): BabelDump {
  const dump: BabelDump = { version: undefined, myId: undefined, interfaces: [], neighbours: [], routes: [], xroutes: [] };
  let sawHeader = false;
  let version: string | undefined;
  let myId: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || line === 'ok') continue;
    const tokens = line.split(' ');
    if (!tokens.every((token) => TOKEN.test(token))) throw new ParseError(SOURCE, 'unexpected characters');
    const [verb, kind, id, ...rest] = tokens;
    if (verb === 'BABEL') {
      sawHeader = true;
      continue;
    }
    if (verb === 'version' || verb === 'host' || verb === 'my-id') {
      if (verb === 'version') version = kind;
      if (verb === 'my-id') myId = kind;
      continue;
    }
    if (verb === 'bad' || verb === 'no') throw new ParseError(SOURCE, `babeld answered "${verb}"`);
    if (verb !== 'add' && verb !== 'change') {
      if (verb === 'flush') continue;
      throw new ParseError(SOURCE, `unknown line "${verb ?? ''}"`);
    }
    if (kind === undefined || id === undefined) throw new ParseError(SOURCE, 'short line');
    const map = fields(rest);
    if (kind === 'interface') {
      if (!IFNAME.test(id)) throw new ParseError(SOURCE, 'bad interface name');
      dump.interfaces.push({
        name: id,
        up: need(map, 'up', /^(true|false)$/) === 'true',
        ipv4: optional(map, 'ipv4', ADDRESS),
        ipv6: optional(map, 'ipv6', ADDRESS),
      });
    } else if (kind === 'neighbour') {
      dump.neighbours.push({
        id,
        address: need(map, 'address', ADDRESS),
        ifname: need(map, 'if', IFNAME),
        reach: need(map, 'reach', /^[0-9a-f]{4}$/),
        cost: Number(need(map, 'cost', METRIC)),
      });
    } else if (kind === 'route') {
      dump.routes.push({
        prefix: need(map, 'prefix', PREFIX),
        from: need(map, 'from', PREFIX),
        installed: need(map, 'installed', /^(yes|no)$/) === 'yes',
        routerId: need(map, 'id', /^[0-9a-f:]{1,64}$/),
        metric: Number(need(map, 'metric', METRIC)),
        via: need(map, 'via', ADDRESS),
        ifname: need(map, 'if', IFNAME),
      });
    } else if (kind === 'xroute') {
      dump.xroutes.push({ prefix: need(map, 'prefix', PREFIX), metric: Number(need(map, 'metric', METRIC)) });
    }
    // Other kinds (future babeld versions) carry nothing the tools use.
  }
  if (!sawHeader) throw new ParseError(SOURCE, 'no "BABEL" greeting');
  return { ...dump, version, myId };
}
