/** The configuration files a node runs on, as text (pure: golden-tested). */
import { CAPTIVE_PROBE_HOSTS } from '../common/captive-probes.ts';
import { formatIpv4, overlaps, parsePrefix } from '../common/ipv4.ts';
import type { SetupChoices } from './choices.ts';
import { MESH_RESOLVER, type AddressPlan } from './addresses.ts';

export const MESH_DOMAIN = 'byzantium.mesh';

export function babeldConfig(choices: SetupChoices, addresses: AddressPlan, wired: boolean): string {
  const lines = [
    '# Written by byz setup. Announce this node\'s own address and client /24, nothing else.',
    ...choices.meshInterfaces.map((dev) => `interface ${dev} type ${wired ? 'wired' : 'wireless'}`),
    `local-path ${choices.paths.runDir}/babeld.sock`,
    `state-file ${choices.paths.stateDir}/babeld.state`,
    `redistribute local ip ${addresses.meshAddress}/32 allow`,
    // A gateway also announces the mesh's resolver address it carries on lo.
    ...(choices.gateway ? [`redistribute local ip ${MESH_RESOLVER}/32 allow`] : []),
    'redistribute local deny',
    `redistribute ip ${addresses.clientPrefix} eq 24 allow`,
  ];
  if (choices.gateway) {
    // Without "proto", babeld skips kernel routes of protocol boot (3), which is what
    // `ip route add` and dhclient make; NetworkManager's are "dhcp", networkd's "static".
    lines.push(`redistribute if ${choices.gateway} ip 0.0.0.0/0 eq 0 proto 3 allow`);
    lines.push(`redistribute if ${choices.gateway} ip 0.0.0.0/0 eq 0 allow`);
  }
  lines.push('redistribute deny');
  if (choices.babelFilters.length > 0) lines.push('# The operator\'s filters, from babeld-filters.conf beside this file:', ...choices.babelFilters);
  lines.push('');
  return lines.join('\n');
}

export function dnsmasqConfig(choices: SetupChoices, addresses: AddressPlan): string {
  const prefix = parsePrefix(addresses.clientPrefix);
  const first = prefix ? formatIpv4(prefix.base + 10) : '';
  const last = prefix ? formatIpv4(prefix.base + 250) : '';
  return [
    '# Written by byz setup: DHCP and DNS for the phones on this node.',
    `interface=${choices.clientInterface}`,
    'bind-interfaces',
    `dhcp-range=${first},${last},255.255.255.0,1h`,
    `dhcp-option=option:router,${addresses.clientAddress}`,
    `dhcp-option=option:dns-server,${addresses.clientAddress}`,
    `dhcp-leasefile=${choices.paths.stateDir}/dnsmasq.leases`,
    'dhcp-authoritative',
    `domain=${MESH_DOMAIN}`,
    `local=/${MESH_DOMAIN}/`,
    'expand-hosts',
    `host-record=${choices.nodeName}.${MESH_DOMAIN},${addresses.clientAddress}`,
    'no-hosts',
    // Captive mode: the phones' connectivity checks reach this node (its agent, byz serve --captive, sends them to the front page).
    ...(choices.captive ? [`address=/${CAPTIVE_PROBE_HOSTS.join('/')}/${addresses.clientAddress}`] : []),
    // A gateway forwards names outside the mesh to its uplink's servers (fixed lines, never /etc/resolv.conf:
    // see tools/setup/upstream-dns.ts) and answers other nodes on the mesh resolver address; every other
    // node forwards them to that address, served by the nearest gateway.
    'no-resolv',
    ...(choices.gateway ? [...choices.upstreamDns.map((server) => `server=${server}`), `listen-address=${MESH_RESOLVER}`] : [`server=${MESH_RESOLVER}`]),
    '',
  ].join('\n');
}

export function hostapdConfig(choices: SetupChoices): string {
  return [
    '# Written by byz setup: an open access point for phones.',
    `interface=${choices.clientInterface}`,
    'driver=nl80211',
    `ssid=${choices.radio.essid}-clients`,
    'hw_mode=g',
    `channel=${choices.radio.channel <= 14 ? choices.radio.channel : 1}`,
    'auth_algs=1',
    'wmm_enabled=1',
    '',
  ].join('\n');
}

export const NFT_TABLE = 'byzantium_nat';

/** The source ranges the gateway shares its uplink with: phones and nodes (one range when the mesh range lies inside the client range). */
export function sharedRanges(choices: SetupChoices): string {
  const mesh = parsePrefix(choices.meshRange);
  const client = parsePrefix(choices.clientRange);
  const inside = mesh !== undefined && client !== undefined && client.length <= mesh.length && overlaps(client, mesh);
  return inside ? choices.clientRange : `{ ${choices.clientRange}, ${choices.meshRange} }`;
}

export function natRules(choices: SetupChoices): string {
  return [
    '# Written by byz setup: share the uplink with the mesh.',
    `table ip ${NFT_TABLE} {`,
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    '    # The mesh may use the Internet, not the private network behind the uplink (its router, printers).',
    `    oifname "${choices.gateway ?? ''}" ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 } drop`,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${sharedRanges(choices)} oifname "${choices.gateway ?? ''}" masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
}
