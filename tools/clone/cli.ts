/** `byz clone`: copy this node's live system to a USB stick or an image file, verified. */
import { stat } from 'node:fs/promises';
import { parseCommandArgs, refuseIgnored, typedOptions } from '../byz/parse-options.ts';
import type { Command } from '../byz/command.ts';
import { EXIT, UserError } from '../common/errors.ts';
import { paint } from '../common/output.ts';
import { formatBytes, parseSize } from '../disk/size.ts';
import { askYes } from './ask.ts';
import { cloneNode, DEFAULT_STATE_DIR } from './clone.ts';
import { encryptOptionProblem, ENCRYPT_LATER_ADVICE } from './encrypt-options.ts';
import { checkCanEncrypt } from '../persist/create.ts';
import { obtainPassphrase, readKeyFile, storageSizeProblem } from '../persist/luks.ts';
import { renderBar, type CloneEvent } from './progress.ts';
import { listCloneTargets } from './targets.ts';
import { verifyTarget } from './verify.ts';

const help = `Usage: byz clone --to TARGET [options]
       byz clone --list
       byz clone --verify TARGET

Copies the live system this node booted from to TARGET, a whole USB stick
(/dev/sdX) or an image file, then reads it all back and compares it with a
SHA-256 manifest stored on the target (byzantium/manifest.sha256). The
target is made bootable only after it verifies: an interrupted or failed
clone never boots, and running the command again starts clean.
The clone never gets this node's identity (addresses, client subnet, keys,
operator secret, leases): it makes its own on first boot.

Options:
  --to TARGET          the disk or image file to write (erased)
  --source DIR         the live tree to copy (default: the mounted Porteus medium)
  --persist SIZE       add an ext4 persistence partition of SIZE (e.g. 2G)
  --with-state         copy this node's saved changes (minus its identity)
                       onto the persistence partition (512M unless --persist)
  --encrypt            put the persistence partition inside LUKS2
                       (cryptsetup); asks for the passphrase twice on the
                       terminal, not shown. Needs root and a kernel with
                       device-mapper; refused before anything is written
                       otherwise
  --key-file PATH      with --encrypt: read the passphrase from this file
                       instead (one line, mode 600: a file other users can
                       read is refused)
  --state-dir DIR      where the saved changes are (default ${DEFAULT_STATE_DIR})
  --allow-fixed        allow a disk that is not removable
  --yes                do not ask before erasing a disk or an existing file
  --progress MODE      bar (default on a terminal), json (one event per line
                       on stdout) or none
  --list               list the disks here and why each may not be used
  --verify TARGET      check an existing clone against its manifest
  -h, --help           show this help

Refused targets: the disk this node booted from or runs on, a mounted disk,
a read-only disk, a disk too small (the error says how much is needed), and
a fixed disk unless --allow-fixed.

Exit codes: 0 cloned and verified; 1 failed, refused or did not verify;
2 bad input; 3 not root or a tool missing; 130 interrupted.
`;

type ProgressMode = 'bar' | 'json' | 'none';

function progressPrinter(mode: ProgressMode): (event: CloneEvent) => void {
  const err = process.stderr;
  let barShown = false;
  const endBar = () => {
    if (barShown) err.write('\n');
    barShown = false;
  };
  if (mode === 'json') return (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  if (mode === 'none') return () => {};
  return (event) => {
    if (event.type === 'phase') {
      endBar();
      err.write(`${paint('bold', event.message, err as unknown as typeof process.stdout)}\n`);
    } else if (event.type === 'progress' && err.isTTY) {
      err.write(`\r${renderBar(event, 24)}\u001b[K`);
      barShown = true;
    } else if (event.type === 'result') {
      endBar();
    }
  };
}

async function listTargets(): Promise<number> {
  const targets = await listCloneTargets();
  if (targets.length === 0) {
    process.stdout.write('No disks found. Plug in a USB stick and run this again.\n');
    return EXIT.ok;
  }
  for (const t of targets) {
    const head = `${t.path}  ${formatBytes(t.sizeBytes)}  ${t.description}  serial ${t.serial || 'unknown'}`;
    if (t.refusals.length === 0) process.stdout.write(`${paint('green', 'usable ', process.stdout)} ${head}\n`);
    else {
      process.stdout.write(`${paint('red', 'refused', process.stdout)} ${head}\n`);
      for (const r of t.refusals) process.stdout.write(`          ${r.message}\n`);
    }
  }
  return EXIT.ok;
}

async function verify(path: string, json: boolean): Promise<number> {
  const report = await verifyTarget(path);
  if (json) process.stdout.write(`${JSON.stringify({ type: 'verify', ...report })}\n`);
  else process.stdout.write(`${report.ok ? paint('green', 'verified', process.stdout) : paint('red', report.state === 'complete' ? 'MISMATCH' : report.state, process.stdout)}: ${report.message}\n`);
  return report.ok ? EXIT.ok : EXIT.failed;
}

async function confirmOverwriteImage(path: string, yes: boolean): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size === 0 || yes) return;
  if (!(await askYes(`${path} exists (${formatBytes(info.size)}) and will be overwritten.`))) {
    throw new UserError(`byz: nothing written to ${path} (not confirmed)`, EXIT.failed);
  }
}

