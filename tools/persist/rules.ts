/**
 * Where a Porteus save file may go. The Byzantium field note: a save file on
 * a FAT32 filesystem must be smaller than 1024 MB, or the live system does
 * not find it at boot. Linux filesystems have no such limit.
 */
import { mountContaining, type Mount } from '../disk/mounts.ts';
import { formatBytes, MiB } from '../disk/size.ts';

export const FAT_SAVE_FILE_LIMIT = 1024 * MiB;
const FAT_TYPES = new Set(['vfat', 'msdos', 'fat']);

/** Why a save file of `bytes` at `path` (absolute, resolved) will not work, or undefined when it will. */
export function saveFileRefusal(mounts: readonly Mount[], path: string, bytes: number): string | undefined {
  const mount = mountContaining(mounts, path);
  if (!mount) return undefined;
  if (FAT_TYPES.has(mount.fsType) && bytes >= FAT_SAVE_FILE_LIMIT) {
    return (
      `a save file on a FAT32 filesystem (${mount.mountPoint}) must be smaller than 1024 MB or the live system ` +
      `will not find it at boot; ${formatBytes(bytes)} is too big: choose --size 1000M or less, ` +
      'or put persistence on a second partition (--partition DEV) where there is no such limit'
    );
  }
  if (mount.options.includes('ro')) return `${mount.mountPoint} is mounted read-only`;
  return undefined;
}

/** The filesystem type a path lives on ("vfat", "ext4"…). */
export function filesystemOf(mounts: readonly Mount[], path: string): string | undefined {
  return mountContaining(mounts, path)?.fsType;
}

/**
 * The `changes=` boot parameter for a save file at `path` (absolute, resolved).
 * At boot the stick is not where the running system mounted it (/mnt/usb
 * today may be /mnt/sdb1 then), so a file on a mounted medium is named by
 * its path inside that medium, which the live system looks for on every
 * device; a file on the root filesystem keeps its full path.
 */
export function changesParameter(mounts: readonly Mount[], path: string): string {
  const mount = mountContaining(mounts, path);
  if (!mount || mount.mountPoint === '/') return `changes=${path}`;
  return `changes=/${path.slice(mount.mountPoint.length).replace(/^\/+/, '')}`;
}
