/**
 * A FAT32 filesystem inside a target (image file or whole-disk device) at a
 * byte offset, driven with mkfs.vfat and mtools. Working through the whole
 * disk with offsets means no partition table is needed until the very end,
 * which is what keeps an unfinished clone from booting.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MTOOLS_ENV, runTool, startTool, toolError } from '../disk/run.ts';

export interface FatLocation {
  readonly target: string;
  readonly offset: number;
  readonly size: number;
}

/** mtools' "image@@offset" drive syntax. */
function drive(fat: FatLocation): string {
  return `${fat.target}@@${fat.offset}`;
}

const mtoolsOptions = { env: MTOOLS_ENV, extendEnv: true } as const;

export async function makeFat(fat: FatLocation, label: string): Promise<void> {
  await runTool([
    'mkfs.vfat',
    '-F', '32',
    '-n', label,
    '--offset', String(fat.offset / 512),
    fat.target,
    String(Math.floor(fat.size / 1024)), // block count in KiB
  ]);
}

/** Creates directories, parents first (one mmd for all of them). */
export async function makeFatDirectories(fat: FatLocation, dirs: readonly string[]): Promise<void> {
  // mmd takes many arguments; batch to stay far below the argv limit.
  for (let i = 0; i < dirs.length; i += 200) {
    await runTool(['mmd', '-D', 'o', '-i', drive(fat), ...dirs.slice(i, i + 200).map((d) => `::/${d}`)], mtoolsOptions);
  }
}

/** Writes one file from a stream. "-D o" answers any name clash so mcopy never prompts on the data stream. */
export async function writeFatFile(fat: FatLocation, path: string, data: Readable): Promise<void> {
  const child = startTool(['mcopy', '-D', 'o', '-i', drive(fat), '-', `::/${path}`], {
    ...mtoolsOptions,
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'pipe',
  });
  try {
    await Promise.all([pipeline(data, child.stdin as Writable), child]);
  } catch (error) {
    child.kill();
    throw toolError('mcopy', (await child.catch((e: unknown) => e)) ?? error);
  }
}

/**
 * Copies everything under a local directory into the FAT's root with one
 * recursive mcopy, merging into directories that exist ("-D o" overwrites a
 * clashing file). "-m" keeps modification times.
 */
export async function copyTreeIntoFat(fat: FatLocation, localDir: string): Promise<void> {
  const top = await readdir(localDir);
  if (top.length === 0) return;
  await runTool(['mcopy', '-s', '-D', 'o', '-m', '-i', drive(fat), ...top.map((name) => join(localDir, name)), '::/'], mtoolsOptions);
}

/** Streams one file out of the FAT (for read-back verification). */
export async function readFatFile(fat: FatLocation, path: string, sink: Writable): Promise<void> {
  const child = startTool(['mcopy', '-n', '-i', drive(fat), `::/${path}`, '-'], {
    ...mtoolsOptions,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    // Streamed to the hash, not kept: execa would otherwise buffer (and cap) a large file in memory.
    buffer: { stdout: false },
  });
  try {
    await Promise.all([pipeline(child.stdout as Readable, sink), child]);
  } catch (error) {
    throw toolError('mcopy', (await child.catch((e: unknown) => e)) ?? error);
  }
}

export async function fatFileText(fat: FatLocation, path: string): Promise<string | undefined> {
  try {
    return await runTool(['mtype', '-i', drive(fat), `::/${path}`], { ...mtoolsOptions, stripFinalNewline: false });
  } catch {
    return undefined;
  }
}

export async function deleteFatFile(fat: FatLocation, path: string): Promise<void> {
  await runTool(['mdel', '-i', drive(fat), `::/${path}`], mtoolsOptions);
}

/** True when a FAT filesystem starts at the offset (the boot sector's signature and "FAT32" type). */
export function looksLikeFat32(bootSector: Buffer): boolean {
  return bootSector.length >= 512 && bootSector[510] === 0x55 && bootSector[511] === 0xaa && bootSector.subarray(82, 87).toString('latin1') === 'FAT32';
}

/** Installs SYSLINUX's BIOS loader into the FAT (boot sector + ldlinux.sys/.c32 in `directory`). */
export async function installSyslinux(fat: FatLocation, directory: string): Promise<void> {
  await runTool(['syslinux', '--offset', String(fat.offset), '--directory', `/${directory}`, '--install', fat.target], mtoolsOptions);
}
