/** `byz operator-link`: prints a one-time login link for the operator's browser on this node. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs } from '../byz/parse-options.ts';
import { EXIT, UserError } from '../common/errors.ts';
import type { Command } from '../byz/command.ts';
import { makeLoginToken } from './auth.ts';
import { LOGIN_PAGE_PATH } from './login-page.ts';
import { LISTEN_FILE, defaultStateDir, readSecret } from './state-dir.ts';

const isRoot = () => process.getuid?.() === 0;

const help = `Usage: byz operator-link [options]

Prints a login link for the node agent's operator pages. Open it in the
browser on this node: it works once, within ten minutes. Only a user who can
read the agent's operator secret (usually root) can make one.

Options:
  --url URL         the agent's address (default: where the running agent said it
                    listens, else http://localhost${isRoot() ? '' : ':4321'})
  --state-dir DIR   the agent's state directory (default: ${defaultStateDir()})
  -h, --help        show this help

Exit codes: 0 printed, 2 bad option, 3 no secret yet (start "byz serve" once) or not readable.
`;

/** The address the running agent wrote at start (`<state-dir>/listen.json`), if any. */
function listeningAt(stateDir: string): string | null {
  try {
    const { url } = JSON.parse(readFileSync(join(stateDir, LISTEN_FILE), 'utf8')) as { url?: unknown };
    return typeof url === 'string' && /^http:\/\/[^\s/?#]+$/.test(url) ? url : null;
  } catch {
    return null;
  }
}

export function operatorLink(baseUrl: string, stateDir: string): string {
  const token = makeLoginToken(readSecret(stateDir));
  // The token rides in the fragment: browsers do not send it to the server or in Referer.
  return `${baseUrl.replace(/\/+$/, '')}${LOGIN_PAGE_PATH}#${token}`;
}

export const command: Command = {
  help,
  async run(argv) {
    const { values } = parseCommandArgs('operator-link', { args: argv, options: { url: { type: 'string' }, 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    const stateDir = values['state-dir'] ?? defaultStateDir();
    const base = values.url ?? listeningAt(stateDir) ?? `http://localhost${isRoot() ? '' : ':4321'}`;
    const port = /:(\d+)\/?$/.exec(base)?.[1];
    if (!/^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?\/?$/.test(base) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      throw new UserError('byz operator-link: --url must look like http://HOST[:PORT], with a port from 1 to 65535');
    }
    process.stdout.write(operatorLink(base, stateDir) + '\n');
    return EXIT.ok;
  },
};
