/**
 * `iw dev <if> info` (one interface's channel and transmit power) and
 * `iw dev <if> station dump` (the stations it hears, with their signal).
 * Formats of iw 5.19. Station MAC addresses are hardware identities: they
 * stay inside the node (radio-source.ts turns them into pseudonyms).
 */
import { ParseError } from './parse-error.ts';

export interface InterfaceInfo {
  readonly name: string;
  /** iw's words: "managed", "IBSS", "mesh point", "AP", ... */
  readonly type: string;
  readonly channel: number | undefined;
  readonly frequencyMHz: number | undefined;
  readonly txPowerDbm: number | undefined;
}

export interface Station {
  /** Lower case, colon-separated. */
  readonly mac: string;
  /** Signal of the last frames heard, dBm. */
  readonly signalDbm: number | undefined;
  /** The driver's running average, dBm. */
  readonly signalAvgDbm: number | undefined;
  readonly inactiveMs: number | undefined;
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;

export function parseIwInfo(text: string): InterfaceInfo {
  const info: { name: string | undefined; type: string; channel?: number; frequencyMHz?: number; txPowerDbm?: number } = { name: undefined, type: 'unknown' };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('Interface ')) {
      if (info.name !== undefined) throw new ParseError('iw info', 'more than one interface');
      const name = line.slice('Interface '.length);
      if (!/^[^\s/]{1,15}$/.test(name)) throw new ParseError('iw info', 'bad interface name');
      info.name = name;
    } else if (info.name === undefined) {
      continue;
    } else if (line.startsWith('type ')) {
      info.type = line.slice(5);
    } else if (line.startsWith('channel ')) {
      const channel = /^channel (\d{1,3}) \((\d{4,5}) MHz\)/.exec(line);
      if (!channel) throw new ParseError('iw info', 'channel line without a channel and frequency');
      info.channel = Number(channel[1]);
      info.frequencyMHz = Number(channel[2]);
    } else if (line.startsWith('txpower ')) {
      const power = /^txpower (-?\d{1,3}(?:\.\d{1,2})?) dBm$/.exec(line);
      if (!power) throw new ParseError('iw info', 'txpower line without dBm');
      info.txPowerDbm = Number(power[1]);
    }
  }
  if (info.name === undefined) throw new ParseError('iw info', 'no interface');
  return { name: info.name, type: info.type, channel: info.channel, frequencyMHz: info.frequencyMHz, txPowerDbm: info.txPowerDbm };
}

/** "-61 [-63, -64] dBm" or "-61 dBm": the first number, the combined signal (the brackets are per antenna chain). */
function readSignal(value: string): number {
  const signal = /^(-?\d{1,3})(?: \[[-\d, ]{0,40}\])? dBm$/.exec(value);
  if (!signal) throw new ParseError('iw station dump', 'signal without dBm');
  return Number(signal[1]);
}

export function parseIwStationDump(text: string): Station[] {
  const stations: Station[] = [];
  let current: { mac: string; signalDbm?: number; signalAvgDbm?: number; inactiveMs?: number } | undefined;
  const flush = () => {
    if (current) stations.push({ mac: current.mac, signalDbm: current.signalDbm, signalAvgDbm: current.signalAvgDbm, inactiveMs: current.inactiveMs });
    current = undefined;
  };
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    if (raw.startsWith('Station ')) {
      flush();
      const mac = /^Station (\S+) \(on [^\s/]{1,15}\)$/.exec(raw.trimEnd())?.[1];
      if (mac === undefined || !MAC.test(mac)) throw new ParseError('iw station dump', 'bad station line');
      current = { mac: mac.toLowerCase() };
      continue;
    }
    if (!current) throw new ParseError('iw station dump', 'details before any station');
    const colon = raw.indexOf(':');
    if (colon < 0) continue;
    const key = raw.slice(0, colon).trim();
    const value = raw.slice(colon + 1).trim();
    if (key === 'signal') current.signalDbm = readSignal(value);
    else if (key === 'signal avg') current.signalAvgDbm = readSignal(value);
    else if (key === 'inactive time') {
      const ms = /^(\d{1,10}) ms$/.exec(value);
      if (!ms) throw new ParseError('iw station dump', 'inactive time without ms');
      current.inactiveMs = Number(ms[1]);
    }
  }
  flush();
  return stations;
}
