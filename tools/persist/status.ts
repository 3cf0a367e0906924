/** Where this live system keeps its changes, and how full it is. */
import { statfs } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseKernelCmdline } from '../disk/cmdline.ts';
import { readMachineView } from '../disk/machine.ts';
import { kernelNameOf, type MachineView } from '../disk/refusals.ts';

export const CHANGES_MOUNT = '/mnt/live/memory/changes';

export interface PersistStatus {
  /** "none": changes live in RAM and vanish at shutdown. */
  readonly kind: 'none' | 'save-file' | 'partition' | 'directory';
  /** changes= from the kernel command line, if any. */
  readonly requested?: string;
  /** The device, save file or directory the changes go to. */
  readonly where?: string;
  readonly filesystem?: string;
  readonly encrypted: boolean;
  readonly totalBytes?: number;
  readonly freeBytes?: number;
}

/** Pure part: what the mounts and command line say. */
export function describePersistence(view: MachineView, cmdline: string): PersistStatus {
  const requested = parseKernelCmdline(cmdline).values.get('changes') || undefined;
  const mount = [...view.mounts].reverse().find((m) => m.mountPoint === CHANGES_MOUNT);
  const base = { ...(requested ? { requested } : {}), encrypted: false };
  if (!mount || mount.fsType === 'tmpfs') return { ...base, kind: 'none' };
  let name = kernelNameOf(view, mount.source);
  let device = view.devices.find((d) => d.name === name);
  let encrypted = false;
  if (device?.dmName !== undefined) {
    encrypted = true; // dm-crypt is the only device mapper Porteus puts under changes
    name = device.slaves[0];
    device = view.devices.find((d) => d.name === name);
  }
  if (device?.loopBackingFile) {
    return { ...base, kind: 'save-file', where: device.loopBackingFile, filesystem: mount.fsType, encrypted };
  }
  if (name && view.devices.some((d) => d.name === name || d.partitions.some((p) => p.name === name))) {
    return { ...base, kind: 'partition', where: `/dev/${name}`, filesystem: mount.fsType, encrypted };
  }
  return { ...base, kind: 'directory', where: mount.source, filesystem: mount.fsType, encrypted };
}

export async function persistStatus(machineRoot = '/'): Promise<PersistStatus> {
  const view = await readMachineView(machineRoot);
  const cmdline = await readFile(join(machineRoot, 'proc', 'cmdline'), 'utf8').catch(() => '');
  const status = describePersistence(view, cmdline);
  if (status.kind === 'none' || machineRoot !== '/') return status;
  try {
    const fs = await statfs(CHANGES_MOUNT);
    return { ...status, totalBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize };
  } catch {
    return status;
  }
}
