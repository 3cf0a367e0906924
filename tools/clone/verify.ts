/**
 * Reads a clone back and compares it with its manifest. Used right after
 * writing (before the clone is made bootable) and by `byz clone --verify`.
 *
 * Cache bypass (readback.ts): on a device the FAT32 partition's tables,
 * directories and file data are read with O_DIRECT (dd iflag=direct); on an
 * image file with a fresh read after fsync. The ext4 persistence partition is
 * read by debugfs through the buffer cache, dropped first with
 * blockdev --flushbufs (BLKFLSBUF), so it too comes from the medium.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { runTool } from '../disk/run.ts';
import { MiB } from '../disk/size.ts';
import { Fat32Volume } from './fat32.ts';
import { targetReader, type TargetReader } from './readback.ts';
import { HashingSink } from './hash.ts';
import { CLONE_INFO_PATH, INCOMPLETE_MARKER, MANIFEST_PATH, PERSIST_MANIFEST_PATH, parseManifest, type ManifestEntry } from './manifest.ts';
import { parseMbr } from './mbr.ts';
import { ByteMeter, type ProgressListener } from './progress.ts';
import { flushAndDropCaches, identifyTarget, type Target } from './target.ts';
import { BOOT_START } from './layout.ts';

export interface Mismatch {
  readonly path: string;
  readonly why: string;
}

export interface FileCheck {
  readonly checked: number;
  readonly bytes: number;
  readonly mismatches: readonly Mismatch[];
}

/** A FAT32 volume on the target, read through the cache-bypassing reader. */
export async function openVolume(target: Target, offset: number): Promise<{ volume: Fat32Volume; reader: TargetReader } | undefined> {
  const reader = targetReader(target);
  const volume = await Fat32Volume.open(reader.read, offset);
  return volume ? { volume, reader } : undefined;
}

/** Streams one file of the volume to `onChunk`; false when it is missing or unreadable. */
async function readVolumeFile(volume: Fat32Volume, reader: TargetReader, path: string, onChunk: (chunk: Buffer) => void): Promise<boolean> {
  try {
    const entry = await volume.lookup(path);
    if (!entry || entry.directory) return false;
    for (const extent of await volume.extents(entry.firstCluster, entry.size)) await reader.stream(extent.offset, extent.length, onChunk);
    return true;
  } catch {
    return false;
  }
}

/** A small file's text (the manifest, the marker), read like the data; undefined when absent. */
export async function volumeFileText(volume: Fat32Volume, reader: TargetReader, path: string): Promise<string | undefined> {
  const parts: Buffer[] = [];
  return (await readVolumeFile(volume, reader, path, (c) => parts.push(Buffer.from(c)))) ? Buffer.concat(parts).toString('utf8') : undefined;
}

/**
 * Reads every FAT file in `entries` back from the medium (O_DIRECT on a
 * device, see readback.ts), locating its clusters with our own FAT reader,
 * and compares its SHA-256.
 */
export async function checkFatFiles(
  volume: Fat32Volume,
  reader: TargetReader,
  entries: readonly ManifestEntry[],
  meter?: ByteMeter,
): Promise<FileCheck> {
  const mismatches: Mismatch[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const hash = createHash('sha256');
    const found = await readVolumeFile(volume, reader, entry.path, (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
      meter?.add(chunk.length);
    });
    if (!found) mismatches.push({ path: entry.path, why: 'missing or unreadable' });
    else if (hash.digest('hex') !== entry.sha256) mismatches.push({ path: entry.path, why: 'content differs' });
  }
  return { checked: entries.length, bytes, mismatches };
}

