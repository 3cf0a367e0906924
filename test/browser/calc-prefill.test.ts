import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Agent } from '../../tools/agent/agent.ts';
import { makeLinkLocalPseudonym } from '../../tools/agent/link-local-pseudonym.ts';
import { IwRadioSource, type RadioSource } from '../../tools/agent/radio-source.ts';
import { RECORDED_STATIONS, recordedIw } from '../fixtures/observe/recorded-iw.ts';
import { launchChromium, openPhonePage, type WatchedPage } from './helpers/chromium.ts';
import { bookDir, serveStatic } from './helpers/site.ts';
import { startTestAgent } from '../integration/agent-harness.ts';

/**
 * "Fill from this node" on the calculators, with the built book served by a
 * real node agent. The agent's radio is the one allowed mock: a Wi-Fi radio
 * (`iw` answers from recorded output; no radio exists here), wlan0 on
 * channel 1 (2412 MHz) at 20 dBm, hearing two neighbours.
 */
const pseudonym = makeLinkLocalPseudonym();
let browser: Browser;
const agents: Agent[] = [];
const opened: WatchedPage[] = [];

async function serveBook(radio: RadioSource): Promise<string> {
  const agent = await startTestAgent({ siteDir: bookDir(), frontPage: false, radio });
  agents.push(agent);
  return agent.url.replace(/\/$/, '');
}

async function open(origin: string, path: string): Promise<WatchedPage & { apiRequests: string[] }> {
  const watched = await openPhonePage(browser, origin);
  opened.push(watched);
  const apiRequests: string[] = [];
  watched.page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) apiRequests.push(pathname);
  });
  await watched.page.goto(origin + path);
  return { ...watched, apiRequests };
}

const prefillShown = (page: Page, calc: string) => page.waitForSelector(`${calc} [data-prefill]:not([hidden])`);
/** Values from the node sit in Unicode isolates, so an address keeps its order in right-to-left text. */
const isolated = (text: string) => `\u2068${text}\u2069`;
const field = (page: Page, calc: string, name: string) => page.locator(`${calc} [name="${name}"]`);
const out = (page: Page, calc: string, id: string) => page.locator(`${calc} [data-out="${id}"]`).textContent();

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const { context } of opened) await context.close();
  for (const agent of agents) await agent.close();
  await browser?.close();
});

