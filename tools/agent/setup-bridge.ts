/**
 * The operator endpoints reach the setup tools through their own command line
 * (`byz setup plan --json`, `byz status --json`, ...), run as a child process
 * with an argv array: the agent gets exactly what the CLI prints, the setup
 * code stays the one place that observes and changes the machine, and a
 * crash or hang there cannot take the agent down.
 */
import { execFile } from 'node:child_process';
import { HttpError } from './http-io.ts';

export interface SystemStatus {
  raw: unknown;
  clientCount: number | null;
  gateway: boolean | null;
}

export interface SetupBridge {
  status(): Promise<SystemStatus>;
  plan(args: string[]): Promise<unknown>;
  verify(args: string[]): Promise<{ ok: boolean; report: unknown }>;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `byz <args>`; never a shell. */
export function runByz(byz: readonly string[], args: readonly string[], timeoutMs: number): Promise<Outcome> {
  const [file, ...prefix] = byz;
  return new Promise((resolve) => {
    execFile(file!, [...prefix, ...args], { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** A failed CLI run as the matching HTTP error: its one-line message, with the status its exit code means. */
function failure(outcome: Outcome, what: string): HttpError {
  const line = outcome.stderr.trim().split('\n').at(-1)?.slice(0, 300) || `${what} failed`;
  if (/not built yet/.test(outcome.stderr)) return new HttpError(501, 'not_built', `${what} is not built yet in this version of byz`);
  if (outcome.code === 2) return new HttpError(400, 'bad_input', line);
  if (outcome.code === 3) return new HttpError(503, 'machine_not_ready', line);
  return new HttpError(502, 'tool_failed', line);
}

function parseJson(outcome: Outcome, what: string): unknown {
  try {
    return JSON.parse(outcome.stdout);
  } catch {
    throw new HttpError(502, 'tool_failed', `${what} did not print JSON`);
  }
}

export class CliSetupBridge implements SetupBridge {
  private readonly byz: readonly string[];
  constructor(byz: readonly string[]) {
    this.byz = byz;
  }

  async status(): Promise<SystemStatus> {
    const outcome = await runByz(this.byz, ['status', '--json'], 30_000);
    if (outcome.code !== 0) throw failure(outcome, 'byz status');
    const raw = parseJson(outcome, 'byz status') as Record<string, unknown>;
    // `byz status --json` lists the phones dnsmasq gave addresses to (operator-only: they identify clients).
    const clients = raw?.phones ?? raw?.clients ?? raw?.leases;
    const clientCount = typeof raw?.clientCount === 'number' ? raw.clientCount : Array.isArray(clients) ? clients.length : null;
    // `gateway` is { on, uplink, dns }, or null before setup.
    const on = (raw?.gateway as { on?: unknown } | null | undefined)?.on;
    const gateway = typeof on === 'boolean' ? on : null;
    return { raw, clientCount, gateway };
  }

  async plan(args: string[]): Promise<unknown> {
    const outcome = await runByz(this.byz, ['setup', 'plan', '--json', ...args], 60_000);
    if (outcome.code !== 0) throw failure(outcome, 'byz setup plan');
    return parseJson(outcome, 'byz setup plan');
  }

  async verify(args: string[]): Promise<{ ok: boolean; report: unknown }> {
    const outcome = await runByz(this.byz, ['setup', 'verify', '--json', ...args], 60_000);
    // Exit 1 means "ran, and something does not hold": still a report.
    if (outcome.code !== 0 && outcome.code !== 1) throw failure(outcome, 'byz setup verify');
    if (outcome.code === 1 && !outcome.stdout.trim()) throw failure(outcome, 'byz setup verify');
    return { ok: outcome.code === 0, report: parseJson(outcome, 'byz setup verify') };
  }
}
