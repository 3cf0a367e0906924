import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { runAgent, type Agent } from '../../tools/agent/agent.ts';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { launchChromium, openPhonePage } from '../browser/helpers/chromium.ts';
import { bookDir } from '../browser/helpers/site.ts';
import { noMesh } from './agent-harness.ts';

/**
 * The whole guided setup in Chromium against the real agent and the real
 * setup tools: log in with a one-time link, plan, apply (babeld, dnsmasq and
 * addresses for real), watch the job, read the verification, undo. The node
 * is a network namespace of its own (not the shared lab's names, so this can
 * run beside a lab test) with a cable for the mesh and one for phones: there is
 * no radio here. Needs root.
 */
const isRoot = process.getuid?.() === 0;
const node = 'byzguided-a';
const other = 'byzguided-b';
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inNode = (...args: string[]) => ip('netns', 'exec', node, ...args);
let browser: Browser;
let agent: Agent;
let dir: string;
let agentState: string;

function removeNamespaces(): void {
  for (const ns of [node, other]) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // not there
    }
  }
}

const reason = 'needs root (network namespaces, babeld, dnsmasq)';
if (!isRoot && !process.env.CI) console.warn(`guided-apply: skipped, ${reason}`);

describe.skipIf(!isRoot && !process.env.CI)('guided setup, applied and undone from the book', () => {
  beforeAll(async () => {
    if (!isRoot) throw new Error(`guided-apply ${reason}`);
    removeNamespaces(); // left over from an interrupted run
    ip('netns', 'add', node);
    ip('netns', 'add', other);
    ip('link', 'add', 'gmesh0', 'netns', node, 'type', 'veth', 'peer', 'name', 'gpeer0', 'netns', other);
    // The phones' side: another cable (this kernel has no dummy interfaces), its far end in the other namespace.
    ip('link', 'add', 'gphones0', 'netns', node, 'type', 'veth', 'peer', 'name', 'gphone1', 'netns', other);
    inNode('ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', other, 'ip', 'link', 'set', 'gpeer0', 'up');
    dir = mkdtempSync(join(tmpdir(), 'byz-guided-node-'));
    for (const sub of ['etc', 'run', 'state']) mkdirSync(join(dir, sub));
    agent = await runAgent({
      siteDir: bookDir(),
      stateDir: (agentState = mkdtempSync(join(tmpdir(), 'byz-guided-agent-'))),
      servicesDir: null,
      host: '127.0.0.1',
      port: 0,
      name: 'node-a',
      version: '0.1.0',
      frontPage: false,
      allowApply: true,
      mesh: noMesh,
      byzCommand: [process.execPath, 'test/integration/byz-in-netns.ts', node, dir],
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await agent?.close();
    if (dir) {
      try {
        execFileSync(process.execPath, ['test/integration/byz-in-netns.ts', node, dir, 'setup', 'undo'], { stdio: 'ignore' });
      } catch {
        // nothing left to undo
      }
    }
    removeNamespaces();
  }, 60_000);

  test('an operator plans, applies, sees progress and every step verified, then undoes', async () => {
    const origin = agent.url.replace(/\/$/, '');
    const { page } = await openPhonePage(browser, origin);
    await page.goto(origin + '/setup/guided-setup/');
    const setup = page.locator('byz-guided-setup');
    await page.waitForSelector('byz-guided-setup [data-login] input');
    await setup.locator('[data-login] input').fill(operatorLink(origin, agentState));
    await setup.locator('[data-login] button').click();
    await page.waitForSelector('byz-guided-setup .choices');
    await page.waitForSelector('byz-guided-setup .plan-box :is(.plan, .refusal)', { timeout: 90_000 });
    await setup.locator('input[name=mesh]').fill('gmesh0');
    await setup.locator('input[name=wired]').check();
    await setup.locator('input[name=clients]').fill('gphones0');
    await setup.locator('input[name=access-point]').uncheck();
    await setup.locator('input[name=captive]').check();
    await setup.locator('.choices button').click();
    await page.waitForSelector('byz-guided-setup .plan [data-step="link-up:gmesh0"]', { timeout: 90_000 });
    expect(await setup.locator('[data-step="link-up:gmesh0"] code').textContent()).toBe('ip link set dev gmesh0 up');
    expect(await setup.locator('[data-step="config:dnsmasq"] code').textContent()).toContain('interface=gphones0');
    // Captive mode, chosen on the page, reaches the plan: the phones' check names answered by the node.
    expect(await setup.locator('[data-step="config:dnsmasq"] code').textContent()).toMatch(/\naddress=\/connectivitycheck\.gstatic\.com\/[^\n]*\/10\.\d+\.\d+\.1\n/);

    await setup.locator('[data-action=apply]').click();
    // Live progress from the job's events, then its end and the verification, step by step.
    await page.waitForSelector('byz-guided-setup .job[data-job]');
    await page.waitForSelector('byz-guided-setup .job:is([data-job=succeeded], [data-job=failed], [data-job=refused])', { timeout: 120_000 });
    expect(await setup.locator('.job').getAttribute('data-job'), (await setup.locator('.job').textContent()) ?? '').toBe('succeeded');
    expect(await setup.locator('.job .job-message').textContent()).toMatch(/^Done: /);
    await page.waitForSelector('byz-guided-setup .verify', { timeout: 90_000 });
    expect(await setup.locator('.verify').getAttribute('data-ok'), (await setup.locator('.verify').textContent()) ?? '').toBe('true');
    expect(await setup.locator('.verify li.holds').count()).toBeGreaterThan(5);
    expect(await setup.locator('.verify li.fails').count()).toBe(0);
    // The machine really changed: the mesh interface has an address from 10.254.0.0/16 and babeld runs.
    expect(inNode('ip', '-o', '-4', 'addr', 'show', 'dev', 'gmesh0').toString()).toMatch(/inet 10\.254\./);
    expect(inNode('pgrep', '-f', `${dir}/etc/babeld.conf`).toString().trim()).not.toBe('');
    expect(readFileSync(`${dir}/etc/dnsmasq.conf`, 'utf8')).toContain('address=/connectivitycheck.gstatic.com/');

    await setup.locator('[data-action=undo]').click();
    await page.waitForSelector('byz-guided-setup .job[data-job=running], byz-guided-setup .job[data-job=succeeded]');
    await page.waitForSelector('byz-guided-setup .job:is([data-job=succeeded], [data-job=failed], [data-job=refused])', { timeout: 120_000 });
    expect(await setup.locator('.job').getAttribute('data-job'), (await setup.locator('.job').textContent()) ?? '').toBe('succeeded');
    expect(inNode('ip', '-o', '-4', 'addr', 'show', 'dev', 'gmesh0').toString()).not.toMatch(/inet 10\.254\./);
  }, 300_000);
});
