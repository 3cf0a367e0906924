/**
 * The target of a clone: an image file or a whole-disk block device. Our own
 * writes (wiping, the final partition-table sector) use O_SYNC so they reach
 * the medium before we go on; the bulk data (place.ts, mkfs.ext4) is flushed
 * with fsync before verification.
 */
import { constants } from 'node:fs';
import { mkdtemp, open, realpath, rm, stat, truncate, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EXIT, UserError } from '../common/errors.ts';
import { MiB } from '../disk/size.ts';
import { runTool } from '../disk/run.ts';

export type TargetKind = 'image' | 'device';

export interface Target {
  readonly path: string;
  readonly kind: TargetKind;
  /** Device size, or undefined for an image file we will size ourselves. */
  readonly deviceBytes?: number;
}

export async function identifyTarget(path: string): Promise<Target> {
  let info;
  try {
    info = await stat(path);
  } catch {
    // Never create a regular file in /dev by mistake: a missing /dev path is a missing device.
    if (path.startsWith('/dev/')) throw new UserError(`byz: no such device ${path} (see byz clone --list)`, EXIT.environment);
    return { path, kind: 'image' }; // a new image file
  }
  if (info.isBlockDevice()) {
    // The size comes from sysfs, so refusals can be decided before the device is opened.
    const name = basename(await realpath(path));
    const sectors = Number((await readFile(`/sys/class/block/${name}/size`, 'utf8').catch(() => '0')).trim());
    return { path, kind: 'device', deviceBytes: sectors * 512 || (await deviceSize(path)) };
  }
  if (info.isFile()) return { path, kind: 'image' };
  throw new UserError(`byz: ${path} is neither an image file nor a block device`, EXIT.usage);
}

async function deviceSize(path: string): Promise<number> {
  return Number(await runTool(['blockdev', '--getsize64', path]));
}

async function writeAt(path: string, offset: number, data: Buffer): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_SYNC);
  try {
    await handle.write(data, 0, data.length, offset);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Starts the target clean: an image file is emptied and resized (sparse);
 * any target gets its first and last MiB zeroed, sector 0 first, so an
 * earlier clone or partition table (MBR, GPT and its backup) stops being
 * bootable before anything else is written.
 */
export async function startClean(target: Target, totalBytes: number): Promise<void> {
  if (target.kind === 'image') {
    await writeFile(target.path, '');
    await truncate(target.path, totalBytes);
    return;
  }
  const zeros = Buffer.alloc(MiB);
  await writeAt(target.path, 0, zeros.subarray(0, 512));
  await writeAt(target.path, 0, zeros);
  await writeAt(target.path, totalBytes - MiB, zeros);
}

/** Everything written so far reaches the medium; on a device the kernel's cached copy is dropped too. */
export async function flushAndDropCaches(target: Target): Promise<void> {
  const handle = await open(target.path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  // BLKFLSBUF: write back and invalidate the device's buffer cache, so reading back comes from the stick.
  if (target.kind === 'device') await runTool(['blockdev', '--flushbufs', target.path]);
}

const MBR_CODE_PATHS = ['/usr/lib/syslinux/mbr/mbr.bin', '/usr/lib/SYSLINUX/mbr.bin', '/usr/share/syslinux/mbr.bin'];

async function syslinuxMbrCode(): Promise<Buffer> {
  for (const path of MBR_CODE_PATHS) {
    try {
      return (await readFile(path)).subarray(0, 440);
    } catch {
      // try the next place
    }
  }
  throw new UserError('byz: SYSLINUX boot code (mbr.bin) not found: apt-get install syslinux-common', EXIT.environment);
}

/**
 * Builds sector 0 with sfdisk on a sparse scratch file the size of the
 * target, adds SYSLINUX's MBR boot code when the source boots with syslinux,
 * and returns it. Writing it is the clone's last step.
 */
export async function buildBootSector(totalBytes: number, script: string, biosBootCode: boolean): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'byz-mbr-'));
  try {
    const scratch = join(dir, 'disk');
    await truncate(scratch, 0).catch(async () => writeFile(scratch, ''));
    await truncate(scratch, totalBytes);
    await runTool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'never', scratch], { input: script });
    const sector = await readAt(scratch, 0, 512);
    if (biosBootCode) (await syslinuxMbrCode()).copy(sector, 0);
    return sector;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The commit: one 512-byte O_SYNC write, so the target goes from "not bootable" to "bootable" at once. */
export async function commitBootSector(target: Target, sector: Buffer): Promise<void> {
  await writeAt(target.path, 0, sector);
  if (target.kind === 'device') {
    // Let the kernel see the new partitions; a busy or partition-less device (loop without -P) may refuse, which is fine.
    await runTool(['blockdev', '--rereadpt', target.path]).catch(() => undefined);
  }
}
