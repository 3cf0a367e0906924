import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appliedSetup } from '../../tools/setup/index.ts';
import { choicesFrom, parseSetupArgs } from '../../tools/setup/choices-from-args.ts';
import { EMPTY_STATE, type NodeState } from '../../tools/observe/state.ts';

const link = (name: string) => ({ index: 1, name, flags: [], adminUp: false, operState: 'DOWN', mac: '02:00:00:00:00:07', mtu: 1500, master: undefined });
const twoCards: NodeState = { ...EMPTY_STATE, links: [link('wlan0'), link('wlan1'), link('eth0')], wireless: ['wlan0', 'wlan1'] };
const choose = (state: NodeState, ...argv: string[]) => choicesFrom(parseSetupArgs(['plan', ...argv]).values, state, 'Oak Tree');

describe('byz setup options', () => {
  it('with no options: the first Wi-Fi card meshes, the second is the access point, ranges as in the book', () => {
    const choices = choose(twoCards);
    expect(choices.meshInterfaces).toEqual(['wlan0']);
    expect(choices.clientInterface).toBe('wlan1');
    expect(choices.accessPoint).toBe(true);
    expect(choices.meshRange).toBe('10.254.0.0/16');
    expect(choices.clientRange).toBe('10.0.0.0/8');
    expect(choices.nodeName).toBe('oak-tree');
    expect(choices.seed).toBe('02:00:00:00:00:07');
  });

  it('an explicit --clients is an access point only with --access-point', () => {
    expect(choose(twoCards, '--clients', 'eth0').accessPoint).toBe(false);
    expect(choose(twoCards, '--clients', 'wlan1', '--access-point').accessPoint).toBe(true);
  });

  it('takes the ranges from --mesh-range and --client-range', () => {
    const choices = choose(twoCards, '--mesh-range', '172.20.0.0/16', '--client-range', '192.168.128.0/17');
    expect([choices.meshRange, choices.clientRange]).toEqual(['172.20.0.0/16', '192.168.128.0/17']);
  });

  it('with one Wi-Fi card and no --clients, says what to do in one line', () => {
    const one = { ...twoCards, wireless: ['wlan0'] };
    expect(() => choose(one)).toThrow(/no second Wi-Fi card for phones; name the interface for phones with --clients IFACE/);
    expect(() => choose(one)).not.toThrow(/\n/);
  });

  it('refuses the old --range option instead of ignoring it', () => {
    expect(() => parseSetupArgs(['plan', '--range', '10.0.0.0/8'])).toThrow('byz setup: unknown option --range (see "byz setup --help")');
  });

  it("a gateway forwards to --dns, else to the servers resolv.conf named when it was planned; other nodes to none", () => {
    const files = { uplinkDns: ['192.168.1.1'], babelFilters: ['in neigh fe80::1 deny'] };
    const gateway = (...argv: string[]) => choicesFrom(parseSetupArgs(['plan', ...argv]).values, twoCards, 'oak', files);
    expect(gateway('--gateway', 'eth0').upstreamDns).toEqual(['192.168.1.1']);
    expect(gateway('--gateway', 'eth0', '--dns', '9.9.9.9', '--dns', '2620:fe::fe').upstreamDns).toEqual(['9.9.9.9', '2620:fe::fe']);
    expect(gateway().upstreamDns).toEqual([]);
    // Without a gateway --dns would do nothing: refused rather than silently dropped.
    expect(() => gateway('--dns', '9.9.9.9')).toThrow('byz setup: --dns names the servers a gateway asks for Internet names; add --gateway IFACE, or leave --dns out');
    expect(gateway().babelFilters).toEqual(['in neigh fe80::1 deny']);
  });

  it('--captive is off unless asked for', () => {
    expect(choose(twoCards).captive).toBe(false);
    expect(choose(twoCards, '--captive').captive).toBe(true);
  });

  it('a journal from before --dns, --captive and the filters file reads with their defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byz-old-journal-'));
    const { upstreamDns: _dns, captive: _captive, babelFilters: _filters, ...older } = choose(twoCards);
    writeFileSync(join(dir, 'journal.json'), JSON.stringify({ version: 1, status: 'applied', choices: older, plan: { version: 1, seed: 'old', meshAddress: '10.254.1.1', clientPrefix: '10.1.2.0/24', steps: [] }, entries: [] }));
    const applied = await appliedSetup(dir);
    expect(applied?.choices).toMatchObject({ upstreamDns: [], captive: false, babelFilters: [], nodeName: 'oak-tree' });
  });
});

