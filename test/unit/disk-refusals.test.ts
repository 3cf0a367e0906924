import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMachineView } from '../../tools/disk/machine.ts';
import { listCandidates, refusalsFor, type MachineView } from '../../tools/disk/refusals.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'disk');
const GiB = 1024 ** 3;

const codes = (view: MachineView, name: string, rules: Parameters<typeof refusalsFor>[2]) =>
  refusalsFor(view, name, rules).map((r) => r.code);

describe('a laptop booted from a Porteus stick', () => {
  let view: MachineView;
  beforeAll(async () => {
    view = await readMachineView(join(fixtures, 'porteus-usb'));
  });

  it('accepts an unmounted, writable, removable stick that is big enough', () => {
    expect(refusalsFor(view, 'sdc', { want: 'disk', neededBytes: 4 * GiB })).toEqual([]);
  });

  it('refuses the boot stick, found through the loop-mounted modules, from= and changes=', () => {
    const refusals = refusalsFor(view, 'sdb', { want: 'disk' });
    expect(refusals.map((r) => r.code)).toEqual(expect.arrayContaining(['boot-device', 'system-device', 'mounted']));
    expect(refusals.find((r) => r.code === 'system-device')?.message).toContain('/mnt/live/memory/changes');
  });

  it('finds the boot stick from the loop devices alone', () => {
    const loopsOnly: MachineView = {
      ...view,
      cmdlineRefs: [],
      mounts: view.mounts.filter((m) => m.source.startsWith('/dev/loop') || m.mountPoint === '/mnt/sdb1'),
    };
    expect(codes(loopsOnly, 'sdb', { want: 'disk' })).toContain('boot-device');
  });

  it('finds the boot stick from the kernel command line (UUID alias) alone, even when unmounted (copy2ram)', () => {
    const cmdlineOnly: MachineView = { ...view, mounts: [] };
    const refusals = refusalsFor(cmdlineOnly, 'sdb', { want: 'disk' });
    expect(refusals.map((r) => r.code)).toEqual(['boot-device']);
    expect(refusals[0]!.message).toContain('kernel command line names it (UUID=0E3C-11A7)');
  });

  it('refuses the disk holding the clone source', () => {
    const noHints: MachineView = { ...view, cmdlineRefs: [], mounts: view.mounts.filter((m) => m.mountPoint === '/mnt/sdb1') };
    expect(codes(noHints, 'sdb', { want: 'disk', sourceDirs: ['/mnt/sdb1/porteus'] })).toContain('boot-device');
  });

  it('refuses a mounted stick and says how to unmount it (octal escapes decoded)', () => {
    const refusals = refusalsFor(view, 'sdf', { want: 'disk' });
    expect(refusals.map((r) => r.code)).toEqual(['mounted']);
    expect(refusals[0]!.message).toBe('sdf1 is mounted on /media/My Stick: unmount it first (umount /media/My Stick)');
  });

  it('refuses a read-only card and names the write-protect switch', () => {
    const refusals = refusalsFor(view, 'sde', { want: 'disk' });
    expect(refusals.map((r) => r.code)).toEqual(['read-only']);
    expect(refusals[0]!.message).toMatch(/write-protect/);
  });

  it('refuses a stick that is too small and says how much is needed', () => {
    const refusals = refusalsFor(view, 'sdd', { want: 'disk', neededBytes: 1.5 * GiB });
    expect(refusals.map((r) => r.code)).toEqual(['too-small']);
    expect(refusals[0]!.message).toBe('sdd is too small: it has 1 GiB, this needs at least 1.5 GiB');
  });

  it('refuses the fixed internal disk unless --allow-fixed', () => {
    const refusals = refusalsFor(view, 'nvme0n1', { want: 'disk' });
    expect(refusals.map((r) => r.code)).toEqual(['fixed']);
    expect(refusals[0]!.message).toContain('--allow-fixed');
    expect(refusalsFor(view, 'nvme0n1', { want: 'disk', allowFixed: true })).toEqual([]);
  });

  it('refuses an empty card reader', () => {
    expect(codes(view, 'sdg', { want: 'disk' })).toEqual(['no-medium']);
  });

  it('refuses a stick with an open encrypted volume on it', () => {
    expect(codes(view, 'sdh', { want: 'disk' })).toEqual(['in-use']);
  });

  it('refuses a partition where a whole disk is needed, and names the disk', () => {
    const refusals = refusalsFor(view, 'sdc1', { want: 'disk' });
    expect(refusals.map((r) => r.code)).toEqual(['partition']);
    expect(refusals[0]!.message).toContain('/dev/sdc');
  });

  it('refuses devices it does not know', () => {
    expect(codes(view, 'sdz', { want: 'disk' })).toEqual(['unknown-device']);
  });

  it('for persistence, allows a spare partition but not the mounted changes partition', () => {
    expect(codes(view, 'sdc1', { want: 'partition' })).toEqual([]);
    expect(codes(view, 'sdb2', { want: 'partition' })).toEqual(expect.arrayContaining(['system-device', 'mounted']));
    expect(codes(view, 'sdb1', { want: 'partition' })).toEqual(expect.arrayContaining(['boot-device', 'mounted']));
  });

  it('lists real disks only (no loop, dm, zram, optical), each with its refusals', () => {
    const list = listCandidates(view, { neededBytes: 2 * GiB });
    expect(list.map((c) => c.device.name)).toEqual(['nvme0n1', 'sdb', 'sdc', 'sdd', 'sde', 'sdf', 'sdg', 'sdh']);
    const usable = list.filter((c) => c.refusals.length === 0).map((c) => c.path);
    expect(usable).toEqual(['/dev/sdc']);
    const sdc = list.find((c) => c.device.name === 'sdc')!;
    expect(sdc.description).toBe('Kingston DataTraveler 3.0');
    expect(sdc.device.serial).toBe('60A44C3FAE22F0A0E9D1');
  });
});

describe('Debian with an encrypted root', () => {
  let view: MachineView;
  beforeAll(async () => {
    view = await readMachineView(join(fixtures, 'debian-encrypted-root'));
  });

  it('refuses the disk under the LUKS root, found through the dm slaves', () => {
    const refusals = refusalsFor(view, 'sda', { want: 'disk', allowFixed: true });
    expect(refusals.map((r) => r.code)).toEqual(expect.arrayContaining(['system-device', 'mounted', 'in-use']));
    expect(refusals.find((r) => r.code === 'system-device')?.message).toContain("it holds this node's filesystem");
  });

  it('treats a USB disk that reports removable=0 as fixed (needs --allow-fixed) and the stick as fine', () => {
    expect(codes(view, 'sdb', { want: 'disk' })).toEqual(['fixed']);
    expect(codes(view, 'sdc', { want: 'disk' })).toEqual([]);
  });
});
