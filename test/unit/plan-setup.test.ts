import { describe, expect, it } from 'vitest';
import { planSetup } from '../../tools/plan/setup-plan.ts';
import { DEFAULT_PATHS, DEFAULT_RADIO, type SetupChoices } from '../../tools/plan/choices.ts';
import { EMPTY_STATE, type NodeState } from '../../tools/observe/state.ts';
import { parseBabeldDump } from '../../tools/observe/babeld.ts';
import { UserError } from '../../tools/common/errors.ts';
import { CAPTIVE_PROBE_HOSTS } from '../../tools/common/captive-probes.ts';
import { overlaps, parsePrefix } from '../../tools/common/ipv4.ts';

const link = (name: string, adminUp = false) => ({ index: 1, name, flags: adminUp ? ['UP'] : [], adminUp, operState: 'DOWN', mac: '02:00:00:00:00:01', mtu: 1500, master: undefined });

const state: NodeState = {
  ...EMPTY_STATE,
  links: [link('lo', true), link('wlan0'), link('wlan1'), link('eth0', true)],
  wireless: ['wlan0', 'wlan1'],
  programs: { babeld: true, dnsmasq: true, hostapd: true, nft: true, arping: true, iw: true },
  routes: [{ dst: 'default', gateway: '192.168.1.1', dev: 'eth0', protocol: 'dhcp', type: 'unicast', metric: 100, flags: [] }],
};

const choices: SetupChoices = {
  nodeName: 'library',
  meshInterfaces: ['wlan0'],
  clientInterface: 'wlan1',
  allowWired: false,
  accessPoint: true,
  radio: DEFAULT_RADIO,
  meshRange: '10.254.0.0/16',
  clientRange: '10.0.0.0/8',
  seed: 'golden',
  gateway: undefined,
  upstreamDns: [],
  captive: false,
  babelFilters: [],
  paths: DEFAULT_PATHS,
};

/** A gateway on eth0 whose network's name server is its router. */
const uplink = { gateway: 'eth0', upstreamDns: ['192.168.1.1'] } as const;

