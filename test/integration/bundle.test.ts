import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

// A node runs the tools from one file with whatever Node.js its system has
// (Debian 12: Node 18; these machines: Node 20) and no node_modules.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));

test('the bundled byz runs from a bare directory under the system Node.js', () => {
  if (!existsSync('dist-tools/byz.mjs')) execFileSync(process.execPath, ['scripts/build-tools.mjs']);
  if (!systemNode) throw new Error('no system Node.js at /usr/bin/node or /usr/local/bin/node');
  const bare = mkdtempSync(join(tmpdir(), 'byz-bundle-'));
  copyFileSync('dist-tools/byz.mjs', join(bare, 'byz.mjs'));

  const version = spawnSync(systemNode, ['byz.mjs', '--version'], { cwd: bare, encoding: 'utf8' });
  expect(version.status, version.stderr).toBe(0);
  expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

  // Every command's module is inside the bundle and loads.
  for (const command of ['setup', 'status', 'gateway', 'lab', 'clone', 'persist', 'serve', 'operator-link']) {
    const help = spawnSync(systemNode, ['byz.mjs', command, '--help'], { cwd: bare, encoding: 'utf8' });
    expect(help.status, `${command} --help: ${help.stderr}`).toBe(0);
    expect(help.stdout.length).toBeGreaterThan(40);
  }

  const bad = spawnSync(systemNode, ['byz.mjs', 'no-such-command'], { cwd: bare, encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
});
