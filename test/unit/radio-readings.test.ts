/**
 * The mesh radio as GET /api/v1/radio reports it. There is no Wi-Fi radio on
 * the test machines (and no mac80211_hwsim), so this is the one allowed mock:
 * `iw`'s output, written by hand from iw 5.19's formats (test/fixtures/observe/).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { parseIwInfo, parseIwStationDump } from '../../tools/observe/iw-station.ts';
import { linkLocalFromMac } from '../../tools/observe/mac-link-local.ts';
import { linkLocalByMac, parseIpNeigh } from '../../tools/observe/ip-neigh.ts';
import { ParseError } from '../../tools/observe/parse-error.ts';
import { seededRandom } from '../../tools/plan/random.ts';
import { IwRadioSource, type RunIw } from '../../tools/agent/radio-source.ts';
import { makeLinkLocalPseudonym } from '../../tools/agent/link-local-pseudonym.ts';
import { RadioReport } from '../../tools/contract/schemas.ts';
import { RECORDED_STATIONS, recordedIw } from '../fixtures/observe/recorded-iw.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/observe/${name}`, import.meta.url), 'utf8');
const MAC_ANYWHERE = /[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}/i;

describe('iw dev <if> info', () => {
  it('reads the mode, channel, frequency and transmit power', () => {
    expect(parseIwInfo(fixture('iw-info-ibss.txt'))).toEqual({ name: 'wlan0', type: 'IBSS', channel: 1, frequencyMHz: 2412, txPowerDbm: 20 });
  });
  it('leaves out what an interface that has not joined yet does not say', () => {
    expect(parseIwInfo('Interface mesh0\n\tifindex 4\n\ttype mesh point\n\twiphy 1\n')).toEqual({
      name: 'mesh0', type: 'mesh point', channel: undefined, frequencyMHz: undefined, txPowerDbm: undefined,
    });
  });
  it('refuses output that is not iw info', () => {
    expect(() => parseIwInfo('')).toThrow(ParseError);
    expect(() => parseIwInfo('Interface wlan0\n\tchannel six\n')).toThrow(ParseError);
    expect(() => parseIwInfo('Interface wlan0\n\ttxpower lots\n')).toThrow(ParseError);
  });
});

describe('iw dev <if> station dump', () => {
  it('reads each station with its last and average signal', () => {
    expect(parseIwStationDump(fixture('iw-station-dump-ibss.txt'))).toEqual([
      { mac: '02:1a:2b:3c:4d:5e', signalDbm: -61, signalAvgDbm: -62, inactiveMs: 120 },
      { mac: '00:1c:bf:77:01:a2', signalDbm: -78, signalAvgDbm: -79, inactiveMs: 4020 },
    ]);
  });
  it('takes a signal line without per-chain values, and no stations at all', () => {
    expect(parseIwStationDump('Station AA:BB:CC:00:11:22 (on wlan0)\n\tsignal:  \t-70 dBm\n')[0]).toMatchObject({ mac: 'aa:bb:cc:00:11:22', signalDbm: -70, signalAvgDbm: undefined });
    expect(parseIwStationDump('')).toEqual([]);
  });
  it('refuses what is not a station dump', () => {
    for (const text of ['\tsignal: -40 dBm\n', 'Station nope (on wlan0)\n', 'Station 02:00:00:00:00:01 (on wlan0)\n\tsignal: loud\n']) {
      expect(() => parseIwStationDump(text), text).toThrow(ParseError);
    }
  });
  it('only ever throws ParseError on mutated and random input', () => {
    const random = seededRandom('fuzz-iw-station');
    const alphabet = ' \n\t:[],.-0123456789abcdefSTInx()dBm';
    for (const [parse, base] of [[parseIwStationDump, fixture('iw-station-dump-ibss.txt')], [parseIwInfo, fixture('iw-info-ibss.txt')]] as const) {
      for (let i = 0; i < 2000; i++) {
        const chars = [...base];
        for (let edit = 0; edit < 1 + random.below(6); edit++) chars.splice(random.below(chars.length + 1), random.below(2), alphabet[random.below(alphabet.length)]!);
        try {
          parse(chars.join(''));
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }
    }
  });
});

describe('MAC address to link-local address (EUI-64)', () => {
  it('flips the universal/local bit and puts ff:fe in the middle, as the kernel does', () => {
    expect(linkLocalFromMac('02:1a:2b:3c:4d:5e')).toBe('fe80::1a:2bff:fe3c:4d5e');
    expect(linkLocalFromMac('00:1C:BF:77:01:A2')).toBe('fe80::21c:bfff:fe77:1a2');
    expect(linkLocalFromMac('02:00:00:00:00:00')).toBe('fe80::ff:fe00:0');
  });
  it('refuses what is not a MAC address', () => {
    for (const text of ['', '02:1a:2b:3c:4d', '02-1a-2b-3c-4d-5e', 'zz:1a:2b:3c:4d:5e']) expect(linkLocalFromMac(text), text).toBeUndefined();
  });
});

describe('the kernel neighbour table', () => {
  it('maps each resolved link-local neighbour by its MAC, whatever its address is made of', () => {
    const table = linkLocalByMac(parseIpNeigh(fixture('ip-neigh-mesh.json')));
    expect([...table]).toEqual([
      ['7a:79:ce:c0:32:69', 'fe80::7879:ceff:fec0:3269'],
      ['02:1a:2b:3c:4d:5e', 'fe80::71a0:c038:b48:6376'],
    ]);
  });
});

describe('the radio source', () => {
  it('reports the mesh radio only, each station as the pseudonym babeld\'s neighbour gets, and no MAC address', async () => {
    const pseudonym = makeLinkLocalPseudonym();
    const radios = await new IwRadioSource({ pseudonym, runIw: recordedIw() }).radios();
    expect(v.is(RadioReport, { radios })).toBe(true);
    expect(radios).toEqual([
      {
        interface: 'wlan0', mode: 'IBSS', frequencyMHz: 2412, channel: 1, txPowerDbm: 20,
        stations: RECORDED_STATIONS.map((station) => ({ neighbour: pseudonym(station.linkLocal), signalDbm: station.signalDbm, averageSignalDbm: station.averageSignalDbm })),
      },
    ]);
    const text = JSON.stringify(radios);
    expect(text).not.toMatch(MAC_ANYWHERE);
    expect(text).not.toContain('2bff:fe3c');
  });
  it('reads iw once for a burst of requests', async () => {
    let calls = 0;
    const iw = recordedIw();
    const source = new IwRadioSource({ pseudonym: makeLinkLocalPseudonym(), runIw: (args) => (calls++, iw(args)) });
    await Promise.all([source.radios(), source.radios(), source.radios()]);
    expect(calls).toBe(3); // iw dev, info and station dump: once
  });
  it('answers an empty list when there is no radio or no iw at all', async () => {
    const noWireless: RunIw = async () => ({ exitCode: 237, stdout: '', stderr: 'nl80211 not found.' });
    expect(await new IwRadioSource({ pseudonym: makeLinkLocalPseudonym(), runIw: noWireless }).radios()).toEqual([]);
    const noIw = new IwRadioSource({ pseudonym: makeLinkLocalPseudonym(), runIw: async () => ({ exitCode: 0, stdout: '', stderr: '' }) });
    expect(await noIw.radios()).toEqual([]);
  });
  it('turns output it cannot read into a 503, not a crash', async () => {
    const broken: RunIw = async (args) => ({ exitCode: 0, stdout: args.length === 1 ? fixture('iw-dev-ibss.txt') : 'Station what (on wlan0)\n', stderr: '' });
    await expect(new IwRadioSource({ pseudonym: makeLinkLocalPseudonym(), runIw: broken }).radios()).rejects.toMatchObject({ status: 503 });
  });
});
