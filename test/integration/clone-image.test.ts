/**
 * `byz clone` to image files with the real tools (sfdisk, mkfs.vfat, mtools,
 * mkfs.ext4, syslinux, debugfs), no root needed: the layout, the files, the
 * manifest, identity left behind, a flipped byte caught, an interrupted clone
 * refused as incomplete and a rerun that starts clean.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, statfs, utimes, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, makeLiveTree, makeStateTree } from '../fixtures/disk/live-tree.ts';
import { byz, byzEntry, DISK_TOOLS, missing, node } from './clone-helpers.ts';

const skip = await missing({ tools: DISK_TOOLS });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MTOOLS = { MTOOLS_SKIP_CHECK: '1' };

/** Reads a file out of the image's FAT with mtools directly (not through byz). */
async function fatFile(image: string, path: string): Promise<Buffer> {
  const result = await execa('mcopy', ['-n', '-i', `${image}@@1M`, `::/${path}`, '-'], { env: MTOOLS, encoding: 'buffer', stripFinalNewline: false });
  return Buffer.from(result.stdout);
}

describe.skipIf(skip)('byz clone to an image file', () => {
  let dir: string;
  let live: string;
  let state: string;
  let image: string;
  let events: Array<Record<string, unknown>>;
  let exitCode: number | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'byz-clone-test-'));
    live = join(dir, 'live');
    state = join(dir, 'state');
    image = join(dir, 'node.img');
    await makeLiveTree(live);
    await makeStateTree(state);
    const run = await byz(['clone', '--to', image, '--source', live, '--with-state', '--state-dir', state, '--persist', '16M', '--progress', 'json']);
    exitCode = run.exitCode;
    events = run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    if (exitCode !== 0) console.error(run.stderr);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and reports progress and a verified result as JSON lines', () => {
    expect(exitCode).toBe(0);
    const phases = events.filter((e) => e.type === 'phase').map((e) => e.phase);
    expect(phases).toEqual(['prepare', 'format', 'copy', 'persistence', 'bootloader', 'verify', 'commit']);
    const copy = events.filter((e) => e.type === 'progress' && e.phase === 'copy');
    expect(copy.at(-1)).toMatchObject({ bytesDone: copy.at(-1)!.bytesTotal });
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, verified: true, files: 11 });
  });

  it('writes an MBR with a bootable FAT32 partition at 1 MiB and an ext4 partition after it', async () => {
    const table = JSON.parse((await execa('sfdisk', ['--json', image])).stdout).partitiontable;
    expect(table.label).toBe('dos');
    expect(table.partitions).toHaveLength(2);
    expect(table.partitions[0]).toMatchObject({ start: 2048, type: 'c', bootable: true });
    expect(table.partitions[1]).toMatchObject({ type: '83', size: (16 * 1024 * 1024) / 512 });
    const sector0 = (await readFile(image)).subarray(0, 512);
    const mbrCode = await readFile('/usr/lib/syslinux/mbr/mbr.bin').catch(() => readFile('/usr/lib/SYSLINUX/mbr.bin'));
    expect(sector0.subarray(0, 440).equals(mbrCode.subarray(0, 440))).toBe(true);
  });

  it('copies every live file byte for byte, installs syslinux, and leaves the save file behind', async () => {
    for (const path of ['porteus/base/000-kernel.xzm', 'porteus/base/001-core.xzm', 'boot/syslinux/syslinux.cfg', 'EFI/BOOT/bootx64.efi', 'porteus/optional/.keep']) {
      expect((await fatFile(image, path)).equals(await readFile(join(live, path))), path).toBe(true);
    }
    const list = async (dir: string) => (await execa('mdir', ['-a', '-b', '-i', `${image}@@1M`, `::/${dir}`], { env: MTOOLS, reject: false })).stdout;
    expect(await list('boot/syslinux')).toMatch(/ldlinux\.sys/);
    expect(await list('porteus')).not.toMatch(/changes/);
    // The old loader module is replaced by the installer's own, matching ldlinux.sys.
    expect((await fatFile(image, 'boot/syslinux/ldlinux.c32')).equals(await readFile(join(live, 'boot/syslinux/ldlinux.c32')))).toBe(false);
  });

  it('stores a sha256sum-style manifest that matches the source files', async () => {
    const manifest = (await fatFile(image, 'byzantium/manifest.sha256')).toString();
    const lines = new Map(manifest.trim().split('\n').map((l) => [l.slice(66), l.slice(0, 64)]));
    expect(lines.get('porteus/base/001-core.xzm')).toBe(sha256(await readFile(join(live, 'porteus/base/001-core.xzm'))));
    expect(lines.get('boot/syslinux/vmlinuz')).toBe(sha256(await readFile(join(live, 'boot/syslinux/vmlinuz'))));
    expect(lines.has('porteus/changes/porteussave.dat')).toBe(false);
  });

  it('carries the state but never the identity, and marks the first boot', async () => {
    const ls = async (path: string) => (await execa('debugfs', ['-R', `ls -p ${path}`, `${image}?offset=${(1 + 64) * 1024 * 1024}`], { reject: false })).stdout;
    const cat = async (path: string) => (await execa('debugfs', ['-R', `cat ${path}`, `${image}?offset=${(1 + 64) * 1024 * 1024}`], { reject: false })).stdout;
    expect(await cat('/home/guest/notes.txt')).toBe('kept on the clone');
    expect(await cat('/etc/byzantium/mesh.json')).toContain('"channel":6');
    expect(await cat('/var/lib/byzantium/first-boot')).toMatch(/clone/);
    expect(await ls('/etc/ssh')).not.toContain('ssh_host_ed25519_key');
    expect(await ls('/etc')).not.toContain('machine-id');
    expect(await ls('/var/lib/byzantium')).not.toMatch(/agent|identity/);
    expect(await ls('/var/lib/misc')).not.toContain('dnsmasq.leases');
    expect(await ls('/var')).not.toMatch(/\/log\//);
  });

  it('verifies again later, and catches one flipped byte in a module', async () => {
    expect((await byz(['clone', '--verify', image])).exitCode).toBe(0);
    const damaged = join(dir, 'damaged.img');
    const bytes = await readFile(image);
    const module = await readFile(join(live, 'porteus/base/001-core.xzm'));
    const at = bytes.indexOf(module.subarray(50_000, 50_064));
    expect(at).toBeGreaterThan(0);
    bytes[at + 7]! ^= 0x01;
    await writeFile(damaged, bytes);
    const check = await byz(['clone', '--verify', damaged]);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain('porteus/base/001-core.xzm (content differs)');
  });

  it('refuses bad input with one line and exit 2', async () => {
    for (const args of [['clone'], ['clone', '--to', image, '--persist', 'huge'], ['clone', '--to', image, '--nope'], ['clone', '--to', image, '--progress', 'xml'], ['clone', '--verify', image, '--persist', '1G'], ['clone', '--list', '--to', image]]) {
      const run = await byz(args);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('refuses, before writing anything, an image that cannot be made: too big, no room, no such directory, a name FAT cannot hold', async () => {
    const fresh = join(dir, 'never.img');
    const { bavail, bsize } = await statfs(dir);
    const tooBigForHere = `${Math.ceil((bavail * bsize) / 2 ** 30) + 1}G`;
    const odd = join(dir, 'odd-live');
    await makeLiveTree(odd);
    await writeFile(join(odd, 'porteus', 'notes:today.txt'), 'a colon');
    const cases: Array<[string[], number, RegExp]> = [
      [['--persist', '3T'], 2, /^byz clone: the image would be 3 TiB, more than the 2 TiB a stick's partition table can hold: choose a smaller --persist$/],
      [['--persist', tooBigForHere], 1, /^byz clone: not enough space in .* for the image: it needs .*, .* is free$/],
      [['--to', join(dir, 'no-such-dir', 'never.img')], 2, /^byz clone: the directory .*no-such-dir for the image does not exist$/],
      [['--source', odd], 1, /^byz clone: the source has "porteus\/notes:today\.txt", a name FAT cannot hold \(it contains ":"\): rename it$/],
    ];
    for (const [args, code, message] of cases) {
      const run = await byz(['clone', ...(args.includes('--to') ? [] : ['--to', fresh]), ...(args.includes('--source') ? [] : ['--source', live]), ...args]);
      expect(run.exitCode, args.join(' ')).toBe(code);
      expect(run.stderr.trim(), args.join(' ')).toMatch(message);
      expect(existsSync(fresh), args.join(' ')).toBe(false);
    }
  });

  it('will not overwrite an existing file without --yes when there is no terminal', async () => {
    const run = await byz(['clone', '--to', image, '--source', live]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/add --yes/);
  });
});

describe.skipIf(skip)('an interrupted clone', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'byz-clone-kill-'));
    await makeLiveTree(join(dir, 'live'), { bigModuleBytes: 96 * 1024 * 1024 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused as incomplete, never has a partition table, and a rerun starts clean', async () => {
    const image = join(dir, 'stick.img');
    // Its own process group, so the kill takes mcopy down too, like a pulled plug.
    const child = execa(node, [byzEntry, 'clone', '--to', image, '--source', join(dir, 'live'), '--progress', 'json'], { detached: true, reject: false, buffer: false });
    let killed = false;
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (!killed && /"phase":"copy","bytesDone":[1-9]/.test(line)) {
            killed = true;
            process.kill(-child.pid!, 'SIGKILL');
          }
        }
      });
      child.stdout!.on('end', resolve);
    });
    await child;
    expect(killed).toBe(true);

    const head = Buffer.alloc(512);
    const handle = await open(image, 'r');
    await handle.read(head, 0, 512, 0);
    await handle.close();
    expect(head.readUInt16LE(510)).not.toBe(0xaa55); // no MBR: BIOS and UEFI find nothing to boot

    const check = await byz(['clone', '--verify', image]);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/incomplete: .*unfinished clone/);

    const rerun = await byz(['clone', '--to', image, '--source', join(dir, 'live'), '--yes', '--progress', 'none']);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect((await byz(['clone', '--verify', image])).exitCode).toBe(0);
  });
});

