/**
 * Apply a plan: skip what already holds, journal each step before and after
 * doing it, read radio settings back and retry, and on any failure take back
 * every step done so far, newest first. Applying the same plan twice changes
 * nothing the second time: every step then already holds.
 */
import { readFile, stat, rm } from 'node:fs/promises';
import type { Host } from '../common/run.ts';
import type { Plan, Step, Action } from '../plan/step.ts';
import type { SetupChoices } from '../plan/choices.ts';
import { addressInUse, holds } from './expectations.ts';
import { perform, stopDaemon } from './perform.ts';
import { readJournal, removeJournal, saveJournal, type Journal, type JournalEntry } from './journal.ts';
import { writeFileAtomic } from '../common/atomic-write.ts';

export type StepOutcome = 'done' | 'already' | 'skipped' | 'failed';

export interface StepReport {
  readonly id: string;
  readonly outcome: StepOutcome;
  readonly error?: string;
}

export interface ApplyReport {
  readonly ok: boolean;
  readonly steps: StepReport[];
  /** Set when a step failed and the steps before it were taken back. */
  readonly rolledBack: boolean;
  /** The address a neighbour already used, when that is why the apply failed: plan again without it. */
  readonly inUse?: string;
}

export interface ApplyOptions {
  readonly onStep?: (report: StepReport, step: Step) => void;
  /** Steps the caller has just seen hold (the planner's own probes): reported "already" without asking again. */
  readonly knownToHold?: ReadonlySet<string>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A neighbour answered the duplicate-address probe: the plan must draw another address. */
export class AddressInUseError extends Error {
  readonly address: string;
  constructor(address: string, dev: string) {
    super(`${address} is already used by a neighbour on ${dev} (it answered arping -D)`);
    this.name = 'AddressInUseError';
    this.address = address;
  }
}

async function snapshot(path: string): Promise<JournalEntry['before']> {
  const content = await readFile(path, 'utf8').catch(() => null);
  const mode = content === null ? 0o644 : (await stat(path)).mode & 0o7777;
  return { path, content, mode };
}

async function waitFor(host: Host, step: Step, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds(host, step.expect))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

async function doStep(host: Host, step: Step, changedFiles: Set<string>): Promise<void> {
  const action: Action = step.action;
  if (action.kind === 'wait') return waitFor(host, step, action.timeoutMs);
  if (step.expect.kind === 'address-free') {
    const { dev, address } = step.expect;
    const inUse = await addressInUse(host, dev, address);
    if (inUse === undefined) throw new Error(`could not probe ${address} on ${dev} (is the link up?)`);
    if (inUse) throw new AddressInUseError(address, dev);
    return;
  }
  for (let attempt = 0; ; attempt++) {
    await perform(host, action);
    if (await holds(host, step.expect)) return;
    // Some radio drivers silently reset a mode just set: read back and try again.
    if (attempt >= (step.retries ?? 0)) throw new Error('done, but reading it back shows it did not hold');
    await sleep(500);
  }
  void changedFiles;
}

/** Undo journal entries newest first; best effort, so one stubborn step does not strand the rest. */
export async function rollBack(host: Host, entries: readonly JournalEntry[]): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of [...entries].reverse()) {
    try {
      if (entry.before) {
        if (entry.before.content === null) await rm(entry.before.path, { force: true });
        else await writeFileAtomic(entry.before.path, entry.before.content, entry.before.mode);
      } else {
        await perform(host, entry.undo);
      }
    } catch (error) {
      problems.push(`${entry.id}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  return problems;
}

export async function applyPlan(host: Host, plan: Plan, choices: SetupChoices, options: ApplyOptions = {}): Promise<ApplyReport> {
  const stateDir = choices.paths.stateDir;
  let journal = await readJournal(stateDir);
  if (journal?.status === 'applying') {
    // A previous apply was interrupted: take back what it did before starting again.
    await rollBack(host, journal.entries);
    await removeJournal(stateDir);
    journal = undefined;
  }
  const previous = journal?.entries ?? [];
  const current: Journal = { version: 1, status: 'applying', choices, plan, entries: [...previous] };
  const reports: StepReport[] = [];
  const changedFiles = new Set<string>();
  const report = (step: Step, outcome: StepOutcome, error?: string): void => {
    const item: StepReport = error === undefined ? { id: step.id, outcome } : { id: step.id, outcome, error };
    reports.push(item);
    options.onStep?.(item, step);
  };
  await saveJournal(stateDir, current);
  for (const step of plan.steps) {
    if (step.skipped) {
      report(step, 'skipped');
      continue;
    }
    const restart = step.action.kind === 'start' && step.action.configFiles.some((file) => changedFiles.has(file));
    if (!restart && (options.knownToHold?.has(step.id) || (await holds(host, step.expect)))) {
      report(step, 'already');
      continue;
    }
    const before = step.action.kind === 'write' ? await snapshot(step.action.path) : undefined;
    const entry: JournalEntry = before ? { id: step.id, status: 'begun', undo: step.undo, before } : { id: step.id, status: 'begun', undo: step.undo };
    const known = current.entries.some((e) => e.id === step.id);
    if (!known) {
      current.entries.push(entry);
      await saveJournal(stateDir, current);
    }
    try {
      if (restart && step.action.kind === 'start') await stopDaemon(step.action.pidFile);
      await doStep(host, step, changedFiles);
      if (step.action.kind === 'write') changedFiles.add(step.action.path);
      if (!known) {
        entry.status = 'done';
        await saveJournal(stateDir, current);
      }
      report(step, 'done');
    } catch (error) {
      report(step, 'failed', error instanceof Error ? error.message.split('\n')[0] : String(error));
      const fresh = current.entries.slice(previous.length);
      await rollBack(host, fresh);
      current.entries.splice(previous.length);
      if (previous.length === 0) await removeJournal(stateDir);
      else await saveJournal(stateDir, { ...current, status: 'applied' });
      return error instanceof AddressInUseError
        ? { ok: false, steps: reports, rolledBack: true, inUse: error.address }
        : { ok: false, steps: reports, rolledBack: true };
    }
  }
  current.status = 'applied';
  await saveJournal(stateDir, current);
  return { ok: true, steps: reports, rolledBack: false };
}

export interface UndoReport {
  readonly undone: string[];
  readonly problems: string[];
}

/** Take back everything the journal records, newest first, then forget it. */
export async function undoSetup(host: Host, stateDir: string): Promise<UndoReport | undefined> {
  const journal = await readJournal(stateDir);
  if (!journal) return undefined;
  const problems = await rollBack(host, journal.entries);
  await removeJournal(stateDir);
  return { undone: journal.entries.map((entry) => entry.id).reverse(), problems };
}
