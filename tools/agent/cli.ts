/** `byz serve`: runs the node agent (the book, the front page and /api/v1). */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandArgs } from '../byz/parse-options.ts';
import { describeSystemError, EXIT, UserError } from '../common/errors.ts';
import type { Command } from '../byz/command.ts';
import { runAgent } from './agent.ts';
import { DEFAULT_BABEL_SOCKET } from './mesh-source.ts';
import { defaultStateDir } from './state-dir.ts';

const isRoot = () => process.getuid?.() === 0;
export const defaultPort = () => (isRoot() ? 80 : 4321);

const help = `Usage: byz serve [options]

Runs the node agent: serves the book and this node's front page to phones on
the mesh, and the JSON API under /api/v1 (public endpoints for everyone,
operator endpoints for the logged-in operator; see "byz operator-link").

Options:
  --site DIR            the built book (default: ./dist, or /usr/share/byzantium/book)
  --host ADDRESS        address to listen on (default: :: — every address)
  --port N              port (default: 80 as root, 4321 otherwise; 0: any free port)
  --name NAME           this node's name on the mesh (default: the hostname)
  --state-dir DIR       where the operator secret lives (default: ${defaultStateDir()})
  --services-dir DIR    service definitions, one <id>.json each (default: /etc/byzantium/services)
  --allow-host NAME     another host name this node answers to (repeatable)
  --operator-remote     answer operator endpoints on every address, not only loopback
  --allow-apply         let the operator apply changes to this machine (needs root)
  --captive             answer phones' connectivity checks with the front page
  --no-front-page       serve the book's own home at / instead of the front page
  --babel-socket PATH   babeld's control socket (default: ${DEFAULT_BABEL_SOCKET})
  --mesh-address ADDR   this node's mesh address (default: read from babeld)
  --peer-port N         port of the other nodes' agents (default: the same as --port)
  --directory-interval S  seconds between two readings of the other nodes' services (default 30)
  --directory-expire S  seconds after which a silent node's services are dropped (default 95)
  -h, --help            show this help

SIGHUP makes a running agent read the book again (after installing a new one).

Exit codes: 0 stopped cleanly, 2 bad option, 3 cannot listen or not root for --allow-apply,
130 interrupted.
`;

function findSite(explicit: string | undefined): string | null {
  if (explicit) {
    if (!existsSync(join(explicit, 'index.html'))) throw new UserError(`byz serve: ${explicit} has no index.html; build the book first (npm run build)`);
    return resolve(explicit);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of ['dist', join(here, '..', 'dist'), join(here, '..', '..', 'dist'), '/usr/share/byzantium/book']) {
    if (existsSync(join(candidate, 'index.html'))) return resolve(candidate);
  }
  return null;
}

function port(text: string | undefined, fallback: number, what: string, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d{1,5}$/.test(text) || value < min || value > 65535) throw new UserError(`byz serve: ${what} must be a number from ${min} to 65535`);
  return value;
}

function seconds(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d{1,5}$/.test(text) || value < 1) throw new UserError(`byz serve: ${what} must be a whole number of seconds, at least 1`);
  return value;
}

export const command: Command = {
  help,
  async run(argv) {
    const parsed = parseCommandArgs('serve', {
      args: argv,
      options: {
        site: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        name: { type: 'string' },
        'state-dir': { type: 'string' },
        'services-dir': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        'operator-remote': { type: 'boolean' },
        'allow-apply': { type: 'boolean' },
        captive: { type: 'boolean' },
        'no-front-page': { type: 'boolean' },
        'babel-socket': { type: 'string' },
        'mesh-address': { type: 'string' },
        'peer-port': { type: 'string' },
        'directory-interval': { type: 'string' },
        'directory-expire': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    const o = parsed.values;
    if (o.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    if (o['allow-apply'] && !isRoot()) throw new UserError('byz serve: --allow-apply changes the machine and needs root (run with sudo)', EXIT.environment);
    if (o.name !== undefined && [...o.name].length > 64) throw new UserError('byz serve: --name is at most 64 characters');
    const name = (o.name ?? hostname()).slice(0, 64);
    if (!/^[\p{L}\p{N}][\p{L}\p{M}\p{N} ._-]*$/u.test(name)) throw new UserError('byz serve: --name may use letters, digits, spaces, ".", "_" and "-"');
    const listenPort = port(o.port, defaultPort(), '--port', 0); // 0: any free port (tests)
    if (o['mesh-address'] !== undefined && isIP(o['mesh-address']) === 0) throw new UserError(`byz serve: --mesh-address must be an IP address such as 10.254.1.2, not "${o['mesh-address'].slice(0, 60)}"`);
    const site = findSite(o.site);
    if (!site) process.stderr.write('byz serve: no built book found (pass --site DIR); serving the front page and the API only\n');

    let agent;
    try {
      agent = await runAgent({
        siteDir: site,
        stateDir: o['state-dir'] ?? defaultStateDir(),
        servicesDir: o['services-dir'] ?? '/etc/byzantium/services',
        host: o.host ?? '::',
        port: listenPort,
        name,
        version: process.env.BYZ_VERSION ?? 'dev',
        operatorRemote: o['operator-remote'] ?? false,
        allowApply: o['allow-apply'] ?? false,
        captive: o.captive ?? false,
        frontPage: !o['no-front-page'],
        allowedHosts: o['allow-host'] ?? [],
        ...(o['babel-socket'] ? { babelSocket: o['babel-socket'] } : {}),
        meshAddress: o['mesh-address'] ?? null,
        peerPort: port(o['peer-port'], listenPort || 80, '--peer-port'),
        directoryIntervalMs: seconds(o['directory-interval'], 30, '--directory-interval') * 1000,
        directoryExpireMs: seconds(o['directory-expire'], 95, '--directory-expire') * 1000,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UserError(`byz serve: port ${listenPort} is already in use (another agent or web server?)`, EXIT.environment);
      if (code === 'EACCES') throw new UserError(`byz serve: not allowed to listen on port ${listenPort} (ports below 1024 need root)`, EXIT.environment);
      if (error instanceof UserError) throw error;
      throw new UserError(`byz serve: ${describeSystemError(error) ?? (error as Error).message.split('\n')[0]}`, EXIT.failed);
    }
    process.stdout.write(`byz serve: ${site ? `the book from ${site}` : 'no book'} on ${agent.url}/\n`);
    // SIGHUP: a new book was installed; read the site again without a restart.
    process.on('SIGHUP', () => {
      process.stderr.write(agent.reindexSite() ? 'byz serve: read the book again\n' : 'byz serve: could not read the book again; still serving the old index\n');
    });
    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once('SIGINT', () => done('SIGINT'));
      process.once('SIGTERM', () => done('SIGTERM'));
    });
    await agent.close();
    return signal === 'SIGINT' ? EXIT.interrupted : EXIT.ok;
  },
};
