/**
 * Asks the node agent's public API for JSON. A page that is not served by a
 * node (the published book, a file on a laptop) gets `absent` and says so
 * instead of showing an error. This module has no validator on purpose: a
 * copy of the book without a node never loads one. What comes back is
 * `unknown` until a view's parser (./views/) has checked it against the
 * contract.
 */
import { API_PREFIX } from '../../tools/contract/prefix.ts';

export type ApiAnswer =
  | { ok: true; json: unknown }
  /** No agent here: a 404, an HTML page where JSON should be, or no answer at all. */
  | { ok: false; reason: 'absent' }
  /**
   * An agent answered with an error (babeld down, for one; for the operator's
   * calls also a refusal: not logged in, a service others depend on). Its
   * status and one-line reason come along, to be shown as text.
   */
  | { ok: false; reason: 'unavailable'; status?: number; code?: string; message?: string };

export interface ApiRequest {
  timeoutMs?: number;
  /** POST sends `body` as JSON with the session's CSRF token (operator calls). */
  method?: 'GET' | 'POST';
  body?: unknown;
  csrf?: string;
}

export async function fetchApiJson(path: string, options: ApiRequest = {}): Promise<ApiAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 8000);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.method === 'POST') headers['content-type'] = 'application/json';
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  try {
    const response = await fetch(API_PREFIX + path, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: options.method === 'POST' ? JSON.stringify(options.body ?? {}) : null,
      signal: controller.signal,
    });
    const isJson = /^application\/json\b/i.test(response.headers.get('content-type') ?? '');
    if (!isJson || (response.status === 404 && options.method !== 'POST')) return { ok: false, reason: 'absent' };
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      return {
        ok: false,
        reason: 'unavailable',
        status: response.status,
        code: typeof error?.code === 'string' ? error.code.slice(0, 64) : '',
        message: typeof error?.message === 'string' ? error.message.slice(0, 500) : '',
      };
    }
    return { ok: true, json };
  } catch {
    return { ok: false, reason: 'absent' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Follows a long job (apply, undo, gateway, clone): every change as the
 * agent's server-sent `job` events, or by polling the job when the stream
 * breaks (a proxy, a flaky hop). `onJob` gets each raw answer, unchecked;
 * it returns true once the job is over, which ends the following.
 */
export function followJob(id: string, onJob: (json: unknown) => boolean): void {
  const path = `/operator/jobs/${encodeURIComponent(id)}`;
  let over = false;
  const poll = async () => {
    while (!over) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const answer = await fetchApiJson(path);
      if (answer.ok) over = onJob(answer.json);
    }
  };
  const events = new EventSource(API_PREFIX + path + '/events');
  events.addEventListener('job', (event) => {
    let json: unknown;
    try {
      json = JSON.parse((event as MessageEvent<string>).data);
    } catch {
      return;
    }
    over = onJob(json);
    if (over) events.close();
  });
  events.onerror = () => {
    events.close();
    if (!over) void poll();
  };
}
