/**
 * `byz`: the Byzantium node tools. Each command lives in its own module and is
 * loaded only when used, so `byz status` on a weak node does not parse the
 * code of `byz clone`.
 */
import { describeSystemError, EXIT, oneLine, UserError } from '../common/errors.ts';
import type { Command } from './command.ts';

const commands: Record<string, () => Promise<{ command: Command }>> = {
  setup: () => import('../setup/cli.ts'),
  status: () => import('../setup/status-cli.ts'),
  gateway: () => import('../setup/gateway-cli.ts'),
  lab: () => import('../lab/cli.ts'),
  clone: () => import('../clone/cli.ts'),
  persist: () => import('../persist/cli.ts'),
  serve: () => import('../agent/cli.ts'),
  'operator-link': () => import('../agent/operator-link-cli.ts'),
};

const summaries: Record<string, string> = {
  setup: 'plan, apply, verify or undo the setup of this node',
  status: "show this node's interfaces, routes, neighbours and clients",
  gateway: 'share (or stop sharing) this node’s Internet uplink with the mesh',
  lab: 'build a virtual mesh of network namespaces on this machine',
  clone: 'copy this node’s live system to a USB stick or image file',
  persist: 'create or inspect persistent storage for the live system',
  serve: 'run the node agent: the book and the API',
  'operator-link': 'print a one-time login link for the operator',
};

export const usage = `Usage: byz <command> [options]

Commands:
${Object.entries(summaries)
  .map(([name, text]) => `  ${name.padEnd(14)} ${text}`)
  .join('\n')}

Run "byz <command> --help" for a command's options.

Exit codes: 0 ok, 1 failed or did not verify, 2 bad input,
3 machine not ready (not root, package missing), 130 interrupted.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    process.stdout.write(`${process.env.BYZ_VERSION ?? 'dev'}\n`);
    return EXIT.ok;
  }
  const load = commands[name];
  if (!load) throw new UserError(`byz: unknown command "${name}" (run "byz --help" for the list)`);
  const { command } = await load();
  return command.run(rest);
}

/** Runs the CLI as a program: one line on error, never a stack trace. */
export async function runAsProgram(argv: string[]): Promise<void> {
  const prefix = argv[0] !== undefined && argv[0] in commands ? `byz ${argv[0]}` : 'byz';
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof UserError) {
      // Modules shared by several commands say "byz:"; the operator sees which command spoke.
      const message = error.message.startsWith('byz: ') ? `${prefix}: ${error.message.slice(5)}` : error.message;
      process.stderr.write(`${oneLine(message)}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    // A file or host the operator named that is missing or unusable is not a bug: say which, in plain words.
    const system = describeSystemError(error);
    const message = system ?? `internal error: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
    process.stderr.write(`${prefix}: ${oneLine(message)}\n`);
    if (process.env.BYZ_DEBUG) console.error(error);
    process.exitCode = EXIT.failed;
  }
}
