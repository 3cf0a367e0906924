/**
 * A passphrase typed on the operator's page reaches `byz clone|persist
 * --encrypt` through a key file, never through argv (which `ps` shows to
 * every user) nor the job's log: mode 0600, created exclusively under a 0700
 * directory in the agent's state directory, and deleted when the job ends,
 * whether it succeeded, failed or could not start.
 */
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Job } from '../contract/schemas.ts';
import { HttpError } from './http-io.ts';
import type { JobRunner } from './jobs.ts';

const KEY_DIR = 'job-keys';

function keyDirOf(stateDir: string): string {
  const dir = join(stateDir, KEY_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Key files left by an agent that died mid-job: nobody will use them again. */
export function removeStaleKeyFiles(stateDir: string): void {
  rmSync(join(stateDir, KEY_DIR), { recursive: true, force: true });
}

function writeKeyFile(stateDir: string, passphrase: string): string {
  const path = join(keyDirOf(stateDir), `${randomBytes(8).toString('hex')}.key`);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, passphrase);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** The key files now in the state directory (for tests: none may outlive their job). */
export function keyFilesIn(stateDir: string): string[] {
  try {
    return readdirSync(join(stateDir, KEY_DIR));
  } catch {
    return [];
  }
}

/** Starts `byz <kind> <args> --key-file <file>`; the page must have asked for --encrypt and not named a key file itself. */
export function startWithPassphrase(jobs: JobRunner, stateDir: string, kind: Job['kind'], args: string[], passphrase: string): Job {
  if (!args.includes('--encrypt')) throw new HttpError(400, 'passphrase_without_encrypt', 'a passphrase is only used with --encrypt');
  if (args.some((arg) => arg === '--key-file' || arg.startsWith('--key-file='))) {
    throw new HttpError(400, 'key_file_and_passphrase', 'give the passphrase or --key-file, not both');
  }
  const file = writeKeyFile(stateDir, passphrase);
  const remove = () => rmSync(file, { force: true });
  try {
    return jobs.start(kind, [...args, '--key-file', file], remove);
  } catch (error) {
    remove();
    throw error;
  }
}
