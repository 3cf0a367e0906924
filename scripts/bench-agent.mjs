// `npm run bench -- agent`: requests per second and latency percentiles of
// `byz serve` beside nginx serving the same built book, in one run, with wrk
// as the load generator; then 1,000 concurrent connections against the agent,
// and the agent's peak resident memory. Both servers get one process (nginx
// worker_processes 1), serve the same precompressed .gz files (gzip_static)
// and send the same security headers, so the comparison is like for like.
// Targets (issue 5): at least 0.8x nginx's requests per second on pages,
// under 80 MB resident, no errors at 1,000 connections.
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { COMMON_SECURITY_HEADERS, CSP_HASHES_FILE, pagePolicy } from '../tools/agent/csp.ts';

const SOURCE_SITE = resolve(process.env.BENCH_SITE ?? 'dist');
const DURATION = process.env.BENCH_SECONDS ?? '10';
const which = (program) => ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/bin', '/sbin'].map((dir) => join(dir, program)).find((path) => existsSync(path)) ?? null;

if (!existsSync(join(SOURCE_SITE, 'index.html'))) {
  console.log(`bench-agent: no built book in ${SOURCE_SITE}; run "npm run build" first`);
  process.exit(0);
}
const wrk = which('wrk');
if (!wrk) {
  console.log('bench-agent: wrk is not installed (Debian package "wrk"); nothing measured');
  process.exit(process.env.CI ? 1 : 0);
}
const work = mkdtempSync(join(tmpdir(), 'byz-bench-agent-'));
// A private copy: a rebuild of dist/ during the run must not pull files from under the servers.
const SITE = join(work, 'site');
chmodSync(work, 0o755); // nginx's workers run as an unprivileged user and must read the copy
cpSync(SOURCE_SITE, SITE, { recursive: true, preserveTimestamps: true }); // the agent pairs a page with its .br/.gz twins by their times
if (!existsSync(join(SITE, '.byz-csp.json'))) execFileSync(process.execPath, ['scripts/precompress.mjs', SITE], { stdio: 'inherit' });
// The agent runs as on a node: the one-file bundle, on Debian's Node.js when there is one.
execFileSync(process.execPath, ['scripts/build-tools.mjs'], { stdio: 'inherit' });
const nodeForAgent = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
// Each server gets core 0 to itself and wrk gets core 1, so that neither steals the other's time
// (with all three on both cores the scheduler decides the result more than the servers do).
const taskset = availableParallelism() >= 2 ? which('taskset') : null;
const onCore = (core, program, args) => (taskset ? [taskset, ['-c', String(core), program, ...args]] : [program, args]);
const WRK_THREADS = taskset ? 1 : 2;
const nodeVersion = execFileSync(nodeForAgent, ['--version'], { encoding: 'utf8' }).trim();
// Pages of the book and the assets a phone fetches with them.
const paths = ['/index.html', '/ar/', '/fa/', '/zh-cn/'].filter((p) => existsSync(join(SITE, p.endsWith('/') ? p + 'index.html' : p)));
const lua = join(work, 'paths.lua');
writeFileSync(
  lua,
  `local paths = {${paths.map((p) => JSON.stringify(p)).join(', ')}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end
`,
);

/** The agent's security headers, so that both servers send the same bytes (the CSP is the home page's). */
function nginxSecurityHeaders() {
  const pages = JSON.parse(readFileSync(join(SITE, CSP_HASHES_FILE), 'utf8')).pages;
  const headers = { ...COMMON_SECURITY_HEADERS, 'Content-Security-Policy': pagePolicy(pages['/index.html'] ?? []), 'Cache-Control': 'no-cache' };
  return Object.entries(headers).map(([name, value]) => `    add_header ${name} "${value}";`).join('\n');
}

