/**
 * The operator's session as the page sees it: a CSRF token when logged in
 * (GET /operator/session), else nothing; and a login with the one-time link
 * that `byz operator-link` prints. All calls go through the live views' client.
 */
import { OperatorStatus, Session } from '../../tools/contract/schemas.ts';
import { fetchApiJson, type ApiAnswer, type ApiRequest } from '../live/api.ts';
import { el } from '../live/live-element.ts';
import type { LiveFormat } from '../live/format.ts';
import { parseWith } from '../live/parse.ts';

/** The CSRF token of a logged-in operator, or null for a visitor (401, or 403 away from the node itself). */
export async function operatorCsrf(): Promise<string | null> {
  const answer = await fetchApiJson('/operator/session');
  return answer.ok ? (parseWith(Session, answer.json)?.csrfToken ?? null) : null;
}

/** POST to an operator endpoint with the session's token. */
export const operatorPost = (path: string, body: unknown, csrf: string, extra: ApiRequest = {}) =>
  fetchApiJson(path, { ...extra, method: 'POST', body, csrf });

/** The token out of a pasted link (it follows the #) or a bare token. */
export function tokenFrom(text: string): string | null {
  const token = text.trim().split('#').at(-1)!.trim();
  return /^[A-Za-z0-9_.-]{16,512}$/.test(token) ? token : null;
}

/** The visitor's view: why there are no controls, and a form for the one-time link; `onLogin` runs after a login. */
export function loginForm(format: LiveFormat, onLogin: () => void): HTMLElement {
  const box = el('div', undefined, 'login');
  box.dataset.login = '';
  box.append(el('p', format.text('guided.visitor')));
  const form = el('form');
  const label = el('label', format.text('guided.login.field'));
  const input = el('input');
  input.name = 'link';
  input.autocomplete = 'off';
  input.dir = 'ltr';
  label.append(input);
  const message = el('p', undefined, 'message');
  message.setAttribute('role', 'status');
  form.append(el('p', format.text('guided.login.help')), label, el('button', format.text('guided.login.submit')), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = tokenFrom(input.value);
    if (!token) {
      message.textContent = format.text('guided.login.bad');
      return;
    }
    const answer = await fetchApiJson('/operator/session', { method: 'POST', body: { token } });
    if (answer.ok) onLogin();
    else message.textContent = (answer.reason === 'unavailable' && answer.message) || format.text('guided.login.bad');
  });
  box.append(form);
  return box;
}

/**
 * The gate of every operator view: marks `view` as the operator's or a
 * visitor's. A visitor gets the login form (and `restart` after logging in)
 * and undefined; the operator gets the session's CSRF token and the node's
 * full status (undefined when the node did not give it, with its answer).
 */
export async function operatorGate(
  view: HTMLElement,
  format: LiveFormat,
  restart: () => void,
): Promise<{ csrf: string; status: OperatorStatus | undefined; statusAnswer: ApiAnswer } | undefined> {
  const csrf = await operatorCsrf();
  if (!csrf) {
    view.dataset.role = 'visitor';
    view.append(loginForm(format, restart));
    return undefined;
  }
  view.dataset.role = 'operator';
  const statusAnswer = await fetchApiJson('/operator/status', { timeoutMs: 40_000 });
  const status = statusAnswer.ok ? parseWith(OperatorStatus, statusAnswer.json) : undefined;
  return { csrf, status, statusAnswer };
}
