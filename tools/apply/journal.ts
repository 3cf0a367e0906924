/**
 * The apply journal: what was done, in order, with how to take it back. It is
 * rewritten atomically before and after every step, so after a crash the next
 * `byz setup apply` or `undo` knows exactly what to roll back.
 */
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../common/atomic-write.ts';
import type { Action } from '../plan/step.ts';
import type { Plan } from '../plan/step.ts';
import type { SetupChoices } from '../plan/choices.ts';

export interface JournalEntry {
  readonly id: string;
  status: 'begun' | 'done';
  readonly undo: Action;
  /** A file's content before a write replaced it (null: there was no file). */
  readonly before?: { readonly path: string; readonly content: string | null; readonly mode: number };
}

export interface Journal {
  readonly version: 1;
  status: 'applying' | 'applied';
  readonly choices: SetupChoices;
  readonly plan: Plan;
  readonly entries: JournalEntry[];
}

export const journalPath = (stateDir: string): string => `${stateDir}/journal.json`;

export async function readJournal(stateDir: string): Promise<Journal | undefined> {
  const text = await readFile(journalPath(stateDir), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Journal;
    if (value.version !== 1 || !Array.isArray(value.entries)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

export async function saveJournal(stateDir: string, journal: Journal): Promise<void> {
  await writeFileAtomic(journalPath(stateDir), `${JSON.stringify(journal, null, 1)}\n`, 0o600);
}

export async function removeJournal(stateDir: string): Promise<void> {
  await rm(journalPath(stateDir), { force: true });
}
