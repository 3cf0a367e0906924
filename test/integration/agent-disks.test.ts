/**
 * The clone and persistence wizards' endpoints over real HTTP: the
 * refusal-aware disk lists read from a fixture machine (a laptop booted from
 * a Porteus stick), a clear JSON error when the machine cannot be read, and
 * a persist job whose passphrase reaches the real `byz persist` only in a
 * mode-600 key file that is gone when the job ends, never in argv or the log.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { keyFilesIn } from '../../tools/agent/job-key-file.ts';
import { CloneTargets, PersistInfo } from '../../tools/contract/schemas.ts';
import { makeLiveTree } from '../fixtures/disk/live-tree.ts';
import { get, json, post, startTestAgent } from './agent-harness.ts';
import { byzEntry, missing, node } from './clone-helpers.ts';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'disk', 'porteus-usb');
const PASSPHRASE = 'correct horse battery staple 7';

async function login(port: number, stateDir: string) {
  const origin = `http://localhost:${port}`;
  const token = operatorLink(origin, stateDir).split('#')[1]!;
  const answer = await post(port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin });
  return { Cookie: answer.headers['set-cookie']!.split(';')[0]!, 'X-CSRF-Token': json(answer).csrfToken as string, Origin: origin };
}

describe('disk lists for the wizards', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  let broken: Awaited<ReturnType<typeof startTestAgent>>;
  beforeAll(async () => {
    const live = join(mkdtempSync(join(tmpdir(), 'byz-disks-live-')), 'live');
    await makeLiveTree(live);
    agent = await startTestAgent({ machineRoot: fixture, cloneSource: live });
    // A machine with no /proc/mounts and no /sys to read.
    broken = await startTestAgent({ machineRoot: mkdtempSync(join(tmpdir(), 'byz-disks-empty-')) });
  });
  afterAll(async () => {
    await agent?.close();
    await broken?.close();
  });

  it('are for the logged-in operator only', async () => {
    for (const path of ['/api/v1/operator/clone/targets', '/api/v1/operator/persist']) {
      const answer = await get(agent.port, path);
      expect(answer.status, path).toBe(401);
      expect(json(answer).error.code).toBe('login_required');
    }
  });

  it('list every disk with stable refusal codes, one readable line each, and the bytes a clone needs', async () => {
    const headers = await login(agent.port, agent.stateDir);
    const answer = await get(agent.port, '/api/v1/operator/clone/targets', { Cookie: headers.Cookie });
    expect(answer.status).toBe(200);
    const list = v.parse(CloneTargets, json(answer));
    // The small live tree: a 64 MiB FAT32 minimum plus the first and last MiB.
    expect(list.neededBytes).toBe(66 * 1024 * 1024);
    const byPath = new Map(list.targets.map((t) => [t.path, t]));
    expect(byPath.get('/dev/sdc')).toMatchObject({ description: 'Kingston DataTraveler 3.0', removable: true, refusals: [] });
    expect(byPath.get('/dev/sdc')!.serial).not.toBe('');
    expect(byPath.get('/dev/sdb')!.refusals.map((r) => r.code)).toEqual(expect.arrayContaining(['boot-device', 'system-device', 'mounted']));
    expect(byPath.get('/dev/sdf')!.refusals).toEqual([{ code: 'mounted', message: 'sdf1 is mounted on /media/My Stick: unmount it first (umount /media/My Stick)' }]);
    expect(byPath.get('/dev/sde')!.refusals.map((r) => r.code)).toEqual(['read-only']);
    // Loop, zram and optical devices are not disks to clone to.
    expect([...byPath.keys()].some((path) => /loop|zram|sr0|dm-/.test(path))).toBe(false);
  });

  it('say where the changes are kept, and which partitions could hold persistence', async () => {
    const headers = await login(agent.port, agent.stateDir);
    const answer = await get(agent.port, '/api/v1/operator/persist', { Cookie: headers.Cookie });
    expect(answer.status).toBe(200);
    const info = v.parse(PersistInfo, json(answer));
    expect(info).toMatchObject({ kind: 'partition', where: '/dev/sdb2', filesystem: 'ext4', encrypted: false, requested: '/dev/sdb2' });
    const byPath = new Map(info.partitions.map((p) => [p.path, p]));
    expect(byPath.get('/dev/sdc1')!.refusals).toEqual([]);
    expect(byPath.get('/dev/sdb2')!.refusals.map((r) => r.code)).toContain('system-device');
    expect(byPath.get('/dev/sdf1')!.refusals.map((r) => r.code)).toEqual(['mounted']);
  });

  it('answer a machine that cannot be read with one JSON line, not a stack trace', async () => {
    const headers = await login(broken.port, broken.stateDir);
    for (const path of ['/api/v1/operator/clone/targets', '/api/v1/operator/persist']) {
      const answer = await get(broken.port, path, { Cookie: headers.Cookie });
      expect(answer.status, path).toBe(503);
      expect(json(answer)).toEqual({ error: { code: 'disks_unreadable', message: expect.stringMatching(/^cannot read the (disks|persistence status) on this machine \(ENOENT\)$/) } });
    }
  });
});

// Encrypting needs root and cryptsetup (CI has both); a kernel without device-mapper still reads the key file.
const skipEncrypt = await missing({ root: true, tools: ['cryptsetup', 'mkfs.ext4'] });
const hasDeviceMapper = readFileSync('/proc/misc', 'utf8').includes('device-mapper');

describe.skipIf(skipEncrypt)('a persist job with a passphrase from the page', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  let dir: string;
  let argvLog: string;
  let headers: Awaited<ReturnType<typeof login>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'byz-disks-persist-'));
    argvLog = join(dir, 'argv.jsonl');
    // Records the argv the agent gives byz, and the key file's mode as byz finds it, then runs the real byz.
    const wrapper = join(dir, 'byz-recording.mjs');
    writeFileSync(
      wrapper,
      `import { appendFileSync, statSync } from 'node:fs';
       import { spawnSync } from 'node:child_process';
       const args = process.argv.slice(2);
       const key = args[args.indexOf('--key-file') + 1];
       const mode = args.includes('--key-file') ? (statSync(key).mode & 0o777).toString(8) : null;
       appendFileSync(${JSON.stringify(argvLog)}, JSON.stringify({ args, mode }) + '\\n');
       const run = spawnSync(process.execPath, [${JSON.stringify(byzEntry)}, ...args], { stdio: 'inherit' });
       process.exit(run.status ?? 1);`,
    );
    agent = await startTestAgent({ byzCommand: [node, wrapper], allowApply: true });
    headers = await login(agent.port, agent.stateDir);
  });
  afterAll(() => agent?.close());

  async function runJob(body: unknown) {
    const started = await post(agent.port, '/api/v1/operator/jobs', JSON.stringify(body), headers);
    expect(started.status, started.body.toString()).toBe(200);
    const id = json(started).id as string;
    for (;;) {
      const job = json(await get(agent.port, `/api/v1/operator/jobs/${id}`, { Cookie: headers.Cookie }));
      if (job.state !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const recorded = () => readFileSync(argvLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { args: string[]; mode: string | null });

  it('hands it over in a mode-600 key file that is gone when the job ends; argv and the log never hold it', async () => {
    const file = join(dir, 'save.dat');
    const job = await runJob({ kind: 'persist', args: ['create', '--size', '40M', '--file', file, '--encrypt'], passphrase: PASSPHRASE });
    const last = recorded().at(-1)!;
    expect(last.args.slice(0, 6)).toEqual(['persist', 'create', '--size', '40M', '--file', file]);
    expect(last.args).toContain('--key-file');
    expect(last.mode).toBe('600');
    expect(JSON.stringify(last.args)).not.toContain(PASSPHRASE);
    expect(JSON.stringify(job)).not.toContain(PASSPHRASE);
    expect(keyFilesIn(agent.stateDir)).toEqual([]);
    expect(existsSync(last.args[last.args.indexOf('--key-file') + 1]!)).toBe(false);
    // byz reads and checks the key file before it looks at the kernel: on a kernel without device-mapper it got that far.
    if (!hasDeviceMapper) expect(job.progress.message).toMatch(/no device-mapper/);
    else expect(job.state, job.log.join('\n')).toBe('succeeded');
  });

  it('makes a save file that opens with exactly that passphrase (needs device-mapper in the kernel)', async (ctx) => {
    if (!hasDeviceMapper) {
      console.warn('SKIPPED: no device-mapper in this kernel (cryptsetup cannot open LUKS)');
      ctx.skip();
    }
    const opened = await execa('cryptsetup', ['open', '--test-passphrase', '--key-file', '-', join(dir, 'save.dat')], { input: PASSPHRASE, reject: false });
    expect(opened.exitCode, opened.stderr).toBe(0);
  });

  it('removes the key file when the job fails too, and the tool\'s one line is the job\'s message', async () => {
    const file = join(dir, 'save.dat'); // exists now (or the job above failed): byz refuses either way
    writeFileSync(file, 'not to be overwritten');
    const job = await runJob({ kind: 'persist', args: ['create', '--size', '40M', '--file', file, '--encrypt'], passphrase: PASSPHRASE });
    expect(job.state).toBe('failed');
    expect(job.progress.message).toMatch(/^byz/);
    expect(JSON.stringify(job)).not.toContain(PASSPHRASE);
    expect(keyFilesIn(agent.stateDir)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('not to be overwritten');
  });

  it('refuses a passphrase without --encrypt, beside --key-file, or over two lines, without repeating it', async () => {
    const cases = [
      [{ kind: 'persist', args: ['create', '--size', '40M', '--file', join(dir, 'a.dat')], passphrase: PASSPHRASE }, 'passphrase_without_encrypt'],
      [{ kind: 'persist', args: ['create', '--size', '40M', '--encrypt', '--key-file', '/etc/hostname'], passphrase: PASSPHRASE }, 'key_file_and_passphrase'],
      [{ kind: 'persist', args: ['create', '--encrypt'], passphrase: `${PASSPHRASE}\nsecond` }, 'invalid_body'],
      [{ kind: 'persist', args: ['create', '--encrypt'], passphrase: 'x'.repeat(513) }, 'invalid_body'],
    ] as const;
    for (const [body, code] of cases) {
      const answer = await post(agent.port, '/api/v1/operator/jobs', JSON.stringify(body), headers);
      expect(answer.status, code).toBe(400);
      expect(json(answer).error.code).toBe(code);
      expect(answer.body.toString()).not.toContain(PASSPHRASE);
    }
    expect(keyFilesIn(agent.stateDir)).toEqual([]);
  });
});
