/** Parses /proc/mounts (and /proc/self/mounts): one mount per line, octal escapes for spaces. */

export interface Mount {
  /** What is mounted: "/dev/sdb1", "overlay", "tmpfs"… */
  readonly source: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
}

/** The kernel writes space, tab, newline and backslash in paths as \040, \011, \012, \134. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function parseProcMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    mounts.push({
      source: unescapeMountField(fields[0]!),
      mountPoint: unescapeMountField(fields[1]!),
      fsType: fields[2]!,
      options: fields[3]!.split(','),
    });
  }
  return mounts;
}

/** The mount holding `path` (longest mount point that is a prefix of it), given an absolute, resolved path. */
export function mountContaining(mounts: readonly Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const inside = point === '/' || path === point || path.startsWith(point.endsWith('/') ? point : `${point}/`);
    // A later mount on the same point hides the earlier one, so ">=" keeps the last.
    if (inside && (!best || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}
