/** `byz lab up|down|phone|exec`: a virtual mesh of network namespaces on this machine. */
import { parseCommandArgs, refuseIgnored, typedOptions } from '../byz/parse-options.ts';
import { execa } from 'execa';
import { EXIT, UserError } from '../common/errors.ts';
import type { Command } from '../byz/command.ts';
import { labDown, labPhone, labUp, labUplink, listLabNetns, readLab, requireRoot } from './lab.ts';
import { LAB_MEMBER, UPLINK, nodeNetns } from './names.ts';

const help = `Usage: byz lab <up|down|phone|uplink|exec> [options]

  up [--nodes N] [--topology line|ring|grid] [--bare]
        build N nodes (default 3, line): network namespaces joined by veth
        links, each set up by "byz setup" with the real babeld and dnsmasq.
        --bare builds the nodes and links only, to practise the setup by hand.
  phone NODE
        add a phone to NODE's client network; it gets an address from NODE's
        dnsmasq with dhclient. Then: byz lab exec NODE-phone -- ping ...
  uplink NODE
        cable a stand-in for the Internet to NODE: a host at 198.51.100.1
        (ping, TCP, and DNS for www.uplink.example) and a default route,
        to practise "byz gateway on" inside NODE
  exec NODE -- COMMAND [ARGS...]
        run a command inside a node (n1, n2, ...), a phone (n1-phone) or the uplink
  down  remove everything the lab made (safe to repeat, works after a crash;
        refused while a running program, such as a test, uses the lab)

Needs root. Everything carries the prefix "byzlab-" / "byzl" and lives under /run/byz-lab.
Exit codes: 0 ok, 1 failed, 2 bad input, 3 not root; exec returns the command's own code.
`;

export const command: Command = {
  help,
  async run(argv) {
    const dash = argv.indexOf('--');
    const own = dash === -1 ? argv : argv.slice(0, dash);
    const parsed = parseCommandArgs('lab', {
      args: own,
      allowPositionals: true,
      options: { nodes: { type: 'string', default: '3' }, topology: { type: 'string', default: 'line' }, bare: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    const [action, target] = positionals;
    if (action !== 'up') refuseIgnored('lab', action ?? 'no action', typedOptions(parsed), ['json']);
    // "byz lab down oops" must not take the lab down: a stray word is a typing mistake.
    const extra = positionals.slice(action === 'phone' || action === 'uplink' || action === 'exec' ? 2 : 1);
    if (extra.length > 0) throw new UserError(`byz lab: unexpected "${extra[0]}" after "${action}" (see "byz lab --help")`, EXIT.usage);
    if (action === 'up') {
      const topology = values.topology;
      if (topology !== 'line' && topology !== 'ring' && topology !== 'grid') throw new UserError('byz lab: --topology must be line, ring or grid', EXIT.usage);
      if (!/^\d{1,2}$/.test(values.nodes)) throw new UserError('byz lab: --nodes must be a number from 1 to 50', EXIT.usage);
      const lab = await labUp(Number(values.nodes), topology, !values.bare, values.json ? undefined : (line) => process.stdout.write(`${line}\n`));
      if (values.json) process.stdout.write(`${JSON.stringify(lab)}\n`);
      else process.stdout.write(`Lab up: ${lab.nodes.length} nodes, ${topology}. Try: byz lab phone n1\n`);
      return EXIT.ok;
    }
    if (action === 'down') {
      const removed = await labDown();
      process.stdout.write(values.json ? `${JSON.stringify({ removed })}\n` : `Lab down (${removed.length} things removed).\n`);
      return EXIT.ok;
    }
    if (action === 'phone') {
      if (!target || !/^n\d{1,2}$/.test(target)) throw new UserError('byz lab: say which node, e.g. "byz lab phone n1"', EXIT.usage);
      const address = await labPhone(target);
      process.stdout.write(values.json ? `${JSON.stringify({ phone: `${target}-phone`, address })}\n` : `${target}-phone got ${address} from ${target}'s dnsmasq.\n`);
      return EXIT.ok;
    }
    if (action === 'uplink') {
      if (!target || !/^n\d{1,2}$/.test(target)) throw new UserError('byz lab: say which node, e.g. "byz lab uplink n1"', EXIT.usage);
      const uplink = await labUplink(target);
      process.stdout.write(values.json ? `${JSON.stringify(uplink)}\n` : `${target} now has an uplink: default route to ${uplink.host}, which also answers ${uplink.internetName}. Try: byz lab exec ${target} -- byz gateway on --state-dir /run/byz-lab/${target}/state\n`);
      return EXIT.ok;
    }
    if (action === 'exec') {
      await requireRoot();
      if (!target || !LAB_MEMBER.test(target)) throw new UserError('byz lab: say which node, e.g. "byz lab exec n1 -- ip route"', EXIT.usage);
      const lab = await readLab();
      const known = target === UPLINK.name ? (await listLabNetns()).includes(nodeNetns(UPLINK.name)) : lab?.nodes.some((n) => n.name === target.replace(/-phone$/, ''));
      if (!known) throw new UserError(`byz lab: no node "${target}" (is the lab up?)`, EXIT.usage);
      const commandArgv = dash === -1 ? [] : argv.slice(dash + 1);
      if (commandArgv.length === 0) throw new UserError('byz lab: give the command after "--", e.g. byz lab exec n1 -- ip route', EXIT.usage);
      const result = await execa('ip', ['netns', 'exec', nodeNetns(target), ...commandArgv], { stdio: 'inherit', reject: false });
      return result.exitCode ?? EXIT.failed;
    }
    throw new UserError('byz lab: say up, down, phone, uplink or exec (see "byz lab --help")', EXIT.usage);
  },
};
