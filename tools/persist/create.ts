/**
 * Creates persistent storage for the live system: a Porteus save file (an
 * ext4 filesystem inside a file) or a prepared partition, optionally inside
 * LUKS2. A save file is built under a temporary name and renamed into place
 * only when finished, so an interruption never leaves a half-made save file
 * where the live system would look for one.
 */
import { constants } from 'node:fs';
import { open, realpath, rename, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { syncDirectory } from '../common/atomic-write.ts';
import { EXIT, UserError } from '../common/errors.ts';
import { readMachineView } from '../disk/machine.ts';
import { refusalsFor } from '../disk/refusals.ts';
import { runTool } from '../disk/run.ts';
import { formatBytes, MiB } from '../disk/size.ts';
import { deviceMapperMissing, formatEncryptedExt4, requireRoot } from './luks.ts';
import { saveFileRefusal } from './rules.ts';

export interface EncryptOptions {
  /** The passphrase (from a key file or asked on the terminal: see luks.ts obtainPassphrase). */
  readonly passphrase: Buffer;
}

export interface CreateOptions {
  readonly sizeBytes: number;
  readonly encrypt?: EncryptOptions;
  readonly machineRoot?: string;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Ctrl-C: stop between chunks and steps; the half-made file is removed. */
  readonly signal?: AbortSignal;
}

/** Ctrl-C came: stop here. createSaveFile removes the half-made file and says so. */
function stopIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UserError('byz persist: interrupted; nothing was created (the half-made file is removed)', EXIT.interrupted);
}

/** Porteus looks for this label; it also tells `byz persist status` what it is looking at. */
export const SAVE_LABEL = 'porteussave';

/** Writes zeros for the whole size: FAT has no sparse files, and a full allocation fails now rather than at boot. */
async function allocate(path: string, bytes: number, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    const chunk = Buffer.alloc(4 * MiB);
    for (let done = 0; done < bytes; ) {
      stopIfInterrupted(signal);
      const n = Math.min(chunk.length, bytes - done);
      await handle.write(chunk, 0, n, done);
      done += n;
      onProgress?.(done, bytes);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** ext4 on `device`, or LUKS2 around ext4 when asked. */
async function formatStorage(device: string, encrypt: EncryptOptions | undefined): Promise<void> {
  if (!encrypt) {
    await runTool(['mkfs.ext4', '-F', '-q', '-L', SAVE_LABEL, device]);
    return;
  }
  await formatEncryptedExt4(device, encrypt.passphrase, { label: SAVE_LABEL });
}

/** Encryption needs root and a kernel that can open the container: refused before anything is written. */
export async function checkCanEncrypt(machineRoot = '/', advice = 'do it on a machine whose kernel has device-mapper'): Promise<void> {
  requireRoot('encrypted persistence (--encrypt)');
  const missing = await deviceMapperMissing(machineRoot);
  if (missing) throw new UserError(`byz: cannot encrypt here: ${missing}; ${advice}`, EXIT.environment);
}

export async function createSaveFile(path: string, options: CreateOptions): Promise<void> {
  const target = resolve(path);
  const dir = dirname(target);
  let realDir: string;
  try {
    realDir = await realpath(dir);
  } catch {
    throw new UserError(`byz: directory ${dir} does not exist`, EXIT.usage);
  }
  if (await stat(target).catch(() => undefined)) {
    throw new UserError(`byz: ${target} already exists: persistence is not overwritten; remove it first or pick another name`, EXIT.failed);
  }
  const view = await readMachineView(options.machineRoot ?? '/');
  const refusal = saveFileRefusal(view.mounts, join(realDir, basename(target)), options.sizeBytes);
  if (refusal) throw new UserError(`byz: ${refusal}`, EXIT.failed);
  const fs = await statfs(realDir);
  const free = fs.bavail * fs.bsize;
  if (free < options.sizeBytes) {
    throw new UserError(`byz: not enough space in ${dir}: ${formatBytes(free)} free, the save file needs ${formatBytes(options.sizeBytes)}`, EXIT.failed);
  }
  const partial = join(realDir, `.${basename(target)}.partial-${process.pid}`);
  try {
    await allocate(partial, options.sizeBytes, options.onProgress, options.signal);
    await formatStorage(partial, options.encrypt);
    stopIfInterrupted(options.signal);
    await rename(partial, target);
    await syncDirectory(realDir);
  } catch (error) {
    await rm(partial, { force: true });
    // A tool killed by the same Ctrl-C fails in its own words: say what happened instead.
    stopIfInterrupted(options.signal);
    throw error;
  }
}

export async function preparePartition(device: string, options: CreateOptions & { yes?: boolean; confirm?: (q: string) => Promise<boolean> }): Promise<void> {
  requireRoot('preparing a partition');
  const name = basename(await realpath(device).catch(() => device));
  const view = await readMachineView(options.machineRoot ?? '/');
  const refusals = refusalsFor(view, name, { want: 'partition' });
  if (refusals.length > 0) throw new UserError(`byz: will not format ${device}: ${refusals.map((r) => r.message).join('; ')}`, EXIT.failed);
  const disk = view.devices.find((d) => d.partitions.some((p) => p.name === name) || d.name === name)!;
  const size = disk.partitions.find((p) => p.name === name)?.sizeBytes ?? disk.sizeBytes;
  if (!options.yes) {
    const question = `Format ${device} (${formatBytes(size)} on ${[disk.vendor, disk.model].filter(Boolean).join(' ') || disk.name}, serial ${disk.serial || 'unknown'}) for persistence? Everything on it will be lost.`;
    if (!options.confirm || !(await options.confirm(question))) throw new UserError(`byz: nothing written to ${device} (not confirmed)`, EXIT.failed);
  }
  await formatStorage(device, options.encrypt);
}
