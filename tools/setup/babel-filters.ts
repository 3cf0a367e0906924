/**
 * The operator's own babeld filters, such as `in neigh fe80::… deny` to
 * ignore a hostile node. byz writes babeld.conf afresh on every setup apply
 * and gateway on/off, so filters added there would be lost without a word.
 * They live in their own file, which byz only reads: its filter lines are
 * copied to the end of the babeld.conf it writes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, UserError } from '../common/errors.ts';

export const FILTERS_FILE = 'babeld-filters.conf';

/**
 * Only `in` and `out` filters: a `redistribute` or `interface` line here
 * could announce what the node must not, or undo the setup's own lines.
 */
const FILTER_LINE = /^(in|out)(\s+[\x21-\x7e]+){1,16}$/;
const MAX_FILTERS = 256;

/** The filter lines of the operator's file (comments and blank lines dropped); a one-line error for anything else. */
export function parseBabelFilters(text: string, path: string): string[] {
  const filters: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!FILTER_LINE.test(line)) {
      throw new UserError(`byz: ${path} line ${index + 1}: only babeld "in …" and "out …" filter lines belong there (for example "in neigh fe80::1 deny")`, EXIT.usage);
    }
    filters.push(line.replace(/\s+/g, ' '));
  });
  if (filters.length > MAX_FILTERS) throw new UserError(`byz: ${path} has ${filters.length} filters; at most ${MAX_FILTERS}`, EXIT.usage);
  return filters;
}

/** The filters in CONF_DIR/babeld-filters.conf, or none if the file does not exist. */
export async function readBabelFilters(confDir: string): Promise<string[]> {
  const path = join(confDir, FILTERS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UserError(`byz: cannot read ${path}: ${(error as Error).message}`, EXIT.failed);
  }
  return parseBabelFilters(text, path);
}
