/**
 * An index of the built site, made once at start: every servable file, its
 * precompressed variants, cache policy, type and validators. Requests are
 * looked up in this map, never joined onto a filesystem path, so only files
 * that were inside the site's root at start can ever be sent.
 */
import { readdirSync, readFileSync, lstatSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { contentTypeOf } from './mime.ts';
import { CSP_HASHES_FILE, type CspHashesFile } from './csp.ts';
import { fingerprintOf, parseTwinRecord, TWIN_RECORD_FILE } from './twin-record.ts';

export interface Variant {
  readonly file: string;
  readonly size: number;
  readonly etag: string;
  /** 'br', 'gzip' or null for the file as it is. */
  readonly encoding: 'br' | 'gzip' | null;
}

export interface SiteFile {
  readonly sitePath: string;
  readonly type: string;
  readonly isHtml: boolean;
  /** Hashed in its name: may be cached for a year. */
  readonly immutable: boolean;
  readonly identity: Variant;
  readonly br: Variant | null;
  readonly gzip: Variant | null;
  /** CSP script hashes of an HTML page (from the build's file); null = not known, compute on first use. */
  cspHashes: string[] | null;
}

export interface SiteIndex {
  readonly root: string;
  readonly files: Map<string, SiteFile>;
  /** .br/.gz twins left out because they were not made from the page as it is now (a page changed since the build). */
  readonly staleTwins: number;
}

/** Astro's bundles (/_astro/) and Pagefind's index files carry a content hash in their names. */
function isHashedName(sitePath: string): boolean {
  return sitePath.startsWith('/_astro/') || /^\/pagefind\/.*\.pf_(fragment|index|meta)$/.test(sitePath);
}

function etagOf(size: number, mtimeMs: number, suffix: string): string {
  return `"${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}${suffix}"`;
}

const MAX_FILES = 200_000;

export function indexSite(rootDir: string): SiteIndex {
  const root = realpathSync(rootDir);
  const files = new Map<string, SiteFile>();
  let staleTwins = 0;
  let cspPages: Record<string, string[]> = {};
  try {
    const parsed = JSON.parse(readFileSync(join(root, CSP_HASHES_FILE), 'utf8')) as CspHashesFile;
    if (parsed?.version === 1 && parsed.pages && typeof parsed.pages === 'object') cspPages = parsed.pages;
  } catch {
    // No hashes file (site not post-processed): hashes are computed per page on first use.
  }

  let twinRecord: ReturnType<typeof parseTwinRecord>;
  try {
    twinRecord = parseTwinRecord(readFileSync(join(root, TWIN_RECORD_FILE), 'utf8'));
  } catch {
    twinRecord = parseTwinRecord(null);
  }

  const walk = (dir: string, sitePrefix: string): void => {
    const names = readdirSync(dir).sort();
    const present = new Set(names);
    for (const name of names) {
      if (name.startsWith('.')) continue; // hidden files (and the CSP file) are not part of the site
      const file = join(dir, name);
      const stat = lstatSync(file);
      // Symbolic links are skipped: they could point outside the root.
      if (stat.isDirectory()) {
        walk(file, `${sitePrefix}${name}/`);
        continue;
      }
      if (!stat.isFile()) continue;
      // A precompressed twin of a file that exists is a variant, not a page of its own.
      if ((name.endsWith('.br') || name.endsWith('.gz')) && present.has(name.slice(0, -3))) continue;
      if (files.size >= MAX_FILES) throw new Error(`more than ${MAX_FILES} files under ${root}`);
      const sitePath = sitePrefix + name;
      let madeFromThisPage: boolean | undefined;
      const variant = (suffix: '.br' | '.gz', encoding: 'br' | 'gzip'): Variant | null => {
        if (!present.has(name + suffix)) return null;
        const vstat = lstatSync(file + suffix);
        if (!vstat.isFile()) return null;
        // precompress.mjs gives each twin its page's time. When the times differ (a copy that lost them, or a page
        // changed since), the build's record decides: the twin is used only if it was made from these very bytes.
        if (Math.abs(vstat.mtimeMs - stat.mtimeMs) > 1) {
          const recorded = twinRecord.get(sitePath);
          madeFromThisPage ??= recorded !== undefined && recorded.source === fingerprintOf(readFileSync(file));
          if (!madeFromThisPage || recorded?.[suffix === '.br' ? 'br' : 'gz'] !== vstat.size) {
            staleTwins++;
            return null;
          }
        }
        return { file: file + suffix, size: vstat.size, etag: etagOf(stat.size, stat.mtimeMs, suffix === '.br' ? '-br' : '-gz'), encoding };
      };
      const isHtml = name.endsWith('.html');
      files.set(sitePath, {
        sitePath,
        type: contentTypeOf(name),
        isHtml,
        immutable: isHashedName(sitePath),
        identity: { file, size: stat.size, etag: etagOf(stat.size, stat.mtimeMs, ''), encoding: null },
        br: variant('.br', 'br'),
        gzip: variant('.gz', 'gzip'),
        // The build's hashes are the authority: a script added to a page after the build does not run.
        // (astro build empties dist/, so a rebuild without precompress has no file, and pages are hashed as they are.)
        cspHashes: isHtml ? (cspPages[sitePath] ?? null) : null,
      });
    }
  };
  walk(root, '/');
  // Guard against a root that moved under us: every file must still be inside it.
  for (const entry of files.values()) {
    if (!entry.identity.file.startsWith(root + sep)) throw new Error(`file outside the site root: ${entry.identity.file}`);
  }
  return { root, files, staleTwins };
}
