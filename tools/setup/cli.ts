/** `byz setup plan|apply|verify|undo`: show, do, check and take back the setup of this node. */
import { hostname } from 'node:os';
import { EXIT, UserError } from '../common/errors.ts';
import { paint } from '../common/output.ts';
import type { Command } from '../byz/command.ts';
import { observeNode } from '../observe/observe-node.ts';
import { choicesFrom, parseSetupArgs } from './choices-from-args.ts';
import { readUpstreamDns } from './upstream-dns.ts';
import { readBabelFilters } from './babel-filters.ts';
import { appliedSetup, describe, planAndApply, planWithProbes, undoSetup, verifyPlan, type Plan } from './index.ts';
import type { SetupChoices } from '../plan/choices.ts';

const help = `Usage: byz setup <plan|apply|verify|undo> [options]

  plan     show every step the setup would take (nothing changes)
  apply    take those steps; a failing step takes back the ones before it
  verify   read the machine back and say, step by step, what holds
  undo     take back everything the last apply did, newest first

Options (plan and apply):
  --mesh IFACE         the mesh interface (repeat for more); default: the first Wi-Fi card
  --clients IFACE      the interface phones join; default: a second Wi-Fi card,
                       which then becomes an access point
  --access-point       run hostapd on the --clients interface (it must be Wi-Fi)
  --wired              allow a mesh interface that is not wireless (a cable, the lab)
  --mode ibss|mesh     ad-hoc (IBSS, default) or 802.11s
  --channel N          default 1;  --essid NAME default byzantium;  --bssid MAC
  --mesh-range CIDR    private range the mesh address (a /32) is drawn from
                       (default 10.254.0.0/16: 10.254.x.y is always a node)
  --client-range CIDR  private range the phones' /24 is drawn from, outside the
                       mesh range and the ranges home routers use (default
                       10.0.0.0/8: large, and away from 192.168.x.y)
  --seed TEXT          repeat the random address choice (default: the card's MAC)
  --name NAME          node name under byzantium.mesh (default: the hostname)
  --gateway IFACE      share this uplink with the mesh (or use "byz gateway on")
  --dns ADDRESS        the uplink's name server, for a gateway (repeat for up
                       to 3; default: those /etc/resolv.conf names now, copied
                       into dnsmasq's configuration, not followed afterwards)
  --captive            answer the phones' connectivity checks (Android, iOS,
                       Windows...) with this node, so that they open its front
                       page when they join (run "byz serve --captive" too)
  --conf-dir, --run-dir, --state-dir DIR   where files go (/etc/byzantium, ...)
  --again              (apply) apply the last applied setup again, with the
                       same choices (other options are not used) and the
                       filters now in babeld-filters.conf
  --json               print JSON instead of text
  -h, --help           this help

babeld filters of your own ("in neigh ADDRESS deny" against a hostile node)
go in CONF_DIR/babeld-filters.conf: byz never writes that file, and copies its
in/out lines to the end of the babeld.conf it writes ("byz setup apply --again").

Exit codes: 0 ok, 1 failed or did not verify, 2 bad input, 3 not root or a package missing.
`;

function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new UserError('byz setup: needs root; run it with sudo', EXIT.environment);
}

function printPlan(plan: Plan, duplicates: string[], unchecked: string[]): void {
  process.stdout.write(`Mesh address ${paint('bold', plan.meshAddress)}, phones on ${paint('bold', plan.clientPrefix)} (seed ${plan.seed})\n`);
  if (duplicates.length > 0) process.stdout.write(`Already in use nearby, avoided: ${duplicates.join(', ')}\n`);
  for (const reason of unchecked) process.stdout.write(`${paint('yellow', 'Not checked one hop away:')} ${reason}\n`);
  plan.steps.forEach((step, i) => {
    const text = step.skipped ? paint('dim', `${describe(step.messageKey, step.params)} — ${describe(step.skipped, step.params)}`) : describe(step.messageKey, step.params);
    process.stdout.write(`${String(i + 1).padStart(2)}. ${text}\n`);
    if (step.action.kind === 'run' || step.action.kind === 'start') process.stdout.write(`    ${paint('dim', step.action.argv.join(' '))}\n`);
    if (step.action.kind === 'write') process.stdout.write(`    ${paint('dim', `write ${step.action.path}`)}\n`);
  });
}

