/**
 * Reads the node agent's public API from the book's pages. Every answer is
 * checked against the same schemas the agent uses before anything is shown:
 * data that came from other nodes is hostile until validated. A page that is
 * not served by a node (the published book, a file on a laptop) gets
 * `absent`, and says so instead of showing an error.
 */
import * as v from 'valibot';
import { API_PREFIX } from '../../tools/contract/schemas.ts';

export type LiveResult<T> =
  | { ok: true; data: T }
  /** No agent here: a 404, an HTML page where JSON should be, or no answer at all. */
  | { ok: false; reason: 'absent' }
  /** An agent answered with an error (babeld down, for one). */
  | { ok: false; reason: 'unavailable'; status: number }
  /** An answer that does not match the contract. */
  | { ok: false; reason: 'invalid' };

export async function fetchLive<S extends v.GenericSchema>(
  path: string,
  schema: S,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<LiveResult<v.InferOutput<S>>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 8000);
  try {
    const response = await (options.fetch ?? fetch)(API_PREFIX + path, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal: controller.signal,
    });
    const isJson = /^application\/json\b/i.test(response.headers.get('content-type') ?? '');
    if (response.status === 404 || !isJson) return { ok: false, reason: 'absent' };
    if (!response.ok) return { ok: false, reason: 'unavailable', status: response.status };
    const parsed = v.safeParse(schema, await response.json());
    return parsed.success ? { ok: true, data: parsed.output } : { ok: false, reason: 'invalid' };
  } catch {
    return { ok: false, reason: 'absent' };
  } finally {
    clearTimeout(timer);
  }
}
