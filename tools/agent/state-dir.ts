/**
 * The agent's state directory and its operator secret: 32 random bytes made
 * on first start, readable only by the agent's user (0600, directory 0700).
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync, fsyncSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EXIT, UserError } from '../common/errors.ts';

export const SECRET_FILE = 'operator-secret';
/** Written by a running agent: the address it listens on (for `byz operator-link`). */
export const LISTEN_FILE = 'listen.json';

/** /var/lib/byzantium/agent for root (a node), ~/.local/state/byzantium/agent otherwise (npm start). */
export function defaultStateDir(): string {
  if (process.env.BYZ_STATE_DIR) return process.env.BYZ_STATE_DIR;
  if (process.getuid?.() === 0) return '/var/lib/byzantium/agent';
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'byzantium', 'agent');
}

function checkPrivate(path: string, what: string): void {
  const mode = statSync(path).mode & 0o077;
  if (mode !== 0) {
    throw new UserError(`byz: ${what} ${path} can be read by other users (mode ${(statSync(path).mode & 0o777).toString(8)}); run: chmod go-rwx ${path}`, EXIT.environment);
  }
}

/** Reads the operator secret, creating it (and the directory) on first start. */
export function loadOrCreateSecret(stateDir: string): Buffer {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, SECRET_FILE);
  try {
    // O_EXCL: two agents starting at once cannot both write a secret.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
      fsyncSync(fd); // mode 0600 minus the umask: never wider than 0600
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSecret(stateDir);
}

/** Reads an existing secret (for `byz operator-link`); refuses one others can read. */
export function readSecret(stateDir: string): Buffer {
  const file = join(stateDir, SECRET_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`byz: no operator secret in ${stateDir} yet; start the agent once ("byz serve") or pass --state-dir`, EXIT.environment);
    if (code === 'EACCES') throw new UserError(`byz: cannot read ${file}; run as the agent's user (usually root)`, EXIT.environment);
    throw error;
  }
  checkPrivate(file, 'the operator secret');
  if (!/^[0-9a-f]{64}$/.test(text)) throw new UserError(`byz: ${file} is not a valid operator secret; delete it and restart the agent`, EXIT.environment);
  return Buffer.from(text, 'hex');
}
