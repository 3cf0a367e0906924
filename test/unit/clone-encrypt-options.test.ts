/** The rules of `byz clone --encrypt` and of the key file it shares with `byz persist create --encrypt`. */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptOptionProblem, ENCRYPT_LATER_ADVICE } from '../../tools/clone/encrypt-options.ts';
import { deviceMapperMissing, keyFileProblem, storageSizeProblem, obtainPassphrase, passphraseFromKeyFile, readKeyFile } from '../../tools/persist/luks.ts';

const base = { encrypt: true, persist: '2G', withState: false, terminal: true } as const;

describe('byz clone --encrypt option rules', () => {
  it('accepts --encrypt with --persist on a terminal, or with a key file anywhere', () => {
    expect(encryptOptionProblem(base)).toBeUndefined();
    expect(encryptOptionProblem({ ...base, terminal: false, keyFile: '/root/key' })).toBeUndefined();
  });

  it('accepts --encrypt with --with-state alone (it makes a persistence partition)', () => {
    const { persist: _, ...noPersist } = base;
    expect(encryptOptionProblem({ ...noPersist, withState: true })).toBeUndefined();
  });

  it('refuses --encrypt with no persistence partition, naming --persist', () => {
    const { persist: _, ...noPersist } = base;
    expect(encryptOptionProblem(noPersist)).toBe(
      'byz clone: --encrypt encrypts the persistence partition, and there is none: add --persist SIZE (e.g. --persist 2G)',
    );
  });

  it('refuses with one line when there is neither a key file nor a terminal to ask on', () => {
    const why = encryptOptionProblem({ ...base, terminal: false })!;
    expect(why).toMatch(/^byz clone: --encrypt needs a passphrase and there is no terminal to ask for it: give --key-file PATH/);
    expect(why).not.toContain('\n');
  });

  it('refuses --key-file without --encrypt', () => {
    expect(encryptOptionProblem({ encrypt: false, keyFile: '/root/key', withState: false, terminal: true })).toBe(
      'byz clone: --key-file only makes sense with --encrypt',
    );
  });

  it('without device-mapper, says to encrypt the partition later with byz persist', () => {
    expect(ENCRYPT_LATER_ADVICE).toMatch(/clone without --encrypt/);
    expect(ENCRYPT_LATER_ADVICE).toMatch(/byz persist create --partition \/dev\/sdX2 --encrypt/);
  });

  it('needs room for the LUKS2 header plus a filesystem', () => {
    expect(storageSizeProblem(16 * 1024 * 1024, true)).toMatch(/at least 32M .*16 MiB for its header/);
    expect(storageSizeProblem(32 * 1024 * 1024, true)).toBeUndefined();
    // Plain storage: 16 MiB at least (--persist 100K made a 1 MiB ext4 that holds nothing).
    expect(storageSizeProblem(100 * 1024, false)).toBe('persistent storage needs at least 16M to hold anything: ask for more');
    expect(storageSizeProblem(16 * 1024 * 1024, false)).toBeUndefined();
  });
});

describe('the key file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'byz-key-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the passphrase typed at boot: one trailing line ending is not part of it', () => {
    expect(passphraseFromKeyFile(Buffer.from('correct horse\n')).toString()).toBe('correct horse');
    expect(passphraseFromKeyFile(Buffer.from('correct horse\r\n')).toString()).toBe('correct horse');
    expect(passphraseFromKeyFile(Buffer.from('  spaces kept  ')).toString()).toBe('  spaces kept  ');
  });

  it('is refused when other users can read or write it, with the chmod that fixes it', () => {
    const secret = Buffer.from('s3cret\n');
    expect(keyFileProblem('/k', 0o100600, secret)).toBeUndefined();
    expect(keyFileProblem('/k', 0o100400, secret)).toBeUndefined();
    expect(keyFileProblem('/k', 0o100644, secret)).toBe(
      'the key file /k can be read or changed by other users (mode 0644): run chmod 600 /k (on a FAT stick, copy it to /root first)',
    );
    expect(keyFileProblem('/k', 0o100640, secret)).toMatch(/mode 0640/);
    expect(keyFileProblem('/k', 0o100602, secret)).toMatch(/mode 0602/);
  });

  it('is refused when empty, of several lines, or longer than can be typed', () => {
    expect(keyFileProblem('/k', 0o100600, Buffer.from('\n'))).toMatch(/is empty/);
    expect(keyFileProblem('/k', 0o100600, Buffer.from('one\ntwo\n'))).toMatch(/more than one line/);
    expect(keyFileProblem('/k', 0o100600, Buffer.alloc(513, 'a'))).toMatch(/longer than 512 bytes/);
  });

  it('reads a real file: a good one gives its passphrase, a bad one one line and exit 2', async () => {
    const good = join(dir, 'good');
    await writeFile(good, 'battery staple\n', { mode: 0o600 });
    expect((await readKeyFile(good)).toString()).toBe('battery staple');

    const open = join(dir, 'open');
    await writeFile(open, 'battery staple\n');
    await chmod(open, 0o644);
    await expect(readKeyFile(open)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/mode 0644\): run chmod 600/) });

    await expect(readKeyFile(join(dir, 'absent'))).rejects.toMatchObject({ exitCode: 2, message: `byz: cannot read the key file ${join(dir, 'absent')}: it does not exist` });
    await mkdir(join(dir, 'adir'));
    await expect(readKeyFile(join(dir, 'adir'))).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/not a regular file/) });
  });

  it('without a key file and without a terminal, nothing is asked: the one-line refusal', async () => {
    // vitest's stdin is not a terminal.
    expect(process.stdin.isTTY).toBeFalsy();
    await expect(obtainPassphrase({ what: 'x', command: 'byz clone' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/^byz clone: --encrypt needs a passphrase and there is no terminal/),
    });
  });
});

describe('device-mapper detection', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'byz-dm-'));
    await mkdir(join(root, 'proc', 'sys', 'kernel'), { recursive: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds it in /proc/misc, or as a dm-mod module of the running kernel; otherwise says why', async () => {
    await writeFile(join(root, 'proc', 'misc'), ' 58 network_throughput\n183 hw_random\n');
    await writeFile(join(root, 'proc', 'sys', 'kernel', 'osrelease'), '6.1.0-test\n');
    expect(await deviceMapperMissing(root)).toMatch(/no device-mapper \(dm-crypt\), so cryptsetup cannot open/);

    await mkdir(join(root, 'lib', 'modules', '6.1.0-test'), { recursive: true });
    await writeFile(join(root, 'lib', 'modules', '6.1.0-test', 'modules.dep'), 'kernel/drivers/md/dm-mod.ko: \n');
    expect(await deviceMapperMissing(root)).toBeUndefined();

    await rm(join(root, 'lib'), { recursive: true });
    await writeFile(join(root, 'proc', 'misc'), '236 device-mapper\n183 hw_random\n');
    expect(await deviceMapperMissing(root)).toBeUndefined();
  });
});
