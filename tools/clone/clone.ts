/**
 * `cloneNode`: copies the live system (and, if asked, the node's state minus
 * its identity) to an image file or a removable disk, verifies it by reading
 * it back, and only then makes it bootable.
 *
 * Order of writes, so that an interruption never leaves a stick that boots
 * half-copied: (1) sector 0 and the first and last MiB are zeroed, (2) the
 * FAT32 filesystem is made at 1 MiB with a clone-incomplete marker, (3) the
 * file data is written in one read-hash-write pass (place.ts), (4) the persistence partition is
 * made (with --encrypt: LUKS2 through a loop device over its byte range,
 * then ext4 inside the opened container), (5) the syslinux loader and the manifests are written, (6) everything
 * is read back and compared, (7) the marker is deleted and, last, one 512-byte
 * write puts the partition table and boot code in sector 0. Until (7) no
 * firmware finds anything to boot, and `byz clone --verify` says
 * "incomplete". A rerun starts again at (1).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, realpath, rm, stat, statfs, writeFile, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXIT, UserError } from '../common/errors.ts';
import { readMachineView } from '../disk/machine.ts';
import { refusalsFor } from '../disk/refusals.ts';
import { runTool } from '../disk/run.ts';
import { formatBytes, MiB } from '../disk/size.ts';
import { deleteFatFile, installSyslinux, makeFat, makeFatDirectories, writeFatFile, type FatLocation } from './fat.ts';
import { HashingSink } from './hash.ts';
import { placeFiles, startCopyHasher } from './place.ts';
import { checkCanEncrypt } from '../persist/create.ts';
import { formatEncryptedExt4, withOpenLuks } from '../persist/luks.ts';
import { ENCRYPT_LATER_ADVICE } from './encrypt-options.ts';
import { withRegion } from './region.ts';
import { FIRST_BOOT_MARKER, identityReason } from './identity.ts';
import { planLayout, sfdiskScript, type Layout } from './layout.ts';
import { CLONE_INFO_PATH, formatManifest, INCOMPLETE_MARKER, MANIFEST_PATH, PERSIST_MANIFEST_PATH, type ManifestEntry } from './manifest.ts';
import { ByteMeter, type ProgressListener } from './progress.ts';
import { findLiveSource, scanSource, type SourceTree } from './source.ts';
import { buildBootSector, commitBootSector, flushAndDropCaches, identifyTarget, startClean, type Target } from './target.ts';
import { checkFatFiles, checkPersistFiles, listFiles, openVolume, volumeFileText, type Mismatch } from './verify.ts';

export interface CloneOptions {
  /** Image file path or whole-disk device (/dev/sdc, /dev/disk/by-id/usb-…). */
  readonly target: string;
  /** The live tree to copy; found from the mounts (Porteus layout) when omitted. */
  readonly source?: string;
  /** Size of an ext4 persistence partition (0 or undefined: none). */
  readonly persistBytes?: number;
  /** Copy the node's state (minus identity) onto the persistence partition. */
  readonly withState?: boolean;
  /** Put the persistence partition inside LUKS2 with this passphrase (root and device-mapper needed). */
  readonly encrypt?: { readonly passphrase: Buffer };
  /** Where the node's state lives (Porteus: /mnt/live/memory/changes). */
  readonly stateDir?: string;
  readonly allowFixed?: boolean;
  /** "/" on a node; a fixture root in tests. */
  readonly machineRoot?: string;
  /** Asked before a device is erased, with its description; return false to stop. Devices need it or `yes`. */
  readonly confirm?: (question: DeviceQuestion) => Promise<boolean>;
  readonly yes?: boolean;
  readonly signal?: AbortSignal;
}

export interface DeviceQuestion {
  readonly path: string;
  readonly model: string;
  readonly serial: string;
  readonly sizeBytes: number;
}

export interface CloneResult {
  readonly ok: boolean;
  readonly verified: boolean;
  readonly target: string;
  readonly files: number;
  readonly bytes: number;
  readonly layout: Layout;
  readonly mismatches: readonly Mismatch[];
  readonly skipped: SourceTree['skipped'];
}