// The copy reads each file through a ring of three 4 MiB buffers, and one recursive mcopy makes every directory and entry.
describe.skipIf(skip)('files across chunk boundaries, long names and empty directories', () => {
  const MiB = 1024 * 1024;
  let dir: string;
  let live: string;
  let image: string;
  const extra: Record<string, Buffer> = {
    // Wraps the ring more than once and ends mid-chunk.
    'porteus/modules/Wraps-The-Ring.xzm': fixtureBytes('ring', 13 * MiB + 5),
    // Ends exactly on a chunk boundary (the next read returns nothing).
    'porteus/modules/exact.xzm': fixtureBytes('exact', 8 * MiB),
    'porteus/rootcopy/etc/A Long Mixed Case Name.conf': Buffer.from('kept with its long name\n'),
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'byz-clone-ring-'));
    live = join(dir, 'live');
    image = join(dir, 'node.img');
    await makeLiveTree(live);
    for (const [path, data] of Object.entries(extra)) {
      await mkdir(dirname(join(live, path)), { recursive: true });
      await writeFile(join(live, path), data);
    }
    await mkdir(join(live, 'porteus/extramod'), { recursive: true }); // empty: must exist on the clone too
    await utimes(join(live, 'porteus/modules/exact.xzm'), new Date('2020-02-02T12:00:00Z'), new Date('2020-02-02T12:00:00Z'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('copies them byte for byte, with their names, mtimes and the empty directory, and verifies', async () => {
    const run = await byz(['clone', '--to', image, '--source', live, '--yes', '--progress', 'none']);
    expect(run.exitCode, run.stderr).toBe(0);
    for (const [path, data] of Object.entries(extra)) {
      expect((await fatFile(image, path)).equals(data), path).toBe(true);
    }
    const listing = (await execa('mdir', ['-a', '-b', '-i', `${image}@@1M`, '::/porteus'], { env: MTOOLS })).stdout;
    expect(listing).toMatch(/extramod/);
    const modules = (await execa('mdir', ['-a', '-i', `${image}@@1M`, '::/porteus/modules'], { env: MTOOLS })).stdout;
    // mdir shows 8.3 names and local time: the date may shift a day with the time zone.
    expect(modules).toMatch(/exact\s+xzm\s+8388608 2020-02-0[123]/);
    expect((await byz(['clone', '--verify', image])).exitCode).toBe(0);
  });
});
