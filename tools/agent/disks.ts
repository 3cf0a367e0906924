/**
 * What the operator's page offers for a clone or for persistence: the disk
 * tools' refusal-aware lists and the persistence status, shaped by the
 * contract. Vendor, model and serial come from the hardware: anything that
 * is not printable text is replaced before it leaves the agent.
 */
import type { CloneTargets, DiskChoice, PersistInfo } from '../contract/schemas.ts';
import { planLayout } from '../clone/layout.ts';
import { findLiveSource, scanSource } from '../clone/source.ts';
import { listCloneTargets, type TargetChoice } from '../clone/targets.ts';
import { readMachineView } from '../disk/machine.ts';
import { listPersistPartitions } from '../persist/partitions.ts';
import { persistStatus } from '../persist/status.ts';
import { HttpError } from './http-io.ts';

export interface DiskSource {
  cloneTargets(): Promise<CloneTargets>;
  persist(): Promise<PersistInfo>;
}

const printable = (text: string, max: number) => text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '?').trim().slice(0, max);

function toChoice(disk: Pick<TargetChoice, 'path' | 'description' | 'serial' | 'sizeBytes' | 'removable' | 'refusals'>): DiskChoice {
  return {
    path: disk.path,
    description: printable(disk.description, 280),
    serial: printable(disk.serial, 128),
    sizeBytes: disk.sizeBytes,
    removable: disk.removable,
    refusals: disk.refusals.map((r) => ({ code: r.code, message: r.message.slice(0, 500) })),
  };
}

/** A machine that cannot be read (no /proc/mounts, no /sys) is a clear 503, not a stack trace. */
async function reading<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HttpError(503, 'disks_unreadable', `cannot read ${what} on this machine${code ? ` (${code})` : ''}`);
  }
}

export class MachineDisks implements DiskSource {
  private readonly machineRoot: string;
  private readonly cloneSource: string | undefined;

  /** `machineRoot`: "/" on a node, a fixture tree in tests; `cloneSource`: the live tree clones copy (found from the mounts when omitted). */
  constructor(options: { machineRoot?: string; cloneSource?: string } = {}) {
    this.machineRoot = options.machineRoot ?? '/';
    this.cloneSource = options.cloneSource;
  }

  /** The bytes a clone without persistence needs, or null when there is no live system to copy. */
  private async neededBytes(source: string | undefined): Promise<number | null> {
    if (!source) return null;
    try {
      const tree = await scanSource(source);
      return planLayout({ contentBytes: tree.totalBytes, fileCount: tree.files.length, directoryCount: tree.directories.length, persistBytes: 0 }).neededBytes;
    } catch {
      return null; // byz clone says why when it runs
    }
  }

  async cloneTargets(): Promise<CloneTargets> {
    return reading('the disks', async () => {
      const source = this.cloneSource ?? (await findLiveSource((await readMachineView(this.machineRoot)).mounts));
      const neededBytes = await this.neededBytes(source);
      const targets = await listCloneTargets({
        machineRoot: this.machineRoot,
        ...(neededBytes === null ? {} : { neededBytes }),
        sourceDirs: source ? [source] : [],
      });
      return { neededBytes, targets: targets.map(toChoice) };
    });
  }

  async persist(): Promise<PersistInfo> {
    return reading('the persistence status', async () => {
      const [status, partitions] = await Promise.all([persistStatus(this.machineRoot), listPersistPartitions(this.machineRoot)]);
      return {
        kind: status.kind,
        requested: status.requested === undefined ? null : printable(status.requested, 256),
        where: status.where === undefined ? null : printable(status.where, 256),
        filesystem: status.filesystem === undefined ? null : printable(status.filesystem, 32),
        encrypted: status.encrypted,
        totalBytes: status.totalBytes ?? null,
        freeBytes: status.freeBytes ?? null,
        partitions: partitions.map(toChoice),
      };
    });
  }
}