describe('planSetup', () => {
  it('gives the same plan for the same state, choices and seed (golden)', () => {
    const plan = planSetup(state, choices);
    expect(planSetup(state, choices)).toEqual(plan);
    expect(plan).toMatchSnapshot();
  });

  it('never hands out the mesh resolver address 10.254.0.53 as a node\'s mesh address', () => {
    // Every address of the /24 but .53 and .54 is in use: the only honest draw is .54, whatever the seed.
    const inUse = Array.from({ length: 254 }, (_, i) => `10.254.0.${i + 1}`).filter((a) => a !== '10.254.0.53' && a !== '10.254.0.54');
    for (let seed = 0; seed < 50; seed++) {
      const plan = planSetup({ ...state, inUse }, { ...choices, meshRange: '10.254.0.0/24', seed: `resolver-${seed}` });
      expect(plan.meshAddress).toBe('10.254.0.54');
    }
  });

  it('a gateway carries the mesh resolver address and answers on it; other nodes forward to it', () => {
    const gateway = planSetup(state, { ...choices, ...uplink });
    const ids = gateway.steps.map((s) => s.id);
    expect(gateway.steps.find((s) => s.id === 'gateway:resolver')).toMatchObject({
      action: { kind: 'run', argv: ['ip', 'addr', 'add', '10.254.0.53/32', 'dev', 'lo'] },
      undo: { kind: 'run', argv: ['ip', 'addr', 'del', '10.254.0.53/32', 'dev', 'lo'] },
      expect: { kind: 'address', dev: 'lo', cidr: '10.254.0.53/32' },
    });
    // dnsmasq binds its addresses when it starts, so the address must be there first.
    expect(ids.indexOf('gateway:resolver')).toBeLessThan(ids.indexOf('start:dnsmasq'));
    const content = (plan: typeof gateway, id: string): string => {
      const step = plan.steps.find((s) => s.id === id);
      return step?.action.kind === 'write' ? step.action.content : '';
    };
    expect(content(gateway, 'config:dnsmasq')).toContain('no-resolv\nserver=192.168.1.1\nlisten-address=10.254.0.53\n');
    // Never the file that network software empties when the uplink drops (the original Byzantium lost DNS that way).
    expect(content(gateway, 'config:dnsmasq')).not.toContain('resolv-file');
    expect(content(gateway, 'config:dnsmasq')).not.toContain('server=10.254.0.53');
    expect(content(gateway, 'config:babeld')).toContain('redistribute local ip 10.254.0.53/32 allow\nredistribute local deny\n');
    const plain = planSetup(state, choices);
    expect(plain.steps.some((s) => s.id === 'gateway:resolver')).toBe(false);
    expect(content(plain, 'config:dnsmasq')).toContain('no-resolv\nserver=10.254.0.53\n');
    expect(content(plain, 'config:babeld')).not.toContain('10.254.0.53');
  });

  it("captive mode answers the phones' connectivity checks with the node's own address, and only those names", () => {
    const plan = planSetup(state, { ...choices, captive: true });
    const dnsmasq = plan.steps.find((s) => s.id === 'config:dnsmasq');
    const content = dnsmasq?.action.kind === 'write' ? dnsmasq.action.content : '';
    const line = content.split('\n').find((l) => l.startsWith('address=/'));
    const clientAddress = plan.clientPrefix.replace(/\.0\/24$/, '.1');
    expect(line).toBe(`address=/${CAPTIVE_PROBE_HOSTS.join('/')}/${clientAddress}`);
    expect(CAPTIVE_PROBE_HOSTS).toEqual(expect.arrayContaining(['connectivitycheck.gstatic.com', 'captive.apple.com', 'www.msftconnecttest.com']));
    // Every other Internet name still goes to the mesh resolver, so a gateway elsewhere keeps working.
    expect(content).toContain('server=10.254.0.53\n');
    expect(planSetup(state, choices).steps.some((s) => s.action.kind === 'write' && s.action.content.includes('address=/'))).toBe(false);
  });

  it("puts the operator's filters at the end of babeld.conf, after everything byz writes", () => {
    const plan = planSetup(state, { ...choices, babelFilters: ['in neigh fe80::1 deny'] });
    const babeld = plan.steps.find((s) => s.id === 'config:babeld');
    expect(babeld?.action.kind === 'write' && babeld.action.content).toMatch(/\nredistribute deny\n# The operator's filters[^\n]*\nin neigh fe80::1 deny\n$/);
  });

  it('a gateway adds NAT and announces a default route (golden)', () => {
    const plan = planSetup(state, { ...choices, ...uplink, accessPoint: false, radio: { ...DEFAULT_RADIO, mode: 'mesh', channel: 36 } });
    expect(plan.steps.map((s) => s.id)).toContain('gateway:nat');
    const babeld = plan.steps.find((s) => s.id === 'config:babeld');
    // Both lines: babeld skips protocol-boot routes (ip route add, dhclient) unless a filter names proto 3.
    expect(babeld?.action.kind === 'write' && babeld.action.content).toContain('redistribute if eth0 ip 0.0.0.0/0 eq 0 proto 3 allow\nredistribute if eth0 ip 0.0.0.0/0 eq 0 allow\n');
    const nat = plan.steps.find((s) => s.id === 'config:nat');
    expect(nat?.action.kind === 'write' && nat.action.content).toContain('oifname "eth0" ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 } drop');
    expect(plan).toMatchSnapshot();
  });

  it('every action is an argv array or a file write, and every step can be taken back', () => {
    for (const step of planSetup(state, { ...choices, ...uplink }).steps) {
      if (step.action.kind === 'run' || step.action.kind === 'start') expect(Array.isArray(step.action.argv)).toBe(true);
      if (step.action.kind !== 'none' && step.action.kind !== 'wait') expect(step.undo).toBeDefined();
      expect(step.messageKey).toMatch(/^setup\./);
    }
  });

  it('skips radio steps on a wired link, and marks them', () => {
    const wired = planSetup({ ...state, links: [...state.links, link('veth0')] }, { ...choices, meshInterfaces: ['veth0'], allowWired: true, accessPoint: false });
    const radio = wired.steps.find((s) => s.id === 'radio:veth0');
    expect(radio?.skipped).toBe('setup.skipped.wired');
    expect(wired.steps.some((s) => s.action.kind === 'run' && s.action.argv[0] === 'iw')).toBe(false);
  });

  it('checks both addresses for duplicates once the radio has joined, before the mesh address goes on', () => {
    const plan = planSetup(state, choices);
    const ids = plan.steps.map((s) => s.id);
    const client = plan.clientPrefix.replace('.0/24', '.1');
    expect(ids.indexOf(`free:wlan0:${plan.meshAddress}`)).toBeGreaterThan(ids.indexOf('radio-join:wlan0'));
    expect(ids.indexOf(`free:wlan0:${client}`)).toBeLessThan(ids.indexOf('mesh-address:wlan0'));
    expect(plan.steps.find((s) => s.id === `free:wlan0:${client}`)?.expect).toEqual({ kind: 'address-free', dev: 'wlan0', address: client });
    const without = planSetup({ ...state, programs: { ...state.programs, arping: false } }, choices);
    expect(without.steps.find((s) => s.id === `free:wlan0:${plan.meshAddress}`)?.skipped).toBe('setup.skipped.no-arping');
  });

  it('does not take a link down on undo that was up before', () => {
    const plan = planSetup(state, { ...choices, clientInterface: 'eth0', accessPoint: false });
    expect(plan.steps.find((s) => s.id === 'link-up:eth0')?.undo).toEqual({ kind: 'none' });
    expect(plan.steps.find((s) => s.id === 'link-up:wlan0')?.undo.kind).toBe('run');
  });

  it("avoids prefixes babeld already routes, addresses a probe found, and home networks", () => {
    const first = planSetup(state, choices);
    const dump = parseBabeldDump(
      `BABEL 1.0\nok\nadd route 1 prefix ${first.clientPrefix} from 0.0.0.0/0 installed yes id 02:00 metric 96 refmetric 0 via fe80::1 if wlan0\nok\n`,
    );
    const second = planSetup({ ...state, babel: dump, inUse: [first.meshAddress] }, choices);
    expect(second.clientPrefix).not.toBe(first.clientPrefix);
    expect(second.meshAddress).not.toBe(first.meshAddress);
    for (let i = 0; i < 200; i++) {
      const plan = planSetup(state, { ...choices, seed: `s${i}` });
      expect(overlaps(parsePrefix(plan.clientPrefix)!, parsePrefix('10.0.0.0/16')!)).toBe(false);
      expect(parsePrefix(plan.clientPrefix)!.base).toBeLessThan(parsePrefix('11.0.0.0/8')!.base);
    }
  });

  it('follows the book: mesh addresses in 10.254.0.0/16, client /24s in 10.0.0.0/8 outside it and away from home networks', () => {
    const mesh = parsePrefix('10.254.0.0/16')!;
    for (let i = 0; i < 500; i++) {
      const plan = planSetup(state, { ...choices, seed: `book${i}` });
      const address = parsePrefix(plan.meshAddress)!;
      expect(overlaps(mesh, address)).toBe(true);
      expect(plan.meshAddress).not.toMatch(/\.(0|255)$/);
      const client = parsePrefix(plan.clientPrefix)!;
      expect(client.length).toBe(24);
      expect(overlaps(parsePrefix('10.0.0.0/8')!, client)).toBe(true);
      for (const avoided of ['10.254.0.0/16', '10.0.0.0/16', '10.1.0.0/16', '10.255.0.0/16']) expect(overlaps(parsePrefix(avoided)!, client)).toBe(false);
    }
  });

  it('draws from the ranges the operator gives', () => {
    const plan = planSetup(state, { ...choices, meshRange: '172.20.0.0/24', clientRange: '192.168.128.0/17' });
    expect(overlaps(parsePrefix('172.20.0.0/24')!, parsePrefix(plan.meshAddress)!)).toBe(true);
    expect(overlaps(parsePrefix('192.168.128.0/17')!, parsePrefix(plan.clientPrefix)!)).toBe(true);
    const nat = planSetup(state, { ...choices, ...uplink, meshRange: '172.20.0.0/24', clientRange: '192.168.128.0/17' }).steps.find((s) => s.id === 'config:nat');
    expect(nat?.action.kind === 'write' && nat.action.content).toContain('ip saddr { 192.168.128.0/17, 172.20.0.0/24 } oifname "eth0" masquerade');
  });

  it('re-planning an applied node gives the same plan (its own addresses do not count as taken)', () => {
    const plan = planSetup(state, choices);
    const applied: NodeState = {
      ...state,
      addresses: [
        { ifname: 'wlan0', family: 'inet', local: plan.meshAddress, prefixlen: 32, scope: 'global', tentative: false, dadFailed: false },
        { ifname: 'wlan1', family: 'inet', local: plan.clientPrefix.replace('.0/24', '.1'), prefixlen: 24, scope: 'global', tentative: false, dadFailed: false },
      ],
      routes: [...state.routes, { dst: plan.clientPrefix, gateway: undefined, dev: 'wlan1', protocol: 'kernel', type: 'unicast', metric: undefined, flags: [] }],
    };
    expect(planSetup(applied, choices)).toEqual(plan);
  });

  it.each([
    [{ meshInterfaces: ['wlan9'] }, /unknown interface "wlan9"/],
    [{ meshInterfaces: ['eth0'] }, /eth0 is not a wireless interface/],
    [{ clientRange: '8.8.0.0/16' }, /--client-range 8.8.0.0\/16 is not a private range/],
    [{ meshRange: '100.64.0.0/16' }, /--mesh-range 100.64.0.0\/16 is not a private range/],
    [{ clientRange: '10.0.0.0/24' }, /too small/],
    [{ meshRange: '10.254.0.0/25' }, /too small/],
    [{ meshRange: '10.254.0.0' }, /not an IPv4 range/],
    [{ clientRange: '10.254.0.0/20' }, /lies inside --mesh-range/],
    [{ clientInterface: 'wlan0' }, /cannot also be a mesh interface/],
    [{ radio: { ...DEFAULT_RADIO, channel: 15 } }, /channel 15/],
    [{ meshInterfaces: ['wlan0;rm'] }, /not a valid interface name/],
    [{ gateway: 'eth0' }, /no name server for the uplink eth0: .*--dns ADDRESS/],
    [{ ...uplink, upstreamDns: ['127.0.0.1'] }, /--dns 127.0.0.1 is this node's own name server/],
    [{ ...uplink, upstreamDns: ['10.254.0.53'] }, /--dns 10.254.0.53 is this node's own name server/],
    [{ ...uplink, upstreamDns: ['router.lan'] }, /--dns "router.lan" is not an IP address/],
    [{ ...uplink, upstreamDns: ['9.9.9.9', '1.1.1.1', '8.8.8.8', '8.8.4.4'] }, /at most 3 name servers/],
  ] as [Partial<SetupChoices>, RegExp][])('refuses bad input with one line: %j', (change, message) => {
    expect(() => planSetup(state, { ...choices, ...change })).toThrow(message);
    try {
      planSetup(state, { ...choices, ...change });
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('names the Debian package when a program is missing', () => {
    expect(() => planSetup({ ...state, programs: { ...state.programs, babeld: false } }, choices)).toThrow(/install the Debian package "babeld"/);
    expect(() => planSetup({ ...state, programs: { ...state.programs, dnsmasq: false } }, choices)).toThrow(/"dnsmasq-base"/);
    expect(() => planSetup({ ...state, programs: { ...state.programs, hostapd: false } }, choices)).toThrow(/"hostapd"/);
  });

});
