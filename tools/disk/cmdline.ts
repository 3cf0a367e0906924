/** Parses the kernel command line (/proc/cmdline) into the parameters the disk tools care about. */

export interface KernelParameters {
  /** All key=value parameters; bare flags map to "". The last one wins, as in the kernel. */
  readonly values: ReadonlyMap<string, string>;
}

export function parseKernelCmdline(text: string): KernelParameters {
  const values = new Map<string, string>();
  // Quoted values ("a b") are allowed by the kernel; keep them whole.
  for (const match of text.matchAll(/([^\s=]+)(?:=("[^"]*"|\S*))?/g)) {
    const raw = match[2] ?? '';
    values.set(match[1]!, raw.startsWith('"') ? raw.slice(1, -1) : raw);
  }
  return { values };
}

/**
 * Device references that name where the live system came from or writes to:
 * Porteus `from=` and `changes=`, Debian live `live-media=`, and `root=`.
 * Values may be "/dev/sdb1", "UUID=…", "LABEL=…", Porteus "UUID:…"/"LABEL:…",
 * or a path inside a device ("/dev/sdb1/porteus"), which we cut to the device.
 */
export function bootDeviceReferences(params: KernelParameters): string[] {
  const refs: string[] = [];
  for (const key of ['from', 'changes', 'root', 'live-media', 'bootfrom']) {
    const value = params.values.get(key);
    if (!value) continue;
    const dev = /^\/dev\/(?:mapper\/)?[^/]+/.exec(value);
    if (dev) refs.push(dev[0]);
    else if (/^(UUID|LABEL|PARTUUID)[=:]/i.test(value)) refs.push(value.replace(':', '=').replace(/\/.*$/, ''));
  }
  return refs;
}