/** Reads the ext4 persistence partition back (debugfs rdump, no mount needed) and compares. */
export async function checkPersistFiles(
  target: string,
  offset: number,
  entries: readonly ManifestEntry[],
): Promise<FileCheck> {
  const dir = await mkdtemp(join(tmpdir(), 'byz-verify-'));
  const mismatches: Mismatch[] = [];
  let bytes = 0;
  try {
    try {
      await runTool(['debugfs', '-R', `rdump / ${dir}`, offset === 0 ? target : `${target}?offset=${offset}`]);
    } catch {
      // Not ext4 any more (overwritten, or encrypted since): a mismatch to report, not a crash.
      return { checked: entries.length, bytes: 0, mismatches: [{ path: 'persistence partition', why: 'not a readable ext4 filesystem' }] };
    }
    for (const entry of entries) {
      const sink = new HashingSink((n) => {
        bytes += n;
      });
      try {
        await pipeline(createReadStream(join(dir, ...entry.path.split('/'))), sink);
      } catch {
        mismatches.push({ path: `persistence:${entry.path}`, why: 'missing or unreadable' });
        continue;
      }
      if (sink.digest() !== entry.sha256) mismatches.push({ path: `persistence:${entry.path}`, why: 'content differs' });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { checked: entries.length, bytes, mismatches };
}

export type CloneState = 'complete' | 'incomplete' | 'not-a-clone';

export interface VerifyReport {
  readonly target: string;
  readonly state: CloneState;
  /** True only for a complete clone whose every file matched. */
  readonly ok: boolean;
  readonly checked: number;
  readonly bytes: number;
  readonly mismatches: readonly Mismatch[];
  readonly message: string;
}

/** The whole check of an existing target: is it a clone, is it finished, does every byte match? */
export async function verifyTarget(path: string, onProgress: ProgressListener = () => {}): Promise<VerifyReport> {
  const target = await identifyTarget(path);
  if (target.kind === 'image') {
    try {
      await stat(path);
    } catch {
      return { target: path, state: 'not-a-clone', ok: false, checked: 0, bytes: 0, mismatches: [], message: `${path} does not exist` };
    }
  }
  await flushAndDropCaches(target);
  const reader = targetReader(target);
  const partitions = parseMbr(await reader.read(0, 512));
  const boot = partitions?.find((p) => p.type === 0x0c || p.type === 0x0b);
  const opened = await openVolume(target, boot ? boot.start : BOOT_START);
  const base = { target: path, checked: 0, bytes: 0, mismatches: [] };
  if (!opened) return { ...base, state: 'not-a-clone', ok: false, message: `${path} holds no Byzantium clone` };
  const { volume } = opened;
  const marker = await volume.lookup(INCOMPLETE_MARKER);
  if (!boot || marker !== undefined) {
    return {
      ...base,
      state: 'incomplete',
      ok: false,
      message: `${path} holds an unfinished clone (interrupted or failed verification): it will not boot; run byz clone again`,
    };
  }
  const manifestText = await volumeFileText(volume, reader, MANIFEST_PATH);
  if (manifestText === undefined) return { ...base, state: 'not-a-clone', ok: false, message: `${path} has no ${MANIFEST_PATH}` };
  const entries = parseManifest(manifestText);
  const meter = new ByteMeter('verify', 0, onProgress);
  const fatCheck = await checkFatFiles(volume, reader, entries, meter);
  let persistCheck: FileCheck = { checked: 0, bytes: 0, mismatches: [] };
  const persistText = await volumeFileText(volume, reader, PERSIST_MANIFEST_PATH);
  const persist = partitions?.find((p) => p.type === 0x83);
  if (persistText !== undefined && persist) {
    persistCheck = await checkPersistFiles(path, persist.start, parseManifest(persistText));
  } else if (persistText !== undefined) {
    persistCheck = { checked: 0, bytes: 0, mismatches: [{ path: 'persistence partition', why: 'missing from the partition table' }] };
  }
  const mismatches = [...fatCheck.mismatches, ...persistCheck.mismatches];
  const checked = fatCheck.checked + persistCheck.checked;
  const encrypted = /"encryption":\s*"luks2"/.test((await volumeFileText(volume, reader, CLONE_INFO_PATH)) ?? '');
  // An encrypted partition's hashes are not stored on the open FAT, so there is nothing to check it against.
  const note = encrypted ? '; the encrypted persistence partition is not checked' : '';
  return {
    target: path,
    state: 'complete',
    ok: mismatches.length === 0,
    checked,
    bytes: fatCheck.bytes + persistCheck.bytes,
    mismatches,
    message:
      mismatches.length === 0
        ? `${path}: all ${checked} files match the manifest${note}`
        : `${path}: ${mismatches.length} of ${checked} files do not match: ${mismatches.slice(0, 3).map((m) => `${m.path} (${m.why})`).join(', ')}`,
  };
}

/** Regular files under `dir`, as "/"-separated relative paths. */
export async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? posix.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
