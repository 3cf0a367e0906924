/** IPv4 address and prefix arithmetic on 32-bit unsigned numbers. */

export interface Prefix {
  readonly base: number;
  readonly length: number;
}

const QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(text: string): boolean {
  return QUAD.test(text);
}

export function parseIpv4(text: string): number | undefined {
  if (!QUAD.test(text)) return undefined;
  return text.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff - (2 ** (32 - length) - 1)) >>> 0;
}

/** "10.1.2.0/24" (or a bare address, as a /32) → prefix with host bits cleared; undefined if malformed. */
export function parsePrefix(text: string): Prefix | undefined {
  const [address, lengthText, extra] = text.split('/');
  if (extra !== undefined || address === undefined) return undefined;
  const value = parseIpv4(address);
  if (value === undefined) return undefined;
  const length = lengthText === undefined ? 32 : /^(3[0-2]|[12]?\d)$/.test(lengthText) ? Number(lengthText) : undefined;
  if (length === undefined) return undefined;
  return { base: (value & maskOf(length)) >>> 0, length };
}

export function formatPrefix(prefix: Prefix): string {
  return `${formatIpv4(prefix.base)}/${prefix.length}`;
}

export function size(prefix: Prefix): number {
  return 2 ** (32 - prefix.length);
}

export function contains(outer: Prefix, address: number): boolean {
  return ((address & maskOf(outer.length)) >>> 0) === outer.base;
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  return contains(shorter, longer.base);
}

/** The private ranges of RFC 1918: the only ones a mesh may number itself from. */
export const PRIVATE_RANGES: readonly Prefix[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (text) => parsePrefix(text) as Prefix,
);

export function isPrivate(prefix: Prefix): boolean {
  return PRIVATE_RANGES.some((range) => range.length <= prefix.length && contains(range, prefix.base));
}
