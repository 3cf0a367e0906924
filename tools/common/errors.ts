/**
 * Exit codes shared by every `byz` command (documented in --help and the
 * book's reference pages).
 */
export const EXIT = {
  ok: 0,
  /** The operation ran and failed, or a verification did not hold. */
  failed: 1,
  /** Bad input: unknown option, bad value, unknown interface. */
  usage: 2,
  /** The machine is not ready: not root, a package missing, no such device. */
  environment: 3,
  /** Stopped by Ctrl-C or a signal. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error meant for the operator: its message is one line that names the
 * problem (and the fix, where there is one). The CLI prints it without a
 * stack trace and exits with its code.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode = EXIT.usage) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/**
 * An error line made safe for a terminal: control characters (a newline in a
 * typed name, an escape sequence) and bidirectional controls are shown as
 * escapes, so a message stays one line and cannot rewrite the screen.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of this path is not a directory',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  ENOTEMPTY: 'the directory is not empty',
};

/**
 * What a failed system call means, in one line naming the file or host, or
 * null for any other error: "ENOENT: no such file or directory, lstat '/x'"
 * becomes "/x: no such file or directory".
 */
export function describeSystemError(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const { code, path, hostname } = error as NodeJS.ErrnoException & { hostname?: string };
  if (typeof code !== 'string') return null;
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && typeof hostname === 'string') return `cannot find the host "${hostname.slice(0, 100)}" (not an address, and no name server knows it)`;
  const meaning = SYSTEM_ERRORS[code];
  if (!meaning || typeof path !== 'string') return null;
  return `${path.length > 200 ? `${path.slice(0, 200)}…` : path}: ${meaning}`;
}
