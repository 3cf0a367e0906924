/** `byz persist`: create or inspect persistent storage for the live system. */
import { parseCommandArgs, refuseIgnored, typedOptions } from '../byz/parse-options.ts';
import type { Command } from '../byz/command.ts';
import { EXIT, UserError } from '../common/errors.ts';
import { askYes } from '../clone/ask.ts';
import { findLiveSource } from '../clone/source.ts';
import { readMachineView } from '../disk/machine.ts';
import { formatBytes, parseSize } from '../disk/size.ts';
import { checkCanEncrypt, createSaveFile, preparePartition } from './create.ts';
import { obtainPassphrase, readKeyFile, storageSizeProblem } from './luks.ts';
import { changesParameter } from './rules.ts';
import { persistStatus } from './status.ts';
import { join, resolve } from 'node:path';

const help = `Usage: byz persist create --size SIZE [--file PATH] [--encrypt]
       byz persist create --partition DEV [--encrypt]
       byz persist status [--json]

Without persistence a live system forgets everything at shutdown. "create"
makes a Porteus save file (an ext4 filesystem inside a file; default
porteus/changes/byzantium.dat on the boot medium) or formats a spare
partition; boot with changes=PATH-OR-DEVICE to use it.

A save file on a FAT32 stick must be smaller than 1024 MB or the live
system will not find it at boot: byz refuses bigger ones. Use a second
partition (--partition) for more; Linux filesystems have no such limit.

Options:
  --size SIZE        size of the save file, e.g. 900M (binary units: 1G = 1024M);
                     not with --partition (the partition has its size)
  --file PATH        where to create the save file (must not exist)
  --partition DEV    format this partition instead (erases it; root only)
  --encrypt          LUKS2 encryption (root, and a kernel with device-mapper);
                     asks for the passphrase twice on the terminal, not shown
  --key-file PATH    read the passphrase from this file instead (one line,
                     mode 600: a file other users can read is refused)
  --yes              do not ask before formatting a partition
  --json             (status) print JSON
  -h, --help         show this help

Exit codes: 0 ok; 1 refused or failed; 2 bad input; 3 not root or a tool
missing; 130 interrupted.
`;

function parse(argv: string[]) {
  return parseCommandArgs('persist', {
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      size: { type: 'string' },
      file: { type: 'string' },
      partition: { type: 'string' },
      encrypt: { type: 'boolean' },
      'key-file': { type: 'string' },
      yes: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function status(json: boolean): Promise<number> {
  const s = await persistStatus();
  if (json) {
    process.stdout.write(`${JSON.stringify(s)}\n`);
    return EXIT.ok;
  }
  if (s.kind === 'none') {
    process.stdout.write('No persistence: changes are kept in memory and lost at shutdown.\n');
    if (s.requested) process.stdout.write(`The boot line asks for changes=${s.requested}, but nothing is mounted there.\n`);
    return EXIT.ok;
  }
  const space = s.totalBytes !== undefined && s.freeBytes !== undefined ? `, ${formatBytes(s.freeBytes)} free of ${formatBytes(s.totalBytes)}` : '';
  process.stdout.write(`Changes are saved to a ${s.kind.replace('-', ' ')}: ${s.where} (${s.filesystem}${s.encrypted ? ', encrypted' : ''}${space}).\n`);
  return EXIT.ok;
}

async function create(values: ReturnType<typeof parse>['values']): Promise<number> {
  if (values.file && values.partition) throw new UserError('byz persist: give --file or --partition, not both', EXIT.usage);
  if (values['key-file'] && !values.encrypt) throw new UserError('byz persist: --key-file only makes sense with --encrypt', EXIT.usage);
  const sizeProblem = values.size ? storageSizeProblem(parseSize(values.size), values.encrypt ?? false) : undefined;
  if (sizeProblem) throw new UserError(`byz persist: --size ${values.size}: ${sizeProblem}`, EXIT.usage);
  let encrypt: { passphrase: Buffer } | undefined;
  if (values.encrypt) {
    // A bad key file first (bad input); then root and a kernel that can open LUKS, before asking.
    const fromFile = values['key-file'] !== undefined ? await readKeyFile(values['key-file']) : undefined;
    await checkCanEncrypt();
    encrypt = { passphrase: fromFile ?? (await obtainPassphrase({ what: 'the persistent storage', command: 'byz persist' })) };
  }
  if (values.partition) {
    if (values.size) throw new UserError('byz persist: --size does not apply to --partition (the partition has its size)', EXIT.usage);
    await preparePartition(values.partition, { sizeBytes: 0, ...(encrypt ? { encrypt } : {}), yes: values.yes ?? false, confirm: (q) => askYes(q) });
    process.stdout.write(`${values.partition} is ready for persistence: boot with changes=${values.partition}\n`);
    return EXIT.ok;
  }
  if (!values.size) throw new UserError('byz persist: say how big with --size SIZE, e.g. --size 900M', EXIT.usage);
  const sizeBytes = parseSize(values.size);
  let file = values.file;
  if (!file) {
    const medium = await findLiveSource((await readMachineView()).mounts);
    if (!medium) throw new UserError('byz persist: cannot find the boot medium: give --file PATH or --partition DEV', EXIT.environment);
    file = join(medium, 'porteus', 'changes', 'byzantium.dat');
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await createSaveFile(file, { sizeBytes, ...(encrypt ? { encrypt } : {}), signal: abort.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const bootWith = changesParameter((await readMachineView()).mounts, resolve(file));
  process.stdout.write(`Created the save file ${file} (${formatBytes(sizeBytes)}${encrypt ? ', encrypted' : ''}): boot with ${bootWith}\n`);
  return EXIT.ok;
}

export const command: Command = {
  help,
  async run(argv) {
    const parsed = parse(argv);
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new UserError(`byz persist: unexpected "${extra[0]}" (see byz persist --help)`, EXIT.usage);
    if (action === 'status') {
      refuseIgnored('persist', 'status', typedOptions(parsed), ['json']);
      return status(values.json ?? false);
    }
    if (action === 'create') {
      refuseIgnored('persist', 'create', typedOptions(parsed), ['size', 'file', 'partition', 'encrypt', 'key-file', 'yes']);
      return create(values);
    }
    throw new UserError(`byz persist: say "create" or "status" (see byz persist --help)`, EXIT.usage);
  },
};
