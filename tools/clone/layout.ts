/**
 * Where things go on the target: an MBR partition table, a FAT32 boot
 * partition at 1 MiB, and optionally an ext4 persistence partition after it.
 * MBR (not GPT) because syslinux's BIOS loader needs it and UEFI firmware
 * also boots a FAT partition on an MBR stick from \EFI\BOOT.
 */
import { alignUp, MiB } from '../disk/size.ts';

export interface LayoutRequest {
  /** Bytes of files to put on the boot partition. */
  readonly contentBytes: number;
  readonly fileCount: number;
  readonly directoryCount: number;
  /** Size of the persistence partition; 0 for none. */
  readonly persistBytes: number;
  /** Size of the target if it is a device (the boot partition grows to fill it); undefined for a new image file. */
  readonly targetBytes?: number;
}

export interface Layout {
  readonly bootStart: number;
  readonly bootSize: number;
  readonly persistStart?: number;
  readonly persistSize?: number;
  /** The smallest target this clone fits on. */
  readonly neededBytes: number;
  /** The size to make an image file, or the device size. */
  readonly totalBytes: number;
}

export const BOOT_START = MiB;
const MIN_BOOT = 64 * MiB; // FAT32 needs 65525 clusters; mkfs.fat manages that at 64 MiB with small clusters.
/** FAT32's cluster size on a stick up to 32 GiB is at most 16 KiB; budget 32 KiB per file and directory. */
const PER_ENTRY = 32 * 1024;
/** The loader files, the manifest, FAT tables and some air. */
const OVERHEAD = 16 * MiB;

/** The boot partition's minimum size for this content. */
export function bootBytesNeeded(r: Pick<LayoutRequest, 'contentBytes' | 'fileCount' | 'directoryCount'>): number {
  const raw = r.contentBytes * 1.02 + (r.fileCount + r.directoryCount) * PER_ENTRY + OVERHEAD;
  return Math.max(MIN_BOOT, alignUp(raw, MiB));
}

export function planLayout(r: LayoutRequest): Layout {
  const bootMin = bootBytesNeeded(r);
  const persist = alignUp(r.persistBytes, MiB);
  // The last MiB stays free so a stale GPT backup header at the end of the disk can be wiped and never read.
  const neededBytes = BOOT_START + bootMin + persist + MiB;
  const totalBytes = r.targetBytes ?? neededBytes;
  const bootSize = r.targetBytes === undefined ? bootMin : Math.floor((totalBytes - BOOT_START - persist - MiB) / MiB) * MiB;
  return {
    bootStart: BOOT_START,
    bootSize,
    ...(persist > 0 ? { persistStart: BOOT_START + bootSize, persistSize: persist } : {}),
    neededBytes,
    totalBytes,
  };
}

/** sfdisk's input for the layout: FAT32 LBA (type c, active) and Linux (83). */
export function sfdiskScript(layout: Layout, diskId: string): string {
  const lines = ['label: dos', `label-id: 0x${diskId}`, 'unit: sectors', ''];
  lines.push(`start=${layout.bootStart / 512}, size=${layout.bootSize / 512}, type=c, bootable`);
  if (layout.persistStart !== undefined && layout.persistSize !== undefined) {
    lines.push(`start=${layout.persistStart / 512}, size=${layout.persistSize / 512}, type=83`);
  }
  return `${lines.join('\n')}\n`;
}
