import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runAgent, type Agent, type AgentConfig } from '../../tools/agent/agent.ts';
import type { MeshSource } from '../../tools/agent/mesh-source.ts';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { launchChromium, openPhonePage, phone } from './helpers/chromium.ts';
import { bookDir, serveStatic } from './helpers/site.ts';
import { makeLiveTree } from '../fixtures/disk/live-tree.ts';
import { byz as runByz, DISK_TOOLS, missing } from '../integration/clone-helpers.ts';

/**
 * The guided setup and the operator's controls in Chromium, served by the
 * real node agent on loopback with the real `byz` tools behind it (plans are
 * made by `byz setup plan`, which reads this machine and changes nothing).
 * The agent runs without --allow-apply here: applying to this machine is not
 * safe, so test/integration/guided-apply.test.ts applies, verifies and undoes
 * inside a network namespace. Another node is a small HTTP server on
 * 127.0.0.2/127.0.0.3 answering /api/v1/services, as a peer's agent would.
 */
const byz = [process.execPath, 'tools/byz/byz.ts'];
const isRoot = process.getuid?.() === 0;
const clientInterface = Object.keys(networkInterfaces()).find((name) => name !== 'lo');

const hostileDescription = '<img src=x onerror="document.title=\'pwned\'"> free maps';
let peer: Server;
let peerPort = 0;
let browser: Browser;
const agents: Agent[] = [];

/** Two "other nodes": one with a hostile description (valid text, must stay text) and a javascript: link (refused). */
function startPeer(): Promise<void> {
  peer = createServer((req, res) => {
    const body =
      req.socket.localAddress === '127.0.0.2'
        ? { node: 'node-b', services: [{ id: 'maps', name: 'Offline maps', description: hostileDescription, url: 'http://10.254.9.9:8080/', running: true }] }
        : { node: 'node-c', services: [{ id: 'bad', name: 'Chat', description: '', url: 'javascript:alert(1)', running: true }] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve) => peer.listen(0, '0.0.0.0', () => ((peerPort = (peer.address() as { port: number }).port), resolve())));
}

async function startAgent(extra: Partial<AgentConfig> = {}): Promise<{ origin: string; stateDir: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'byz-guided-state-'));
  const servicesDir = mkdtempSync(join(tmpdir(), 'byz-guided-services-'));
  // A chat that needs a database: turning the database off is refused unless the chat goes too.
  writeFileSync(join(servicesDir, 'db.json'), JSON.stringify({ name: 'Database', port: 5999, start: ['sleep', '600'] }));
  writeFileSync(join(servicesDir, 'chat.json'), JSON.stringify({ name: 'Chat', port: 6000, start: ['sleep', '600'], dependsOn: ['db'] }));
  const mesh: MeshSource = { meshAddress: async () => null, neighbours: async () => [], routes: async () => [], peers: async () => ['127.0.0.2', '127.0.0.3'] };
  const agent = await runAgent({
    siteDir: bookDir(),
    stateDir,
    servicesDir,
    host: '127.0.0.1',
    port: 0,
    name: 'node-a',
    version: '0.1.0',
    frontPage: false,
    byzCommand: byz,
    mesh,
    peerPort,
    directoryIntervalMs: 200,
    ...extra,
  });
  agents.push(agent);
  return { origin: agent.url.replace(/\/$/, ''), stateDir };
}

const skipWizards = await missing({ tools: [...DISK_TOOLS, 'mkfs.ext4'] });

const settled = (page: Page, tag: string) => page.waitForFunction((t) => document.querySelector(t)?.getAttribute('data-state'), tag);

beforeAll(async () => {
  await startPeer();
  browser = await launchChromium();
});
afterAll(async () => {
  for (const agent of agents) await agent.close();
  await browser?.close();
  peer?.close();
});

