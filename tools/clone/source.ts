/**
 * The clone's source: the live medium the node booted from (Porteus layout:
 * a FAT or ext partition holding porteus/ and boot/), or a directory given
 * with --source. Scanning lists what will be copied and what is left out.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { EXIT, UserError } from '../common/errors.ts';
import type { Mount } from '../disk/mounts.ts';

export interface SourceFile {
  /** Path inside the tree, with "/" separators, no leading slash. */
  readonly path: string;
  readonly size: number;
}

export interface SourceTree {
  readonly root: string;
  readonly directories: readonly string[];
  readonly files: readonly SourceFile[];
  readonly totalBytes: number;
  /** Paths left out, with why (per-node state, the old bootloader, symlinks FAT cannot hold). */
  readonly skipped: readonly { path: string; why: string }[];
  /** Bootloaders the source carries. */
  readonly syslinuxDir?: string;
  readonly efi: boolean;
}

/**
 * Never copied from the boot medium: Porteus save files and changes (per-node
 * state, handled by --with-state), the syslinux loader files the installer
 * writes fresh for the new medium, and an earlier clone's manifest.
 */
export function skipReason(path: string): string | undefined {
  const lower = path.toLowerCase();
  if (/^porteus\/changes(\/|$)/.test(lower)) return "per-node state (the source's saved changes)";
  if (/(^|\/)ldlinux\.(sys|c32)$/.test(lower)) return 'bootloader file, installed fresh on the target';
  if (/^byzantium\/(manifest\.sha256|clone\.json|clone-incomplete)$/.test(lower)) return "the source's own clone records";
  if (/^(system volume information|\$recycle\.bin|\.trash-[^/]*|lost\+found)(\/|$)/.test(lower)) return 'filesystem housekeeping';
  return undefined;
}

/**
 * Why FAT's long names cannot hold this name, or undefined: found while
 * scanning, so the clone stops before erasing anything rather than halfway
 * through the copy.
 */
export function fatNameProblem(name: string): string | undefined {
  // readdir decodes names as UTF-8; bytes that are not UTF-8 come back as U+FFFD and name no file.
  if (name.includes('\ufffd')) return 'it is not valid UTF-8';
  const bad = /[\u0000-\u001f"*/:<>?\\|]/.exec(name);
  if (bad) return `it contains ${bad[0] < ' ' ? 'a control character' : `"${bad[0]}"`}`;
  if (/[. ]$/.test(name)) return 'it ends with a dot or a space';
  if (name.length > 255) return 'it is longer than 255 characters';
  return undefined;
}

export async function scanSource(root: string): Promise<SourceTree> {
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new UserError(`byz: source ${root} is not a readable directory`, EXIT.usage);
  }
  const directories: string[] = [];
  const files: SourceFile[] = [];
  const skipped: { path: string; why: string }[] = [];
  const seenFatNames = new Map<string, string>();
  async function walk(rel: string): Promise<void> {
    const entries = (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = rel ? posix.join(rel, entry.name) : entry.name;
      const why = skipReason(path);
      if (why) {
        skipped.push({ path, why });
        continue;
      }
      const unfit = fatNameProblem(entry.name);
      if (unfit) throw new UserError(`byz clone: the source has "${path}", a name FAT cannot hold (${unfit}): rename it`, EXIT.failed);
      // FAT compares names without case: two source names that differ only in case would collide.
      const folded = path.toLowerCase();
      const clash = seenFatNames.get(folded);
      if (clash) throw new UserError(`byz: the source has "${clash}" and "${path}", which FAT cannot tell apart`, EXIT.failed);
      seenFatNames.set(folded, path);
      if (entry.isDirectory()) {
        directories.push(path);
        await walk(path);
      } else if (entry.isFile()) {
        files.push({ path, size: (await lstat(join(root, path))).size });
      } else {
        skipped.push({ path, why: 'not a regular file (FAT holds no links or devices)' });
      }
    }
  }
  await walk('');
  const has = (p: string) => directories.some((d) => d.toLowerCase() === p);
  const syslinuxDir = ['boot/syslinux', 'syslinux'].find(
    (d) => has(d) && files.some((f) => f.path.toLowerCase() === `${d}/syslinux.cfg`),
  );
  return {
    root,
    directories,
    files,
    totalBytes: files.reduce((sum, f) => sum + f.size, 0),
    skipped,
    ...(syslinuxDir ? { syslinuxDir } : {}),
    efi: files.some((f) => /^efi\/boot\/boot(x64|ia32|aa64)\.efi$/i.test(f.path)),
  };
}

/** Where a Porteus node's boot medium is mounted: the mount that holds a porteus/ directory with base modules. */
export async function findLiveSource(mounts: readonly Mount[]): Promise<string | undefined> {
  for (const mount of mounts) {
    if (!mount.source.startsWith('/dev/')) continue;
    try {
      if ((await stat(join(mount.mountPoint, 'porteus', 'base'))).isDirectory()) return mount.mountPoint;
    } catch {
      // not this one
    }
  }
  return undefined;
}
