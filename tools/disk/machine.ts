/**
 * Reads this machine's view of its disks. `root` is "/" on a node and a
 * fixture directory (test/fixtures/disk/<case>) in tests: the files read are
 * <root>/proc/mounts, <root>/proc/cmdline, <root>/sys/block and <root>/dev/disk/by-*.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { bootDeviceReferences, parseKernelCmdline } from './cmdline.ts';
import { parseProcMounts } from './mounts.ts';
import type { MachineView } from './refusals.ts';
import { readBlockDevices } from './sysfs.ts';

async function readAliases(root: string): Promise<Map<string, string>> {
  const aliases = new Map<string, string>();
  for (const [dir, key] of [
    ['by-uuid', 'UUID'],
    ['by-label', 'LABEL'],
    ['by-partuuid', 'PARTUUID'],
  ] as const) {
    let entries: string[] = [];
    try {
      entries = await readdir(join(root, 'dev', 'disk', dir));
    } catch {
      continue;
    }
    for (const entry of entries) {
      try {
        const target = basename(await readlink(join(root, 'dev', 'disk', dir, entry)));
        // udev escapes spaces in labels as \x20.
        const value = entry.replace(/\\x([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
        aliases.set(`${key}=${value}`, target);
        aliases.set(`/dev/disk/${dir}/${entry}`, target);
      } catch {
        // not a link: ignore
      }
    }
  }
  return aliases;
}

export async function readMachineView(root = '/'): Promise<MachineView> {
  const [mountsText, cmdlineText, devices, aliases] = await Promise.all([
    readFile(join(root, 'proc', 'mounts'), 'utf8'),
    readFile(join(root, 'proc', 'cmdline'), 'utf8').catch(() => ''),
    readBlockDevices(join(root, 'sys')),
    readAliases(root),
  ]);
  return {
    devices,
    mounts: parseProcMounts(mountsText),
    cmdlineRefs: bootDeviceReferences(parseKernelCmdline(cmdlineText)),
    aliases,
  };
}
