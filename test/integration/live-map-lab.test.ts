// The book's mesh map drawn from running babeld daemons: a line of three lab
// nodes (n1 - n2 - n3), the real node agent reading n1's babeld socket, and
// the built book in Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { runAgent, type Agent } from '../../tools/agent/agent.ts';
import { labDown, labUp, type Lab } from '../../tools/lab/lab.ts';
import { nodeDir, nodeNetns } from '../../tools/lab/names.ts';
import { waitForRoutes } from '../../tools/lab/wait.ts';
import { launchChromium, openPhonePage, phone } from '../browser/helpers/chromium.ts';
import { bookDir } from '../browser/helpers/site.ts';

const reason = process.getuid?.() !== 0 ? 'not root' : !existsSync('/usr/sbin/babeld') ? 'babeld missing' : undefined;
if (reason && process.env.CI) throw new Error(`lab map test cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED live map lab test: ${reason} (it needs root, network namespaces, babeld)`);

describe.skipIf(reason !== undefined)('live mesh map on the lab', () => {
  let lab: Lab;
  let agent: Agent;
  let browser: Browser;

  beforeAll(async () => {
    await labDown();
    lab = await labUp(3, 'line');
    const [, , n3] = lab.nodes;
    // n1 knows n3 only once babeld has carried n3's routes across n2.
    await waitForRoutes('n1', (routes) => routes.some((r) => r.dst === n3!.clientPrefix));
    agent = await runAgent({
      siteDir: bookDir(),
      stateDir: mkdtempSync(join(tmpdir(), 'byz-live-lab-')),
      servicesDir: null,
      host: '127.0.0.1',
      port: 0,
      name: 'n1',
      version: '0.1.0',
      frontPage: false,
      babelSocket: `${nodeDir('n1')}/run/babeld.sock`,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.close();
    await labDown();
  });

  it("draws n1's neighbour n2 and, behind it, n3, from babeld's tables", async () => {
    const [n1, n2, n3] = lab.nodes;
    const origin = agent.url.replace(/\/$/, '');
    const { page, errors } = await openPhonePage(browser, origin);
    await page.goto(origin + '/keeping/this-node-live/');
    await page.waitForFunction(() => document.querySelector('byz-mesh-map')?.getAttribute('data-state'));
    expect(await page.locator('byz-mesh-map').getAttribute('data-state')).toBe('ok');

    const map = page.locator('byz-mesh-map svg');
    expect(await map.locator('.node.neighbour > text').allTextContents()).toEqual([n2!.meshAddress]);
    expect(await map.locator('.node.remote > text').allTextContents()).toEqual([n3!.meshAddress]);
    expect(await map.locator('.node.self title').textContent()).toContain(n1!.meshAddress);
    expect(await map.locator('line.link.direct').count()).toBe(1);
    expect(await map.locator('line.link.via').count()).toBe(1);

    expect(await page.locator('byz-neighbours tbody tr').count()).toBe(1);
    expect(await page.locator('byz-node-status dd').nth(1).textContent()).toBe(n1!.meshAddress);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
    expect(errors).toEqual([]);
  });

  it("never shows a neighbour's MAC address, nor the link-local address made from it, to the public", async () => {
    const origin = agent.url.replace(/\/$/, '');
    const answers = (await Promise.all(['/api/v1/neighbours', '/api/v1/topology'].map((path) => fetch(origin + path).then((r) => r.text())))).join('\n');
    const links = JSON.parse(execFileSync('ip', ['-n', nodeNetns('n2'), '-j', 'addr', 'show'], { encoding: 'utf8' })) as {
      address?: string;
      addr_info?: { family: string; local: string }[];
    }[];
    const secrets = links.flatMap((link) => [
      ...(link.address && link.address !== '00:00:00:00:00:00' ? [link.address] : []),
      ...(link.addr_info ?? []).filter((a) => a.local.startsWith('fe80:')).map((a) => a.local),
    ]);
    expect(secrets.some((s) => s.startsWith('fe80:'))).toBe(true);
    expect(JSON.parse(answers.split('\n')[0]!).neighbours).toHaveLength(1);
    for (const secret of secrets) expect(answers.toLowerCase()).not.toContain(secret.toLowerCase());
  });
});
