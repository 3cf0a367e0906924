/**
 * LUKS2 encryption for persistent storage, shared by `byz persist create
 * --encrypt` and `byz clone --encrypt`: where the passphrase comes from (a
 * key file or the terminal, asked twice, never echoed), whether this kernel
 * can open a container at all, and the cryptsetup steps.
 *
 * The passphrase is what the operator types at boot, so a key file holds it
 * as one line; it goes to cryptsetup on stdin (`--key-file -`, exact bytes),
 * never on a command line where `ps` would show it.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { EXIT, UserError } from '../common/errors.ts';
import { runTool } from '../disk/run.ts';

/** cryptsetup reads at most 512 characters of a typed passphrase. */
export const MAX_PASSPHRASE = 512;

/** LUKS2 keeps its first 16 MiB for the header and key slots; the filesystem gets the rest. */
export const LUKS2_HEADER_BYTES = 16 * 1024 * 1024;
/** The smallest encrypted storage worth making: the header and at least as much again for ext4. */
export const MIN_ENCRYPTED_BYTES = 2 * LUKS2_HEADER_BYTES;

/** The smallest plain persistent storage worth making: ext4's own structures and room for a few settings. */
export const MIN_STORAGE_BYTES = 16 * 1024 * 1024;

/** Why `bytes` is too small for persistent storage (encrypted or not), or undefined. */
export function storageSizeProblem(bytes: number, encrypted: boolean): string | undefined {
  if (encrypted && bytes < MIN_ENCRYPTED_BYTES) return `encrypted storage needs at least 32M (LUKS2 keeps 16 MiB for its header): ask for more`;
  if (bytes < MIN_STORAGE_BYTES) return 'persistent storage needs at least 16M to hold anything: ask for more';
  return undefined;
}

/**
 * Why a key file cannot be used, or undefined. Pure: `mode` from stat,
 * `content` its bytes. A file other accounts may read or write is refused,
 * not warned about: on a node, dnsmasq, the agent and `nobody` are other
 * accounts, a warning scrolls past during a long clone, and the fix is one
 * `chmod 600`.
 */
export function keyFileProblem(path: string, mode: number, content: Buffer): string | undefined {
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    return `the key file ${path} can be read or changed by other users (mode ${octal}): run chmod 600 ${path} (on a FAT stick, copy it to /root first)`;
  }
  const passphrase = passphraseFromKeyFile(content);
  if (passphrase.length === 0) return `the key file ${path} is empty: put the passphrase in it, on one line`;
  if (passphrase.includes(0x0a)) return `the key file ${path} has more than one line: it must hold only the passphrase you will type at boot`;
  if (passphrase.length > MAX_PASSPHRASE) return `the passphrase in ${path} is longer than ${MAX_PASSPHRASE} bytes: it could not be typed at boot`;
  return undefined;
}

/** The passphrase in a key file: its content without the one line ending an editor adds. */
export function passphraseFromKeyFile(content: Buffer): Buffer {
  let end = content.length;
  if (end > 0 && content[end - 1] === 0x0a) end -= 1;
  if (end > 0 && content[end - 1] === 0x0d) end -= 1;
  return content.subarray(0, end);
}

/** Reads and checks a key file; every problem is one line, exit 2. */
export async function readKeyFile(path: string): Promise<Buffer> {
  let mode: number;
  let content: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError(`byz: the key file ${path} is not a regular file`, EXIT.usage);
    mode = info.mode;
    content = await readFile(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new UserError(`byz: cannot read the key file ${path}: ${why}`, EXIT.usage);
  }
  const problem = keyFileProblem(path, mode, content);
  if (problem) throw new UserError(`byz: ${problem}`, EXIT.usage);
  return passphraseFromKeyFile(content);
}

/** The one line said when there is neither a key file nor a terminal to ask on. */
export function noPassphraseSource(command: string): string {
  return `${command}: --encrypt needs a passphrase and there is no terminal to ask for it: give --key-file PATH (a file with mode 600 holding the passphrase on one line)`;
}

/**
 * Reads one line from the terminal without echoing it. Raw mode, so the
 * characters never reach the screen; Backspace edits, Ctrl-C stops.
 */
async function readHidden(prompt: string): Promise<Buffer> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  const bytes: number[] = [];
  let onData: ((chunk: Buffer) => void) | undefined;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      onData = (chunk: Buffer) => {
        for (const byte of chunk) {
          if (byte === 0x03) return reject(new UserError('byz: interrupted; nothing written', EXIT.interrupted));
          if (byte === 0x0d || byte === 0x0a || byte === 0x04) return resolve(Buffer.from(bytes));
          if (byte === 0x7f || byte === 0x08) bytes.pop();
          else bytes.push(byte);
        }
      };
      input.on('data', onData);
    });
  } finally {
    if (onData) input.off('data', onData);
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
    bytes.fill(0);
  }
}

