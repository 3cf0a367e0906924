/**
 * Long jobs (setup apply/undo, gateway, clone, persist) run as `byz` child
 * processes, one at a time. Their JSON-lines progress (`--progress json`) or
 * plain output lines become the job's progress, which the operator's page
 * polls or follows as server-sent events.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import type { Job } from '../contract/schemas.ts';
import { COMMON_SECURITY_HEADERS } from './csp.ts';
import { HttpError } from './http-io.ts';

const LOG_LINES = 50;
const MAX_JOBS_KEPT = 20;

type Listener = (job: Job) => void;

/** Reads progress out of one output line: JSON events are mapped field by field, plain text becomes the message. */
export function progressFromLine(line: string): Partial<Job['progress']> {
  const text = line.trim();
  if (text.startsWith('{')) {
    try {
      const event = JSON.parse(text) as Record<string, unknown>;
      const num = (...keys: string[]) => {
        for (const key of keys) if (typeof event[key] === 'number' && Number.isFinite(event[key])) return event[key] as number;
        return undefined;
      };
      const str = (...keys: string[]) => {
        for (const key of keys) if (typeof event[key] === 'string') return (event[key] as string).slice(0, 500);
        return undefined;
      };
      const progress: Partial<Job['progress']> = {};
      // A result's byte count is the clone's size, not progress: the bar stays where the read-back left it.
      const counts = event.type !== 'result';
      const done = counts ? num('done', 'bytesDone', 'bytes', 'written') : undefined;
      if (done !== undefined) progress.done = done;
      const total = counts ? num('total', 'bytesTotal', 'size') : undefined;
      if (total !== undefined) progress.total = total;
      // A byte count keeps the message of its phase ("Copying files…"); a phase change names itself.
      const message = str('message') ?? (done === undefined ? str('phase', 'step', 'event', 'type') : undefined);
      if (message !== undefined) progress.message = message;
      return progress;
    } catch {
      // not JSON after all: a plain line
    }
  }
  return { message: text.slice(0, 500) };
}

export class JobRunner {
  private readonly byz: readonly string[];
  private readonly extraArgs: Partial<Record<Job['kind'], readonly string[]>>;
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Map<string, Set<Listener>>();

  /** `extraArgs`: appended to every job of a kind (a test agent's clone --source). */
  constructor(byz: readonly string[], extraArgs: Partial<Record<Job['kind'], readonly string[]>> = {}) {
    this.byz = byz;
    this.extraArgs = extraArgs;
  }

  list(): Job[] {
    return [...this.jobs.values()];
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Runs `byz <args>` as a job; `onEnd` runs once when it ends, however it ends (it cleans up what the job needed). */
  start(kind: Job['kind'], args: string[], onEnd?: () => void): Job {
    if ([...this.jobs.values()].some((job) => job.state === 'running')) {
      throw new HttpError(409, 'busy', 'another job is running; wait for it to finish');
    }
    const id = randomBytes(8).toString('hex');
    const job: Job = { id, kind, state: 'running', startedAt: new Date().toISOString(), finishedAt: null, progress: { message: 'starting', done: null, total: null }, exitCode: null, log: [] };
    this.jobs.set(id, job);
    while (this.jobs.size > MAX_JOBS_KEPT) this.jobs.delete(this.jobs.keys().next().value as string);

    const [file, ...prefix] = this.byz;
    const child = spawn(file!, [...prefix, ...args, ...(this.extraArgs[kind] ?? [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const onLine = (line: string) => {
      if (!line.trim()) return;
      job.log.push(line.slice(0, 500));
      if (job.log.length > LOG_LINES) job.log.shift();
      job.progress = { ...job.progress, ...progressFromLine(line) };
      this.emit(job);
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    const finish = (code: number) => {
      if (job.state !== 'running') return;
      onEnd?.();
      job.exitCode = code;
      job.state = code === 0 ? 'succeeded' : 'failed';
      job.finishedAt = new Date().toISOString();
      this.emit(job);
    };
    child.on('error', (error) => {
      onLine(`could not start byz: ${error.message}`);
      finish(1);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
    return job;
  }

  private emit(job: Job): void {
    for (const listener of this.listeners.get(job.id) ?? []) listener(job);
  }

  /** Follows a job as server-sent events: one `job` event now and on every change; ends when the job does. */
  stream(id: string, req: IncomingMessage, res: ServerResponse): void {
    const job = this.jobs.get(id)!;
    res.writeHead(200, { ...COMMON_SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    const send = (current: Job) => {
      res.write(`event: job\ndata: ${JSON.stringify(current)}\n\n`);
      if (current.state !== 'running') close();
    };
    const listeners = this.listeners.get(id) ?? new Set<Listener>();
    this.listeners.set(id, listeners);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const close = () => {
      clearInterval(keepAlive);
      listeners.delete(send);
      res.end();
    };
    // A streaming answer must outlive the server's request timeout.
    req.socket.setTimeout(0);
    req.on('close', close);
    listeners.add(send);
    send(job);
  }
}
