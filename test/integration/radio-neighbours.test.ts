// A station heard by the radio is named after the Babel neighbour behind it,
// even when that neighbour's link-local address is not made from its MAC
// (stable-privacy or random addresses): the radio source asks the real
// kernel's neighbour table first. Two network namespaces joined by a cable
// stand in for the radio link; only `iw` (there is no Wi-Fi radio here) is
// recorded output, whose first station has the far end's MAC.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryRun } from '../../tools/common/run.ts';
import { makeLinkLocalPseudonym } from '../../tools/agent/link-local-pseudonym.ts';
import { IwRadioSource } from '../../tools/agent/radio-source.ts';
import { linkLocalFromMac } from '../../tools/observe/mac-link-local.ts';
import { RECORDED_STATIONS, recordedIw } from '../fixtures/observe/recorded-iw.ts';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI) throw new Error('radio-neighbours needs root (network namespaces) on CI');
if (!isRoot) console.warn('SKIPPED radio-neighbours: needs root (network namespaces)');

const here = 'byzradio-a';
const far = 'byzradio-b';
const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const removeNamespaces = (): void => {
  for (const ns of [here, far]) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // not there
    }
  }
};

describe.skipIf(!isRoot)('radio stations and the kernel neighbour table', () => {
  let farLinkLocal: string;

  beforeAll(async () => {
    removeNamespaces();
    ip('netns', 'add', here);
    ip('netns', 'add', far);
    ip('link', 'add', 'wlan0', 'netns', here, 'type', 'veth', 'peer', 'name', 'wlan0', 'netns', far);
    // The far node: the first recorded station's MAC, and a random link-local address (addr_gen_mode 3), not EUI-64.
    ip('-n', far, 'link', 'set', 'wlan0', 'address', RECORDED_STATIONS[0].mac);
    execFileSync('ip', ['netns', 'exec', far, 'sysctl', '-qw', 'net.ipv6.conf.wlan0.addr_gen_mode=3', 'net.ipv6.conf.wlan0.accept_dad=0']);
    execFileSync('ip', ['netns', 'exec', here, 'sysctl', '-qw', 'net.ipv6.conf.wlan0.accept_dad=0']);
    for (const ns of [here, far]) ip('-n', ns, 'link', 'set', 'wlan0', 'up');
    for (let i = 0; i < 50 && !farLinkLocal; i++) {
      const info = JSON.parse(ip('-n', far, '-j', '-6', 'addr', 'show', 'dev', 'wlan0')) as { addr_info: { local: string }[] }[];
      farLinkLocal = info[0]?.addr_info.find((a) => a.local.startsWith('fe80:'))?.local ?? '';
      if (!farLinkLocal) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Traffic to the neighbour (babeld's hellos and updates on a real mesh) puts it in the table.
    // Until this side has its own link-local address, it cannot ask; so try for a few seconds.
    for (let i = 0; ; i++) {
      const ping = await tryRun({ netns: here }, ['ping', '-6', '-c', '1', '-W', '1', `${farLinkLocal}%wlan0`]);
      if (ping.exitCode === 0) break;
      if (i === 10) throw new Error(`no answer from ${farLinkLocal}: ${ping.stdout}${ping.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });
  afterAll(removeNamespaces);

  it("names the station by the neighbour's real link-local address, and falls back to EUI-64 for one the table does not know", async () => {
    expect(farLinkLocal).not.toBe(linkLocalFromMac(RECORDED_STATIONS[0].mac));
    const pseudonym = makeLinkLocalPseudonym();
    const source = new IwRadioSource({ pseudonym, runIw: recordedIw(), runIp: (args) => tryRun({ netns: here }, ['ip', ...args]) });
    const [radio] = await source.radios();
    expect(radio!.stations.map((s) => s.neighbour)).toEqual([pseudonym(farLinkLocal), pseudonym(RECORDED_STATIONS[1].linkLocal)]);
  });
});
