import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runAgent, type Agent } from '../../tools/agent/agent.ts';
import type { MeshSource } from '../../tools/agent/mesh-source.ts';
import { parseBabeldDump } from '../../tools/observe/babeld.ts';
import { launchChromium, openPhonePage, phone } from './helpers/chromium.ts';
import { bookDir, serveStatic } from './helpers/site.ts';

/**
 * The read-only live views (node status, neighbours, mesh map) in Chromium,
 * served by the real node agent on loopback. The mesh data is babeld's own
 * dump captured from two lab nodes (test/fixtures/observe), parsed by the
 * agent's real parser, plus a third node behind the neighbour; there is no
 * radio here. The lab test in test/integration draws the map from running
 * babeld daemons.
 */
const dump = parseBabeldDump(readFileSync(new URL('../fixtures/observe/babeld-dump-two-nodes.txt', import.meta.url), 'utf8'));
const neighbour = dump.neighbours[0]!;
const capturedMesh: MeshSource = {
  meshAddress: async () => '10.64.1.1',
  neighbours: async () => dump.neighbours.map((n) => ({ address: n.address, interface: n.ifname, cost: n.cost })),
  routes: async () => [
    ...dump.routes.map((r) => ({ prefix: r.prefix, metric: r.metric, via: r.via, interface: r.ifname, installed: r.installed })),
    // A node one hop further, and the neighbour's way to the Internet.
    { prefix: '10.64.3.3/32', metric: 352, via: neighbour.address, interface: neighbour.ifname, installed: true },
    { prefix: '0.0.0.0/0', metric: 352, via: neighbour.address, interface: neighbour.ifname, installed: true },
  ],
  peers: async () => [],
};

/** What another node, or a compromised agent, might send: markup where an address should be. */
const hostileMesh: MeshSource = {
  ...capturedMesh,
  neighbours: async () => [{ address: '<img src=x onerror="document.title=1">', interface: 'mesh0', cost: 256 }],
};

let browser: Browser;
const agents: Agent[] = [];

async function startAgent(mesh: MeshSource | undefined, name = 'node-a'): Promise<string> {
  const agent = await runAgent({
    siteDir: bookDir(),
    stateDir: mkdtempSync(join(tmpdir(), 'byz-live-test-')),
    servicesDir: null,
    host: '127.0.0.1',
    port: 0,
    name,
    version: '0.1.0',
    frontPage: false,
    // No mesh source: the real one, reading a babeld socket that does not exist.
    ...(mesh ? { mesh } : { babelSocket: join(tmpdir(), 'no-babeld-here.sock') }),
  });
  agents.push(agent);
  return agent.url.replace(/\/$/, '');
}

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const agent of agents) await agent.close();
  await browser?.close();
});

const views = ['byz-node-status', 'byz-neighbours', 'byz-mesh-map'];
const settled = (page: Page) =>
  page.waitForFunction((tags) => tags.every((tag) => document.querySelector(tag)?.getAttribute('data-state')), views);

