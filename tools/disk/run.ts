/**
 * Runs the disk tools (sfdisk, mkfs.vfat, mtools, syslinux, mkfs.ext4,
 * cryptsetup…) as argv arrays, never through a shell. A missing tool becomes
 * one line naming the Debian package to install. (tools/common had no command
 * runner when this was written; this one is local to the disk tools.)
 */
import { execa, type Options, type ResultPromise } from 'execa';
import { EXIT, UserError } from '../common/errors.ts';

/** Which Debian package brings each tool, for the "not installed" message. */
const PACKAGE_OF: Record<string, string> = {
  sfdisk: 'fdisk',
  'mkfs.vfat': 'dosfstools',
  'fsck.vfat': 'dosfstools',
  mcopy: 'mtools',
  mmd: 'mtools',
  mdel: 'mtools',
  mdir: 'mtools',
  syslinux: 'syslinux',
  'mkfs.ext4': 'e2fsprogs',
  debugfs: 'e2fsprogs',
  cryptsetup: 'cryptsetup-bin',
  blockdev: 'util-linux',
  losetup: 'mount',
};

/** mtools refuses images whose size is not a multiple of its guessed geometry; the check means nothing here. */
export const MTOOLS_ENV = { MTOOLS_SKIP_CHECK: '1', MTOOLS_NO_VFAT: '' } as const;

function toolMissing(tool: string): UserError {
  const pkg = PACKAGE_OF[tool];
  return new UserError(
    `byz: ${tool} is not installed${pkg ? ` (Debian package ${pkg}: apt-get install ${pkg})` : ''}`,
    EXIT.environment,
  );
}

/** The first line of a tool's complaint, for a one-line error. */
function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

/** Runs a tool to completion; a failure becomes a one-line UserError (exit 1). */
export async function runTool(argv: readonly string[], options: Options = {}): Promise<string> {
  const [tool, ...args] = argv;
  try {
    const stdin = options.input === undefined && options.stdin === undefined ? { stdin: 'ignore' as const } : {};
    const result = await execa(tool!, args, { ...stdin, stripFinalNewline: true, ...options, reject: true });
    return typeof result.stdout === 'string' ? result.stdout : '';
  } catch (error) {
    throw toolError(tool!, error);
  }
}

/** Starts a tool whose stdin/stdout the caller streams; await the result with `settleTool`. */
export function startTool(argv: readonly string[], options: Options): ResultPromise {
  const [tool, ...args] = argv;
  return execa(tool!, args, { ...options, reject: true });
}

export function toolError(tool: string, error: unknown): UserError {
  const e = error as { code?: string; stderr?: unknown; signal?: string; shortMessage?: string };
  if (e.code === 'ENOENT') return toolMissing(tool);
  if (e.signal) return new UserError(`byz: ${tool} was stopped by ${e.signal}`, EXIT.interrupted);
  const detail = firstLine(typeof e.stderr === 'string' ? e.stderr : '') || firstLine(e.shortMessage ?? String(error));
  return new UserError(`byz: ${tool} failed: ${detail}`, EXIT.failed);
}