export const DEFAULT_STATE_DIR = '/mnt/live/memory/changes';
const VOLUME_LABEL = 'BYZANTIUM';
const PERSIST_LABEL = 'byz-changes';

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UserError('byz: clone interrupted; the target is marked incomplete and will not boot', EXIT.interrupted);
}

async function resolveSource(options: CloneOptions): Promise<string> {
  if (options.source) return resolve(options.source);
  const view = await readMachineView(options.machineRoot ?? '/');
  const found = await findLiveSource(view.mounts);
  if (!found) {
    throw new UserError('byz: cannot find the live system this node booted from (no mounted porteus/base): give --source DIR', EXIT.environment);
  }
  return found;
}

/** Refuses a device target by the rules in disk/refusals.ts and asks the operator. */
async function checkDevice(target: Target, neededBytes: number, sourceDirs: string[], options: CloneOptions): Promise<void> {
  const view = await readMachineView(options.machineRoot ?? '/');
  const name = basename(await realpath(target.path));
  const refusals = refusalsFor(view, name, { want: 'disk', neededBytes, allowFixed: options.allowFixed ?? false, sourceDirs });
  if (refusals.length > 0) {
    throw new UserError(`byz: will not write to ${target.path}: ${refusals.map((r) => r.message).join('; ')}`, EXIT.failed);
  }
  const device = view.devices.find((d) => d.name === name)!;
  const question: DeviceQuestion = {
    path: target.path,
    model: [device.vendor, device.model].filter(Boolean).join(' ') || name,
    serial: device.serial || 'unknown',
    sizeBytes: device.sizeBytes,
  };
  if (options.yes) return;
  if (!options.confirm || !(await options.confirm(question))) {
    throw new UserError(`byz: nothing written to ${target.path} (not confirmed)`, EXIT.failed);
  }
}

/** An image target must not land inside what is being copied. */
/** An MBR partition table addresses 2^32 sectors of 512 bytes. */
const MBR_LIMIT_BYTES = 2 ** 32 * 512;

/** A new image must be outside the source, in a directory that exists, and fit in it and in an MBR table: refused before anything is written. */
async function checkImagePath(target: Target, sourceRoot: string, totalBytes: number): Promise<void> {
  const path = resolve(target.path);
  const rel = relative(sourceRoot, path);
  if (!rel.startsWith('..') && !isAbsolute(rel)) {
    throw new UserError(`byz clone: the image ${target.path} would be inside the source ${sourceRoot}: put it elsewhere`, EXIT.usage);
  }
  if (totalBytes > MBR_LIMIT_BYTES) {
    throw new UserError(`byz clone: the image would be ${formatBytes(totalBytes)}, more than the 2 TiB a stick's partition table can hold: choose a smaller --persist`, EXIT.usage);
  }
  const dir = dirname(path);
  const fs = await statfs(dir).catch(() => undefined);
  if (!fs || !(await stat(dir)).isDirectory()) throw new UserError(`byz clone: the directory ${dir} for the image does not exist`, EXIT.usage);
  // An image being replaced gives its own space back.
  const free = fs.bavail * fs.bsize + ((await stat(path).catch(() => undefined))?.size ?? 0);
  if (free < totalBytes) {
    throw new UserError(`byz clone: not enough space in ${dir} for the image: it needs ${formatBytes(totalBytes)}, ${formatBytes(free)} is free`, EXIT.failed);
  }
}

/**
 * A snapshot of the node's state for the persistence partition: `cp -a`
 * into a staging directory (so the partition is built from one still copy,
 * not from files changing under mkfs), then the identity is removed and the
 * first-boot marker added.
 */
async function stageState(stateDir: string | undefined, staging: string): Promise<void> {
  if (stateDir) {
    try {
      await stat(stateDir);
    } catch {
      throw new UserError(`byz: state directory ${stateDir} not found (is persistence enabled on this node?)`, EXIT.environment);
    }
    await runTool(['cp', '-a', '--one-file-system', `${stateDir}/.`, staging]);
    for (const path of await listAll(staging)) {
      if (identityReason(path)) await rm(join(staging, path), { recursive: true, force: true });
    }
  }
  await mkdir(join(staging, dirname(FIRST_BOOT_MARKER)), { recursive: true });
  await writeFile(join(staging, FIRST_BOOT_MARKER), 'This node is a clone: regenerate its identity on first boot.\n');
}

