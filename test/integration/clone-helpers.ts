/** Shared helpers for the clone and persist integration tests: run `byz`, check tools, skip visibly (never in CI). */
import { execa } from 'execa';
import { join } from 'node:path';

export const repo = join(import.meta.dirname, '..', '..');
export const node = join(repo, 'node_modules', '.bin', 'node');
export const byzEntry = join(repo, 'tools', 'byz', 'byz.ts');

export function byz(args: string[], options: { input?: string } = {}) {
  return execa(node, [byzEntry, ...args], { reject: false, env: { NO_COLOR: '1' }, ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }) });
}

export async function hasTool(name: string): Promise<boolean> {
  const result = await execa('sh', ['-c', 'command -v "$1"', 'sh', name], { reject: false, env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  return result.exitCode === 0;
}

/**
 * Why a test cannot run here, or undefined when it can. In CI (process.env.CI
 * set) a missing prerequisite is a failure, not a skip: CI runs as root with
 * every package in .ci/packages.txt installed.
 */
export async function missing(needs: { root?: boolean; tools?: string[] }): Promise<string | undefined> {
  const reasons: string[] = [];
  if (needs.root && process.getuid?.() !== 0) reasons.push('needs root');
  for (const tool of needs.tools ?? []) if (!(await hasTool(tool))) reasons.push(`needs ${tool}`);
  if (reasons.length === 0) return undefined;
  const why = reasons.join(', ');
  if (process.env.CI) throw new Error(`cannot run in CI: ${why} (.ci/packages.txt and root are required)`);
  console.warn(`SKIPPED: ${why}`);
  return why;
}

export const DISK_TOOLS = ['sfdisk', 'mkfs.vfat', 'mcopy', 'mtype', 'mkfs.ext4', 'debugfs', 'syslinux'];