describe('calculators filled from the node that serves the page', () => {
  test('link budget: frequency and transmit power from the radio, and the chosen neighbour\'s measured signal', async () => {
    const origin = await serveBook(new IwRadioSource({ pseudonym, runIw: recordedIw() }));
    const { page, errors, foreignRequests, apiRequests } = await open(origin, '/long-links/calculators/');
    const calc = 'byz-link-budget';
    await prefillShown(page, calc);
    const options = page.locator(`${calc} select[data-station] option`);
    expect(await options.allTextContents()).toEqual(
      RECORDED_STATIONS.map((station) => `${isolated(pseudonym(station.linkLocal))} · ${isolated(`${station.averageSignalDbm} dBm`)}`),
    );
    await page.locator(`${calc} select[data-station]`).selectOption({ index: 1 });
    await page.locator(`${calc} [data-fill]`).click();

    expect(await field(page, calc, 'frequency').inputValue()).toBe('2412');
    expect(await field(page, calc, 'txPower').inputValue()).toBe('20');
    // The results follow: 2 km at 2412 MHz is 106.1 dB (the example's 2437 MHz gave 106.2 dB); 20 − 1 + 12 − 106.1 + 12 − 1.
    await expect.poll(() => out(page, calc, 'pathLoss')).toBe('106.1 dB');
    expect(await out(page, calc, 'received')).toBe('-64.1 dBm');
    const far = RECORDED_STATIONS[1];
    expect(await page.locator(`${calc} [data-prefill-note]`).textContent()).toBe(
      `Filled in from this node's radio ${isolated('wlan0')}. It hears ${isolated(pseudonym(far.linkLocal))} at ${isolated(`${far.averageSignalDbm} dBm`)}: compare that with the signal at the receiver in the results.`,
    );
    const shown = await page.locator(`${calc} [data-prefill]`).textContent();
    for (const station of RECORDED_STATIONS) expect(shown).not.toContain(station.mac);

    // One request for the radio serves all three calculators.
    expect(apiRequests).toEqual(['/api/v1/radio']);
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  test('can antenna and Fresnel zone: the channel and the frequency', async () => {
    const origin = await serveBook(new IwRadioSource({ pseudonym, runIw: recordedIw() }));
    const { page, errors } = await open(origin, '/long-links/calculators/');
    const can = 'byz-can-antenna';
    await prefillShown(page, can);
    // No neighbour to choose here: the can does not care who is listening.
    expect(await page.locator(`${can} select[data-station]`).count()).toBe(0);
    await page.locator(`${can} [data-fill]`).click();
    expect(await page.locator(`${can} select[name="channel"]`).inputValue()).toBe('2.4:1');
    await expect.poll(() => out(page, can, 'frequency')).toBe('2,412 MHz');

    const fresnel = 'byz-fresnel-zone';
    await page.locator(`${fresnel} [data-fill]`).click();
    expect(await field(page, fresnel, 'frequency').inputValue()).toBe('2412');
    expect(await page.locator(`${fresnel} [data-prefill-note]`).textContent()).toBe(`Filled in from this node's radio ${isolated('wlan0')}.`);
    expect(errors).toEqual([]);
  });

  test('Arabic: the control speaks the reader\'s language', async () => {
    const origin = await serveBook(new IwRadioSource({ pseudonym, runIw: recordedIw() }));
    const { page, errors } = await open(origin, '/ar/long-links/calculators/');
    await prefillShown(page, 'byz-can-antenna');
    expect(await page.locator('byz-can-antenna [data-fill]').textContent()).toBe('املأ من هذه العقدة');
    await page.locator('byz-can-antenna [data-fill]').click();
    expect(await page.locator('byz-can-antenna [data-prefill-note]').textContent()).toBe(`مُلئت الحقول من راديو هذه العقدة ${isolated('wlan0')}.`);
    expect(errors).toEqual([]);
  });

  test('a node with no mesh radio offers nothing to fill', async () => {
    const origin = await serveBook({ radios: async () => [] });
    const { page, errors, apiRequests } = await open(origin, '/long-links/calculators/');
    await page.waitForLoadState('networkidle');
    await expect.poll(() => apiRequests).toEqual(['/api/v1/radio']);
    expect(await page.locator('[data-prefill]:not([hidden])').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test('an answer that breaks the contract (a MAC address, markup) offers nothing', async () => {
    const site = await serveStatic(bookDir());
    const hostile = {
      radios: [{ interface: 'wlan0', mode: 'IBSS', frequencyMHz: 2412, channel: 1, txPowerDbm: 20, stations: [{ neighbour: '02:1a:2b:3c:4d:5e', signalDbm: -61, averageSignalDbm: null }] }],
      note: '<img src=x onerror="document.title=1">',
    };
    // A node whose radio answer is hostile, in front of the built book.
    const front = createServer(async (req, res) => {
      if (req.url === '/api/v1/radio') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(hostile));
      const answer = await fetch(site.origin + req.url);
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
      const { page, errors, apiRequests } = await open(origin, '/long-links/calculators/');
      await page.waitForLoadState('networkidle');
      await expect.poll(() => apiRequests).toEqual(['/api/v1/radio']);
      // The validator has run: its code came only because the node answered.
      await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((entry) => /\/prefill\.[\w-]+\.js$/.test(entry.name)))).toBe(true);
      expect(await page.locator('[data-prefill]:not([hidden])').count()).toBe(0);
      expect(await page.content()).not.toContain('02:1a:2b');
      expect(errors).toEqual([]);
    } finally {
      front.close();
      await site.close();
    }
  });

  test('a book no node serves shows no control, and asks only once', async () => {
    const site = await serveStatic(bookDir());
    try {
      const { page, errors, apiRequests } = await open(site.origin, '/long-links/calculators/');
      await page.waitForLoadState('networkidle');
      await page.evaluate(() => Promise.all(['byz-link-budget', 'byz-fresnel-zone', 'byz-can-antenna'].map((tag) => customElements.whenDefined(tag))));
      expect(await page.locator('[data-prefill]').count()).toBe(3);
      expect(await page.locator('[data-prefill]:not([hidden])').count()).toBe(0);
      expect(apiRequests).toEqual(['/api/v1/radio']);
      // The only trace: Chromium reporting the static server's 404 for that one request.
      expect(errors.filter((error) => !/\b404\b/.test(error))).toEqual([]);
    } finally {
      await site.close();
    }
  });
});
