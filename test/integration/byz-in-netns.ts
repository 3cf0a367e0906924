/**
 * `byz` for the agent under test, run inside a network namespace with its
 * files under a test directory: argv is <namespace> <dir> <byz args...>.
 * The agent itself stays on the host's loopback (where Chromium reaches it);
 * every change the setup makes lands in the namespace and the directory.
 */
import { spawnSync } from 'node:child_process';

const [namespace, dir, ...args] = process.argv.slice(2);
const paths = args[0] === 'setup' ? ['--conf-dir', `${dir}/etc`, '--run-dir', `${dir}/run`, '--state-dir', `${dir}/state`] : args[0] === 'status' || args[0] === 'gateway' ? ['--state-dir', `${dir}/state`] : [];
const result = spawnSync('ip', ['netns', 'exec', namespace!, process.execPath, 'tools/byz/byz.ts', ...args, ...paths], { stdio: 'inherit' });
process.exit(result.status ?? 1);
