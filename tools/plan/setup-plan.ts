/**
 * The whole setup of a node as an ordered list of steps: a pure function of
 * what was observed, what the operator chose and the seed. Nothing here
 * touches the machine.
 */
import { EXIT, UserError } from '../common/errors.ts';
import type { NodeState } from '../observe/state.ts';
import { MESH_RESOLVER, planAddresses } from './addresses.ts';
import { channelFrequency, checkChoices, type SetupChoices } from './choices.ts';
import { babeldConfig, dnsmasqConfig, hostapdConfig, natRules, NFT_TABLE, sharedRanges } from './configs.ts';
import { seededRandom } from './random.ts';
import { NO_ACTION, type Plan, type Step } from './step.ts';

/** Debian package for each program a step needs. */
export const PACKAGE_OF: Record<string, string> = { babeld: 'babeld', dnsmasq: 'dnsmasq-base', hostapd: 'hostapd', nft: 'nftables', iw: 'iw', arping: 'iputils-arping' };

function requireInterface(state: NodeState, name: string, role: string): void {
  if (!state.links.some((link) => link.name === name)) {
    const known = state.links.map((link) => link.name).filter((n) => n !== 'lo').join(', ') || 'none';
    throw new UserError(`byz: unknown interface "${name}" for the ${role} (this machine has: ${known})`, EXIT.usage);
  }
}

function requireProgram(state: NodeState, program: string): void {
  if (state.programs[program] === false) {
    throw new UserError(`byz: ${program} is missing; install the Debian package "${PACKAGE_OF[program] ?? program}"`, EXIT.environment);
  }
}

function radioSteps(choices: SetupChoices, dev: string, wired: boolean): Step[] {
  const { mode, channel, essid, bssid } = choices.radio;
  const frequency = channelFrequency(channel) ?? 2412;
  const params = { dev, mode, channel, essid, bssid, frequency };
  if (wired) {
    return [{ id: `radio:${dev}`, messageKey: 'setup.radio', params, action: NO_ACTION, undo: NO_ACTION, expect: { kind: 'nothing' }, skipped: 'setup.skipped.wired' }];
  }
  const join =
    mode === 'ibss'
      ? ['iw', 'dev', dev, 'ibss', 'join', essid, String(frequency), 'fixed-freq', bssid]
      : ['iw', 'dev', dev, 'mesh', 'join', essid, 'freq', String(frequency)];
  return [
    {
      id: `radio-mode:${dev}`,
      messageKey: mode === 'ibss' ? 'setup.radio.ibss' : 'setup.radio.mesh',
      params,
      action: { kind: 'run', argv: ['iw', 'dev', dev, 'set', 'type', mode === 'ibss' ? 'ibss' : 'mp'] },
      undo: { kind: 'run', argv: ['iw', 'dev', dev, 'set', 'type', 'managed'] },
      expect: { kind: 'nothing' },
    },
    {
      id: `radio-join:${dev}`,
      messageKey: 'setup.radio.join',
      params,
      // The link must be up before joining; the join step's undo leaves the cell.
      action: { kind: 'run', argv: join },
      undo: { kind: 'run', argv: ['iw', 'dev', dev, mode === 'ibss' ? 'ibss' : 'mesh', 'leave'] },
      expect: { kind: 'radio', dev, type: mode === 'ibss' ? 'IBSS' : 'mesh point', ssid: essid, frequency },
      retries: 2,
    },
  ];
}