/** Every path under `dir` (directories before their contents). */
async function listAll(dir: string, rel = ''): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const out: string[] = [];
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    out.push(path);
    if (entry.isDirectory() && !identityReason(path)) out.push(...(await listAll(dir, path)));
  }
  return out;
}

async function hashFile(path: string, onBytes: (n: number) => void = () => {}): Promise<string> {
  const sink = new HashingSink(onBytes);
  await pipeline(createReadStream(path, { highWaterMark: 4 * MiB }), sink);
  return sink.digest();
}

async function writeSmallFile(fat: FatLocation, path: string, text: string, written?: { bytes: number }): Promise<string> {
  const data = Buffer.from(text);
  if (written) written.bytes += data.length;
  await writeFatFile(fat, path, Readable.from([data]));
  const sink = new HashingSink(() => {});
  sink.end(data);
  return sink.digest();
}

/** Reads the persistence partition back: directly, or through its opened LUKS2 container. */
async function checkPersistence(target: string, layout: Layout, entries: ManifestEntry[], passphrase: Buffer | undefined) {
  if (layout.persistStart === undefined || layout.persistSize === undefined) return { mismatches: [] };
  if (!passphrase) return checkPersistFiles(target, layout.persistStart, entries);
  return withRegion(target, layout.persistStart, layout.persistSize, (region) =>
    withOpenLuks(region, passphrase, (mapped) => checkPersistFiles(mapped, 0, entries)),
  );
}

