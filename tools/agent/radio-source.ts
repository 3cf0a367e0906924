/**
 * What GET /api/v1/radio reports: this node's mesh radios (ad-hoc or 802.11s
 * interfaces), read with `iw` through the observe parsers. One reading
 * serves every request for two seconds, as the mesh source does for babeld.
 * Stations leave only as the pseudonym of their link-local address, the
 * same pseudonym /neighbours and /topology use: anyone on the mesh may ask,
 * and a MAC address is the identity of someone's laptop. The address comes
 * from the kernel's neighbour table when it knows the station (right even
 * for stable-privacy addresses), else from the MAC (EUI-64).
 */
import { CommandError, tryRun, type RunResult } from '../common/run.ts';
import type { RadioInterface } from '../contract/schemas.ts';
import { parseIwDev } from '../observe/iw.ts';
import { parseIwInfo, parseIwStationDump } from '../observe/iw-station.ts';
import { linkLocalFromMac } from '../observe/mac-link-local.ts';
import { linkLocalByMac, parseIpNeigh } from '../observe/ip-neigh.ts';
import { ParseError } from '../observe/parse-error.ts';
import { HttpError } from './http-io.ts';
import type { LinkLocalPseudonym } from './link-local-pseudonym.ts';

export interface RadioSource {
  radios(): Promise<RadioInterface[]>;
}

/** Runs `iw` with these arguments; the real one runs the program, tests hand in recorded output (there is no radio to read). */
export type RunIw = (args: readonly string[]) => Promise<RunResult>;
/** Runs `ip` with these arguments (the neighbour table); tests may hand in recorded output. */
export type RunIp = (args: readonly string[]) => Promise<RunResult>;

/** The modes a Byzantium mesh uses: ad-hoc (IBSS) and 802.11s. */
const MESH_MODES = new Set(['IBSS', 'mesh point']);
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

const runIwProgram: RunIw = (args) => tryRun({}, ['iw', ...args], { timeoutMs: 5000 });
const runIpProgram: RunIp = (args) => tryRun({}, ['ip', ...args], { timeoutMs: 5000 });

const whole = (value: number | undefined): number | null => (value === undefined ? null : Math.round(value));

export class IwRadioSource implements RadioSource {
  private readonly pseudonym: LinkLocalPseudonym;
  private readonly runIw: RunIw;
  private readonly runIp: RunIp;
  private cached: { at: number; radios: Promise<RadioInterface[]> } | null = null;

  constructor(options: { pseudonym: LinkLocalPseudonym; runIw?: RunIw; runIp?: RunIp }) {
    this.pseudonym = options.pseudonym;
    this.runIw = options.runIw ?? runIwProgram;
    this.runIp = options.runIp ?? runIpProgram;
  }

  radios(): Promise<RadioInterface[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > 2000) this.cached = { at: now, radios: this.read() };
    return this.cached.radios;
  }

  private async read(): Promise<RadioInterface[]> {
    try {
      const list = await this.runIw(['dev']);
      // No iw, or no wireless at all (nl80211 not found): a node without a radio, not an error.
      if (list.exitCode !== 0) return [];
      const mesh = parseIwDev(list.stdout).filter((radio) => MESH_MODES.has(radio.type) && SAFE_NAME.test(radio.name));
      return await Promise.all(mesh.map((radio) => this.readInterface(radio.name)));
    } catch (error) {
      if (error instanceof CommandError) return [];
      if (error instanceof ParseError) throw new HttpError(503, 'radio_unreadable', error.message);
      throw error;
    }
  }

  private async readInterface(name: string): Promise<RadioInterface> {
    const [info, dump, neigh] = await Promise.all([
      this.runIw(['dev', name, 'info']),
      this.runIw(['dev', name, 'station', 'dump']),
      this.runIp(['-j', '-6', 'neigh', 'show', 'dev', name]),
    ]);
    if (info.exitCode !== 0) throw new HttpError(503, 'radio_unreadable', `iw dev ${name} info failed`);
    const details = parseIwInfo(info.stdout);
    const stations = dump.exitCode === 0 ? parseIwStationDump(dump.stdout) : [];
    const known = neigh.exitCode === 0 ? linkLocalByMac(parseIpNeigh(neigh.stdout)) : new Map<string, string>();
    return {
      interface: name,
      mode: details.type,
      frequencyMHz: details.frequencyMHz ?? null,
      channel: details.channel ?? null,
      txPowerDbm: details.txPowerDbm ?? null,
      stations: stations.slice(0, 256).flatMap((station) => {
        const address = known.get(station.mac.toLowerCase()) ?? linkLocalFromMac(station.mac);
        if (address === undefined) return [];
        return [{ neighbour: this.pseudonym(address), signalDbm: whole(station.signalDbm), averageSignalDbm: whole(station.signalAvgDbm) }];
      }),
    };
  }
}
