/**
 * Just enough of FAT32 to find where a file's bytes lie on the target: the
 * boot sector's geometry, the allocation table, directories (long names
 * included). The clone uses it to write file data itself in large sequential
 * writes (mtools makes the filesystem and the directory entries) and to read
 * files back with O_DIRECT for verification. Everything goes through a
 * `RangeReader`, so the caller decides how the medium is read.
 */

/** Reads `length` bytes at absolute `offset` of the target. */
export type RangeReader = (offset: number, length: number) => Promise<Buffer>;

export interface Fat32Geometry {
  readonly bytesPerSector: number;
  readonly clusterBytes: number;
  readonly reservedSectors: number;
  readonly fats: number;
  readonly fatSectors: number;
  readonly rootCluster: number;
  readonly fsInfoSector: number;
  /** Clusters are numbered 2..clusterCount+1. */
  readonly clusterCount: number;
  /** Byte offset of cluster 2 inside the partition. */
  readonly dataOffset: number;
}

export interface FatEntry {
  /** The name as stored (long name, or the short name with its case flags applied). */
  readonly name: string;
  readonly directory: boolean;
  readonly firstCluster: number;
  readonly size: number;
  /** Absolute byte offset of the 32-byte short directory entry on the target. */
  readonly entryOffset: number;
}

export interface Extent {
  readonly offset: number;
  readonly length: number;
}

const END_OF_CHAIN = 0x0ffffff8;

export function parseGeometry(sector: Buffer): Fat32Geometry | undefined {
  if (sector.length < 512 || sector[510] !== 0x55 || sector[511] !== 0xaa) return undefined;
  const bytesPerSector = sector.readUInt16LE(11);
  const sectorsPerCluster = sector[13]!;
  const reservedSectors = sector.readUInt16LE(14);
  const fats = sector[16]!;
  const fatSectors = sector.readUInt32LE(36);
  const totalSectors = sector.readUInt16LE(19) || sector.readUInt32LE(32);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector) || sectorsPerCluster === 0 || fats === 0 || fatSectors === 0) return undefined;
  const dataSectors = totalSectors - reservedSectors - fats * fatSectors;
  return {
    bytesPerSector,
    clusterBytes: bytesPerSector * sectorsPerCluster,
    reservedSectors,
    fats,
    fatSectors,
    rootCluster: sector.readUInt32LE(44),
    fsInfoSector: sector.readUInt16LE(48),
    clusterCount: Math.floor(dataSectors / sectorsPerCluster),
    dataOffset: (reservedSectors + fats * fatSectors) * bytesPerSector,
  };
}

/** A FAT32 filesystem at `partitionOffset` on a target, read through `read`. */
export class Fat32Volume {
  readonly geometry: Fat32Geometry;
  readonly partitionOffset: number;
  private readonly read: RangeReader;
  private table: Uint32Array | undefined;

  private constructor(read: RangeReader, partitionOffset: number, geometry: Fat32Geometry) {
    this.read = read;
    this.partitionOffset = partitionOffset;
    this.geometry = geometry;
  }

  static async open(read: RangeReader, partitionOffset: number): Promise<Fat32Volume | undefined> {
    const geometry = parseGeometry(await read(partitionOffset, 512));
    return geometry ? new Fat32Volume(read, partitionOffset, geometry) : undefined;
  }

  /** Absolute offset of the first FAT copy (`copy` 0) or another copy. */
  fatOffset(copy = 0): number {
    const g = this.geometry;
    return this.partitionOffset + (g.reservedSectors + copy * g.fatSectors) * g.bytesPerSector;
  }

  clusterOffset(cluster: number): number {
    return this.partitionOffset + this.geometry.dataOffset + (cluster - 2) * this.geometry.clusterBytes;
  }

  /** The first FAT, read once. */
  async fat(): Promise<Uint32Array> {
    if (!this.table) {
      const entries = this.geometry.clusterCount + 2;
      const raw = await this.read(this.fatOffset(), entries * 4);
      this.table = new Uint32Array(entries);
      for (let i = 0; i < entries; i += 1) this.table[i] = raw.readUInt32LE(i * 4) & 0x0fffffff;
    }
    return this.table;
  }

