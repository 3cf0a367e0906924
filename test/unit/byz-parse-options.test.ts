import { describe, expect, it } from 'vitest';
import { parseCommandArgs, refuseIgnored, typedOptions } from '../../tools/byz/parse-options.ts';
import { describeSystemError, EXIT, oneLine, UserError } from '../../tools/common/errors.ts';

const options = {
  to: { type: 'string' },
  dns: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
const parse = (...args: string[]) => parseCommandArgs('demo', { args, options });

/** The UserError a parse throws: its one line and exit code. */
function refusal(...args: string[]): { message: string; exitCode: number } {
  try {
    parse(...args);
  } catch (error) {
    if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
    throw error;
  }
  throw new Error(`accepted: ${args.join(' ')}`);
}

describe('options shared by every byz command', () => {
  it('passes good options through', () => {
    expect(parse('--to', 'a.img', '--dns', '9.9.9.9', '--dns', '1.1.1.1', '--json').values).toEqual({ to: 'a.img', dns: ['9.9.9.9', '1.1.1.1'], json: true });
  });

  it.each([
    [['--bogus'], 'byz demo: unknown option --bogus (see "byz demo --help")'],
    [['stray'], 'byz demo: unexpected word "stray": this command takes only options (see "byz demo --help")'],
    [['--to'], 'byz demo: --to needs a value (see "byz demo --help")'],
    [['--to', '-1'], 'byz demo: --to needs a value; write a value that starts with "-" as --to=VALUE'],
    [['--json=yes'], 'byz demo: --json takes no value (see "byz demo --help")'],
    [['--help=1'], 'byz demo: --help takes no value (see "byz demo --help")'],
    [['--to', ''], 'byz demo: --to needs a value, not an empty one'],
    [['--to= '], 'byz demo: --to needs a value, not an empty one'],
    [['--to', 'a.img', '--to', 'b.img'], 'byz demo: --to is given twice; give it once'],
    [['--json', '--json'], 'byz demo: --json is given twice; give it once'],
    [['--dns', '9.9.9.9', '--dns', '9.9.9.9'], 'byz demo: --dns 9.9.9.9 is given twice'],
  ])('refuses %j with one line and exit code 2', (args, message) => {
    expect(refusal(...args)).toEqual({ message, exitCode: EXIT.usage });
  });

  it('a value that starts with "-" is accepted when written with =', () => {
    expect(parse('--to=-1').values.to).toBe('-1');
  });
});

describe('options this use of a command ignores', () => {
  it('are refused by name; options left at their defaults and --help are not counted', () => {
    const typed = typedOptions(parse('--json', '--to', 'a.img', '--help'));
    expect(typed).toEqual(['json', 'to', 'help']);
    expect(() => refuseIgnored('demo', 'status', typed, ['json', 'to'])).not.toThrow();
    expect(() => refuseIgnored('demo', 'status', typed, ['json'])).toThrow(new UserError('byz demo: --to does nothing with status'));
  });
});

describe('error lines', () => {
  it('show control and direction characters as escapes, so a message stays one harmless line', () => {
    expect(oneLine('bad name "a\nb"')).toBe('bad name "a\\nb"');
    expect(oneLine('\u001b]0;pwned\u0007')).toBe('\\u001b]0;pwned\\u0007');
    expect(oneLine('x\u202ey')).toBe('x\\u202ey');
    expect(oneLine('عقدة 节点 ok')).toBe('عقدة 节点 ok');
  });

  it('name the file and the reason of a failed system call', () => {
    const error = Object.assign(new Error("ENOTDIR: not a directory, open '/dev/null/operator-secret'"), { code: 'ENOTDIR', path: '/dev/null/operator-secret' });
    expect(describeSystemError(error)).toBe('/dev/null/operator-secret: a part of this path is not a directory');
    expect(describeSystemError(Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND', hostname: 'x.invalid' }))).toBe(
      'cannot find the host "x.invalid" (not an address, and no name server knows it)',
    );
    expect(describeSystemError(Object.assign(new Error('odd'), { code: 'EWHATEVER', path: '/x' }))).toBeNull();
    expect(describeSystemError(new TypeError('a bug'))).toBeNull();
  });
});
