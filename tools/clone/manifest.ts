/**
 * The manifest stored on the target at byzantium/manifest.sha256, in the
 * format of sha256sum(1), so anyone can check a stick with
 * `cd /mnt/stick && sha256sum -c byzantium/manifest.sha256`.
 */

export interface ManifestEntry {
  readonly sha256: string;
  /** Path inside its filesystem, "/" separators, no leading slash. */
  readonly path: string;
}

export const MANIFEST_PATH = 'byzantium/manifest.sha256';
export const CLONE_INFO_PATH = 'byzantium/clone.json';
export const INCOMPLETE_MARKER = 'byzantium/clone-incomplete';
/** The files on the persistence partition (ext4), checked with debugfs. */
export const PERSIST_MANIFEST_PATH = 'byzantium/persist.sha256';

export function formatManifest(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => `${e.sha256}  ${e.path}\n`).join('');
}

export function parseManifest(text: string): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new Error(`bad manifest line: ${line.slice(0, 80)}`);
    entries.push({ sha256: match[1]!, path: match[2]! });
  }
  return entries;
}
