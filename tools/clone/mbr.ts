/** Reads the primary partitions of an MBR (sector 0) without any tool: the verifier's view of the table. */

export interface MbrPartition {
  readonly index: number;
  readonly type: number;
  readonly bootable: boolean;
  readonly start: number;
  readonly size: number;
}

/** Primary partitions in sector 0, or undefined when the sector carries no MBR signature. */
export function parseMbr(sector: Buffer): MbrPartition[] | undefined {
  if (sector.length < 512 || sector[510] !== 0x55 || sector[511] !== 0xaa) return undefined;
  const partitions: MbrPartition[] = [];
  for (let i = 0; i < 4; i += 1) {
    const entry = sector.subarray(446 + i * 16, 446 + (i + 1) * 16);
    const type = entry[4]!;
    const sectors = entry.readUInt32LE(12);
    if (type === 0 || sectors === 0) continue;
    partitions.push({ index: i + 1, type, bootable: entry[0] === 0x80, start: entry.readUInt32LE(8) * 512, size: sectors * 512 });
  }
  return partitions;
}
