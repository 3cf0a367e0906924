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
