/**
 * Content-Security-Policy for the book's pages: scripts only from the site
 * itself plus the exact inline scripts the build emitted, allowed by their
 * SHA-256 hashes (computed at build by scripts/precompress.mjs), never
 * 'unsafe-inline'. Styles keep 'unsafe-inline' because Starlight writes style
 * attributes; a style cannot run code.
 */
import { createHash } from 'node:crypto';

/** The name of the file, at the root of the built site, that maps each page to its inline scripts' hashes. */
export const CSP_HASHES_FILE = '.byz-csp.json';

export interface CspHashesFile {
  version: 1;
  /** Site path of each HTML file ("/ar/index.html") → its inline scripts' CSP sources ("'sha256-…'"). */
  pages: Record<string, string[]>;
}

const inlineScript = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** CSP sources for every inline script of a page (those without src=). Data blocks such as JSON-LD are included: harmless. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, attributes, body] of html.matchAll(inlineScript)) {
    if (/\bsrc\s*=/i.test(attributes ?? '')) continue;
    hashes.add(`'sha256-${createHash('sha256').update(body ?? '', 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

/** The policy for an HTML page with these inline-script hashes. */
export function pagePolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    // wasm-unsafe-eval lets Pagefind compile its WebAssembly; it does not allow eval().
    `script-src 'self' 'wasm-unsafe-eval'${scriptHashes.length ? ' ' + scriptHashes.join(' ') : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy for everything that is not a page (JSON, scripts, images): nothing may run or embed it. */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Headers sent with every answer. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
