/** Asks the operator a yes/no question on the terminal; anything but "yes" is no. */
import { createInterface } from 'node:readline/promises';
import { EXIT, UserError } from '../common/errors.ts';

export async function askYes(question: string, howToSkip = '--yes'): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UserError(`byz: ${question} Not asking without a terminal: add ${howToSkip} to go ahead`, EXIT.usage);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`${question} Type "yes" to go on: `)).trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}
