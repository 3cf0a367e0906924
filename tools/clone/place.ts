/**
 * Puts the source files' bytes on the FAT32 partition the way dd would: one
 * pass over each source file (read, hash, write), large sequential writes,
 * each file in one run of clusters right after the previous one.
 *
 * mtools still makes every directory entry (so long names, short-name
 * collisions and case follow mtools exactly): each file is first created
 * empty by mcopy from a zero-length stand-in with the same name and mtime.
 * We then allocate clusters after everything mtools used, write the data,
 * chain the clusters in every FAT copy, set each entry's first cluster and
 * size, and update the FSInfo hints. Measured before this: piping each file
 * through mcopy's stdin ran at 0.4-0.6x dd; mcopy reading the files itself
 * plus a second hashing read was no better on 2 busy cores.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, UserError } from '../common/errors.ts';
import { MiB } from '../disk/size.ts';
import { copyFilesIntoFat, type FatLocation } from './fat.ts';
import { Fat32Volume, type FatEntry, type RangeReader } from './fat32.ts';
import { hashFileInWorker } from './hash-worker.ts';
import type { ManifestEntry } from './manifest.ts';

export interface PlacedFile {
  /** Path inside the FAT, "/" separators. */
  readonly path: string;
  /** Where to read it from. */
  readonly source: string;
  readonly size: number;
}

const END_OF_CHAIN = 0x0fffffff;
/** Below this a thread costs more than the hash it saves. */
const WORKER_MIN_BYTES = 8 * MiB;