export const command: Command = {
  help,
  async run(argv) {
    const { values, positionals } = parseSetupArgs(argv);
    const [action, ...extra] = positionals;
    if (values.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    if (action === undefined || extra.length > 0 || !['plan', 'apply', 'verify', 'undo'].includes(action)) {
      throw new UserError('byz setup: say plan, apply, verify or undo (see "byz setup --help")', EXIT.usage);
    }
    const host = {};
    const stateDir = values['state-dir'];
    if (action === 'undo') {
      requireRoot();
      const report = await undoSetup(host, stateDir);
      if (!report) throw new UserError('byz setup: nothing to undo (no setup was applied here)', EXIT.failed);
      if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(`Took back ${report.undone.length} steps.${report.problems.length ? `\nProblems: ${report.problems.join('; ')}` : ''}\n`);
      return report.problems.length === 0 ? EXIT.ok : EXIT.failed;
    }
    if (action === 'verify') {
      const applied = await appliedSetup(stateDir);
      if (!applied) throw new UserError('byz setup: nothing to verify (no setup was applied here)', EXIT.failed);
      const report = await verifyPlan(host, applied.plan);
      if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else for (const item of report.items) {
        const mark = item.holds === 'skipped' ? paint('dim', 'skip') : item.holds ? paint('green', ' ok ') : paint('red', 'FAIL');
        process.stdout.write(`[${mark}] ${describe(item.messageKey, item.params)}\n`);
      }
      return report.ok ? EXIT.ok : EXIT.failed;
    }
    requireRoot();
    if (values.again && action !== 'apply') throw new UserError('byz setup: --again goes with apply', EXIT.usage);
    let choices: SetupChoices;
    if (values.again) {
      // The choices of the last apply, with babeld-filters.conf read anew; taken back first, so babeld restarts with them.
      const applied = await appliedSetup(stateDir);
      if (!applied) throw new UserError('byz setup: nothing to apply again (no setup was applied here)', EXIT.failed);
      choices = { ...applied.choices, babelFilters: await readBabelFilters(applied.choices.paths.confDir) };
      await undoSetup(host, stateDir);
    } else {
      choices = choicesFrom(values, await observeNode(host), hostname(), {
        uplinkDns: values.gateway && !values.dns ? await readUpstreamDns() : [],
        babelFilters: await readBabelFilters(values['conf-dir']),
      });
    }
    if (action === 'plan') {
      const { plan, duplicates, unchecked } = await planWithProbes(host, choices);
      if (values.json) process.stdout.write(`${JSON.stringify({ choices, plan, duplicates, unchecked }, null, 1)}\n`);
      else printPlan(plan, duplicates, unchecked);
      return EXIT.ok;
    }
    const { report, plan } = await planAndApply(host, choices, {
      onStep: values.json ? undefined : (step, full) => {
        const mark = step.outcome === 'failed' ? paint('red', 'FAIL') : step.outcome === 'done' ? paint('green', 'done') : paint('dim', step.outcome);
        process.stdout.write(`[${mark}] ${describe(full.messageKey, full.params)}${step.error ? `: ${step.error}` : ''}\n`);
        if (step.outcome === 'failed' && full.expect.kind === 'address-free') process.stdout.write('Taken back; drawing other addresses and trying again.\n');
      },
    });
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else if (!report.ok) process.stderr.write('byz setup: a step failed; the steps before it were taken back\n');
    else process.stdout.write(`Mesh address ${paint('bold', plan.meshAddress)}, phones on ${paint('bold', plan.clientPrefix)}.\n`);
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};
