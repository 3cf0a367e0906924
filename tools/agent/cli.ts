import { EXIT, UserError } from '../common/errors.ts';
import type { Command } from '../byz/command.ts';

// Placeholder until this command is built (see the open issues).
export const command: Command = {
  help: 'Not built yet.\n',
  async run() {
    throw new UserError('byz: this command is not built yet', EXIT.failed);
  },
};
