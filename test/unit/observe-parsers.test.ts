import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpLink } from '../../tools/observe/ip-link.ts';
import { parseIpAddr } from '../../tools/observe/ip-addr.ts';
import { parseIpRoute } from '../../tools/observe/ip-route.ts';
import { parseBabeldDump } from '../../tools/observe/babeld.ts';
import { parseDnsmasqLeases } from '../../tools/observe/dnsmasq-leases.ts';
import { arpingVerdict, parseArping } from '../../tools/observe/arping.ts';
import { parseIwDev, parseIwPhy } from '../../tools/observe/iw.ts';
import { ParseError } from '../../tools/observe/parse-error.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/observe/${name}`, import.meta.url), 'utf8');

describe('observe parsers on captured output', () => {
  it('reads ip -j link: names, admin state, bridge', () => {
    const links = parseIpLink(fixture('ip-link-node.json'));
    expect(links.map((l) => l.name)).toEqual(['lo', 'cli0', 'byz-ta', 'byz-tpn']);
    expect(links.find((l) => l.name === 'byz-ta')?.adminUp).toBe(true);
    expect(parseIpLink(fixture('ip-link-host.json')).some((l) => l.name === 'lo')).toBe(true);
  });

  it('reads ip -j addr, including a mesh /32 and IPv6 link-local', () => {
    const addresses = parseIpAddr(fixture('ip-addr-node.json'));
    expect(addresses).toContainEqual(expect.objectContaining({ ifname: 'byz-ta', family: 'inet', local: '10.64.1.1', prefixlen: 32 }));
    expect(addresses.filter((a) => a.ifname === 'byz-ta' && a.family === 'inet6' && a.scope === 'link')).toHaveLength(1);
  });

  it('reads ip -j route with babel routes and onlink gateways', () => {
    const routes = parseIpRoute(fixture('ip-route-node.json'));
    expect(routes).toContainEqual(expect.objectContaining({ dst: '10.33.9.0/24', gateway: '10.64.2.2', protocol: 'babel', dev: 'byz-ta' }));
    expect(parseIpRoute(fixture('ip-route-phone.json'))[0]).toMatchObject({ dst: 'default', gateway: '10.21.7.1' });
  });

  it("reads babeld's dump: interface, neighbour, routes, own announcements", () => {
    const dump = parseBabeldDump(fixture('babeld-dump-two-nodes.txt'));
    expect(dump.version).toBe('babeld-1.12.1');
    expect(dump.interfaces).toEqual([{ name: 'byz-ta', up: true, ipv4: '10.64.1.1', ipv6: 'fe80::88f9:afff:fe17:6d9f' }]);
    expect(dump.neighbours[0]).toMatchObject({ ifname: 'byz-ta', cost: 96, reach: 'fe00' });
    expect(dump.routes.map((r) => r.prefix)).toEqual(['10.33.9.0/24', '10.64.2.2/32']);
    expect(dump.xroutes.map((r) => r.prefix)).toEqual(['10.21.7.0/24', '10.64.1.1/32']);
  });

  it('reads dnsmasq leases', () => {
    expect(parseDnsmasqLeases(fixture('dnsmasq-leases-one-phone.txt'))).toEqual([
      { expires: 1795422803, mac: 'b2:ea:ad:79:66:78', address: '10.21.7.172', hostname: 'phone1' },
    ]);
  });

  it('tells an address in use from a free one (iputils arping -D)', () => {
    expect(parseArping(fixture('arping-in-use.txt'))).toEqual({ address: '10.254.36.71', answeredBy: ['26:80:57:0d:88:ac'] });
    expect(parseArping(fixture('arping-free.txt'))).toEqual({ address: '10.254.99.5', answeredBy: [] });
    // The exit status of arping -D is the verdict: 0 free, 1 a reply came, 2 no probe went out (link down, no such device).
    expect([arpingVerdict(0), arpingVerdict(1), arpingVerdict(2)]).toEqual([false, true, undefined]);
    // A reply for another address (a proxy answering something else) does not count.
    expect(parseArping(fixture('arping-in-use.txt').replace('reply from 10.254.36.71', 'reply from 10.254.36.72')).answeredBy).toEqual([]);
    // Thomas Habets' arping prints another format: refuse it rather than call every address free.
    expect(() => parseArping('ARPING 10.64.1.1\n42 bytes from 8a:f9:af:17:6d:9f (10.64.1.1): index=0 time=12.033 usec\n')).toThrow(/header/);
  });

  it('reads iw dev and iw phy (hand-written fixtures: no radio here)', () => {
    expect(parseIwDev(fixture('iw-dev-ibss.txt'))).toEqual([{ phy: 'phy0', name: 'wlan0', type: 'IBSS', ssid: 'byzantium', frequency: 2412 }]);
    const managed = parseIwDev(fixture('iw-dev-managed.txt'));
    expect(managed.map((r) => [r.name, r.type])).toEqual([['wlan1', 'managed'], ['wlan0', 'managed']]);
    const radios = parseIwPhy(fixture('iw-phy-modes.txt'));
    expect(radios[0]?.modes).toEqual(['IBSS', 'managed', 'AP', 'AP/VLAN', 'monitor', 'mesh point']);
    expect(radios[1]?.modes).toEqual(['managed', 'monitor']);
  });

  it('rejects output that is not what the tool prints, with ParseError', () => {
    expect(() => parseIpLink('{"not":"a list"}')).toThrow(ParseError);
    expect(() => parseIpAddr('not json')).toThrow(ParseError);
    expect(() => parseBabeldDump('add route x prefix 10.0.0.0/8 from 0.0.0.0/0 installed maybe')).toThrow(ParseError);
    expect(() => parseDnsmasqLeases('1 zz:zz 10.0.0.1 a *')).toThrow(ParseError);
    expect(() => parseArping('Timeout')).toThrow(ParseError);
  });
});
