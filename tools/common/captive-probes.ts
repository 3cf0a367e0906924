/**
 * The addresses phones fetch right after joining a network to learn whether
 * it reaches the Internet. In captive mode the node's DNS answers these names
 * with the node (byz setup --captive) and the agent (byz serve --captive)
 * redirects the request to the node's front page, so the phone opens it.
 */
export const CAPTIVE_PROBES = [
  { system: 'Android', url: 'http://connectivitycheck.gstatic.com/generate_204' },
  { system: 'Android', url: 'http://clients3.google.com/generate_204' },
  { system: 'iOS and macOS', url: 'http://captive.apple.com/hotspot-detect.html' },
  { system: 'Windows', url: 'http://www.msftconnecttest.com/connecttest.txt' },
  { system: 'Windows (older)', url: 'http://www.msftncsi.com/ncsi.txt' },
  { system: 'Firefox', url: 'http://detectportal.firefox.com/canonical.html' },
  { system: 'GNOME', url: 'http://nmcheck.gnome.org/check_network_status.txt' },
] as const;

export const CAPTIVE_PROBE_HOSTS: readonly string[] = [...new Set(CAPTIVE_PROBES.map((probe) => new URL(probe.url).hostname))];