export const command: Command = {
  help,
  async run(argv) {
    const all = parseCommandArgs('clone', {
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        to: { type: 'string' },
        source: { type: 'string' },
        persist: { type: 'string' },
        'with-state': { type: 'boolean' },
        encrypt: { type: 'boolean' },
        'key-file': { type: 'string' },
        'state-dir': { type: 'string' },
        'allow-fixed': { type: 'boolean' },
        yes: { type: 'boolean' },
        progress: { type: 'string' },
        list: { type: 'boolean' },
        verify: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const parsed = all.values;
    if (parsed.help) {
      process.stdout.write(help);
      return EXIT.ok;
    }
    const mode = (parsed.progress ?? (process.stderr.isTTY ? 'bar' : 'none')) as ProgressMode;
    if (!['bar', 'json', 'none'].includes(mode)) throw new UserError(`byz clone: --progress must be bar, json or none, not "${mode}"`, EXIT.usage);
    if (parsed.list) {
      refuseIgnored('clone', '--list', typedOptions(all), ['list']);
      return listTargets();
    }
    if (parsed.verify !== undefined) {
      refuseIgnored('clone', '--verify', typedOptions(all), ['verify', 'progress']);
      return verify(parsed.verify, mode === 'json');
    }
    if (!parsed.to) throw new UserError('byz clone: say where to clone to with --to TARGET (see byz clone --help)', EXIT.usage);
    if (parsed['state-dir'] && !parsed['with-state']) throw new UserError('byz clone: --state-dir only makes sense with --with-state', EXIT.usage);
    const persistBytes = parsed.persist ? parseSize(parsed.persist, 'persistence size') : undefined;
    const encryptProblem = encryptOptionProblem({
      encrypt: parsed.encrypt ?? false,
      ...(parsed['key-file'] !== undefined ? { keyFile: parsed['key-file'] } : {}),
      ...(parsed.persist !== undefined ? { persist: parsed.persist } : {}),
      withState: parsed['with-state'] ?? false,
      terminal: Boolean(process.stdin.isTTY),
    });
    if (encryptProblem) throw new UserError(encryptProblem, EXIT.usage);
    const sizeProblem = persistBytes !== undefined ? storageSizeProblem(persistBytes, parsed.encrypt ?? false) : undefined;
    if (sizeProblem) throw new UserError(`byz clone: --persist ${parsed.persist}: ${sizeProblem}`, EXIT.usage);
    let encrypt: { passphrase: Buffer } | undefined;
    if (parsed.encrypt) {
      // A bad key file is bad input, said first; a terminal is asked only once the kernel can
      // encrypt at all, and before the long copy.
      const keyFile = parsed['key-file'];
      const fromFile = keyFile !== undefined ? await readKeyFile(keyFile) : undefined;
      await checkCanEncrypt('/', ENCRYPT_LATER_ADVICE);
      encrypt = { passphrase: fromFile ?? (await obtainPassphrase({ what: "the clone's persistence partition", command: 'byz clone' })) };
    }

    const isDevice = parsed.to.startsWith('/dev/');
    if (!isDevice) await confirmOverwriteImage(parsed.to, parsed.yes ?? false);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const print = progressPrinter(mode);
    try {
      const result = await cloneNode(
        {
          target: parsed.to,
          ...(parsed.source ? { source: parsed.source } : {}),
          ...(persistBytes ? { persistBytes } : {}),
          withState: parsed['with-state'] ?? false,
          ...(encrypt ? { encrypt } : {}),
          ...(parsed['state-dir'] ? { stateDir: parsed['state-dir'] } : {}),
          allowFixed: parsed['allow-fixed'] ?? false,
          yes: parsed.yes ?? false,
          signal: abort.signal,
          confirm: (q) => askYes(`Erase ${q.path}: ${q.model}, ${formatBytes(q.sizeBytes)}, serial ${q.serial}? Everything on it will be lost.`),
        },
        print,
      );
      const message = result.ok
        ? `${result.target}: cloned and verified (${result.files} files, ${formatBytes(result.bytes)})`
        : `${result.target}: did NOT verify: ${result.mismatches.slice(0, 3).map((m) => `${m.path} (${m.why})`).join(', ')}; the target is left unbootable`;
      print({ type: 'result', ok: result.ok, verified: result.verified, target: result.target, files: result.files, bytes: result.bytes, message });
      if (mode !== 'json') (result.ok ? process.stdout : process.stderr).write(`${message}\n`);
      return result.ok ? EXIT.ok : EXIT.failed;
    } catch (error) {
      if (abort.signal.aborted && error instanceof UserError) {
        throw new UserError('byz: clone interrupted; the target is marked incomplete and will not boot', EXIT.interrupted);
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
