/**
 * The apply journal: what was done, in order, with how to take it back. It is
 * rewritten atomically before and after every step, so after a crash the next
 * `byz setup apply` or `undo` knows exactly what to roll back.
 */
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { EXIT, UserError } from '../common/errors.ts';
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

/**
 * The journal, or undefined when no setup was applied. A journal that exists
 * but cannot be read as one is never taken for "not set up": applying again
 * on top of a setup nobody can undo is worse than stopping to ask.
 */
export async function readJournal(stateDir: string): Promise<Journal | undefined> {
  const path = journalPath(stateDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged(path, 'it is not JSON');
  }
  const problem = journalProblem(value);
  if (problem) throw damaged(path, problem);
  return value as Journal;
}

function damaged(path: string, why: string): UserError {
  return new UserError(
    `byz: the setup journal ${path} is damaged (${why}), so byz cannot tell what is set up; nothing was changed. "ip addr" and "ip route" show the machine as it is; move the file aside only once you have taken the setup down by hand`,
    EXIT.failed,
  );
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Actions and expectations are both tagged by `kind`. */
const hasKind = (value: unknown): boolean => isObject(value) && typeof value.kind === 'string';

/** Why a parsed value is not a journal this version wrote, or undefined. */
export function journalProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (value.version !== 1) return `version ${JSON.stringify(value.version)?.slice(0, 20)}, not 1`;
  if (value.status !== 'applying' && value.status !== 'applied') return 'no status';
  const choices = value.choices;
  // Choices added in later versions (upstreamDns, captive, babelFilters) may be absent: appliedSetup fills them in.
  if (!isObject(choices) || typeof choices.nodeName !== 'string' || !Array.isArray(choices.meshInterfaces) || !isObject(choices.radio) || !isObject(choices.paths)) {
    return 'the choices are missing or incomplete';
  }
  const plan = value.plan;
  if (!isObject(plan) || typeof plan.meshAddress !== 'string' || typeof plan.clientPrefix !== 'string' || !Array.isArray(plan.steps)) return 'the plan is missing or incomplete';
  if (!plan.steps.every((step) => isObject(step) && typeof step.id === 'string' && hasKind(step.action) && hasKind(step.undo) && hasKind(step.expect))) return 'a step of the plan is incomplete';
  if (!Array.isArray(value.entries)) return 'no list of steps taken';
  if (!value.entries.every((entry) => isObject(entry) && typeof entry.id === 'string' && (entry.status === 'begun' || entry.status === 'done') && hasKind(entry.undo))) return 'a step taken is incomplete';
  return undefined;
}

export async function saveJournal(stateDir: string, journal: Journal): Promise<void> {
  await writeFileAtomic(journalPath(stateDir), `${JSON.stringify(journal, null, 1)}\n`, 0o600);
}

export async function removeJournal(stateDir: string): Promise<void> {
  await rm(journalPath(stateDir), { force: true });
}
