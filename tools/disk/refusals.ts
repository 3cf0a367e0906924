/**
 * Which disks may a clone (or a persistence partition) be written to? Pure
 * functions over what the machine reports (/sys/block, /proc/mounts,
 * /proc/cmdline), so every rule is tested against fixture trees.
 */
import { mountContaining, type Mount } from './mounts.ts';
import type { BlockDevice } from './sysfs.ts';
import { formatBytes } from './size.ts';

export type RefusalCode =
  | 'boot-device'
  | 'system-device'
  | 'mounted'
  | 'in-use'
  | 'read-only'
  | 'too-small'
  | 'fixed'
  | 'no-medium'
  | 'partition'
  | 'unknown-device';

export interface Refusal {
  readonly code: RefusalCode;
  /** One line for the operator, naming the fix where there is one. */
  readonly message: string;
}

export interface MachineView {
  readonly devices: readonly BlockDevice[];
  readonly mounts: readonly Mount[];
  /** Device references from the kernel command line (from=, changes=, root=…). */
  readonly cmdlineRefs: readonly string[];
  /** "UUID=…"/"LABEL=…"/"PARTUUID=…" → kernel name, from /dev/disk/by-*. */
  readonly aliases: ReadonlyMap<string, string>;
}

/** Mount points of the running system itself: the disk under them keeps the node alive. */
const SYSTEM_MOUNTS = ['/', '/boot', '/boot/efi', '/usr', '/var', '/home', '/mnt/live/memory/changes'];
/** Where live systems keep the medium they booted from (Porteus, Debian live, dracut). */
const LIVE_MEDIA_PREFIXES = ['/mnt/live/', '/run/live/', '/lib/live/mount/', '/run/initramfs/live', '/run/archiso/'];

/** Devices that are not disks one could write a clone to. */
export function isVirtualDevice(name: string): boolean {
  return /^(loop|ram|zram|dm-|md|sr|nbd|fd)\d/.test(name);
}

/** The disk that a kernel name belongs to ("sdb1" → "sdb"), or undefined. */
export function diskOf(view: MachineView, name: string): BlockDevice | undefined {
  return view.devices.find((d) => d.name === name || d.partitions.some((p) => p.name === name));
}

/** "/dev/sdb1", "/dev/mapper/x", "UUID=…" → kernel name, when we can tell. */
export function kernelNameOf(view: MachineView, source: string): string | undefined {
  const alias = view.aliases.get(source);
  if (alias) return alias;
  const mapper = /^\/dev\/mapper\/(.+)$/.exec(source);
  if (mapper) return view.devices.find((d) => d.dmName === mapper[1])?.name;
  const dev = /^\/dev\/([^/]+)$/.exec(source);
  return dev ? dev[1] : undefined;
}

/**
 * The physical partitions (or whole disks) under a kernel name, following
 * dm/md slaves and loop backing files (a loop-mounted Porteus module lives on
 * the boot stick, so the stick's partition is found through the loop device).
 */
export function physicalLeavesUnder(view: MachineView, name: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  if (seen.has(name)) return found;
  seen.add(name);
  const device = view.devices.find((d) => d.name === name);
  if (device?.slaves.length) {
    for (const slave of device.slaves) for (const leaf of physicalLeavesUnder(view, slave, seen)) found.add(leaf);
  } else if (device?.loopBackingFile) {
    const mount = mountContaining(view.mounts, device.loopBackingFile);
    const under = mount && kernelNameOf(view, mount.source);
    if (under) for (const leaf of physicalLeavesUnder(view, under, seen)) found.add(leaf);
  } else {
    const disk = diskOf(view, name);
    if (disk && !isVirtualDevice(disk.name)) found.add(name);
  }
  return found;
}

export interface SystemUse {
  /** partition or disk kernel name → why it is the boot medium */
  readonly boot: ReadonlyMap<string, string>;
  /** partition or disk kernel name → why it holds the running system (root, persistence) */
  readonly system: ReadonlyMap<string, string>;
}

/** Works out which partitions the running node depends on. `sourceDirs` are the clone's source paths. */
export function systemUse(view: MachineView, sourceDirs: readonly string[] = []): SystemUse {
  const boot = new Map<string, string>();
  const system = new Map<string, string>();
  const note = (map: Map<string, string>, name: string | undefined, why: string) => {
    if (!name) return;
    for (const leaf of physicalLeavesUnder(view, name)) if (!map.has(leaf)) map.set(leaf, why);
  };
  for (const mount of view.mounts) {
    const name = kernelNameOf(view, mount.source);
    if (SYSTEM_MOUNTS.includes(mount.mountPoint)) {
      const what = mount.mountPoint === '/mnt/live/memory/changes' ? 'persistent changes' : 'filesystem';
      note(system, name, `it holds this node's ${what} (${mount.mountPoint})`);
    } else if (LIVE_MEDIA_PREFIXES.some((p) => mount.mountPoint.startsWith(p))) {
      note(boot, name, `it is the medium this node booted from (${mount.mountPoint})`);
    }
  }
  for (const dir of sourceDirs) {
    const mount = mountContaining(view.mounts, dir);
    if (mount) note(boot, kernelNameOf(view, mount.source), `it holds the live system being cloned (${dir})`);
  }
  for (const ref of view.cmdlineRefs) {
    note(boot, kernelNameOf(view, ref), `the kernel command line names it (${ref})`);
  }
  return { boot, system };
}

