/** One `byz` subcommand: parses its own argv (node:util parseArgs), prints --help, returns an exit code. */
export interface Command {
  /** One-paragraph help text printed by --help. */
  readonly help: string;
  run(argv: string[]): Promise<number>;
}
