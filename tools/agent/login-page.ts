/**
 * The page a one-time login link opens: /operator/login#<token>. The token
 * rides in the fragment, which browsers never send to the server, so it does
 * not land in logs or history on the way; a small same-origin script posts it
 * to /api/v1/operator/session and removes it from the address bar.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_SECURITY_HEADERS, NON_PAGE_POLICY, pagePolicy } from './csp.ts';

export const LOGIN_PAGE_PATH = '/operator/login';
export const LOGIN_SCRIPT_PATH = '/operator/login.js';

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Operator login</title>
<script src="${LOGIN_SCRIPT_PATH}" defer></script>
</head>
<body>
<h1>Operator login</h1>
<p id="status">Logging in…</p>
<noscript>This page needs JavaScript to log in.</noscript>
</body>
</html>
`;

const script = `(() => {
  const status = document.getElementById('status');
  const token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  if (!token) { status.textContent = 'No login token in this link. Run "byz operator-link" on the node for a new one.'; return; }
  fetch('/api/v1/operator/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
    credentials: 'same-origin',
  }).then(async (answer) => {
    if (answer.ok) { location.replace('/'); return; }
    const body = await answer.json().catch(() => null);
    status.textContent = (body && body.error && body.error.message) || 'Login failed.';
  }, () => { status.textContent = 'The node did not answer.'; });
})();
`;

function send(req: IncomingMessage, res: ServerResponse, body: string, type: string, policy: string): void {
  res.writeHead(200, {
    ...COMMON_SECURITY_HEADERS,
    'Content-Security-Policy': policy,
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendLoginPage(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, page, 'text/html; charset=utf-8', pagePolicy([]));
}

export function sendLoginScript(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, script, 'text/javascript; charset=utf-8', NON_PAGE_POLICY);
}
