/**
 * The build's record of which compressed twins (.br, .gz) were made from which
 * bytes, written by scripts/precompress.mjs. The agent pairs a page with its
 * twins by file time; when a copy of the book lost the times, this record
 * still proves the twins belong to the page as it is, so phones keep getting
 * small files.
 */
import { createHash } from 'node:crypto';

/** At the root of the built site; hidden, so never served. */
export const TWIN_RECORD_FILE = '.byz-twins.json';

export interface TwinRecordFile {
  version: 1;
  /** Site path ("/ar/index.html") → the fingerprint of the page the twins were made from, and each twin's size. */
  files: Record<string, { source: string; br?: number; gz?: number }>;
}

/** Size and SHA-256 of a file's bytes: two files with the same fingerprint have the same content. */
export function fingerprintOf(content: Uint8Array): string {
  return `${content.length}-${createHash('sha256').update(content).digest('base64url')}`;
}

/** The record's entries, or an empty map when the file is missing or not one this agent knows. */
export function parseTwinRecord(text: string | null): Map<string, TwinRecordFile['files'][string]> {
  if (text === null) return new Map();
  try {
    const parsed = JSON.parse(text) as TwinRecordFile;
    if (parsed?.version !== 1 || !parsed.files || typeof parsed.files !== 'object') return new Map();
    return new Map(Object.entries(parsed.files));
  } catch {
    return new Map();
  }
}
