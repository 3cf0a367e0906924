// The agent's Content-Security-Policy and login in a real browser (Debian's
// Chromium): the build's inline scripts run by their hashes, a script that was
// not in the build does not, and a one-time link logs the operator in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, openPhonePage } from '../browser/helpers/chromium.ts';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { makeSite, startTestAgent } from './agent-harness.ts';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const reason = existsSync(chromium) ? undefined : `no Chromium at ${chromium}`;
if (reason && process.env.CI) throw new Error(`agent browser test cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED agent CSP browser test: ${reason} (apt-get install chromium)`);

describe.skipIf(reason !== undefined)('the agent in Chromium', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    const { root } = makeSite();
    // After the build: someone slips a script into a page. Its hash is not in the build's list.
    const fa = join(root, 'fa', 'index.html');
    writeFileSync(fa, readFileSync(fa, 'utf8').replace('</body>', '<script>document.title = "INJECTED"</script></body>'));
    agent = await startTestAgent({ siteDir: root });
    origin = `http://localhost:${agent.port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.close();
  });

  it("runs the build's inline scripts, allowed by their hashes", async () => {
    const { page, errors } = await openPhonePage(browser, origin);
    await page.goto(`${origin}/guide/`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });

  it('blocks an inline script that was not in the build', async () => {
    const { page } = await openPhonePage(browser, origin);
    await page.goto(`${origin}/fa/`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark'); // the build's script ran
    expect(await page.title()).toBe('خانه'); // the slipped-in one did not
  });

  it('logs the operator in from a one-time link, and not a second time', async () => {
    const link = operatorLink(origin, agent.stateDir);
    const { page } = await openPhonePage(browser, origin);
    await page.goto(link);
    await page.waitForURL(`${origin}/`);
    const session = await page.evaluate(async () => (await fetch('/api/v1/operator/session')).status);
    expect(session).toBe(200);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'byz_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('byz_session');

    const again = await openPhonePage(browser, origin);
    await again.page.goto(link);
    await again.page.waitForFunction(() => document.getElementById('status')?.textContent !== 'Logging in…');
    expect(await again.page.textContent('#status')).toContain('already used');
    expect(again.page.url()).toBe(`${origin}/operator/login`); // the token left the address bar
  });
});