/** Both servers must send the same compressed body for every page, or the comparison is void (a copy without file times once made the agent send pages uncompressed). */
async function checkSameBodies() {
  for (const path of paths) {
    const [agentAnswer, nginxAnswer] = await Promise.all(
      [AGENT_PORT, NGINX_PORT].map(async (port) => {
        const answer = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'Accept-Encoding': 'gzip' } });
        return `${answer.status} ${answer.headers.get('content-encoding')} ${answer.headers.get('content-length')} bytes`;
      }),
    );
    if (agentAnswer !== nginxAnswer) {
      console.log(`bench-agent: ${path} differs (byz serve: ${agentAnswer}; nginx: ${nginxAnswer}); nothing measured`);
      process.exit(1);
    }
  }
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((done) => connect(port, '127.0.0.1').on('connect', function () { this.destroy(); done(true); }).on('error', () => done(false)));
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Runs wrk; returns requests/s, latency percentiles (ms) and error counts. */
function load(url, connections, seconds = DURATION) {
  // A request slower than 10 s counts as an error (wrk's default of 2 s measures the load generator's share of two cores as much as the server).
  const out = execFileSync(...onCore(1, wrk, [`-t${WRK_THREADS}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-s', lua, url]), { encoding: 'utf8' });
  const ms = (label) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (!m) return NaN;
    const value = Number(m[1]);
    return m[2] === 'us' ? value / 1000 : m[2] === 's' ? value * 1000 : value;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const failed = non2xx ? Number(non2xx[1]) : 0;
  return {
    // Only successful answers count: a fast 404 is not a served page.
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN) * (requests > 0 ? (requests - failed) / requests : 1),
    p50: ms('50'),
    p90: ms('90'),
    p99: ms('99'),
    errors: (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0),
  };
}

const peakRss = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const AGENT_PORT = 4391;
const NGINX_PORT = 4392;
// --max-semi-space-size=2 keeps V8's young generation at 2 MB instead of its default of up to 32 MB:
// the recommended way to run the agent on a node (see tools/agent/README.md).
const AGENT_NODE_FLAGS = ['--max-semi-space-size=2'];
const agent = spawn(...onCore(0, nodeForAgent, [...AGENT_NODE_FLAGS, 'dist-tools/byz.mjs', 'serve', '--site', SITE, '--host', '127.0.0.1', '--port', String(AGENT_PORT), '--state-dir', join(work, 'state'), '--services-dir', join(work, 'services')]), {
  stdio: ['ignore', 'ignore', 'inherit'],
});
let nginx = null;
const stopAll = () => {
  agent.kill('SIGTERM');
  nginx?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', stopAll);

try {
  await waitForPort(AGENT_PORT);
  const rows = [];
  const nginxBin = which('nginx');
  if (nginxBin) {
    mkdirSync(join(work, 'nginx'), { recursive: true });
    writeFileSync(
      join(work, 'nginx.conf'),
      `worker_processes 1;
daemon off;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=1000;
  gzip_static on;
  client_body_temp_path ${work}/nginx; proxy_temp_path ${work}/nginx; fastcgi_temp_path ${work}/nginx; uwsgi_temp_path ${work}/nginx; scgi_temp_path ${work}/nginx;
  server {
    listen 127.0.0.1:${NGINX_PORT} backlog=4096;
    root ${SITE};
    etag on;
${nginxSecurityHeaders()}
  }
}
`,
    );
    nginx = spawn(...onCore(0, nginxBin, ['-c', join(work, 'nginx.conf'), '-p', work]), { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPort(NGINX_PORT);
  } else {
    console.log('bench-agent: nginx is not installed (Debian package "nginx"); no reference run');
  }
  if (nginx) await checkSameBodies();
  // Warm up both (JIT, caches), then two interleaved rounds; the better round of each counts,
  // so a burst of other work on the machine does not decide the comparison.
  load(`http://127.0.0.1:${AGENT_PORT}`, 50, 2);
  if (nginx) load(`http://127.0.0.1:${NGINX_PORT}`, 50, 2);
  const best = (a, b) => (!a || b.rps > a.rps ? b : a);
  let agentPages = null;
  let nginxPages = null;
  for (let round = 0; round < 2; round++) {
    agentPages = best(agentPages, load(`http://127.0.0.1:${AGENT_PORT}`, 100));
    if (nginx) nginxPages = best(nginxPages, load(`http://127.0.0.1:${NGINX_PORT}`, 100));
  }
  for (const [name, r] of [['byz serve', agentPages], ['nginx', nginxPages]]) {
    if (r && r.errors > 0) console.log(`bench-agent: ${name} answered ${r.errors} requests with an error; its numbers count only the good ones`);
  }
  rows.push([`byz serve (node ${nodeVersion})`, agentPages]);
  if (nginxPages) rows.push(['nginx (1 worker)', nginxPages]);

  const many = load(`http://127.0.0.1:${AGENT_PORT}`, 1000);
  rows.push(['byz serve, 1000 conn.', many]);
  const rss = peakRss(agent.pid);

  console.log(`\nBook pages (${paths.join(' ')}), gzip, ${DURATION} s per round, best of 2 rounds, wrk -t${WRK_THREADS} -c100${taskset ? ', each server on core 0 and wrk on core 1' : ''}:`);
  console.log('server                           req/s     p50 ms   p90 ms   p99 ms   errors');
  for (const [name, r] of rows) {
    console.log(`${name.padEnd(31)} ${r.rps.toFixed(0).padStart(7)}  ${r.p50.toFixed(2).padStart(7)}  ${r.p90.toFixed(2).padStart(7)}  ${r.p99.toFixed(2).padStart(7)}  ${String(r.errors).padStart(7)}`);
  }
  console.log(`\nbyz serve peak resident memory: ${rss.toFixed(1)} MB (node ${AGENT_NODE_FLAGS.join(' ')} dist-tools/byz.mjs serve)`);
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  if (nginxPages) {
    const ratio = agentPages.rps / nginxPages.rps;
    console.log(`target ≥ 0.8x nginx req/s: ${ratio.toFixed(2)}x — ${verdict(ratio >= 0.8)}`);
  }
  console.log(`target < 80 MB resident: ${verdict(rss < 80)}`);
  console.log(`target 1000 connections without errors: ${many.errors} errors — ${verdict(many.errors === 0)}`);
} finally {
  stopAll();
}
