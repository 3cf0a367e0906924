/** Turns `byz setup` options into SetupChoices, filling defaults from what was observed. */
import { parseCommandArgs } from '../byz/parse-options.ts';
import { EXIT, UserError } from '../common/errors.ts';
import { DEFAULT_PATHS, DEFAULT_RADIO, DEFAULT_CLIENT_RANGE, DEFAULT_MESH_RANGE, type SetupChoices } from '../plan/choices.ts';
import type { NodeState } from '../observe/state.ts';

export const SETUP_OPTIONS = {
  mesh: { type: 'string', multiple: true },
  clients: { type: 'string' },
  wired: { type: 'boolean', default: false },
  'access-point': { type: 'boolean', default: false },
  mode: { type: 'string', default: DEFAULT_RADIO.mode },
  channel: { type: 'string', default: String(DEFAULT_RADIO.channel) },
  essid: { type: 'string', default: DEFAULT_RADIO.essid },
  bssid: { type: 'string', default: DEFAULT_RADIO.bssid },
  'mesh-range': { type: 'string', default: DEFAULT_MESH_RANGE },
  'client-range': { type: 'string', default: DEFAULT_CLIENT_RANGE },
  seed: { type: 'string' },
  name: { type: 'string' },
  gateway: { type: 'string' },
  dns: { type: 'string', multiple: true },
  captive: { type: 'boolean', default: false },
  'conf-dir': { type: 'string', default: DEFAULT_PATHS.confDir },
  'run-dir': { type: 'string', default: DEFAULT_PATHS.runDir },
  'state-dir': { type: 'string', default: DEFAULT_PATHS.stateDir },
  again: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export type SetupValues = ReturnType<typeof parseSetupArgs>['values'];

export function parseSetupArgs(argv: string[]) {
  return parseCommandArgs('setup', { args: argv, options: SETUP_OPTIONS, allowPositionals: true });
}

/**
 * `files`: what byz read from files for these choices: the name servers
 * /etc/resolv.conf names (for a gateway when --dns is not given) and the
 * operator's babeld filters.
 */
export function choicesFrom(
  values: SetupValues,
  state: NodeState,
  hostname: string,
  files: { uplinkDns?: readonly string[]; babelFilters?: readonly string[] } = {},
): SetupChoices {
  const mesh = values.mesh ?? state.wireless.slice(0, 1);
  if (mesh.length === 0) throw new UserError('byz setup: no wireless interface found; name one with --mesh IFACE (or --mesh IFACE --wired for a cable)', EXIT.usage);
  // Without --clients, a second Wi-Fi card becomes the phones' access point.
  const spareWifi = state.wireless.find((name) => !mesh.includes(name));
  const clients = values.clients ?? spareWifi;
  if (clients === undefined) {
    throw new UserError('byz setup: no second Wi-Fi card for phones; name the interface for phones with --clients IFACE (add --access-point if it is Wi-Fi)', EXIT.usage);
  }
  const accessPoint = values['access-point'] || values.clients === undefined;
  const mac = state.links.find((link) => link.name === mesh[0])?.mac ?? 'no-mac';
  const mode = values.mode;
  if (mode !== 'ibss' && mode !== 'mesh') throw new UserError(`byz setup: --mode must be ibss or mesh, not "${mode}"`, EXIT.usage);
  if (!/^\d{1,3}$/.test(values.channel)) throw new UserError(`byz setup: --channel must be a number, not "${values.channel}"`, EXIT.usage);
  if (values.dns && !values.gateway) throw new UserError('byz setup: --dns names the servers a gateway asks for Internet names; add --gateway IFACE, or leave --dns out', EXIT.usage);
  return {
    nodeName: values.name ?? (hostname.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'node'),
    meshInterfaces: mesh,
    clientInterface: clients,
    allowWired: values.wired,
    accessPoint,
    radio: { mode, channel: Number(values.channel), essid: values.essid, bssid: values.bssid.toLowerCase() },
    meshRange: values['mesh-range'],
    clientRange: values['client-range'],
    // The mesh card's MAC: different on every machine, the same on every run, so "plan" and "apply" agree.
    seed: values.seed ?? mac,
    gateway: values.gateway,
    upstreamDns: values.dns ?? (values.gateway ? (files.uplinkDns ?? []) : []),
    captive: values.captive,
    babelFilters: files.babelFilters ?? [],
    paths: { confDir: values['conf-dir'], runDir: values['run-dir'], stateDir: values['state-dir'] },
  };
}
