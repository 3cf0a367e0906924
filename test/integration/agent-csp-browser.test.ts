// The agent's Content-Security-Policy and login in a real browser (Debian's
// Chromium): the build's inline scripts run by their hashes, a script that was
// not in the build does not, and a one-time link logs the operator in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPhonePage } from '../browser/helpers/chromium.ts';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { makeSite, startTestAgent } from './agent-harness.ts';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const reason = existsSync(chromium) ? undefined : `no Chromium at ${chromium}`;
if (reason && process.env.CI) throw new Error(`agent browser test cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED agent CSP browser test: ${reason} (apt-get install chromium)`);

/** Collects the page's Content-Security-Policy violations (the browser's own report event). */
async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => (window as unknown as { cspViolations: string[] }).cspViolations.push(event.violatedDirective));
  });
}
const violationsOf = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

describe.skipIf(reason !== undefined)('the agent in Chromium', () => {
  let agent: Awaited<ReturnType<typeof startTestAgent>>;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    const { root } = makeSite();
    // After the build: someone slips a script into a page. Its hash is not in the build's list.
    const fa = join(root, 'fa', 'index.html');
    writeFileSync(fa, readFileSync(fa, 'utf8').replace('</body>', '<script>document.title = "INJECTED"</script></body>'));
    // Its compressed twins still hold the page as built: remove them so the changed page is what is sent.
    rmSync(`${fa}.br`);
    rmSync(`${fa}.gz`);
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
    await recordViolations(page);
    await page.goto(`${origin}/fa/`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark'); // the build's script ran
    expect(await page.title()).toBe('خانه'); // the slipped-in one did not
    expect(await violationsOf(page)).toEqual(['script-src-elem']);
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

// The real book, as `npm run build` made it (npm test builds it first): every
// page must run under the agent's policy. A component that adds an inline
// event handler, a javascript: link or eval() fails here, not on a phone.
const book = process.env.BOOK_DIST || 'dist';
const bookReason = reason ?? (existsSync(join(book, 'index.html')) ? undefined : `no built book in ${book}/ (run npm run build)`);
if (bookReason && process.env.CI) throw new Error(`agent CSP test of the book cannot run on CI: ${bookReason}`);
if (bookReason) console.warn(`SKIPPED agent CSP test of the built book: ${bookReason}`);

describe.skipIf(bookReason !== undefined)('the built book under the agent in Chromium', () => {
  it('runs every page with no Content-Security-Policy violation', { timeout: 600_000 }, async () => {
    const pages: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && !['_astro', 'pagefind'].includes(entry.name)) walk(join(dir, entry.name));
        else if (entry.name === 'index.html') pages.push(`/${relative(book, dir)}/`.replace('//', '/'));
      }
    };
    walk(book);
    const agent = await startTestAgent({ siteDir: book, frontPage: false });
    const browser = await launchChromium();
    try {
      const origin = `http://localhost:${agent.port}`;
      const { page } = await openPhonePage(browser, origin);
      await recordViolations(page);
      const violations: string[] = [];
      for (const path of pages) {
        await page.goto(origin + path, { waitUntil: 'load' });
        for (const directive of await violationsOf(page)) violations.push(`${path}: ${directive}`);
      }
      expect(pages.length).toBeGreaterThan(10);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
      await agent.close();
    }
  });
});
