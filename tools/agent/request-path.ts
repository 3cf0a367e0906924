/**
 * Turns the path of a request into a site path, or refuses it. The path is
 * decoded exactly once, so "%252e%252e" stays the literal text "%2e%2e" and
 * never becomes "..". Dot segments, backslashes, NUL and malformed or overlong
 * UTF-8 are refused outright rather than "fixed". The result is only ever used
 * as a key into the index of files the site has (see site-index.ts); it never
 * reaches the filesystem, so a path outside the site cannot be read.
 */
export type SitePath = { ok: true; path: string; query: string } | { ok: false; status: 400 | 404 };

export function parseRequestPath(rawUrl: string | undefined): SitePath {
  if (!rawUrl || rawUrl[0] !== '/' || rawUrl.length > 2048) return { ok: false, status: 400 };
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
  // Fast path for the common, plain path: nothing to decode, no empty or dot segments.
  if (/^(?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)*\/?$/.test(rawPath)) return { ok: true, path: rawPath, query };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath); // throws on malformed and overlong UTF-8
  } catch {
    return { ok: false, status: 400 };
  }
  if (/[\0\\\u0001-\u001f\u007f]/.test(decoded) || decoded.includes('\uFFFD')) return { ok: false, status: 400 };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') return { ok: false, status: 400 };
    if (segment.startsWith('.')) return { ok: false, status: 404 }; // hidden files are not part of the site
  }
  const trailing = decoded.endsWith('/') && segments.length > 0 ? '/' : '';
  return { ok: true, path: '/' + segments.join('/') + trailing, query };
}
