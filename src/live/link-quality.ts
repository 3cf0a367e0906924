/**
 * Babel's link cost in words. On wireless links babeld's ETX cost is 256 for
 * a perfect link and grows as frames are lost; wired links cost 96; 65535
 * means the neighbour cannot be reached at all.
 */
export type LinkQuality = 'good' | 'fair' | 'poor' | 'lost';

export function linkQuality(cost: number): LinkQuality {
  if (cost >= 65535) return 'lost';
  if (cost <= 384) return 'good';
  if (cost <= 768) return 'fair';
  return 'poor';
}
