/**
 * The IPv6 link-local address Linux gives an interface with this MAC when it
 * builds addresses the classic way (EUI-64, RFC 4291 appendix A): flip the
 * universal/local bit of the first byte and put ff:fe in the middle. babeld
 * names its neighbours by these addresses, so a Wi-Fi station and the Babel
 * neighbour behind it meet here. (A kernel set to stable-privacy addresses
 * makes other ones: the radio source then takes the kernel's neighbour table.)
 */
export function linkLocalFromMac(mac: string): string | undefined {
  if (!/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i.test(mac)) return undefined;
  const bytes = mac.split(':').map((pair) => parseInt(pair, 16));
  bytes[0] = bytes[0]! ^ 0x02;
  const eui = [...bytes.slice(0, 3), 0xff, 0xfe, ...bytes.slice(3)];
  const groups = [0, 2, 4, 6].map((i) => ((eui[i]! << 8) | eui[i + 1]!).toString(16));
  // Written as the URL parser writes IPv6 (RFC 5952: no leading zeros, the longest zero run as ::).
  return new URL(`http://[fe80::${groups.join(':')}]/`).hostname.slice(1, -1);
}
