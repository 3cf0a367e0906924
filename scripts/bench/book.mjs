// The book on a mesh-like link: each page loaded cold in Chromium at
// 1 Mbit/s down, 300 ms round trip and a CPU slowed 4x, once from our build
// (dist/) and once from the same content built with stock Starlight
// (dist-stock/), side by side. Prints bytes on the wire by type and first
// contentful paint per page, and the ratio ours/stock.
//   node scripts/bench/book.mjs [--limit N]
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { launchChromium } from '../../test/browser/helpers/chromium.ts';
import { htmlPages, serveStatic } from '../../test/browser/helpers/site.ts';

const { values } = parseArgs({ options: { limit: { type: 'string' }, 'no-build': { type: 'boolean' } } });

function build(args) {
  const result = spawnSync('npx', ['astro', 'build', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`astro build ${args.join(' ')} failed`);
}
if (!values['no-build']) {
  console.log('building the book and the stock-Starlight reference…');
  build([]);
  build(['--config', 'scripts/bench/stock.config.mjs']);
}

const throttle = { offline: false, latency: 300, downloadThroughput: 1_000_000 / 8, uploadThroughput: 500_000 / 8 };

/** Loads `url` cold and returns encoded bytes per resource type and first contentful paint in ms. */
async function measure(browser, url) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', throttle);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const types = new Map();
  const bytes = { document: 0, stylesheet: 0, script: 0, other: 0 };
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type.toLowerCase()));
  cdp.on('Network.loadingFinished', (e) => {
    const type = types.get(e.requestId);
    bytes[type in bytes ? type : 'other'] += e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'networkidle', timeout: 120_000 });
  const fcp = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
  );
  await context.close();
  return { bytes, fcp };
}

const kb = (n) => (n / 1024).toFixed(1).padStart(6);
const total = (b) => b.document + b.stylesheet + b.script + b.other;

const pages = htmlPages('dist')
  .filter((path) => !/^\/(ar|fa|zh-cn)\/./.test(path) && path !== '/404/')
  .slice(0, values.limit ? Number(values.limit) : undefined);
const ours = await serveStatic('dist', { gzip: true });
const stock = await serveStatic('dist-stock', { gzip: true });
const browser = await launchChromium();

console.log(`\n${pages.length} pages, cold, 1 Mbit/s, 300 ms RTT, CPU 4x slower; KB on the wire (gzip)`);
console.log(`${'page'.padEnd(36)}   html    css     js  other  total    FCP ms │  stock total  FCP ms │ bytes  FCP`);
const sums = { ours: 0, stock: 0, fcpOurs: 0, fcpStock: 0 };
for (const path of pages) {
  const a = await measure(browser, ours.origin + path);
  const b = await measure(browser, stock.origin + path);
  sums.ours += total(a.bytes);
  sums.stock += total(b.bytes);
  sums.fcpOurs += a.fcp;
  sums.fcpStock += b.fcp;
  console.log(
    `${path.slice(0, 36).padEnd(36)} ${kb(a.bytes.document)} ${kb(a.bytes.stylesheet)} ${kb(a.bytes.script)} ${kb(a.bytes.other)} ${kb(total(a.bytes))} ${a.fcp.toFixed(0).padStart(8)} │ ${kb(total(b.bytes)).padStart(11)} ${b.fcp.toFixed(0).padStart(7)} │ ${(total(a.bytes) / total(b.bytes)).toFixed(2).padStart(5)} ${(a.fcp / b.fcp).toFixed(2).padStart(4)}`,
  );
}
console.log(
  `\nmean: ours ${kb(sums.ours / pages.length)} KB, FCP ${(sums.fcpOurs / pages.length).toFixed(0)} ms; stock ${kb(sums.stock / pages.length)} KB, FCP ${(sums.fcpStock / pages.length).toFixed(0)} ms; ratio bytes ${(sums.ours / sums.stock).toFixed(2)}, FCP ${(sums.fcpOurs / sums.fcpStock).toFixed(2)}`,
);
await browser.close();
await ours.close();
await stock.close();
