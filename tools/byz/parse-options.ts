/**
 * node:util's parseArgs with the rules every `byz` command shares, so that
 * an operator's typing mistake is one plain line (exit code 2) and never a
 * silent surprise:
 * - Node's messages are cut to their first sentence and point to --help;
 * - an empty value ("--site ''") is refused: it would otherwise mean "the default";
 * - an option given twice is refused: the last one would win silently
 *   (for options that take several values, the same value twice is refused).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, UserError } from '../common/errors.ts';

export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T & { tokens: true }>> {
  const fail = (message: string) => new UserError(`byz ${command}: ${message}`, EXIT.usage);
  let parsed: ReturnType<typeof parseArgs<T & { tokens: true }>>;
  try {
    parsed = parseArgs({ ...config, tokens: true });
  } catch (error) {
    throw fail(plainParseError(error, command));
  }
  const given = new Map<string, string[]>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const option = config.options?.[token.name];
    if (!option) continue;
    const flag = `--${token.name}`;
    if (option.type === 'string' && token.value !== undefined && token.value.trim() === '') throw fail(`${flag} needs a value, not an empty one`);
    const values = given.get(token.name) ?? [];
    if (!option.multiple && values.length > 0) throw fail(`${flag} is given twice; give it once`);
    if (option.multiple && token.value !== undefined && values.includes(token.value)) throw fail(`${flag} ${token.value} is given twice`);
    given.set(token.name, [...values, token.value ?? '']);
  }
  return parsed;
}

/** One short line from parseArgs' error, in words an operator can act on. */
function plainParseError(error: unknown, command: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const help = `(see "byz ${command} --help")`;
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  switch ((error as { code?: string }).code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted} ${help}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected word "${quoted}": this command takes only options ${help}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = quoted.split(' ')[0]!;
      if (message.includes('ambiguous')) return `${flag} needs a value; write a value that starts with "-" as ${flag}=VALUE`;
      if (message.includes('argument missing')) return `${flag} needs a value ${help}`;
      if (message.includes('does not take an argument')) return `${quoted.replace(/^-\w, /, '')} takes no value ${help}`;
      return `${message.split('\n')[0]} ${help}`;
    }
    default:
      return `${message.split('\n')[0]} ${help}`;
  }
}

/** The options the operator typed, by name (options left at their defaults are not here). */
export function typedOptions(parsed: { tokens?: ReadonlyArray<{ kind: string; name?: string }> }): string[] {
  return (parsed.tokens ?? []).flatMap((token) => (token.kind === 'option' && token.name ? [token.name] : []));
}

/** Refuses a typed option that this use of the command ignores: doing nothing with it would hide a mistake. */
export function refuseIgnored(command: string, use: string, typed: readonly string[], used: readonly string[]): void {
  const ignored = typed.find((name) => name !== 'help' && !used.includes(name));
  if (ignored) throw new UserError(`byz ${command}: --${ignored} does nothing with ${use}`, EXIT.usage);
}
