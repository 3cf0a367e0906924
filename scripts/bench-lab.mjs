// Lab benchmark (needs root): time from `byz lab up --nodes 5 --topology line`
// to full route convergence (every node routes to every other node's client
// /24), and the time to plan a full setup (pure planner, 1000 plans).
// Run: node_modules/.bin/node scripts/bench-lab.mjs
import { performance } from 'node:perf_hooks';
const { labUp, labDown } = await import('../tools/lab/lab.ts');
const { routesOf } = await import('../tools/lab/wait.ts');
const { planSetup } = await import('../tools/plan/setup-plan.ts');
const { EMPTY_STATE } = await import('../tools/observe/state.ts');
const { DEFAULT_PATHS, DEFAULT_RADIO } = await import('../tools/plan/choices.ts');

const link = (name) => ({ index: 1, name, flags: [], adminUp: false, operState: 'DOWN', mac: undefined, mtu: 1500, master: undefined });
const state = { ...EMPTY_STATE, links: [link('wlan0'), link('wlan1')], wireless: ['wlan0', 'wlan1'], programs: { babeld: true, dnsmasq: true } };
const choices = { nodeName: 'bench', meshInterfaces: ['wlan0'], clientInterface: 'wlan1', allowWired: false, accessPoint: false, radio: DEFAULT_RADIO, meshRange: '10.254.0.0/16', clientRange: '10.0.0.0/8', seed: 's', gateway: undefined, paths: DEFAULT_PATHS };
let start = performance.now();
for (let i = 0; i < 1000; i++) planSetup(state, { ...choices, seed: `s${i}` });
console.log(`plan: ${((performance.now() - start) / 1000).toFixed(3)} ms per full setup plan`);

if (process.getuid?.() !== 0) {
  console.log('lab: skipped (needs root)');
  process.exit(0);
}
await labDown();
start = performance.now();
const lab = await labUp(5, 'line');
const built = performance.now();
const prefixes = lab.nodes.map((n) => n.clientPrefix);
for (;;) {
  const tables = await Promise.all(lab.nodes.map((n) => routesOf(n.name)));
  if (tables.every((routes) => prefixes.every((p) => routes.some((r) => r.dst === p)))) break;
  if (performance.now() - start > 180_000) throw new Error('no convergence within 180 s');
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const converged = performance.now();
console.log(`lab up (5, line): ${((built - start) / 1000).toFixed(1)} s; full convergence after ${((converged - start) / 1000).toFixed(1)} s`);
await labDown();