/** Asks for a new passphrase twice on the terminal; they must match and not be empty. */
export async function askNewPassphrase(what: string): Promise<Buffer> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const first = await readHidden(`Passphrase for ${what} (not shown): `);
    if (first.length === 0) {
      process.stderr.write('The passphrase cannot be empty.\n');
      continue;
    }
    if (first.length > MAX_PASSPHRASE) {
      process.stderr.write(`At most ${MAX_PASSPHRASE} characters.\n`);
      continue;
    }
    const second = await readHidden('The same passphrase again: ');
    if (first.equals(second)) {
      second.fill(0);
      return first;
    }
    first.fill(0);
    second.fill(0);
    process.stderr.write('The two passphrases differ; try again.\n');
  }
  throw new UserError('byz: no passphrase after three tries; nothing written', EXIT.usage);
}

/** The passphrase from `keyFile`, or asked twice on the terminal; one clear line when neither is possible. */
export async function obtainPassphrase(options: { keyFile?: string; what: string; command: string }): Promise<Buffer> {
  if (options.keyFile !== undefined) return readKeyFile(options.keyFile);
  if (!process.stdin.isTTY) throw new UserError(noPassphraseSource(options.command), EXIT.usage);
  return askNewPassphrase(options.what);
}

/**
 * Why this kernel cannot open a LUKS container, or undefined when it can.
 * cryptsetup can write a LUKS2 header anywhere, but reading or writing what
 * is inside goes through dm-crypt, which needs the kernel's device-mapper
 * (listed in /proc/misc once loaded, or loadable as dm-mod).
 */
export async function deviceMapperMissing(machineRoot = '/'): Promise<string | undefined> {
  const misc = await readFile(join(machineRoot, 'proc', 'misc'), 'utf8').catch(() => '');
  if (/\bdevice-mapper\b/.test(misc)) return undefined;
  const release = (await readFile(join(machineRoot, 'proc', 'sys', 'kernel', 'osrelease'), 'utf8').catch(() => '')).trim();
  if (release) {
    const modules = join(machineRoot, 'lib', 'modules', release);
    for (const list of ['modules.builtin', 'modules.dep']) {
      const text = await readFile(join(modules, list), 'utf8').catch(() => '');
      if (/(^|\/)dm-mod\.ko/m.test(text)) return undefined;
    }
  }
  return 'this kernel has no device-mapper (dm-crypt), so cryptsetup cannot open an encrypted container to make its filesystem';
}

export function requireRoot(why: string): void {
  if (process.getuid?.() !== 0) throw new UserError(`byz: ${why} needs root (run it with sudo)`, EXIT.environment);
}

/**
 * Argon2id's memory cost, in KiB. cryptsetup's default takes up to 1 GiB
 * (half the RAM of the machine that formats), and the same amount is needed
 * to open the container at boot: a stick made on a big laptop would then not
 * open on the old one it is meant for. 128 MiB opens on a 512 MB machine.
 */
export const LUKS_PBKDF_MEMORY_KIB = 128 * 1024;

/** Writes a LUKS2 header on `device` (a block device or file) protected by `passphrase`. */
export async function luksFormat(device: string, passphrase: Buffer): Promise<void> {
  await runTool(
    [
      'cryptsetup', 'luksFormat', '--type', 'luks2', '--batch-mode',
      // One thread: cryptsetup times the key derivation on this machine; a single-core laptop must not take four times longer.
      '--pbkdf', 'argon2id', '--pbkdf-memory', String(LUKS_PBKDF_MEMORY_KIB), '--pbkdf-parallel', '1',
      '--key-file', '-', device,
    ],
    { input: passphrase },
  );
}

/** Opens the container under a random name, runs `use` on /dev/mapper/NAME, and always closes it. */
export async function withOpenLuks<T>(device: string, passphrase: Buffer, use: (mapped: string) => Promise<T>): Promise<T> {
  const name = `byz-luks-${randomBytes(4).toString('hex')}`;
  await runTool(['cryptsetup', 'open', '--type', 'luks2', '--key-file', '-', device, name], { input: passphrase });
  try {
    return await use(`/dev/mapper/${name}`);
  } finally {
    await runTool(['cryptsetup', 'close', name]);
  }
}

/**
 * LUKS2 around ext4 on `device`: the header, then the filesystem made
 * inside the opened container (with `contentDir`'s files, as mkfs.ext4 -d).
 */
export async function formatEncryptedExt4(
  device: string,
  passphrase: Buffer,
  ext4: { label: string; contentDir?: string },
): Promise<void> {
  await luksFormat(device, passphrase);
  await withOpenLuks(device, passphrase, (mapped) =>
    runTool(['mkfs.ext4', '-F', '-q', '-L', ext4.label, ...(ext4.contentDir ? ['-d', ext4.contentDir] : []), mapped]),
  );
}
