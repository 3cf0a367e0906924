/**
 * Runs a command given as an argv array (never through a shell), optionally
 * inside a network namespace. The one place the node tools start programs.
 */
import { execa } from 'execa';

/** Where a command runs: this machine, or one of its network namespaces (the lab). */
export interface Host {
  readonly netns?: string;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly input?: string;
}

/** A command that could not start or exited non-zero; the message is one line. */
export class CommandError extends Error {
  readonly argv: readonly string[];
  readonly result: RunResult | undefined;
  constructor(argv: readonly string[], result: RunResult | undefined, reason: string) {
    super(`${argv.join(' ')}: ${reason}`);
    this.name = 'CommandError';
    this.argv = argv;
    this.result = result;
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The argv that runs `argv` on `host`. */
export function onHost(host: Host, argv: readonly string[]): string[] {
  if (host.netns === undefined) return [...argv];
  if (!NAME.test(host.netns)) throw new Error(`bad network namespace name: ${host.netns}`);
  return ['ip', 'netns', 'exec', host.netns, ...argv];
}

/** Runs and returns the result whatever the exit code; throws only when the program cannot start. */
export async function tryRun(host: Host, argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const full = onHost(host, argv);
  const [file, ...args] = full;
  if (file === undefined) throw new Error('empty command');
  const result = await execa(file, args, {
    reject: false,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    ...(options.input === undefined ? {} : { input: options.input }),
    timeout: options.timeoutMs ?? 60_000,
    env: { LC_ALL: 'C' },
    extendEnv: true,
    stripFinalNewline: false,
  });
  if (result.failed && result.exitCode === undefined) {
    const reason = (result as { code?: string }).code === 'ENOENT' ? 'command not found' : ((result.shortMessage ?? 'failed').split('\n')[0] ?? 'failed');
    throw new CommandError(full, undefined, reason);
  }
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs and throws a CommandError (one line, with the program's own first error line) on a non-zero exit. */
export async function run(host: Host, argv: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await tryRun(host, argv, options);
  if (result.exitCode !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? '';
    throw new CommandError(onHost(host, argv), result, `exit ${result.exitCode}${said ? `: ${said}` : ''}`);
  }
  return result.stdout;
}

/** True when `name` is an executable on PATH (or in the sbin directories Debian keeps from non-root users). */
export async function hasProgram(name: string): Promise<boolean> {
  const { access, constants } = await import('node:fs/promises');
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      await access(`${dir}/${name}`, constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}