export function planSetup(state: NodeState, choices: SetupChoices): Plan {
  const ranges = checkChoices(choices);
  for (const dev of choices.meshInterfaces) requireInterface(state, dev, 'mesh');
  requireInterface(state, choices.clientInterface, 'phones');
  if (choices.gateway) requireInterface(state, choices.gateway, 'uplink');
  for (const dev of choices.meshInterfaces) {
    if (!choices.allowWired && !state.wireless.includes(dev)) {
      throw new UserError(`byz: ${dev} is not a wireless interface; choose a Wi-Fi card, or pass --wired to mesh over a cable`, EXIT.usage);
    }
  }
  if (choices.accessPoint && !state.wireless.includes(choices.clientInterface)) {
    throw new UserError(`byz: ${choices.clientInterface} is not wireless, so it cannot be an access point (drop --access-point)`, EXIT.usage);
  }
  requireProgram(state, 'babeld');
  requireProgram(state, 'dnsmasq');
  if (choices.accessPoint) requireProgram(state, 'hostapd');
  if (choices.gateway) requireProgram(state, 'nft');

  const own = [...choices.meshInterfaces, choices.clientInterface];
  const addresses = planAddresses(ranges, state, own, seededRandom(choices.seed));
  const { confDir, runDir, stateDir } = choices.paths;
  const linkUp = (dev: string): boolean => state.links.find((link) => link.name === dev)?.adminUp === true;
  const steps: Step[] = [];

  for (const dev of choices.meshInterfaces) {
    const wired = !state.wireless.includes(dev);
    if (!wired) steps.push(...radioSteps(choices, dev, false).slice(0, 1));
    steps.push({
      id: `link-up:${dev}`,
      messageKey: 'setup.link.up',
      params: { dev },
      action: { kind: 'run', argv: ['ip', 'link', 'set', 'dev', dev, 'up'] },
      // Apply skips (and so never undoes) a link that was already up.
      undo: linkUp(dev) ? NO_ACTION : { kind: 'run', argv: ['ip', 'link', 'set', 'dev', dev, 'down'] },
      expect: { kind: 'link-up', dev },
    });
    steps.push(...(wired ? radioSteps(choices, dev, true) : radioSteps(choices, dev, false).slice(1)));
    // Now the link is in the mesh: the one moment a one-hop duplicate check means something on a fresh node.
    for (const address of [addresses.meshAddress, addresses.clientAddress]) {
      steps.push({
        id: `free:${dev}:${address}`,
        messageKey: 'setup.address.free',
        params: { dev, address },
        action: NO_ACTION,
        undo: NO_ACTION,
        expect: { kind: 'address-free', dev, address },
        ...(state.programs.arping === false ? { skipped: 'setup.skipped.no-arping' } : {}),
      });
    }
    steps.push({
      id: `mesh-address:${dev}`,
      messageKey: 'setup.address.mesh',
      params: { dev, address: addresses.meshAddress },
      action: { kind: 'run', argv: ['ip', 'addr', 'add', `${addresses.meshAddress}/32`, 'dev', dev] },
      undo: { kind: 'run', argv: ['ip', 'addr', 'del', `${addresses.meshAddress}/32`, 'dev', dev] },
      expect: { kind: 'address', dev, cidr: `${addresses.meshAddress}/32` },
    });
    steps.push({
      id: `link-local:${dev}`,
      messageKey: 'setup.link.link-local',
      params: { dev },
      action: { kind: 'wait', timeoutMs: 10_000 },
      undo: NO_ACTION,
      expect: { kind: 'link-local-ready', dev },
    });
  }

  const client = choices.clientInterface;
  steps.push({
    id: `link-up:${client}`,
    messageKey: 'setup.link.up',
    params: { dev: client },
    action: { kind: 'run', argv: ['ip', 'link', 'set', 'dev', client, 'up'] },
    undo: linkUp(client) ? NO_ACTION : { kind: 'run', argv: ['ip', 'link', 'set', 'dev', client, 'down'] },
    expect: { kind: 'link-up', dev: client },
  });
  steps.push({
    id: `client-address:${client}`,
    messageKey: 'setup.address.client',
    params: { dev: client, address: addresses.clientAddress, prefix: addresses.clientPrefix },
    action: { kind: 'run', argv: ['ip', 'addr', 'add', `${addresses.clientAddress}/24`, 'dev', client] },
    undo: { kind: 'run', argv: ['ip', 'addr', 'del', `${addresses.clientAddress}/24`, 'dev', client] },
    expect: { kind: 'address', dev: client, cidr: `${addresses.clientAddress}/24` },
  });
  steps.push({
    id: 'forwarding',
    messageKey: 'setup.forwarding',
    params: {},
    action: { kind: 'run', argv: ['sysctl', '-qw', 'net.ipv4.ip_forward=1'] },
    undo: { kind: 'run', argv: ['sysctl', '-qw', `net.ipv4.ip_forward=${state.ipForward}`] },
    expect: { kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' },
  });

  const daemon = (program: string, confName: string, content: string, argv: string[], messageKey: string, mode = 0o644): void => {
    const conf = `${confDir}/${confName}`;
    const pidFile = `${runDir}/${program}.pid`;
    steps.push({
      id: `config:${program}`,
      messageKey: 'setup.config.write',
      params: { program, path: conf },
      action: { kind: 'write', path: conf, content, mode },
      undo: { kind: 'remove', path: conf },
      expect: { kind: 'file', path: conf, content },
    });
    steps.push({
      id: `start:${program}`,
      messageKey,
      params: { program, path: conf },
      action: { kind: 'start', argv: [...argv, ...(program === 'babeld' ? ['-c', conf] : [])], pidFile, configFiles: [conf] },
      undo: { kind: 'stop', pidFile },
      expect: { kind: 'process', pidFile, program },
    });
  };

  if (choices.gateway) {
    // Before dnsmasq starts: it binds its listening addresses once, at start (bind-interfaces).
    steps.push({
      id: 'gateway:resolver',
      messageKey: 'setup.gateway.resolver',
      params: { address: MESH_RESOLVER },
      action: { kind: 'run', argv: ['ip', 'addr', 'add', `${MESH_RESOLVER}/32`, 'dev', 'lo'] },
      undo: { kind: 'run', argv: ['ip', 'addr', 'del', `${MESH_RESOLVER}/32`, 'dev', 'lo'] },
      expect: { kind: 'address', dev: 'lo', cidr: `${MESH_RESOLVER}/32` },
    });
  }

  if (choices.accessPoint) {
    daemon('hostapd', 'hostapd.conf', hostapdConfig(choices), ['hostapd', '-B', '-P', `${runDir}/hostapd.pid`, `${confDir}/hostapd.conf`], 'setup.start.hostapd');
  }
  daemon(
    'dnsmasq',
    'dnsmasq.conf',
    dnsmasqConfig(choices, addresses),
    ['dnsmasq', `--conf-file=${confDir}/dnsmasq.conf`, `--pid-file=${runDir}/dnsmasq.pid`],
    'setup.start.dnsmasq',
  );
  daemon(
    'babeld',
    'babeld.conf',
    babeldConfig(choices, addresses, choices.meshInterfaces.every((dev) => !state.wireless.includes(dev))),
    ['babeld', '-D', '-I', `${runDir}/babeld.pid`, '-L', `${stateDir}/babeld.log`],
    'setup.start.babeld',
  );

  if (choices.gateway) {
    const rules = `${confDir}/nat.nft`;
    const content = natRules(choices);
    steps.push({
      id: 'config:nat',
      messageKey: 'setup.config.write',
      params: { program: 'nft', path: rules },
      action: { kind: 'write', path: rules, content, mode: 0o644 },
      undo: { kind: 'remove', path: rules },
      expect: { kind: 'file', path: rules, content },
    });
    steps.push({
      id: 'gateway:nat',
      messageKey: 'setup.gateway.nat',
      params: { uplink: choices.gateway, range: sharedRanges(choices).replace(/[{}]/g, '').trim() },
      action: { kind: 'run', argv: ['nft', '-f', rules] },
      undo: { kind: 'run', argv: ['nft', 'delete', 'table', 'ip', NFT_TABLE] },
      expect: { kind: 'nft-table', family: 'ip', name: NFT_TABLE },
    });
  }

  return { version: 1, seed: choices.seed, meshAddress: addresses.meshAddress, clientPrefix: addresses.clientPrefix, steps };
}
