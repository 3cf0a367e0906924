/** Reads the machine back and says whether a step's expectation holds. */
import { readFile } from 'node:fs/promises';
import { tryRun, type Host } from '../common/run.ts';
import { parseIpAddr } from '../observe/ip-addr.ts';
import { parseIpLink } from '../observe/ip-link.ts';
import { parseIwDev } from '../observe/iw.ts';
import { ParseError } from '../observe/parse-error.ts';
import { arpingVerdict } from '../observe/arping.ts';
import type { Expectation } from '../plan/step.ts';

/** The live process named by a pid file, or undefined. */
export async function livePid(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // Field 3, after the parenthesised name, is the state; Z is a dead child not yet reaped.
  const stateLetter = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return stateLetter === 'Z' || stateLetter === 'X' ? undefined : pid;
}

/** Duplicate address detection (iputils arping -D): true when a neighbour answers, false when none does, undefined when no probe went out (link down). */
export async function addressInUse(host: Host, dev: string, address: string): Promise<boolean | undefined> {
  const result = await tryRun(host, ['arping', '-D', '-I', dev, '-c', '2', '-w', '3', address], { timeoutMs: 10_000 });
  return arpingVerdict(result.exitCode);
}

async function programOf(pid: number): Promise<string> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const first = cmdline.split('\0')[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}

export async function holds(host: Host, expect: Expectation): Promise<boolean> {
  try {
    switch (expect.kind) {
      case 'nothing':
        return true;
      case 'link-up': {
        const result = await tryRun(host, ['ip', '-j', 'link', 'show', 'dev', expect.dev]);
        return result.exitCode === 0 && parseIpLink(result.stdout).some((link) => link.adminUp);
      }
      case 'address': {
        const result = await tryRun(host, ['ip', '-j', 'addr', 'show', 'dev', expect.dev]);
        if (result.exitCode !== 0) return false;
        return parseIpAddr(result.stdout).some((a) => `${a.local}/${a.prefixlen}` === expect.cidr);
      }
      case 'link-local-ready': {
        const result = await tryRun(host, ['ip', '-j', '-6', 'addr', 'show', 'dev', expect.dev, 'scope', 'link']);
        if (result.exitCode !== 0) return false;
        return parseIpAddr(result.stdout).some((a) => a.family === 'inet6' && !a.tentative && !a.dadFailed);
      }
      case 'file':
        return (await readFile(expect.path, 'utf8').catch(() => undefined)) === expect.content;
      case 'process': {
        const pid = await livePid(expect.pidFile);
        return pid !== undefined && (await programOf(pid)) === expect.program;
      }
      case 'sysctl': {
        const result = await tryRun(host, ['sysctl', '-n', expect.key]);
        return result.exitCode === 0 && result.stdout.trim() === expect.value;
      }
      case 'radio': {
        const result = await tryRun(host, ['iw', 'dev']);
        return parseIwDev(result.stdout).some(
          (r) => r.name === expect.dev && r.type === expect.type && r.ssid === expect.ssid && r.frequency === expect.frequency,
        );
      }
      case 'address-free':
        return (await addressInUse(host, expect.dev, expect.address)) === false;
      case 'nft-table':
        return (await tryRun(host, ['nft', 'list', 'table', expect.family, expect.name])).exitCode === 0;
    }
  } catch (error) {
    if (error instanceof ParseError) return false;
    throw error;
  }
}
