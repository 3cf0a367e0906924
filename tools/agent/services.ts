/**
 * The node's own services, defined one JSON file each in a configuration
 * directory (<id>.json). Turning one on starts its dependencies first;
 * turning one off refuses while others depend on it, unless asked to cascade.
 * A service the agent started is restarted if it dies, with a growing delay.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as v from 'valibot';
import { Description, DisplayName, Slug, WebUrl } from '../contract/text.ts';
import type { Service } from '../contract/schemas.ts';
import { HttpError } from './http-io.ts';

const Argv = v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.regex(/^[^\0]*$/))), v.minLength(1), v.maxLength(64));

export const ServiceDefinition = v.strictObject({
  name: DisplayName,
  description: v.optional(Description, ''),
  /** Where people reach it: a port on this node (and a path), or a full URL. */
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535))),
  path: v.optional(v.pipe(v.string(), v.maxLength(200), v.regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/)), '/'),
  url: v.optional(WebUrl),
  /** The command that runs the service in the foreground (argv, never a shell string). Absent: always on, only announced. */
  start: v.optional(Argv),
  /** A command that stops it; absent: the agent sends SIGTERM to the process it started. */
  stop: v.optional(Argv),
  dependsOn: v.optional(v.pipe(v.array(Slug), v.maxLength(16)), []),
  /** Start when the agent starts. */
  autostart: v.optional(v.boolean(), false),
});
export type ServiceDefinition = v.InferOutput<typeof ServiceDefinition>;

export interface ServiceManager {
  list(host: string): Service[];
  start(id: string): Promise<{ started: string[]; stopped: string[] }>;
  stop(id: string, cascade: boolean): Promise<{ started: string[]; stopped: string[] }>;
  close(): Promise<void>;
}

/** Reads every <id>.json of a directory; a bad file is a one-line error naming it. */
export function loadServiceDefinitions(dir: string): Map<string, ServiceDefinition> {
  const definitions = new Map<string, ServiceDefinition>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return definitions;
    throw error;
  }
  for (const name of names) {
    const id = name.slice(0, -5);
    if (!v.is(Slug, id)) throw new Error(`service file ${name}: the name must be lower-case letters, digits and "-"`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch {
      throw new Error(`service file ${name} is not valid JSON`);
    }
    const parsed = v.safeParse(ServiceDefinition, raw);
    if (!parsed.success) throw new Error(`service file ${name}: ${v.getDotPath(parsed.issues[0]) ?? ''} ${parsed.issues[0].message}`.trim());
    if (parsed.output.port === undefined && parsed.output.url === undefined) throw new Error(`service file ${name}: give "port" or "url"`);
    definitions.set(id, parsed.output);
  }
  for (const [id, definition] of definitions) {
    for (const dependency of definition.dependsOn) {
      if (!definitions.has(dependency)) throw new Error(`service ${id} depends on "${dependency}", which has no definition`);
    }
  }
  dependencyOrder(definitions, [...definitions.keys()]); // throws on a cycle
  return definitions;
}

