import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMachineView } from '../../tools/disk/machine.ts';
import { parseProcMounts } from '../../tools/disk/mounts.ts';
import { describePersistence } from '../../tools/persist/status.ts';
import { changesParameter, saveFileRefusal } from '../../tools/persist/rules.ts';

const MiB = 1024 * 1024;
const mounts = parseProcMounts(
  ['/dev/sdb1 /mnt/sdb1 vfat rw 0 0', '/dev/sdb2 /mnt/sdb2 ext4 rw 0 0', '/dev/sdc1 /mnt/sdc1 vfat ro 0 0'].join('\n'),
);

describe('the FAT32 save-file rule', () => {
  it('allows a save file just under 1024 MB on FAT32', () => {
    expect(saveFileRefusal(mounts, '/mnt/sdb1/porteus/save.dat', 1023 * MiB)).toBeUndefined();
  });

  it('refuses 1024 MB and more on FAT32, naming the second-partition alternative', () => {
    const why = saveFileRefusal(mounts, '/mnt/sdb1/porteus/save.dat', 1024 * MiB);
    expect(why).toMatch(/smaller than 1024 MB/);
    expect(why).toMatch(/second partition \(--partition DEV\)/);
  });

  it('has no limit on a Linux filesystem', () => {
    expect(saveFileRefusal(mounts, '/mnt/sdb2/save.dat', 8 * 1024 * MiB)).toBeUndefined();
  });

  it('refuses a read-only mount', () => {
    expect(saveFileRefusal(mounts, '/mnt/sdc1/save.dat', MiB)).toMatch(/read-only/);
  });
});

describe('persist status', () => {
  it('reports the Porteus changes partition', async () => {
    const view = await readMachineView(join(import.meta.dirname, '..', 'fixtures', 'disk', 'porteus-usb'));
    expect(describePersistence(view, 'quiet changes=/dev/sdb2')).toEqual({
      kind: 'partition',
      where: '/dev/sdb2',
      filesystem: 'ext4',
      encrypted: false,
      requested: '/dev/sdb2',
    });
  });

  it('reports an encrypted save file behind a loop device', () => {
    const view = {
      devices: [
        { name: 'loop3', sizeBytes: 1, removable: false, readOnly: false, usb: false, model: '', vendor: '', serial: '', partitions: [], holders: ['dm-2'], slaves: [], loopBackingFile: '/mnt/sdb1/porteus/changes/byzantium.dat' },
        { name: 'dm-2', sizeBytes: 1, removable: false, readOnly: false, usb: false, model: '', vendor: '', serial: '', partitions: [], holders: [], slaves: ['loop3'], dmName: 'save' },
      ],
      mounts: parseProcMounts('/dev/mapper/save /mnt/live/memory/changes ext4 rw 0 0'),
      cmdlineRefs: [],
      aliases: new Map(),
    };
    expect(describePersistence(view, '')).toMatchObject({ kind: 'save-file', where: '/mnt/sdb1/porteus/changes/byzantium.dat', encrypted: true });
  });

  it('says "none" when changes live in memory', () => {
    const view = { devices: [], mounts: parseProcMounts('tmpfs /mnt/live/memory/changes tmpfs rw 0 0'), cmdlineRefs: [], aliases: new Map() };
    expect(describePersistence(view, 'quiet').kind).toBe('none');
  });
});

describe('the changes= boot parameter byz persist prints', () => {
  const withRoot = parseProcMounts(['/dev/sda1 / ext4 rw 0 0', '/dev/sdb1 /mnt/usb vfat rw 0 0'].join('\n'));
  it('names a file on a mounted stick by its path inside the stick, which the live system finds at boot', () => {
    expect(changesParameter(withRoot, '/mnt/usb/porteus/changes/byzantium.dat')).toBe('changes=/porteus/changes/byzantium.dat');
    expect(changesParameter(withRoot, '/mnt/usb/byzsave.dat')).toBe('changes=/byzsave.dat');
  });
  it('keeps the full path of a file on the root filesystem', () => {
    expect(changesParameter(withRoot, '/var/lib/byzsave.dat')).toBe('changes=/var/lib/byzsave.dat');
  });
});
