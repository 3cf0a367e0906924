/**
 * As root: `byz clone` to a real block device (a loop device), the refusal of
 * this machine's own root disk, and a headless QEMU boot of the clone in
 * which the SYSLINUX banner must appear on the serial console.
 */
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLiveTree } from '../fixtures/disk/live-tree.ts';
import { Fat32Volume } from '../../tools/clone/fat32.ts';
import { bufferedReader } from '../../tools/clone/place.ts';
import { byz, DISK_TOOLS, missing } from './clone-helpers.ts';

const skip = await missing({ root: true, tools: [...DISK_TOOLS, 'losetup', 'blockdev', 'qemu-system-x86_64'] });

describe.skipIf(skip)('byz clone as root', () => {
  let dir: string;
  let loop: string;
  let backing: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'byz-clone-root-'));
    await makeLiveTree(join(dir, 'live'));
    backing = join(dir, 'stick.raw');
    await execa('truncate', ['-s', '128M', backing]);
    loop = (await execa('losetup', ['--find', '--show', '--partscan', backing])).stdout.trim();
  });
  afterAll(async () => {
    if (loop) await execa('losetup', ['-d', loop], { reject: false });
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a loop "disk" without --allow-fixed (it is not removable)', async () => {
    const run = await byz(['clone', '--to', loop, '--source', join(dir, 'live'), '--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/fixed disk.*--allow-fixed/);
  });

  it('refuses the disk this machine runs on', async () => {
    const mounts = await readFile('/proc/mounts', 'utf8');
    const rootSource = mounts.split('\n').map((l) => l.split(' ')).find((f) => f[1] === '/')?.[0] ?? '';
    const disk = /^\/dev\/(vd[a-z]|sd[a-z]|nvme\d+n\d+|mmcblk\d+)/.exec(rootSource)?.[0];
    if (!disk) return; // root on overlay/tmpfs (a container): nothing to refuse here
    // Some sandboxes show the disk in /sys but have no /dev node for it: then "no such device" is the refusal.
    const run = await byz(['clone', '--to', disk, '--source', join(dir, 'live'), '--yes', '--allow-fixed']);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/will not write.*this node's filesystem \(\/\)|no such device/);
  });

  it('clones to the loop device, verifies, and the kernel sees the partitions', async () => {
    const run = await byz(['clone', '--to', loop, '--source', join(dir, 'live'), '--yes', '--allow-fixed', '--persist', '16M', '--progress', 'none']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/cloned and verified/);
    const table = JSON.parse((await execa('sfdisk', ['--json', loop])).stdout).partitiontable;
    expect(table.partitions.map((p: { type: string }) => p.type)).toEqual(['c', '83']);
    // The boot partition fills the stick but the persistence partition keeps its size.
    expect(table.partitions[1].size).toBe((16 * 1024 * 1024) / 512);
    const kernelSees = await execa('blkid', ['-o', 'value', '-s', 'TYPE', `${loop}p1`], { reject: false });
    if (kernelSees.exitCode === 0) expect(kernelSees.stdout.trim()).toBe('vfat');
    else console.warn(`NOT CHECKED: this kernel made no ${loop}p1 (no MBR partition support?)`);
    expect((await byz(['clone', '--verify', loop])).exitCode).toBe(0);
  });

  it('reads the device back with O_DIRECT: a byte flipped in the backing file behind the loop device is caught', async () => {
    // Fill the loop device's page cache with the good bytes first, then change the medium under it.
    expect((await byz(['clone', '--verify', loop])).exitCode).toBe(0);
    const volume = (await Fat32Volume.open(bufferedReader(backing), 1024 * 1024))!;
    const entry = (await volume.lookup('porteus/base/001-core.xzm'))!;
    const [extent] = await volume.extents(entry.firstCluster, entry.size);
    const handle = await open(backing, 'r+');
    try {
      const one = Buffer.alloc(1);
      await handle.read(one, 0, 1, extent!.offset + 1000);
      await handle.write(Buffer.from([one[0]! ^ 0x01]), 0, 1, extent!.offset + 1000);
      await handle.sync();
      const run = await byz(['clone', '--verify', loop]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/MISMATCH.*porteus\/base\/001-core\.xzm \(content differs\)/);
      await handle.write(one, 0, 1, extent!.offset + 1000);
      await handle.sync();
    } finally {
      await handle.close();
    }
    expect((await byz(['clone', '--verify', loop])).exitCode).toBe(0);
  });

  it('leaves a FAT32 that fsck.fat finds consistent (the clone writes the FAT chains and entries itself)', async () => {
    // fsck.fat 4.2 has no --offset: give it the boot partition through a second loop device.
    const part = (await execa('losetup', ['--find', '--show', '--offset', String(1024 * 1024), '--sizelimit', String(110 * 1024 * 1024), loop])).stdout.trim();
    try {
      const check = await execa('fsck.fat', ['-n', part], { reject: false });
      expect(check.exitCode, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).not.toMatch(/Unused cluster|lost|chain|Reclaim|free cluster summary wrong|truncat/i);
    } finally {
      await execa('losetup', ['-d', part], { reject: false });
    }
  });

  it('boots in QEMU: the SYSLINUX banner appears on the serial console', async () => {
    // TCG, not KVM: KVM is not always usable (nested virtualisation), and a boot loader needs no speed.
    const qemu = execa('qemu-system-x86_64', ['-m', '128', '-drive', `file=${backing},format=raw,if=ide`, '-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-no-reboot', '-accel', 'tcg'], { reject: false, buffer: false, stdin: 'ignore' });
    let serial = '';
    const sawBanner = await new Promise<boolean>((resolve) => {
      const limit = setTimeout(() => resolve(false), 90_000);
      qemu.stdout!.on('data', (chunk: Buffer) => {
        serial += chunk.toString('latin1');
        if (/SYSLINUX \d/.test(serial)) {
          clearTimeout(limit);
          resolve(true);
        }
      });
    });
    qemu.kill('SIGKILL');
    await qemu;
    expect(sawBanner, `serial output: ${serial.slice(0, 300)}`).toBe(true);
  }, 120_000);
});
