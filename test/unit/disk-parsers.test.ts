import { describe, expect, it } from 'vitest';
import { bootDeviceReferences, parseKernelCmdline } from '../../tools/disk/cmdline.ts';
import { mountContaining, parseProcMounts } from '../../tools/disk/mounts.ts';
import { formatBytes, parseSize } from '../../tools/disk/size.ts';
import { UserError } from '../../tools/common/errors.ts';

describe('parseProcMounts', () => {
  const mounts = parseProcMounts(
    '/dev/sdb1 /mnt/sdb1 vfat rw,noatime 0 0\n/dev/sdc1 /media/a\\040b ext4 ro 0 0\nbad line\n/dev/sdb1 /mnt/sdb1 vfat ro 0 0\n',
  );
  it('decodes escaped spaces and skips junk', () => {
    expect(mounts.map((m) => m.mountPoint)).toEqual(['/mnt/sdb1', '/media/a b', '/mnt/sdb1']);
  });
  it('finds the innermost, latest mount holding a path', () => {
    expect(mountContaining(mounts, '/mnt/sdb1/porteus/base')?.options).toEqual(['ro']);
    expect(mountContaining(mounts, '/mnt/sdb10')).toBeUndefined();
  });
});

describe('kernel command line', () => {
  it('extracts device references, cutting paths inside a device', () => {
    const params = parseKernelCmdline('quiet from=/dev/sdb1/porteus changes=UUID:1234-ABCD/save.dat root="/dev/mapper/r"');
    expect(bootDeviceReferences(params)).toEqual(['/dev/sdb1', 'UUID=1234-ABCD', '/dev/mapper/r']);
  });
});

describe('sizes', () => {
  it('parses binary units', () => {
    expect(parseSize('1G')).toBe(1024 ** 3);
    expect(parseSize('1024M')).toBe(1024 ** 3);
    expect(parseSize('900mb')).toBe(900 * 1024 ** 2);
    expect(parseSize('1.5G')).toBe(1.5 * 1024 ** 3);
  });
  it('refuses nonsense with one line', () => {
    expect(() => parseSize('lots')).toThrow(UserError);
    expect(() => parseSize('0M')).toThrow(/larger than zero/);
    expect(() => parseSize('5X')).toThrow(/900M or 4G/);
  });
  it('formats', () => {
    expect(formatBytes(1536 * 1024 ** 2)).toBe('1.5 GiB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatBytes(17)).toBe('17 B');
  });
});
