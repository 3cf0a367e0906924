/**
 * Captive mode: when a phone joins the node's network, its operating system
 * fetches a known "connectivity check" address (Android: generate_204, iOS:
 * hotspot-detect.html, Windows: connecttest.txt, Firefox, GNOME/Ubuntu). The
 * node's DNS answers those names with the node (tools/common/captive-probes.ts,
 * written by byz setup --captive), and here every plain GET for a name that
 * is not the node's is redirected to the node's front page, which
 * makes the phone open it. Nothing is served under the foreign name, so DNS
 * rebinding gains nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_SECURITY_HEADERS } from './csp.ts';
import type { HostAllowlist } from './host-allowlist.ts';

/** The front page's address on the interface the phone reached. */
function frontPageUrl(req: IncomingMessage): string {
  const local = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = local.includes(':') ? `[${local}]` : local;
  const port = req.socket.localPort;
  return `http://${host}${port && port !== 80 ? `:${port}` : ''}/`;
}

/** Answers the request if it is a probe (any GET/HEAD for a foreign host); true when answered. */
export function captiveRedirect(req: IncomingMessage, res: ServerResponse, hosts: HostAllowlist): boolean {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || hosts.allows(req.headers.host)) return false;
  res.writeHead(302, { ...COMMON_SECURITY_HEADERS, Location: frontPageUrl(req), 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
  return true;
}
