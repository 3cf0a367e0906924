/**
 * Captive mode: when a phone joins the node's network, its operating system
 * fetches a known "connectivity check" address (Android: generate_204, iOS:
 * hotspot-detect.html, Windows: connecttest.txt, Firefox, GNOME/Ubuntu). The
 * node's DNS answers every name with the node, and here every plain GET for a
 * name that is not the node's is redirected to the node's front page, which
 * makes the phone open it. Nothing is served under the foreign name, so DNS
 * rebinding gains nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_SECURITY_HEADERS } from './csp.ts';
import type { HostAllowlist } from './host-allowlist.ts';

/** Known probe hosts (for the documentation and tests; any foreign host is redirected the same way). */
export const PROBES = [
  { system: 'Android', url: 'http://connectivitycheck.gstatic.com/generate_204' },
  { system: 'Android', url: 'http://clients3.google.com/generate_204' },
  { system: 'iOS and macOS', url: 'http://captive.apple.com/hotspot-detect.html' },
  { system: 'Windows', url: 'http://www.msftconnecttest.com/connecttest.txt' },
  { system: 'Windows (older)', url: 'http://www.msftncsi.com/ncsi.txt' },
  { system: 'Firefox', url: 'http://detectportal.firefox.com/canonical.html' },
  { system: 'GNOME', url: 'http://nmcheck.gnome.org/check_network_status.txt' },
] as const;

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