describe('guided setup and operator controls at 360×740', () => {
  test('a visitor sees the state and no controls, and cannot change anything', async () => {
    const { origin } = await startAgent();
    const { page, errors } = await openPhonePage(browser, origin);
    await page.goto(origin + '/setup/guided-setup/');
    await settled(page, 'byz-guided-setup');
    const setup = page.locator('byz-guided-setup');
    expect(await setup.getAttribute('data-state')).toBe('ok');
    expect(await setup.locator('[data-view]').getAttribute('data-role')).toBe('visitor');
    expect(await setup.locator('.now dd').first().textContent()).toBe('node-a');
    expect(await setup.locator('[data-action], .choices, .plan').count()).toBe(0);
    expect(await setup.locator('[data-login]').textContent()).toContain('byz operator-link');

    await page.goto(origin + '/keeping/operate-this-node/');
    await settled(page, 'byz-operate-node');
    const operate = page.locator('byz-operate-node');
    expect(await operate.locator('[data-view]').getAttribute('data-role')).toBe('visitor');
    expect(await operate.locator('.services, .gateway, .clone, button[data-action]').count()).toBe(0);

    // The API itself refuses: no session, then a session cookie without its CSRF token.
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(origin + '/api/v1' + path, { method: 'POST', headers: { 'content-type': 'application/json', origin, ...headers }, body: JSON.stringify(body) });
    for (const [path, body] of [
      ['/operator/setup/apply', { options: {} }],
      ['/operator/setup/undo', { options: {} }],
      ['/operator/services/db', { on: false }],
      ['/operator/gateway', { on: true }],
      ['/operator/jobs', { kind: 'clone', args: ['--to', '/tmp/x.img', '--yes'] }],
    ] as const) {
      const answer = await post(path, body);
      expect(answer.status, path).toBe(401);
    }
    expect(errors.filter((e) => !/\b401\b/.test(e))).toEqual([]);
  });

  test.skipIf(!isRoot && !process.env.CI)('an operator logs in with the one-time link, makes choices and reads the exact plan', async () => {
    const { origin, stateDir } = await startAgent();
    const { page } = await openPhonePage(browser, origin);
    await page.goto(origin + '/setup/guided-setup/');
    await settled(page, 'byz-guided-setup');
    const setup = page.locator('byz-guided-setup');
    const link = operatorLink(origin, stateDir);
    await setup.locator('[data-login] input').fill(link);
    await setup.locator('[data-login] button').click();
    await page.waitForSelector('byz-guided-setup [data-view][data-role="operator"]');
    // The node as it is: every interface, with lo among them.
    await page.waitForSelector('byz-guided-setup .now table');
    expect(await setup.locator('.now td.address').allTextContents()).toContain('lo');

    // This machine has no Wi-Fi: the default plan is refused, with the tools' own reason, as text.
    await page.waitForSelector('byz-guided-setup .plan-box p');
    await expect.poll(() => setup.locator('.plan-box').textContent(), { timeout: 60_000 }).not.toContain('Asking');
    if (await setup.locator('.plan-box .refusal').count()) expect(await setup.locator('.plan-box .refusal').textContent()).toMatch(/^byz setup: /);

    await setup.locator('input[name=mesh]').fill('lo');
    await setup.locator('input[name=wired]').check();
    await setup.locator('input[name=clients]').fill(clientInterface!);
    await setup.locator('input[name=channel]').fill('6');
    await setup.locator('input[name=essid]').fill('guided-test');
    await setup.locator('.choices button').click();
    await page.waitForSelector('byz-guided-setup .plan ol', { timeout: 60_000 });
    expect(await setup.locator('.plan h3').textContent()).toMatch(/^The plan: \d+ steps$/);
    // Each step: its description, then the exact command line or the file and its whole content.
    expect(await setup.locator('[data-step="link-up:lo"] .what').textContent()).toBe('Bring lo up');
    expect(await setup.locator('[data-step="link-up:lo"] code').textContent()).toBe('ip link set dev lo up');
    const babeldConf = setup.locator('[data-step="config:babeld"]');
    expect(await babeldConf.locator('p').nth(1).textContent()).toBe('Writes the file /etc/byzantium/babeld.conf:');
    expect(await babeldConf.locator('code').textContent()).toContain('interface lo');
    expect(await setup.locator('[data-step="radio:lo"] .skipped').textContent()).toBe('skipped: lo is a wired link, it has no radio');
    expect(await setup.locator('.actions [data-action]').count()).toBe(3);

    // This agent may not change the machine: Apply says why, as text, and nothing runs.
    await setup.locator('[data-action=apply]').click();
    await page.waitForSelector('byz-guided-setup .job[data-job=refused]');
    expect(await setup.locator('.job').textContent()).toContain('--allow-apply');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
  });

  test('the operator switches services (the dependency refusal, then the explicit cascade); other nodes\' text stays inert', async () => {
    const { origin, stateDir } = await startAgent();
    const { page } = await openPhonePage(browser, origin);
    // Wait until the directory has read both "other nodes" once.
    await expect.poll(async () => (await (await fetch(origin + '/api/v1/directory')).json()).entries.length, { timeout: 10_000 }).toBe(1);
    await page.goto(origin + '/keeping/operate-this-node/');
    await settled(page, 'byz-operate-node');
    const operate = page.locator('byz-operate-node');
    // The hostile description is text; the node that sent a javascript: link is dropped whole by the agent.
    expect(await operate.locator('.directory li').count()).toBe(1);
    expect(await operate.locator('.directory li p').textContent()).toBe(hostileDescription);
    expect(await operate.locator('.directory a').getAttribute('href')).toBe('http://10.254.9.9:8080/');
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');

    await operate.locator('[data-login] input').fill(operatorLink(origin, stateDir));
    await operate.locator('[data-login] button').click();
    await page.waitForSelector('byz-operate-node .services li');
    await operate.locator('[data-service=chat] button').click();
    await expect.poll(() => operate.locator('[data-service=chat] .state').textContent()).toBe('running');
    expect(await operate.locator('[data-service=db] .state').textContent()).toBe('running');
    await operate.locator('[data-service=db] button').click();
    await page.waitForSelector('byz-operate-node [data-action=cascade]');
    expect(await operate.locator('.services .message').textContent()).toContain('chat depends on db');
    expect(await operate.locator('[data-service=db] .state').textContent()).toBe('running');
    await operate.locator('[data-action=cascade]').click();
    await expect.poll(() => operate.locator('[data-service=db] .state').textContent()).toBe('stopped');
    expect(await operate.locator('[data-service=chat] .state').textContent()).toBe('stopped');
    // The clone wizard: nothing starts until a target is named and its writing confirmed.
    const clone = operate.locator('.clone');
    await page.waitForSelector('byz-operate-node .clone form');
    expect(await clone.locator('form > button').isDisabled()).toBe(true);
    await clone.locator('input[name=image]').fill('/tmp/byz-guided-never.img');
    expect(await clone.locator('form > button').isDisabled()).toBe(true);
    await clone.locator('input[name=confirm]').check();
    expect(await clone.locator('input[name=confirm] + span').textContent()).toBe('Write /tmp/byz-guided-never.img; a file already there is overwritten');
    expect(await clone.locator('form > button').isDisabled()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
  });

  // Image files and a save file in a temp dir with the real disk tools; the disk lists come from a
  // fixture machine (a laptop booted from a Porteus stick): no real disk is offered, none is touched.
  test.skipIf(skipWizards)('the clone and persistence wizards: refused disks, the erase question, progress, the verified clone and a save file', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byz-guided-wizards-'));
    const live = join(dir, 'live');
    await makeLiveTree(live);
    const fixture = join(import.meta.dirname, '..', 'fixtures', 'disk', 'porteus-usb');
    const { origin, stateDir } = await startAgent({ allowApply: true, machineRoot: fixture, cloneSource: live });
    const { page, errors } = await openPhonePage(browser, origin);
    await page.goto(origin + '/keeping/operate-this-node/');
    await settled(page, 'byz-operate-node');
    const operate = page.locator('byz-operate-node');
    await operate.locator('[data-login] input').fill(operatorLink(origin, stateDir));
    await operate.locator('[data-login] button').click();
    await page.waitForSelector('byz-operate-node .persist form');

    // Clone: the boot stick is refused with its reasons and cannot be picked; a free stick can.
    const clone = operate.locator('.clone');
    expect(await clone.locator('.needed').textContent()).toBe('A clone of this node needs at least 69 MB.');
    const bootStick = clone.locator('[data-disk="/dev/sdb"]');
    expect(await bootStick.locator('input').isDisabled()).toBe(true);
    expect(await bootStick.locator('.refusal').textContent()).toContain('This node booted from it.');
    expect(await clone.locator('[data-disk="/dev/sdf"] .refusal li').textContent()).toBe('It is mounted. sdf1 is mounted on /media/My Stick: unmount it first (umount /media/My Stick)');
    await clone.locator('[data-disk="/dev/sdc"] input').check();
    const question = await clone.locator('input[name=confirm] + span').textContent();
    expect(question).toMatch(/^Erase \/dev\/sdc: Kingston DataTraveler 3\.0, 17 GB, serial \S+\. Everything on it will be lost\.$/);
    expect(await clone.locator('form > button').isDisabled()).toBe(true);

    // The image file instead; confirming is asked again for the new choice.
    const image = join(dir, 'node.img');
    await clone.locator('input[name=confirm]').check();
    await clone.locator('input[name=image]').fill(image);
    expect(await clone.locator('input[name=confirm]').isChecked()).toBe(false);
    await clone.locator('input[name=persist]').fill('16');
    await clone.locator('input[name=confirm]').check();
    await clone.locator('form > button').click();
    await page.waitForSelector('byz-operate-node .clone .result[data-result]', { timeout: 180_000 });
    expect(await clone.locator('.result').getAttribute('data-result')).toBe('succeeded');
    expect(await clone.locator('.result').textContent()).toBe('The clone was read back in full and matches its manifest.');
    expect(await clone.locator('.job-message').textContent()).toMatch(/^Done: .*node\.img: cloned and verified \(11 files, .*\(100%\)$/);
    const bar = clone.locator('.job progress');
    expect(await bar.isVisible()).toBe(true);
    expect(await bar.evaluate((p: HTMLProgressElement) => p.value === p.max && p.max > 0)).toBe(true);
    // Checked again from outside the page: the image verifies against its manifest.
    expect((await runByz(['clone', '--verify', image])).exitCode).toBe(0);

    // Persistence: where the changes are now; the partition holding them is refused.
    const persist = operate.locator('.persist');
    expect(await persist.locator('.status').textContent()).toBe('Changes are saved on /dev/sdb2 (ext4).');
    expect(await persist.locator('[data-disk="/dev/sdb2"] input').isDisabled()).toBe(true);
    expect(await persist.locator('[data-disk="/dev/sdb2"] .refusal').textContent()).toContain("This node's system or saved changes are on it.");
    await persist.locator('[data-disk="/dev/sdc1"] input').check();
    expect(await persist.locator('input[name=confirm] + span').textContent()).toMatch(/^Erase \/dev\/sdc1: Kingston DataTraveler 3\.0, /);
    // A save file; the passphrase must be typed twice alike before anything starts.
    const save = join(dir, 'save.dat');
    await persist.locator('input[name=file]').fill(save);
    await persist.locator('input[name=size]').fill('24');
    expect(await persist.locator('input[name=confirm]').isVisible()).toBe(false);
    await persist.locator('input[name=encrypt]').check();
    await persist.locator('input[name=passphrase]').fill('one passphrase');
    await persist.locator('input[name=again]').fill('another');
    expect(await persist.locator('.problem').textContent()).toBe('The two passphrases differ.');
    expect(await persist.locator('form > button').isDisabled()).toBe(true);
    await persist.locator('input[name=encrypt]').uncheck();
    await persist.locator('form > button').click();
    await page.waitForSelector('byz-operate-node .persist .job[data-job=succeeded]', { timeout: 60_000 });
    // The boot parameter names the file inside its filesystem (all of ${save} when that is the root filesystem).
    expect(await persist.locator('.job-message').textContent()).toMatch(new RegExp(`^Done: Created the save file ${save} \\(24 MiB\\): boot with changes=/\\S*${basename(save)}$`));
    // Again on the same file: byz refuses, and its one line is shown as it is.
    await persist.locator('form > button').click();
    await page.waitForSelector('byz-operate-node .persist .job[data-job=failed]', { timeout: 60_000 });
    expect(await persist.locator('.job-message').textContent()).toMatch(/^Failed \(exit code 1\): byz.*already exists/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);

    // The same wizards in Arabic, right to left, still 360 px wide.
    await page.goto(origin + '/ar/keeping/operate-this-node/');
    await page.waitForSelector('byz-operate-node .persist form');
    expect(await page.locator('byz-operate-node .persist h3').textContent()).toBe('التخزين الدائم');
    expect(await page.locator('byz-operate-node .clone [data-disk="/dev/sdb"] .refusal li').first().textContent()).toContain('أقلعت هذه العقدة منه.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
    expect(errors.filter((e) => !/\b401\b/.test(e))).toEqual([]);
  });

  test('Arabic, right to left, 360 px: the controls speak Arabic and fit', async () => {
    const { origin } = await startAgent();
    const { page, errors } = await openPhonePage(browser, origin);
    await page.goto(origin + '/ar/setup/guided-setup/');
    await settled(page, 'byz-guided-setup');
    const setup = page.locator('byz-guided-setup');
    expect(await setup.getAttribute('dir')).toBe('rtl');
    expect(await setup.locator('h2').textContent()).toBe('إعداد هذه العقدة');
    expect(await setup.locator('[data-login] button').textContent()).toBe('دخول');
    await page.goto(origin + '/ar/keeping/operate-this-node/');
    await settled(page, 'byz-operate-node');
    expect(await page.locator('byz-operate-node .directory h3').textContent()).toBe('الخدمات على الشبكة المتداخلة');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
    expect(errors.filter((e) => !/\b401\b/.test(e))).toEqual([]);
  });

  test('not served by a node: one explanation in the reader\'s language, manual steps untouched', async () => {
    const site = await serveStatic(bookDir());
    try {
      const { page, context } = await openPhonePage(browser, site.origin);
      for (const [path, tag, words] of [
        ['/fa/setup/guided-setup/', 'byz-guided-setup', 'گام‌های دستی'],
        ['/zh-cn/keeping/operate-this-node/', 'byz-operate-node', '节点'],
      ] as const) {
        await page.goto(site.origin + path);
        await settled(page, tag);
        expect(await page.locator(tag).getAttribute('data-state')).toBe('absent');
        expect(await page.locator(`${tag} [data-state-text]`).textContent()).toContain(words);
        expect(await page.locator(`${tag} [data-view]`).isHidden()).toBe(true);
        expect(await page.locator(`${tag} [data-refresh]`).isHidden()).toBe(true);
      }
      // The manual steps are still the page.
      await page.goto(site.origin + '/setup/guided-setup/');
      await settled(page, 'byz-guided-setup');
      expect(await page.locator('a[href="/setup/mesh-interface/"]').count()).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
      await context.close();
    } finally {
      await site.close();
    }
  });
});
