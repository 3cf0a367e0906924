/** `byz persist create` with the real mkfs.ext4, a real FAT32 mount (root) and real LUKS2 (root). */
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byz, byzEntry, missing, node } from './clone-helpers.ts';

const skipTools = await missing({ tools: ['mkfs.ext4', 'blkid'] });
const skipRoot = await missing({ root: true, tools: ['mkfs.vfat', 'losetup', 'mount', 'cryptsetup'] });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'byz-persist-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skipTools)('a save file on a Linux filesystem', () => {
  it('is an ext4 filesystem labelled porteussave, and is never overwritten', async () => {
    const file = join(dir, 'save.dat');
    const run = await byz(['persist', 'create', '--size', '24M', '--file', file]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await stat(file)).size).toBe(24 * 1024 * 1024);
    expect((await execa('blkid', ['-o', 'export', file])).stdout).toMatch(/LABEL=porteussave[\s\S]*TYPE=ext4/);
    const again = await byz(['persist', 'create', '--size', '24M', '--file', file]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect((await readdir(dir)).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('Ctrl-C while it writes: exit 130, one line, and no half-made file left behind', async () => {
    const file = join(dir, 'interrupted.dat');
    const child = execa(node, [byzEntry, 'persist', 'create', '--size', '2G', '--file', file], { reject: false, stdin: 'ignore' });
    // Interrupt once the half-made file exists, while zeros are still being written.
    for (let i = 0; i < 200 && !(await readdir(dir)).some((n) => n.startsWith('.interrupted.dat.partial')); i++) await new Promise((r) => setTimeout(r, 25));
    expect((await readdir(dir)).some((n) => n.startsWith('.interrupted.dat.partial'))).toBe(true);
    child.kill('SIGINT');
    const run = await child;
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toBe('byz persist: interrupted; nothing was created (the half-made file is removed)');
    expect((await readdir(dir)).filter((n) => n.includes('interrupted'))).toEqual([]);
  });

  it('rejects bad input with one line', async () => {
    for (const args of [['persist'], ['persist', 'create'], ['persist', 'create', '--size', 'big', '--file', join(dir, 'x')], ['persist', 'create', '--size', '1M', '--file', 'a', '--partition', 'b'], ['persist', 'status', '--size', '5M'], ['persist', 'create', '--json', '--size', '20M', '--file', join(dir, 'y')]]) {
      const run = await byz(args);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe.skipIf(skipRoot)('as root', () => {
  let fatMount: string;
  let loop: string;
  /** Why the FAT32 stick could not be mounted (some kernels, like this sandbox's, lack vfat). */
  let noFat: string | undefined;
  beforeAll(async () => {
    const image = join(dir, 'fat.img');
    await execa('truncate', ['-s', '96M', image]);
    await execa('mkfs.vfat', ['-F', '32', image]);
    loop = (await execa('losetup', ['--find', '--show', image])).stdout.trim();
    fatMount = join(dir, 'stick');
    await mkdir(fatMount);
    const mounted = await execa('mount', ['-t', 'vfat', loop, fatMount], { reject: false });
    if (mounted.exitCode !== 0) noFat = `cannot mount FAT32 here: ${mounted.stderr.split('\n')[0]}`;
    else await mkdir(join(fatMount, 'porteus'));
  });
  afterAll(async () => {
    await execa('umount', [fatMount], { reject: false });
    await execa('losetup', ['-d', loop], { reject: false });
  });
  // A kernel without vfat is a limit of the machine, not a missing install
  // step: the test says so and skips, on CI too (scripts/test.mjs accepts
  // skips only from tests whose title names the kernel feature they need).
  const needFat = (ctx: { skip: () => void }) => {
    if (!noFat) return;
    console.warn(`SKIPPED: ${noFat}`);
    ctx.skip();
  };

  it('refuses a save file of 1024 MB on a FAT32 stick and names the second partition (needs vfat in the kernel)', async (ctx) => {
    needFat(ctx);
    const run = await byz(['persist', 'create', '--size', '1G', '--file', join(fatMount, 'porteus', 'save.dat')]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/smaller than 1024 MB.*--partition DEV/);
    expect(await readdir(join(fatMount, 'porteus'))).toEqual([]);
  });

  it('creates a smaller save file on the FAT32 stick (needs vfat in the kernel)', async (ctx) => {
    needFat(ctx);
    const run = await byz(['persist', 'create', '--size', '16M', '--file', join(fatMount, 'porteus', 'small.dat')]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await execa('blkid', ['-o', 'value', '-s', 'TYPE', join(fatMount, 'porteus', 'small.dat')])).stdout.trim()).toBe('ext4');
  });

  it('encrypts a save file with LUKS2 that opens with the key and holds ext4 (needs device-mapper in the kernel)', async (ctx) => {
    const misc = await readFile('/proc/misc', 'utf8').catch(() => '');
    if (!misc.includes('device-mapper')) {
      console.warn('SKIPPED: no device-mapper in this kernel (cryptsetup cannot open LUKS)');
      ctx.skip();
    }
    const key = join(dir, 'key');
    await writeFile(key, 'correct horse battery staple', { mode: 0o600 });
    const file = join(dir, 'secret.dat');
    const run = await byz(['persist', 'create', '--size', '40M', '--file', file, '--encrypt', '--key-file', key]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await execa('cryptsetup', ['luksDump', file])).stdout).toMatch(/Version:\s+2/);
    await execa('cryptsetup', ['open', '--key-file', key, file, 'byz-test-persist']);
    try {
      expect((await execa('blkid', ['-o', 'value', '-s', 'LABEL', '/dev/mapper/byz-test-persist'])).stdout.trim()).toBe('porteussave');
    } finally {
      await execa('cryptsetup', ['close', 'byz-test-persist']);
    }
  });
});
