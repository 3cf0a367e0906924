/**
 * Reads block devices from a sysfs tree. The root is a parameter so that the
 * same code reads the real /sys and the fixture trees in test/fixtures/disk.
 */
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface Partition {
  readonly name: string;
  readonly sizeBytes: number;
  /** Devices built on top of this one (dm-crypt, LVM, md). */
  readonly holders: readonly string[];
}

export interface BlockDevice {
  /** Kernel name: "sdb", "nvme0n1", "loop0", "dm-0". */
  readonly name: string;
  readonly sizeBytes: number;
  readonly removable: boolean;
  readonly readOnly: boolean;
  /** True when the device sits on a USB bus (many USB disks report removable=0). */
  readonly usb: boolean;
  readonly model: string;
  readonly vendor: string;
  readonly serial: string;
  readonly partitions: readonly Partition[];
  readonly holders: readonly string[];
  /** For dm and md devices: the devices underneath. */
  readonly slaves: readonly string[];
  /** For loop devices: the file behind it. */
  readonly loopBackingFile?: string;
  /** For dm devices: the /dev/mapper name. */
  readonly dmName?: string;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'latin1')).trim();
  } catch {
    return undefined;
  }
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch {
    return [];
  }
}

/** SCSI VPD page 0x80 holds the unit serial number after a 4-byte header. */
function serialFromVpd80(raw: Buffer): string {
  return raw.subarray(4).toString('latin1').replace(/[^\x20-\x7e]/g, '').trim();
}

/** USB sticks keep their serial in the USB device directory a few levels above the disk. */
async function findSerial(deviceDir: string): Promise<string> {
  const direct = await readText(join(deviceDir, 'device', 'serial'));
  if (direct) return direct;
  try {
    const vpd = await readFile(join(deviceDir, 'device', 'vpd_pg80'));
    const serial = serialFromVpd80(vpd);
    if (serial) return serial;
  } catch {
    // no VPD page: try the USB parent below
  }
  let dir: string;
  try {
    dir = await realpath(join(deviceDir, 'device'));
  } catch {
    return '';
  }
  for (let level = 0; level < 8 && dir.length > 1; level += 1) {
    const serial = await readText(join(dir, 'serial'));
    if (serial) return serial;
    dir = join(dir, '..');
  }
  return '';
}

async function isUsb(deviceDir: string): Promise<boolean> {
  try {
    const target = await readlink(deviceDir).catch(async () => realpath(join(deviceDir, 'device')));
    return /\/usb\d*\//.test(target);
  } catch {
    return false;
  }
}

async function readPartition(diskDir: string, name: string): Promise<Partition | undefined> {
  const dir = join(diskDir, name);
  if ((await readText(join(dir, 'partition'))) === undefined) return undefined;
  return {
    name,
    sizeBytes: Number(await readText(join(dir, 'size'))) * 512,
    holders: await listDir(join(dir, 'holders')),
  };
}

export async function readBlockDevice(sysBlockDir: string, name: string): Promise<BlockDevice> {
  const dir = join(sysBlockDir, name);
  const partitions: Partition[] = [];
  for (const entry of await listDir(dir)) {
    if (!entry.startsWith(name)) continue;
    const partition = await readPartition(dir, entry);
    if (partition) partitions.push(partition);
  }
  const loopBackingFile = await readText(join(dir, 'loop', 'backing_file'));
  const dmName = await readText(join(dir, 'dm', 'name'));
  return {
    name,
    sizeBytes: Number(await readText(join(dir, 'size'))) * 512 || 0,
    removable: (await readText(join(dir, 'removable'))) === '1',
    readOnly: (await readText(join(dir, 'ro'))) === '1',
    usb: await isUsb(dir),
    model: (await readText(join(dir, 'device', 'model'))) ?? '',
    vendor: (await readText(join(dir, 'device', 'vendor'))) ?? '',
    serial: await findSerial(dir),
    partitions,
    holders: await listDir(join(dir, 'holders')),
    slaves: await listDir(join(dir, 'slaves')),
    ...(loopBackingFile ? { loopBackingFile } : {}),
    ...(dmName ? { dmName } : {}),
  };
}

/** Every block device under `<sysRoot>/block`. */
export async function readBlockDevices(sysRoot = '/sys'): Promise<BlockDevice[]> {
  const sysBlockDir = join(sysRoot, 'block');
  const devices: BlockDevice[] = [];
  for (const name of await listDir(sysBlockDir)) {
    try {
      await stat(join(sysBlockDir, name));
    } catch {
      continue; // a dangling link: the device went away while we looked
    }
    devices.push(await readBlockDevice(sysBlockDir, name));
  }
  return devices;
}
