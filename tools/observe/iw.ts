/** `iw dev` (interfaces and their radio mode) and `iw phy` (modes each radio supports). */
import { ParseError } from './parse-error.ts';

export interface RadioInterface {
  readonly phy: string;
  readonly name: string;
  /** iw's words: "managed", "IBSS", "mesh point", "AP", ... */
  readonly type: string;
  readonly ssid: string | undefined;
  readonly frequency: number | undefined;
}

export interface Radio {
  readonly phy: string;
  readonly modes: string[];
}

export function parseIwDev(text: string): RadioInterface[] {
  const out: RadioInterface[] = [];
  let phy: string | undefined;
  let current: { phy: string; name: string; type: string; ssid: string | undefined; frequency: number | undefined } | undefined;
  const flush = (): void => {
    if (current) out.push({ ...current });
    current = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const phyMatch = /^phy#(\d{1,4})$/.exec(line);
    if (phyMatch && !raw.startsWith('\t')) {
      flush();
      phy = `phy${phyMatch[1]}`;
      continue;
    }
    if (line.startsWith('Interface ')) {
      flush();
      if (phy === undefined) throw new ParseError('iw dev', 'interface outside a phy');
      const name = line.slice('Interface '.length);
      if (!/^[^\s/]{1,15}$/.test(name)) throw new ParseError('iw dev', 'bad interface name');
      current = { phy, name, type: 'unknown', ssid: undefined, frequency: undefined };
      continue;
    }
    if (line.startsWith('Unnamed/non-netdev')) {
      flush();
      continue;
    }
    if (!current) continue;
    if (line.startsWith('type ')) current.type = line.slice(5);
    else if (line.startsWith('ssid ')) current.ssid = line.slice(5);
    else if (line.startsWith('channel ')) {
      const freq = /\((\d{4,5}) MHz\)/.exec(line);
      if (!freq) throw new ParseError('iw dev', 'channel line without a frequency');
      current.frequency = Number(freq[1]);
    }
  }
  flush();
  return out;
}

export function parseIwPhy(text: string): Radio[] {
  const radios: Radio[] = [];
  let current: Radio | undefined;
  let inModes = false;
  for (const raw of text.split('\n')) {
    const wiphy = /^Wiphy (\S{1,32})$/.exec(raw.trimEnd());
    if (wiphy) {
      current = { phy: wiphy[1] as string, modes: [] };
      radios.push(current);
      inModes = false;
      continue;
    }
    const line = raw.trim();
    if (/^Supported interface modes:$/.test(line)) {
      if (!current) throw new ParseError('iw phy', 'modes outside a radio');
      inModes = true;
      continue;
    }
    if (inModes && line.startsWith('* ')) {
      current?.modes.push(line.slice(2).trim());
      continue;
    }
    inModes = false;
  }
  return radios;
}