describe('live views at 360×740', () => {
  test('served by a node: status, neighbours and a map drawn from babeld data', async () => {
    const origin = await startAgent(capturedMesh);
    const { page, errors, foreignRequests } = await openPhonePage(browser, origin);
    await page.goto(origin + '/keeping/this-node-live/');
    await settled(page);
    for (const tag of views) expect(await page.locator(tag).getAttribute('data-state')).toBe('ok');

    const status = await page.locator('byz-node-status dd').allTextContents();
    expect(status[0]).toBe('node-a');
    expect(status[1]).toBe('10.64.1.1');
    expect(status[3]).toBe('0.1.0');

    const row = await page.locator('byz-neighbours tbody tr').first().locator('td').allTextContents();
    expect(row).toEqual([neighbour.address, 'byz-ta', '96', 'Good']);

    const map = page.locator('byz-mesh-map svg');
    expect(await map.locator('.node.self').count()).toBe(1);
    expect(await map.locator('.node.neighbour').count()).toBe(1);
    expect(await map.locator('.node.remote text').allTextContents()).toEqual(['10.64.3.3']);
    // The neighbour is named by its own mesh address (the route through it that costs just the link).
    expect(await map.locator('.node.neighbour > text').first().textContent()).toBe('10.64.2.2');
    expect(await map.locator('.node.neighbour.gateway').count()).toBe(1);
    expect(await map.locator('line.link').count()).toBe(2);
    expect(await map.locator('title').first().textContent()).toContain('1 neighbours and 1 nodes');
    const box = await map.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.x + box!.width).toBeLessThanOrEqual(phone.viewport.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);

    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  test('Arabic, right to left: the views speak Arabic inside the English fallback page', async () => {
    const origin = await startAgent(capturedMesh, 'عقدة-الحي');
    const { page, errors } = await openPhonePage(browser, origin);
    await page.goto(origin + '/ar/keeping/this-node-live/');
    await settled(page);
    const status = page.locator('byz-node-status');
    expect(await status.getAttribute('dir')).toBe('rtl');
    expect(await status.locator('dt').first().textContent()).toBe('الاسم');
    expect(await status.locator('dd').first().textContent()).toBe('عقدة-الحي');
    expect(await page.locator('byz-neighbours th').first().textContent()).toBe('الجار');
    expect(await page.locator('byz-neighbours td.quality').first().textContent()).toBe('جيدة');
    // Start-aligned: in a right-to-left table the first column is on the right.
    const [first, last] = await Promise.all([
      page.locator('byz-neighbours th').first().boundingBox(),
      page.locator('byz-neighbours th').last().boundingBox(),
    ]);
    expect(first!.x).toBeGreaterThan(last!.x);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.viewport.width);
    expect(errors).toEqual([]);
  });

  test('hostile data from the API is refused and never becomes markup', async () => {
    // The agent itself refuses to send a neighbour list that breaks the contract…
    const hostileOrigin = await startAgent(hostileMesh);
    expect((await fetch(`${hostileOrigin}/api/v1/neighbours`)).status).toBe(500);

    // …and the page does not trust the agent either: a tampered answer is refused too.
    const origin = await startAgent(capturedMesh);
    const { page, errors } = await openPhonePage(browser, origin);
    await page.route('**/api/v1/neighbours', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ neighbours: [{ address: '<img src=x onerror="document.title=1">', interface: 'mesh0', cost: 256 }] }),
      }),
    );
    await page.goto(origin + '/keeping/this-node-live/');
    await settled(page);
    for (const tag of ['byz-neighbours', 'byz-mesh-map']) {
      expect(await page.locator(tag).getAttribute('data-state')).toBe('invalid');
      expect(await page.locator(`${tag} [data-state-text]`).textContent()).toContain('does not understand');
    }
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.title()).not.toBe('1');
    // The node's own status was valid and still shows.
    expect(await page.locator('byz-node-status').getAttribute('data-state')).toBe('ok');
    expect(errors).toEqual([]);
  });

  test('a node without babeld: the views say the information is unavailable, and can retry', async () => {
    const origin = await startAgent(undefined);
    const { page } = await openPhonePage(browser, origin);
    await page.goto(origin + '/keeping/this-node-live/');
    await settled(page);
    expect(await page.locator('byz-neighbours').getAttribute('data-state')).toBe('unavailable');
    expect(await page.locator('byz-neighbours [data-state-text]').textContent()).toContain('babeld');
    expect(await page.locator('byz-neighbours [data-refresh]').isVisible()).toBe(true);
    expect(await page.locator('byz-node-status').getAttribute('data-state')).toBe('ok');
    expect(await page.locator('byz-node-status dd').nth(1).textContent()).toBe('None yet: the node is not set up');
  });

  test("when a view's code fails to arrive over the mesh, it says unavailable and can retry", async () => {
    const origin = await startAgent(capturedMesh);
    const { page } = await openPhonePage(browser, origin);
    let block = true;
    await page.route(/\/_astro\/render-status\.[\w-]+\.js$/, (route) => (block ? route.abort() : route.continue()));
    await page.goto(origin + '/keeping/this-node-live/');
    await settled(page);
    const status = page.locator('byz-node-status');
    expect(await status.getAttribute('data-state')).toBe('unavailable');
    block = false;
    await status.locator('[data-refresh]').click();
    await expect.poll(() => status.getAttribute('data-state')).toBe('ok');
    expect(await status.locator('dd').first().textContent()).toBe('node-a');
  });

  test('not served by a node (API absent): each view explains why, with no errors', async () => {
    const site = await serveStatic(bookDir());
    try {
      const { page, errors, context } = await openPhonePage(browser, site.origin);
      await page.goto(site.origin + '/fa/keeping/this-node-live/');
      await settled(page);
      for (const tag of views) {
        expect(await page.locator(tag).getAttribute('data-state')).toBe('absent');
        expect(await page.locator(`${tag} [data-state-text]`).textContent()).toContain('Byzantium');
        expect(await page.locator(`${tag} [data-refresh]`).isHidden()).toBe(true);
      }
      expect(await page.locator('byz-node-status [data-state-text]').textContent()).toContain('این صفحه');
      // The static server answers /api/... with its 404 page; Chromium logs that as a failed load, nothing else.
      expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
      await context.close();
    } finally {
      await site.close();
    }
  });
});

test('without JavaScript a live view says only why nothing live is shown', async () => {
  const site = await serveStatic(bookDir());
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(site.origin + '/keeping/this-node-live/');
    const visible = await page.locator('byz-node-status').innerText();
    expect(visible).toContain('Live information appears here when this page is opened from a Byzantium node');
    expect(visible).not.toContain('Asking this node');
  } finally {
    await context.close();
    await site.close();
  }
});
