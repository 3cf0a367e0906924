// `npm start`: builds the book if dist/ is missing or older than its sources,
// then runs the node agent (`byz serve`) on http://localhost:4321 in safe
// local mode: listening on loopback only, operator pages for this machine
// only, and no changes to the machine (no --allow-apply). Prints the address
// and a one-time operator login link.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PORT = process.env.PORT ?? '4321';
const SOURCES = ['content', 'src', 'i18n', 'public', 'astro.config.mjs', 'content.config.ts'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function run(argv, what) {
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm start: ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

const built = existsSync('dist/index.html') ? statSync('dist/index.html').mtimeMs : 0;
const sources = Math.max(...SOURCES.map(newest));
if (built < sources) {
  console.log(built ? 'npm start: the book changed since the last build; building it again…' : 'npm start: building the book (first run)…');
  run([process.execPath, 'node_modules/astro/bin/astro.mjs', 'build'], 'the build');
}
const hashes = existsSync('dist/.byz-csp.json') ? statSync('dist/.byz-csp.json').mtimeMs : 0;
if (hashes < statSync('dist/index.html').mtimeMs) run([process.execPath, 'scripts/precompress.mjs', 'dist'], 'precompressing');

const byz = [process.execPath, 'tools/byz/byz.ts'];
// A 2 MB young generation keeps the agent's memory small (see tools/agent/README.md).
const agent = spawn(byz[0], ['--max-semi-space-size=2', ...byz.slice(1), 'serve', '--site', 'dist', '--host', '127.0.0.1', '--port', PORT], { stdio: ['ignore', 'pipe', 'inherit'] });
agent.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!String(chunk).includes('byz serve:')) return;
  const link = spawnSync(byz[0], [...byz.slice(1), 'operator-link', '--url', `http://localhost:${PORT}`], { encoding: 'utf8' });
  console.log(`\n  The book and this node's front page:  http://localhost:${PORT}/`);
  if (link.status === 0) console.log(`  Operator login (once, within 10 min): ${link.stdout.trim()}`);
  console.log('  Safe local mode: loopback only, nothing on this machine is changed. Ctrl-C stops.\n');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => agent.kill(signal));
agent.on('exit', (code, signal) => process.exit(signal === 'SIGINT' ? 0 : (code ?? 1)));
