/**
 * Reads the head of the plainest kind of HTTP request, the one a phone sends
 * for a file of the book: GET or HEAD, HTTP/1.1, one Host, no body, no range,
 * no condition, every byte printable ASCII. Anything else is "not plain" (null),
 * and the fast lane (fast-lane.ts) then hands the connection to node:http,
 * whose parser judges it. So this reader never has to reject or repair
 * anything: it only recognises.
 */
export interface PlainRequest {
  readonly method: 'GET' | 'HEAD';
  /** The request target as sent (decoded later by request-path.ts, as for every request). */
  readonly target: string;
  readonly host: string;
  readonly acceptEncoding: string | undefined;
  /** The client asked to close the connection after this answer. */
  readonly close: boolean;
}

/** The most header lines a plain request may have (node:http keeps 64). */
const MAX_HEADER_LINES = 64;
const REQUEST_LINE = /^(GET|HEAD) (\/[!-~]*) HTTP\/1\.1$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t -~]*$/;
/** Headers that give a request a body, a range, a condition or another protocol: node:http handles those. */
const NOT_PLAIN = new Set([
  'content-length',
  'transfer-encoding',
  'upgrade',
  'expect',
  'range',
  'if-range',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
]);

/** The request in a head (without its final blank line), or null when it is not plain. */
export function parsePlainHead(head: string): PlainRequest | null {
  const lines = head.split('\r\n');
  if (lines.length > MAX_HEADER_LINES + 1) return null;
  const requestLine = REQUEST_LINE.exec(lines[0] ?? '');
  if (!requestLine) return null;
  let host: string | undefined;
  let acceptEncoding: string | undefined;
  let connection: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const rawName = line.slice(0, colon);
    const rawValue = line.slice(colon + 1);
    if (!TOKEN.test(rawName) || !FIELD_VALUE.test(rawValue)) return null;
    const name = rawName.toLowerCase();
    const value = trimWhitespace(rawValue);
    if (NOT_PLAIN.has(name)) return null;
    if (name === 'host') {
      if (host !== undefined) return null;
      host = value;
    } else if (name === 'accept-encoding') {
      if (acceptEncoding !== undefined) return null;
      acceptEncoding = value;
    } else if (name === 'connection') {
      if (connection !== undefined) return null;
      connection = value.toLowerCase();
    }
  }
  if (!host) return null;
  if (connection !== undefined && connection !== 'keep-alive' && connection !== 'close') return null;
  return { method: requestLine[1] as 'GET' | 'HEAD', target: requestLine[2]!, host, acceptEncoding, close: connection === 'close' };
}

/** Strips spaces and tabs at both ends (a loop: a regular expression for the end is quadratic on long runs of spaces). */
function trimWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return value.slice(start, end);
}