/** Buffered reads of the target (we need to see what mtools just wrote through the same page cache). */
export function bufferedReader(path: string): RangeReader {
  return async (offset, length) => {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
}

/** Empty stand-ins, one mcopy per directory batch, so mtools makes the entries. */
async function makeEntries(fat: FatLocation, files: readonly PlacedFile[]): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'byz-entries-'));
  try {
    const byDirectory = new Map<string, PlacedFile[]>();
    for (const file of files) {
      const dir = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '';
      byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), file]);
    }
    let n = 0;
    for (const [dir, group] of byDirectory) {
      for (let i = 0; i < group.length; i += 200) {
        const holder = join(scratch, String((n += 1)));
        await mkdir(holder);
        const standIns: string[] = [];
        for (const file of group.slice(i, i + 200)) {
          const standIn = join(holder, file.path.slice(file.path.lastIndexOf('/') + 1));
          await writeFile(standIn, '');
          const { mtime } = await stat(file.source);
          await utimes(standIn, mtime, mtime);
          standIns.push(standIn);
        }
        await copyFilesIntoFat(fat, standIns, dir);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Writes every file's data and returns the SHA-256 of each as read from the
 * source in that same pass. `onBytes` reports progress after each write.
 */
export async function placeFiles(
  fat: FatLocation,
  files: readonly PlacedFile[],
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<ManifestEntry[]> {
  await makeEntries(fat, files);
  const volume = await Fat32Volume.open(bufferedReader(fat.target), fat.offset);
  if (!volume) throw new UserError(`byz: no FAT32 filesystem at offset ${fat.offset} of ${fat.target}`, EXIT.failed);
  const { clusterBytes, clusterCount } = volume.geometry;
  const table = await volume.fat();
  let next = table.length;
  while (next > 2 && table[next - 1] === 0) next -= 1;
  const firstNew = next;

  const entries = new Map<string, FatEntry[]>();
  const entryOf = async (path: string): Promise<FatEntry> => {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    let listing = entries.get(dir);
    if (!listing) {
      const cluster = dir ? (await volume.lookup(dir))?.firstCluster : volume.geometry.rootCluster;
      listing = cluster === undefined ? [] : await volume.listDirectory(cluster);
      entries.set(dir, listing);
    }
    const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
    const found = listing.find((e) => e.name.toLowerCase() === name);
    if (!found) throw new UserError(`byz: mcopy did not create ${path} on the target`, EXIT.failed);
    return found;
  };

  const manifest: ManifestEntry[] = [];
  const chains: { first: number; count: number }[] = [];
  const handle = await open(fat.target, 'r+');
  try {
    for (const file of files) {
      if (signal?.aborted) throw new UserError('byz: clone interrupted; the target is marked incomplete and will not boot', EXIT.interrupted);
      const count = Math.ceil(file.size / clusterBytes);
      const first = count > 0 ? next : 0;
      if (next + count > clusterCount + 2) throw new UserError('byz: the boot partition is full (the source grew while copying?)', EXIT.failed);
      next += count;
      // Small files are hashed here; big ones on a second core while this loop copies (hash-worker.ts).
      const inWorker = file.size >= WORKER_MIN_BYTES;
      const digest = inWorker ? hashFileInWorker(file.source) : undefined;
      digest?.catch(() => undefined); // awaited below; never an unhandled rejection if the copy fails first
      const hash = inWorker ? undefined : createHash('sha256');
      let position = count > 0 ? volume.clusterOffset(first) : 0;
      let copied = 0;
      // One write in flight while the next chunk is read: reads and writes overlap.
      let writing: Promise<unknown> = Promise.resolve();
      for await (const chunk of createReadStream(file.source, { highWaterMark: 4 * MiB }) as AsyncIterable<Buffer>) {
        copied += chunk.length;
        // Never write past the clusters this file was given: that would be the next file's.
        if (copied > file.size) throw new UserError(`byz: ${file.path} grew while being copied; run byz clone again`, EXIT.failed);
        hash?.update(chunk);
        await writing;
        onBytes(chunk.length);
        if (signal?.aborted) throw new UserError('byz: clone interrupted; the target is marked incomplete and will not boot', EXIT.interrupted);
        writing = handle.write(chunk, 0, chunk.length, position);
        position += chunk.length;
      }
      await writing;
      const hashed = digest ? await digest : { sha256: hash!.digest('hex'), bytes: copied };
      // Both readers must have seen the same length; a difference in content is caught by the read-back.
      if (copied !== file.size || hashed.bytes !== file.size) throw new UserError(`byz: ${file.path} changed size while being copied; run byz clone again`, EXIT.failed);
      manifest.push({ path: file.path, sha256: hashed.sha256 });
      if (count > 0) chains.push({ first, count });
      const entry = await entryOf(file.path);
      const patch = Buffer.alloc(12);
      patch.writeUInt16LE(first >>> 16, 0); // offset 20: high half of the first cluster
      patch.writeUInt16LE(first & 0xffff, 6); // offset 26: low half
      patch.writeUInt32LE(file.size, 8); // offset 28: size
      await handle.write(patch, 0, 2, entry.entryOffset + 20);
      await handle.write(patch, 6, 6, entry.entryOffset + 26);
    }

    // Chain each file's clusters in every FAT copy (one write per copy: the new clusters are contiguous).
    if (next > firstNew) {
      const links = Buffer.alloc((next - firstNew) * 4);
      for (const { first, count } of chains) {
        for (let c = first; c < first + count; c += 1) links.writeUInt32LE(c === first + count - 1 ? END_OF_CHAIN : c + 1, (c - firstNew) * 4);
      }
      for (let copy = 0; copy < volume.geometry.fats; copy += 1) await handle.write(links, 0, links.length, volume.fatOffset(copy) + firstNew * 4);
      await updateFsInfo(handle, volume, next - firstNew, next);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return manifest;
}

/** FSInfo's free-cluster count and next-free hint, so mtools and the OS allocate after our files. */
async function updateFsInfo(handle: Awaited<ReturnType<typeof open>>, volume: Fat32Volume, used: number, nextFree: number): Promise<void> {
  const { fsInfoSector, bytesPerSector } = volume.geometry;
  if (fsInfoSector === 0 || fsInfoSector === 0xffff) return;
  const at = volume.partitionOffset + fsInfoSector * bytesPerSector;
  const sector = Buffer.alloc(512);
  await handle.read(sector, 0, 512, at);
  if (sector.readUInt32LE(0) !== 0x41615252 || sector.readUInt32LE(484) !== 0x61417272) return;
  const free = sector.readUInt32LE(488);
  if (free !== 0xffffffff) sector.writeUInt32LE(Math.max(0, free - used), 488);
  sector.writeUInt32LE(nextFree, 492);
  await handle.write(sector, 484, 28, at + 484);
}