export async function cloneNode(options: CloneOptions, onProgress: ProgressListener = () => {}): Promise<CloneResult> {
  const phase = (p: Parameters<ProgressListener>[0] & { type: 'phase' }) => onProgress(p);
  phase({ type: 'phase', phase: 'prepare', message: 'Looking at the source and the target' });
  const sourceRoot = await resolveSource(options);
  const tree = await scanSource(sourceRoot);
  const target = await identifyTarget(options.target);
  const stateDir = options.withState ? (options.stateDir ?? DEFAULT_STATE_DIR) : undefined;
  const persistBytes = options.persistBytes ?? (options.withState ? 512 * MiB : 0);
  const request = {
    contentBytes: tree.totalBytes,
    fileCount: tree.files.length,
    directoryCount: tree.directories.length,
    persistBytes,
  };
  if (options.encrypt) {
    if (persistBytes === 0) throw new UserError('byz: --encrypt needs a persistence partition (--persist SIZE)', EXIT.usage);
    await checkCanEncrypt(options.machineRoot, ENCRYPT_LATER_ADVICE);
  }
  const layout = planLayout(target.kind === 'device' ? { ...request, targetBytes: target.deviceBytes! } : request);
  if (target.kind === 'device') await checkDevice(target, layout.neededBytes, [sourceRoot], options);
  else await checkImagePath(target, sourceRoot, layout.totalBytes);
  checkAbort(options.signal);

  const staging = await mkdtemp(join(tmpdir(), 'byz-state-'));
  const hasher = startCopyHasher();
  try {
    if (persistBytes > 0) await stageState(stateDir, staging);

    phase({ type: 'phase', phase: 'format', message: `Erasing ${target.path} and making a FAT32 boot partition` });
    await startClean(target, layout.totalBytes);
    const fat: FatLocation = { target: target.path, offset: layout.bootStart, size: layout.bootSize };
    await makeFat(fat, VOLUME_LABEL);
    await makeFatDirectories(fat, ['byzantium']);
    await writeSmallFile(fat, INCOMPLETE_MARKER, `clone started ${new Date().toISOString()}; not finished\n`);

    phase({ type: 'phase', phase: 'copy', message: `Copying ${tree.files.length} files (${formatBytes(tree.totalBytes)})` });
    const manifest: ManifestEntry[] = [];
    const meter = new ByteMeter('copy', tree.totalBytes, onProgress);
    const placed = {
      files: tree.files.map((f) => ({ path: f.path, source: join(sourceRoot, f.path), size: f.size })),
      directories: tree.directories,
    };
    manifest.push(...(await placeFiles(fat, placed, hasher, (n) => meter.add(n), options.signal)));
    // The copy ends when the data is on the medium (as dd conv=fsync), not in the page cache.
    await flushAndDropCaches(target);

    const extra = { bytes: 0 }; // the records we write besides the source's files, read back too
    let persistManifest: ManifestEntry[] = [];
    if (layout.persistStart !== undefined && layout.persistSize !== undefined) {
      phase({ type: 'phase', phase: 'persistence', message: `Making the ${formatBytes(layout.persistSize)} persistence partition` });
      persistManifest = await Promise.all(
        (await listFiles(staging)).map(async (path) => ({ path, sha256: await hashFile(join(staging, path)) })),
      );
      if (options.encrypt) {
        const { passphrase } = options.encrypt;
        await withRegion(target.path, layout.persistStart, layout.persistSize, (region) =>
          formatEncryptedExt4(region, passphrase, { label: PERSIST_LABEL, contentDir: staging }),
        );
      } else {
        await runTool([
          'mkfs.ext4', '-F', '-q', '-L', PERSIST_LABEL,
          '-E', `offset=${layout.persistStart}`,
          '-d', staging,
          target.path, `${layout.persistSize / 1024}k`,
        ]);
      }
    }

    phase({ type: 'phase', phase: 'bootloader', message: tree.syslinuxDir ? 'Installing the SYSLINUX boot loader' : 'Writing the manifest' });
    if (tree.syslinuxDir) {
      await installSyslinux(fat, tree.syslinuxDir);
    }
    // The hashes of an encrypted partition's files stay off the open FAT: they would tell what is inside.
    if (persistManifest.length > 0 && !options.encrypt) manifest.push({ path: PERSIST_MANIFEST_PATH, sha256: await writeSmallFile(fat, PERSIST_MANIFEST_PATH, formatManifest(persistManifest), extra) });
    const info = {
      format: 1,
      createdAt: new Date().toISOString(),
      files: tree.files.length,
      bytes: tree.totalBytes,
      bootloader: { bios: Boolean(tree.syslinuxDir), efi: tree.efi },
      persistence: layout.persistSize
        ? { bytes: layout.persistSize, filesystem: 'ext4', encryption: options.encrypt ? 'luks2' : null, firstBootMarker: FIRST_BOOT_MARKER }
        : null,
      skipped: tree.skipped,
    };
    manifest.push({ path: CLONE_INFO_PATH, sha256: await writeSmallFile(fat, CLONE_INFO_PATH, `${JSON.stringify(info, null, 2)}\n`, extra) });
    await writeSmallFile(fat, MANIFEST_PATH, formatManifest(manifest));

    phase({ type: 'phase', phase: 'verify', message: 'Reading everything back to compare with the manifest' });
    await flushAndDropCaches(target);
    const opened = await openVolume(target, fat.offset);
    if (!opened) throw new UserError(`byz: the FAT32 just made on ${target.path} cannot be read back`, EXIT.failed);
    const written = await volumeFileText(opened.volume, opened.reader, MANIFEST_PATH);
    const verifyMeter = new ByteMeter('verify', tree.totalBytes + extra.bytes, onProgress);
    const fatCheck = await checkFatFiles(opened.volume, opened.reader, manifest, verifyMeter);
    const persistCheck = await checkPersistence(target.path, layout, persistManifest, options.encrypt?.passphrase);
    const mismatches = [
      ...(written === formatManifest(manifest) ? [] : [{ path: MANIFEST_PATH, why: 'content differs' }]),
      ...fatCheck.mismatches,
      ...persistCheck.mismatches,
    ];
    const base = { target: target.path, files: tree.files.length, bytes: tree.totalBytes, layout, skipped: tree.skipped };
    if (mismatches.length > 0) {
      // Left incomplete on purpose: a clone that does not verify must never boot.
      return { ...base, ok: false, verified: false, mismatches };
    }

    phase({ type: 'phase', phase: 'commit', message: 'Making the target bootable' });
    checkAbort(options.signal);
    const sector = await buildBootSector(layout.totalBytes, sfdiskScript(layout, randomBytes(4).toString('hex')), Boolean(tree.syslinuxDir));
    await deleteFatFile(fat, INCOMPLETE_MARKER);
    await flushAndDropCaches(target);
    await commitBootSector(target, sector);
    return { ...base, ok: true, verified: true, mismatches: [] };
  } finally {
    await hasher.close();
    await rm(staging, { recursive: true, force: true });
  }
}
