/**
 * Reads a clone back and compares it with its manifest. Used right after
 * writing (before the clone is made bootable) and by `byz clone --verify`.
 *
 * Cache bypass: on a device the kernel's buffer cache is dropped first
 * (blockdev --flushbufs, i.e. BLKFLSBUF) so reads come from the medium; on an
 * image file everything is fsync'd and then read by fresh processes (the page
 * cache may serve them, which is fine: the file is the medium).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { runTool } from '../disk/run.ts';
import { MiB } from '../disk/size.ts';
import { fatFileText, looksLikeFat32, readFatFile, type FatLocation } from './fat.ts';
import { HashingSink } from './hash.ts';
import { INCOMPLETE_MARKER, MANIFEST_PATH, PERSIST_MANIFEST_PATH, parseManifest, type ManifestEntry } from './manifest.ts';
import { parseMbr } from './mbr.ts';
import { ByteMeter, type ProgressListener } from './progress.ts';
import { flushAndDropCaches, identifyTarget, readAt, type Target } from './target.ts';
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

/** Reads every FAT file in `entries` back and compares its SHA-256. */
export async function checkFatFiles(
  fat: FatLocation,
  entries: readonly ManifestEntry[],
  meter?: ByteMeter,
): Promise<FileCheck> {
  const mismatches: Mismatch[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const sink = new HashingSink((n) => {
      bytes += n;
      meter?.add(n);
    });
    try {
      await readFatFile(fat, entry.path, sink);
    } catch {
      mismatches.push({ path: entry.path, why: 'missing or unreadable' });
      continue;
    }
    if (sink.digest() !== entry.sha256) mismatches.push({ path: entry.path, why: 'content differs' });
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
    await runTool(['debugfs', '-R', `rdump / ${dir}`, `${target}?offset=${offset}`]);
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

async function fatAt(target: Target, offset: number, size: number): Promise<FatLocation | undefined> {
  const bootSector = await readAt(target.path, offset, 512);
  return looksLikeFat32(bootSector) ? { target: target.path, offset, size } : undefined;
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
  const partitions = parseMbr(await readAt(path, 0, 512));
  const boot = partitions?.find((p) => p.type === 0x0c || p.type === 0x0b);
  const fat = boot ? await fatAt(target, boot.start, boot.size) : await fatAt(target, BOOT_START, 64 * MiB);
  const base = { target: path, checked: 0, bytes: 0, mismatches: [] };
  if (!fat) return { ...base, state: 'not-a-clone', ok: false, message: `${path} holds no Byzantium clone` };
  const marker = await fatFileText(fat, INCOMPLETE_MARKER);
  if (!boot || marker !== undefined) {
    return {
      ...base,
      state: 'incomplete',
      ok: false,
      message: `${path} holds an unfinished clone (interrupted or failed verification): it will not boot; run byz clone again`,
    };
  }
  const manifestText = await fatFileText(fat, MANIFEST_PATH);
  if (manifestText === undefined) return { ...base, state: 'not-a-clone', ok: false, message: `${path} has no ${MANIFEST_PATH}` };
  const entries = parseManifest(manifestText);
  const meter = new ByteMeter('verify', 0, onProgress);
  const fatCheck = await checkFatFiles(fat, entries, meter);
  let persistCheck: FileCheck = { checked: 0, bytes: 0, mismatches: [] };
  const persistText = await fatFileText(fat, PERSIST_MANIFEST_PATH);
  const persist = partitions?.find((p) => p.type === 0x83);
  if (persistText !== undefined && persist) {
    persistCheck = await checkPersistFiles(path, persist.start, parseManifest(persistText));
  } else if (persistText !== undefined) {
    persistCheck = { checked: 0, bytes: 0, mismatches: [{ path: 'persistence partition', why: 'missing from the partition table' }] };
  }
  const mismatches = [...fatCheck.mismatches, ...persistCheck.mismatches];
  const checked = fatCheck.checked + persistCheck.checked;
  return {
    target: path,
    state: 'complete',
    ok: mismatches.length === 0,
    checked,
    bytes: fatCheck.bytes + persistCheck.bytes,
    mismatches,
    message:
      mismatches.length === 0
        ? `${path}: all ${checked} files match the manifest`
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
