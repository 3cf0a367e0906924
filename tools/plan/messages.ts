/** English text for each step's message key (the book carries its own translations of the same keys). */
import type { Params } from './step.ts';

export const MESSAGES: Record<string, string> = {
  'setup.radio': 'Put {dev} in {mode} mode on channel {channel}, network "{essid}"',
  'setup.radio.ibss': 'Switch {dev} to ad-hoc (IBSS) mode',
  'setup.radio.mesh': 'Switch {dev} to 802.11s mesh mode',
  'setup.radio.join': 'Join the mesh "{essid}" on channel {channel} ({frequency} MHz), cell {bssid}',
  'setup.skipped.wired': 'skipped: {dev} is a wired link, it has no radio',
  'setup.link.up': 'Bring {dev} up',
  'setup.link.link-local': 'Wait until {dev} has its IPv6 link-local address (babeld talks over it)',
  'setup.address.free': 'Check that no neighbour on {dev} already uses {address} (arping -D)',
  'setup.skipped.no-arping': 'skipped: arping is missing (Debian package "iputils-arping")',
  'setup.address.mesh': 'Give {dev} the mesh address {address}',
  'setup.address.client': 'Give {dev} the address {address} for the phones on {prefix}',
  'setup.forwarding': 'Let this node forward packets between the mesh and its phones',
  'setup.config.write': 'Write the {program} configuration to {path}',
  'setup.start.dnsmasq': 'Start dnsmasq: addresses and names under byzantium.mesh for phones',
  'setup.start.babeld': 'Start babeld: find routes across the mesh',
  'setup.start.hostapd': 'Start hostapd: the access point for phones',
  'setup.gateway.resolver': 'Carry the mesh resolver address {address} on lo, so nodes without an uplink send their phones\' Internet names here',
  'setup.gateway.nat': 'Share the uplink {uplink} with {range} (NAT with nftables)',
};

export function describe(key: string, params: Params): string {
  const template = MESSAGES[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
