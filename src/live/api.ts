/**
 * Asks the node agent's public API for JSON. A page that is not served by a
 * node (the published book, a file on a laptop) gets `absent` and says so
 * instead of showing an error. This module has no validator on purpose: a
 * copy of the book without a node never loads one. What comes back is
 * `unknown` until a view's parser (./views/) has checked it against the
 * contract.
 */
import { API_PREFIX } from '../../tools/contract/schemas.ts';

export type ApiAnswer =
  | { ok: true; json: unknown }
  /** No agent here: a 404, an HTML page where JSON should be, or no answer at all. */
  | { ok: false; reason: 'absent' }
  /** An agent answered with an error (babeld down, for one). */
  | { ok: false; reason: 'unavailable' };

export async function fetchApiJson(path: string, options: { timeoutMs?: number } = {}): Promise<ApiAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 8000);
  try {
    const response = await fetch(API_PREFIX + path, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal: controller.signal,
    });
    const isJson = /^application\/json\b/i.test(response.headers.get('content-type') ?? '');
    if (response.status === 404 || !isJson) return { ok: false, reason: 'absent' };
    if (!response.ok) return { ok: false, reason: 'unavailable' };
    return { ok: true, json: await response.json() };
  } catch {
    return { ok: false, reason: 'absent' };
  } finally {
    clearTimeout(timer);
  }
}
