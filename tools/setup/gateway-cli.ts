/** `byz gateway on|off`: share (or stop sharing) an Internet uplink with the mesh. */
import { parseCommandArgs } from '../byz/parse-options.ts';
import { EXIT, UserError } from '../common/errors.ts';
import type { Command } from '../byz/command.ts';
import { observeNode } from '../observe/observe-node.ts';
import { DEFAULT_PATHS } from '../plan/choices.ts';
import { appliedSetup, applyPlan, planWithProbes, undoSetup } from './index.ts';
import { readUpstreamDns } from './upstream-dns.ts';
import { readBabelFilters } from './babel-filters.ts';

const help = `Usage: byz gateway on [--uplink IFACE] [--dns ADDRESS]... | off  [--state-dir DIR] [--json]

on   share the uplink (default: the interface of the default route) with the
     mesh: NAT with nftables, a default route announced into Babel, and DNS
     forwarded to the uplink's name servers: those named with --dns (up to
     3), else those /etc/resolv.conf names now. They are copied into
     dnsmasq's configuration, so a resolv.conf that the network software
     empties when the uplink drops does not break names on the mesh; if the
     uplink's network changes its servers, run "byz gateway on" again.
off  stop sharing; the exact reverse.

The node's setup is taken back and applied again with the new choice, so
routing pauses for a few seconds. Needs an applied setup ("byz setup apply").

Exit codes: 0 ok, 1 failed, 2 bad input, 3 not root or nftables missing.
`;

export const command: Command = {
  help,
  async run(argv) {
    const parsed = parseCommandArgs('gateway', { args: argv, allowPositionals: true, options: { uplink: { type: 'string' }, dns: { type: 'string', multiple: true }, 'state-dir': { type: 'string', default: DEFAULT_PATHS.stateDir }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    const [turn] = positionals;
    if ((turn !== 'on' && turn !== 'off') || positionals.length !== 1) throw new UserError('byz gateway: say on or off (see "byz gateway --help")', EXIT.usage);
    if (turn === 'off' && (values.uplink !== undefined || values.dns !== undefined)) throw new UserError(`byz gateway: --${values.uplink !== undefined ? 'uplink' : 'dns'} is for "gateway on"; "off" takes neither`, EXIT.usage);
    if (process.getuid?.() !== 0) throw new UserError('byz gateway: needs root; run it with sudo', EXIT.environment);
    const applied = await appliedSetup(values['state-dir']);
    if (!applied) throw new UserError('byz gateway: this node is not set up yet; run "byz setup apply" first', EXIT.failed);
    let uplink: string | undefined;
    if (turn === 'on') {
      const state = await observeNode({});
      uplink = values.uplink ?? state.routes.find((r) => r.dst === 'default' && r.protocol !== 'babel')?.dev;
      if (!uplink) throw new UserError('byz gateway: no uplink found (no default route); connect one or name it with --uplink IFACE', EXIT.failed);
    }
    const upstreamDns = turn === 'on' ? (values.dns ?? (await readUpstreamDns())) : [];
    // The filters are read again: the operator may have added some since the last apply.
    const choices = { ...applied.choices, gateway: uplink, upstreamDns, babelFilters: await readBabelFilters(applied.choices.paths.confDir) };
    const { plan } = await planWithProbes({}, choices);
    await undoSetup({}, choices.paths.stateDir);
    const report = await applyPlan({}, plan, choices);
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(report.ok ? `Gateway ${turn}${uplink ? ` (uplink ${uplink})` : ''}.\n` : 'byz gateway: a step failed; see "byz setup verify"\n');
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};