/** The first reason in `map` that touches `disk` as a whole (any of its partitions). */
function whyDiskIsUsed(map: ReadonlyMap<string, string>, disk: BlockDevice): string | undefined {
  for (const name of [disk.name, ...disk.partitions.map((p) => p.name)]) {
    const why = map.get(name);
    if (why) return why;
  }
  return undefined;
}

export interface TargetRules {
  /** Bytes the clone needs; omit to skip the size rule. */
  readonly neededBytes?: number;
  readonly allowFixed?: boolean;
  /** Persistence may go on a partition (even on the boot stick); a clone needs a whole disk. */
  readonly want: 'disk' | 'partition';
  readonly sourceDirs?: readonly string[];
}

function describeDisk(d: BlockDevice): string {
  return [d.vendor, d.model].filter(Boolean).join(' ') || d.name;
}

/** Every reason not to write to `name` (a kernel name like "sdc"); empty means it may be used. */
export function refusalsFor(view: MachineView, name: string, rules: TargetRules): Refusal[] {
  const disk = diskOf(view, name);
  if (!disk) return [{ code: 'unknown-device', message: `${name} is not a block device this machine knows` }];
  const partition = disk.partitions.find((p) => p.name === name);
  const refusals: Refusal[] = [];
  const use = systemUse(view, rules.sourceDirs);

  if (partition && rules.want === 'disk') {
    refusals.push({
      code: 'partition',
      message: `${name} is a partition: give the whole disk /dev/${disk.name}, which will be repartitioned`,
    });
  }
  // Writing a whole disk destroys all its partitions; a spare partition on the boot stick is fine for persistence.
  const bootWhy = partition && rules.want === 'partition' ? use.boot.get(name) : whyDiskIsUsed(use.boot, disk);
  if (bootWhy) refusals.push({ code: 'boot-device', message: `${name} is refused: ${bootWhy}` });
  const systemWhy = partition && rules.want === 'partition' ? use.system.get(name) : whyDiskIsUsed(use.system, disk);
  if (systemWhy) refusals.push({ code: 'system-device', message: `${name} is refused: ${systemWhy}` });

  const scope = partition ? [name] : [disk.name, ...disk.partitions.map((p) => p.name)];
  for (const mount of view.mounts) {
    const mounted = kernelNameOf(view, mount.source);
    if (mounted && scope.includes(mounted)) {
      refusals.push({
        code: 'mounted',
        message: `${mounted} is mounted on ${mount.mountPoint}: unmount it first (umount ${mount.mountPoint})`,
      });
    }
  }
  const holders = partition ? partition.holders : [...disk.holders, ...disk.partitions.flatMap((p) => p.holders)];
  if (holders.length > 0) {
    refusals.push({
      code: 'in-use',
      message: `${partition?.name ?? disk.name} is in use by ${holders.join(', ')} (an open encrypted volume, LVM or RAID): close it first`,
    });
  }
  if (disk.sizeBytes === 0) {
    refusals.push({ code: 'no-medium', message: `${disk.name} has no medium (an empty card reader?)` });
  } else if (rules.neededBytes !== undefined) {
    const size = partition ? partition.sizeBytes : disk.sizeBytes;
    if (size < rules.neededBytes) {
      refusals.push({
        code: 'too-small',
        message: `${name} is too small: it has ${formatBytes(size)}, this needs at least ${formatBytes(rules.neededBytes)}`,
      });
    }
  }
  if (disk.readOnly) {
    refusals.push({
      code: 'read-only',
      message: `${disk.name} is read-only: slide the write-protect switch on the stick or card, then plug it in again`,
    });
  }
  if (!disk.removable && !disk.usb && !rules.allowFixed && rules.want === 'disk') {
    refusals.push({
      code: 'fixed',
      message: `${disk.name} (${describeDisk(disk)}) is a fixed disk, not a removable one: add --allow-fixed if you really mean to erase it`,
    });
  }
  // One line per problem: a disk mounted twice (bind mounts) says so once.
  return refusals.filter((r, i) => refusals.findIndex((o) => o.message === r.message) === i);
}

export interface Candidate {
  readonly device: BlockDevice;
  readonly path: string;
  readonly description: string;
  readonly refusals: readonly Refusal[];
}

/** Disks a clone could go to, each with the reasons it may not (empty = usable). */
export function listCandidates(view: MachineView, rules: Omit<TargetRules, 'want'>): Candidate[] {
  return view.devices
    .filter((d) => !isVirtualDevice(d.name))
    .map((device) => ({
      device,
      path: `/dev/${device.name}`,
      description: describeDisk(device),
      refusals: refusalsFor(view, device.name, { ...rules, want: 'disk' }),
    }));
}