  async chain(first: number): Promise<number[]> {
    const table = await this.fat();
    const clusters: number[] = [];
    for (let c = first; c >= 2 && c < END_OF_CHAIN; c = table[c]!) {
      if (c >= table.length || clusters.length > table.length) throw new Error(`broken cluster chain at ${c}`);
      clusters.push(c);
    }
    return clusters;
  }

  /** Byte ranges holding `length` bytes that start at cluster `first`, contiguous clusters merged. */
  async extents(first: number, length: number): Promise<Extent[]> {
    const out: { offset: number; length: number }[] = [];
    let left = length;
    for (const cluster of await this.chain(first)) {
      if (left <= 0) break;
      const take = Math.min(left, this.geometry.clusterBytes);
      const offset = this.clusterOffset(cluster);
      const last = out.at(-1);
      if (last && last.offset + last.length === offset) last.length += take;
      else out.push({ offset, length: take });
      left -= take;
    }
    if (left > 0) throw new Error('file is longer than its cluster chain');
    return out;
  }

  async listDirectory(cluster: number): Promise<FatEntry[]> {
    const entries: FatEntry[] = [];
    let longParts: string[] = [];
    for (const extent of await this.extents(cluster, (await this.chain(cluster)).length * this.geometry.clusterBytes)) {
      const data = await this.read(extent.offset, extent.length);
      for (let at = 0; at + 32 <= data.length; at += 32) {
        const first = data[at]!;
        if (first === 0x00) return entries;
        const attr = data[at + 11]!;
        if (first === 0xe5) {
          longParts = [];
          continue;
        }
        if (attr === 0x0f) {
          const seq = first & 0x1f;
          if (first & 0x40) longParts = [];
          longParts[seq - 1] = longNamePart(data.subarray(at, at + 32));
          continue;
        }
        const name = longParts.length > 0 ? longParts.join('') : shortName(data.subarray(at, at + 32));
        longParts = [];
        if (attr & 0x08 || name === '.' || name === '..') continue; // volume label, self and parent
        entries.push({
          name,
          directory: (attr & 0x10) !== 0,
          firstCluster: (data.readUInt16LE(at + 20) << 16) | data.readUInt16LE(at + 26),
          size: data.readUInt32LE(at + 28),
          entryOffset: extent.offset + at,
        });
      }
    }
    return entries;
  }

  /** The entry at a "/"-separated path; FAT names compare without case. */
  async lookup(path: string): Promise<FatEntry | undefined> {
    let cluster = this.geometry.rootCluster;
    let found: FatEntry | undefined;
    for (const part of path.split('/').filter(Boolean)) {
      if (found && !found.directory) return undefined;
      found = (await this.listDirectory(cluster)).find((e) => e.name.toLowerCase() === part.toLowerCase());
      if (!found) return undefined;
      cluster = found.firstCluster;
    }
    return found;
  }
}

function longNamePart(entry: Buffer): string {
  const units: number[] = [];
  for (const [from, to] of [[1, 11], [14, 26], [28, 32]] as const) {
    for (let i = from; i < to; i += 2) units.push(entry.readUInt16LE(i));
  }
  const end = units.indexOf(0);
  return String.fromCharCode(...(end === -1 ? units : units.slice(0, end)));
}

function shortName(entry: Buffer): string {
  const flags = entry[12]!;
  let base = entry.subarray(0, 8).toString('latin1').trimEnd();
  let ext = entry.subarray(8, 11).toString('latin1').trimEnd();
  if (base.charCodeAt(0) === 0x05) base = `\u00e5${base.slice(1)}`;
  if (flags & 0x08) base = base.toLowerCase();
  if (flags & 0x10) ext = ext.toLowerCase();
  return ext ? `${base}.${ext}` : base;
}