/** The services to start for `ids`, dependencies before dependents. */
export function dependencyOrder(definitions: Map<string, ServiceDefinition>, ids: string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`services depend on each other in a circle: ${[...path, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const dependency of definitions.get(id)?.dependsOn ?? []) visit(dependency, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of ids) visit(id, []);
  return order;
}

interface Running {
  child: ChildProcess | null;
  wanted: boolean;
  failures: number;
  startedAt: number;
  timer: NodeJS.Timeout | null;
}

const BACKOFF_MAX_MS = 60_000;
/** A service that ran this long is considered healthy again: its next crash restarts it quickly. */
const HEALTHY_AFTER_MS = 30_000;

export class ProcessServiceManager implements ServiceManager {
  readonly definitions: Map<string, ServiceDefinition>;
  private readonly running = new Map<string, Running>();
  private readonly backoffBaseMs: number;
  private readonly log: (line: string) => void;

  constructor(definitions: Map<string, ServiceDefinition>, options: { backoffBaseMs?: number; log?: (line: string) => void } = {}) {
    this.definitions = definitions;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.log = options.log ?? ((line) => process.stderr.write(`byz serve: ${line}\n`));
  }

  async startAutostart(): Promise<void> {
    for (const [id, definition] of this.definitions) if (definition.autostart) await this.start(id);
  }

  isRunning(id: string): boolean {
    const definition = this.definitions.get(id);
    if (!definition) return false;
    if (!definition.start) return true;
    const entry = this.running.get(id);
    return Boolean(entry?.wanted && entry.child && entry.child.exitCode === null && entry.child.signalCode === null);
  }

  /** The process id of a running service (for tests and status). */
  pidOf(id: string): number | null {
    return this.running.get(id)?.child?.pid ?? null;
  }

  list(host: string): Service[] {
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return [...this.definitions].map(([id, d]) => ({
      id,
      name: d.name,
      description: d.description,
      url: d.url ?? `http://${urlHost}:${d.port}${d.path}`,
      running: this.isRunning(id),
    }));
  }

  private definition(id: string): ServiceDefinition {
    const definition = this.definitions.get(id);
    if (!definition) throw new HttpError(404, 'not_found', `no service "${id}"`);
    return definition;
  }

  async start(id: string): Promise<{ started: string[]; stopped: string[] }> {
    this.definition(id);
    const started: string[] = [];
    for (const next of dependencyOrder(this.definitions, [id])) {
      if (!this.definitions.get(next)!.start || this.running.get(next)?.wanted) continue;
      this.launch(next);
      started.push(next);
    }
    return { started, stopped: [] };
  }

  /** Services that depend on `id`, directly or not, that are wanted running; dependents first. */
  private runningDependents(id: string): string[] {
    const result: string[] = [];
    const visit = (target: string): void => {
      for (const [other, definition] of this.definitions) {
        if (definition.dependsOn.includes(target) && this.running.get(other)?.wanted && !result.includes(other)) {
          visit(other);
          result.push(other);
        }
      }
    };
    visit(id);
    return result;
  }

  async stop(id: string, cascade: boolean): Promise<{ started: string[]; stopped: string[] }> {
    this.definition(id);
    const dependents = this.runningDependents(id);
    if (dependents.length > 0 && !cascade) {
      throw new HttpError(409, 'has_dependents', `${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on ${id}; stop ${dependents.length === 1 ? 'it' : 'them'} first or ask to cascade`);
    }
    const stopped: string[] = [];
    for (const target of [...dependents, id]) {
      if (await this.halt(target)) stopped.push(target);
    }
    return { started: [], stopped };
  }

  private launch(id: string): void {
    const definition = this.definitions.get(id)!;
    const entry: Running = this.running.get(id) ?? { child: null, wanted: true, failures: 0, startedAt: 0, timer: null };
    entry.wanted = true;
    this.running.set(id, entry);
    const [command, ...args] = definition.start!;
    // The service's error output goes to the agent's, one prefixed line at a time (the system journal keeps it).
    const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
    entry.child = child;
    createInterface({ input: child.stderr! }).on('line', (line) => this.log(`service ${id}: ${line.slice(0, 500)}`));
    entry.startedAt = Date.now();
    child.on('error', (error) => this.log(`service ${id}: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (entry.child !== child || !entry.wanted) return;
      entry.failures = Date.now() - entry.startedAt >= HEALTHY_AFTER_MS ? 1 : entry.failures + 1;
      const delay = Math.min(BACKOFF_MAX_MS, this.backoffBaseMs * 2 ** (entry.failures - 1));
      this.log(`service ${id} exited (${signal ?? `code ${code}`}); restarting in ${Math.round(delay / 100) / 10} s`);
      entry.timer = setTimeout(() => {
        entry.timer = null;
        if (entry.wanted) this.launch(id);
      }, delay);
      entry.timer.unref();
    });
  }

  private async halt(id: string): Promise<boolean> {
    const entry = this.running.get(id);
    if (!entry?.wanted) return false;
    entry.wanted = false;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    const child = entry.child;
    const stopCommand = this.definitions.get(id)?.stop;
    if (stopCommand) {
      const [command, ...args] = stopCommand;
      await new Promise<void>((resolve) => spawn(command!, args, { stdio: 'ignore' }).on('close', () => resolve()).on('error', () => resolve()));
    }
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    return true;
  }

  async close(): Promise<void> {
    const ids = [...this.running.keys()].filter((id) => this.running.get(id)?.wanted);
    // Dependents first: reverse of the start order.
    for (const id of dependencyOrder(this.definitions, ids).reverse()) await this.halt(id);
  }
}
