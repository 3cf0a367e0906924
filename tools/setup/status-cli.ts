/** `byz status`: this node's interfaces, routes, Babel neighbours and phones. */
import { parseCommandArgs } from '../byz/parse-options.ts';
import { EXIT } from '../common/errors.ts';
import type { Command } from '../byz/command.ts';
import { observeNode } from '../observe/observe-node.ts';
import { DEFAULT_PATHS } from '../plan/choices.ts';
import { appliedSetup, observeOptions } from './index.ts';

const help = `Usage: byz status [--json] [--state-dir DIR]

Shows whether this node shares an uplink (gateway), its interfaces and
addresses, its routes, babeld's neighbours and the phones dnsmasq gave
addresses to. Works without root, but only root
can ask babeld for its neighbours (its control socket is root's).

Exit codes: 0 ok, 2 bad input.
`;

export const command: Command = {
  help,
  async run(argv) {
    const { values } = parseCommandArgs('status', { args: argv, options: { json: { type: 'boolean', default: false }, 'state-dir': { type: 'string', default: DEFAULT_PATHS.stateDir }, help: { type: 'boolean', short: 'h', default: false } } });
    if (values.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    const applied = await appliedSetup(values['state-dir']);
    const state = await observeNode({}, applied ? observeOptions(applied.choices) : {});
    const summary = {
      setup: applied ? { meshAddress: applied.plan.meshAddress, clientPrefix: applied.plan.clientPrefix } : null,
      // What the applied setup shares (byz gateway on|off applies the setup again with the new choice).
      gateway: applied ? { on: applied.choices.gateway !== undefined, uplink: applied.choices.gateway ?? null, dns: applied.choices.upstreamDns } : null,
      interfaces: state.links.map((link) => ({
        name: link.name,
        up: link.adminUp,
        wireless: state.wireless.includes(link.name),
        addresses: state.addresses.filter((a) => a.ifname === link.name).map((a) => `${a.local}/${a.prefixlen}`),
      })),
      routes: state.routes.map((r) => ({ dst: r.dst, via: r.gateway ?? null, dev: r.dev ?? null, protocol: r.protocol })),
      neighbours: state.babel?.neighbours.map((n) => ({ address: n.address, dev: n.ifname, cost: n.cost })) ?? [],
      phones: state.leases.map((l) => ({ address: l.address, name: l.hostname ?? null })),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 1)}\n`);
      return EXIT.ok;
    }
    const out: string[] = [];
    out.push(summary.setup ? `Node: mesh address ${summary.setup.meshAddress}, phones on ${summary.setup.clientPrefix}` : 'Node: not set up (run "byz setup plan")');
    if (summary.gateway) {
      const { on, uplink, dns } = summary.gateway;
      out.push(on ? `Gateway: sharing ${uplink}${dns.length ? `, Internet names asked of ${dns.join(', ')}` : ''}` : 'Gateway: off (run "byz gateway on" to share an uplink)');
    }
    out.push('Interfaces:');
    for (const i of summary.interfaces) out.push(`  ${i.name.padEnd(15)} ${i.up ? 'up  ' : 'down'} ${i.wireless ? 'wifi ' : '     '} ${i.addresses.join(' ')}`);
    out.push('Routes:');
    for (const r of summary.routes) out.push(`  ${r.dst.padEnd(18)} ${r.via ? `via ${r.via} ` : ''}${r.dev ?? ''} (${r.protocol})`);
    // babeld's control socket is root's only: without root its neighbours cannot be read, which is not "none".
    const unreadable = state.babel === undefined && applied !== undefined && process.getuid?.() !== 0;
    out.push(`Babel neighbours: ${unreadable ? 'unknown (run "sudo byz status" to ask babeld)' : summary.neighbours.length === 0 ? 'none' : ''}`);
    for (const n of summary.neighbours) out.push(`  ${n.address} on ${n.dev}, cost ${n.cost}`);
    out.push(`Phones: ${summary.phones.length === 0 ? 'none' : ''}`);
    for (const p of summary.phones) out.push(`  ${p.address} ${p.name ?? ''}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return EXIT.ok;
  },
};
