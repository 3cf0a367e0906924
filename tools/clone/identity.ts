/**
 * What makes a node this node. None of it is copied: a clone that shared its
 * parent's addresses, client subnet, SSH host keys, TLS key, operator secret
 * or DHCP leases would collide on the mesh and let one node pass for another
 * (the original Byzantium's clones shared one TLS key). The clone regenerates
 * them on its first boot, when the setup tools find FIRST_BOOT_MARKER.
 */

/** Relative to the root of the persistent state (Porteus changes), "/" separators. */
export const FIRST_BOOT_MARKER = 'var/lib/byzantium/first-boot';

/** Patterns over state paths; a directory pattern ends in "/" and covers everything inside. */
const IDENTITY: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /^var\/lib\/byzantium\/agent(\/|$)/, what: 'operator secret, sessions and TLS key' },
  { pattern: /^var\/lib\/byzantium\/identity(\/|$)/, what: 'mesh address and client subnet' },
  { pattern: /^var\/lib\/byzantium\/first-boot$/, what: 'an earlier first-boot marker' },
  { pattern: /^etc\/ssh\/ssh_host_[^/]*$/, what: 'SSH host keys' },
  { pattern: /^(etc\/machine-id|var\/lib\/dbus\/machine-id)$/, what: 'machine id' },
  { pattern: /^(var\/lib\/misc\/dnsmasq\.leases|var\/lib\/dnsmasq(\/|$)|var\/lib\/dhcp(\/|$))/, what: 'DHCP leases' },
  { pattern: /^var\/lib\/babeld(\/|$)/, what: 'Babel routing state' },
  { pattern: /^etc\/ssl\/private(\/|$)/, what: 'TLS private keys' },
  // Not identity, but never worth carrying to another node: logs name clients, temp files are junk.
  { pattern: /^(var\/log|var\/tmp|tmp|run|var\/run|var\/cache)(\/|$)/, what: 'logs, caches and temporary files' },
  // Porteus keeps its own housekeeping in the changes root.
  { pattern: /^\.wh\.\.wh\./, what: 'overlay housekeeping' },
];

/** Why a state path is not copied, or undefined when it is copied. */
export function identityReason(path: string): string | undefined {
  return IDENTITY.find((rule) => rule.pattern.test(path))?.what;
}
