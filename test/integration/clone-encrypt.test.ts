/**
 * `byz clone --encrypt` with the real cryptsetup, losetup, mkfs.ext4 and
 * debugfs. Opening a LUKS container needs the kernel's device-mapper; this
 * machine and CI have none, so the full path runs only where it exists and
 * its title says so. What runs everywhere: the up-front refusal (nothing
 * written), and the clone's LUKS2 step on a real clone image's second
 * partition, which cryptsetup can do without device-mapper.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRegion } from '../../tools/clone/region.ts';
import { luksFormat } from '../../tools/persist/luks.ts';
import { makeLiveTree, makeStateTree } from '../fixtures/disk/live-tree.ts';
import { byz, DISK_TOOLS, missing } from './clone-helpers.ts';

const skip = await missing({ root: true, tools: [...DISK_TOOLS, 'cryptsetup', 'losetup'] });
const hasDeviceMapper = (await readFile('/proc/misc', 'utf8').catch(() => '')).includes('device-mapper');
const PASSPHRASE = 'correct horse battery staple';

/** The second partition of an MBR image, in bytes. */
async function secondPartition(image: string): Promise<{ offset: number; size: number }> {
  const table = JSON.parse((await execa('sfdisk', ['--json', image])).stdout).partitiontable;
  const p = table.partitions[1];
  return { offset: p.start * 512, size: p.size * 512 };
}

/** cryptsetup's check of a passphrase against the key slots (no device-mapper needed). */
async function passphraseOpens(device: string, passphrase: string): Promise<boolean> {
  const run = await execa('cryptsetup', ['open', '--test-passphrase', '--key-file', '-', device], { input: passphrase, reject: false });
  return run.exitCode === 0;
}

describe.skipIf(skip)('byz clone --encrypt', () => {
  let dir: string;
  let live: string;
  let state: string;
  let key: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'byz-clone-encrypt-'));
    live = join(dir, 'live');
    state = join(dir, 'state');
    key = join(dir, 'key');
    await makeLiveTree(live);
    await makeStateTree(state);
    await writeFile(key, `${PASSPHRASE}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses before anything is written, with one line saying why and what to do (needs no device-mapper in the kernel)', async (ctx) => {
    if (hasDeviceMapper) {
      console.warn('SKIPPED: this kernel has device-mapper, so --encrypt is not refused here');
      ctx.skip();
    }
    const image = join(dir, 'refused.img');
    const run = await byz(['clone', '--to', image, '--source', live, '--persist', '48M', '--encrypt', '--key-file', key]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/no device-mapper.*clone without --encrypt.*byz persist create --partition \/dev\/sdX2 --encrypt/);
    await expect(stat(image)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a world-readable key file before anything is written', async () => {
    const loose = join(dir, 'loose-key');
    await writeFile(loose, `${PASSPHRASE}\n`, { mode: 0o644 });
    const image = join(dir, 'loose.img');
    const run = await byz(['clone', '--to', image, '--source', live, '--persist', '48M', '--encrypt', '--key-file', loose]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/mode 0644\): run chmod 600/);
    await expect(stat(image)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("the clone's LUKS2 step puts a LUKS2 header on a clone image's second partition: luksDump shows version 2, and only the passphrase opens it", async () => {
    // A real clone with a plain persistence partition, then the step the clone runs on it with --encrypt
    // (a loop device over the partition's bytes, luksFormat with the passphrase on stdin).
    const image = join(dir, 'step.img');
    const run = await byz(['clone', '--to', image, '--source', live, '--persist', '48M']);
    expect(run.exitCode, run.stderr).toBe(0);
    const part = await secondPartition(image);
    await withRegion(image, part.offset, part.size, (device) => luksFormat(device, Buffer.from(PASSPHRASE)));
    await withRegion(image, part.offset, part.size, async (device) => {
      const dump = (await execa('cryptsetup', ['luksDump', device])).stdout;
      expect(dump).toMatch(/^Version:\s+2$/m);
      expect(dump).toMatch(/cipher:\s+aes-xts-plain64/);
      // Opening needs the key slot's memory: bounded so that the old laptop the stick is for can unlock it at boot.
      expect(dump).toMatch(/PBKDF:\s+argon2id/);
      expect(dump).toMatch(/Memory:\s+131072$/m);
      expect(dump).toMatch(/Threads:\s+1$/m);
      expect(await passphraseOpens(device, PASSPHRASE)).toBe(true);
      expect(await passphraseOpens(device, `${PASSPHRASE}\n`)).toBe(false);
      expect(await passphraseOpens(device, 'wrong')).toBe(false);
    });
    // The plain clone's manifest listed files on that partition: --verify now sees they are gone.
    const verify = await byz(['clone', '--verify', image]);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toMatch(/persistence partition \(not a readable ext4 filesystem\)/);
  });

  it('clones with the persistence partition in LUKS2 holding ext4 with the state, opened only by the passphrase (needs device-mapper in the kernel)', async (ctx) => {
    if (!hasDeviceMapper) {
      console.warn('SKIPPED: no device-mapper in this kernel (cryptsetup cannot open LUKS to make the filesystem inside)');
      ctx.skip();
    }
    const image = join(dir, 'encrypted.img');
    const run = await byz(['clone', '--to', image, '--source', live, '--with-state', '--state-dir', state, '--persist', '48M', '--encrypt', '--key-file', key, '--progress', 'json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const events = run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, verified: true });

    const part = await secondPartition(image);
    await withRegion(image, part.offset, part.size, async (device) => {
      expect((await execa('cryptsetup', ['luksDump', device])).stdout).toMatch(/^Version:\s+2$/m);
      // The typed passphrase (the key file's line without its newline) opens it; another does not.
      expect(await passphraseOpens(device, PASSPHRASE)).toBe(true);
      expect(await passphraseOpens(device, 'wrong')).toBe(false);
      const name = 'byz-test-clone-encrypt';
      await execa('cryptsetup', ['open', '--key-file', '-', device, name], { input: PASSPHRASE });
      try {
        const mapped = `/dev/mapper/${name}`;
        expect((await execa('blkid', ['-o', 'value', '-s', 'TYPE', mapped])).stdout.trim()).toBe('ext4');
        const cat = async (path: string) => (await execa('debugfs', ['-R', `cat ${path}`, mapped], { reject: false })).stdout;
        expect(await cat('/home/guest/notes.txt')).toBe('kept on the clone');
        expect(await cat('/var/lib/byzantium/first-boot')).toMatch(/clone/);
        expect(await cat('/etc/ssh/ssh_host_ed25519_key')).not.toContain('PRIVATE KEY');
      } finally {
        await execa('cryptsetup', ['close', name]);
      }
    });
    // The open FAT says the partition is encrypted and lists none of its files.
    const mtype = async (path: string) => (await execa('mtype', ['-i', `${image}@@1M`, `::/${path}`], { env: { MTOOLS_SKIP_CHECK: '1' }, reject: false }));
    expect(JSON.parse((await mtype('byzantium/clone.json')).stdout).persistence).toMatchObject({ encryption: 'luks2' });
    expect((await mtype('byzantium/persist.sha256')).exitCode).not.toBe(0);
    const verify = await byz(['clone', '--verify', image]);
    expect(verify.exitCode).toBe(0);
    expect(verify.stdout).toMatch(/the encrypted persistence partition is not checked/);
  });
});
