/**
 * Reading a target back for verification without trusting the kernel's cache.
 *
 * Devices: the real `dd iflag=direct` (O_DIRECT) reads the range straight
 * from the medium; offsets and lengths are widened to 4 KiB (O_DIRECT wants
 * whole logical blocks) and trimmed here. Its output is streamed to the hash
 * (never buffered whole: a module can be hundreds of MiB).
 * Image files: a fresh open and read after fsync. The page cache may serve
 * it, which is right for a file: the file is the medium, and what the cache
 * holds is what any later reader (cp, dd to a stick, QEMU) will get.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { startTool, toolError } from '../disk/run.ts';
import { MiB } from '../disk/size.ts';
import type { RangeReader } from './fat32.ts';
import type { Target } from './target.ts';

const DIRECT_ALIGN = 4096;

export interface TargetReader {
  readonly read: RangeReader;
  /** Calls `onChunk` with the bytes of [offset, offset+length) in order. */
  stream(offset: number, length: number, onChunk: (chunk: Buffer) => void): Promise<void>;
}

/** dd's argv for an O_DIRECT read of a range widened to whole 4 KiB blocks. */
export function directReadArgv(device: string, offset: number, length: number): { argv: string[]; skipHead: number } {
  const start = Math.floor(offset / DIRECT_ALIGN) * DIRECT_ALIGN;
  const end = Math.ceil((offset + length) / DIRECT_ALIGN) * DIRECT_ALIGN;
  return {
    argv: ['dd', `if=${device}`, 'iflag=direct,skip_bytes,count_bytes', 'bs=4M', `skip=${start}`, `count=${end - start}`, 'status=none'],
    skipHead: offset - start,
  };
}

async function streamDirect(device: string, offset: number, length: number, onChunk: (chunk: Buffer) => void): Promise<void> {
  if (length === 0) return;
  const { argv, skipHead } = directReadArgv(device, offset, length);
  const child = startTool(argv, { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: { stdout: false } });
  let toSkip = skipHead;
  let left = length;
  try {
    const drain = (async () => {
      for await (const raw of child.stdout as Readable) {
        let chunk = raw as Buffer;
        if (toSkip > 0) {
          const cut = Math.min(toSkip, chunk.length);
          chunk = chunk.subarray(cut);
          toSkip -= cut;
        }
        if (left <= 0 || chunk.length === 0) continue;
        if (chunk.length > left) chunk = chunk.subarray(0, left);
        left -= chunk.length;
        onChunk(chunk);
      }
    })();
    await Promise.all([drain, child]);
  } catch (error) {
    throw toolError('dd', (await child.catch((e: unknown) => e)) ?? error);
  }
  if (left > 0) throw new Error(`short read: ${left} bytes missing at ${offset}`);
}

export function targetReader(target: Target): TargetReader {
  if (target.kind === 'device') {
    return {
      read: async (offset, length) => {
        const parts: Buffer[] = [];
        await streamDirect(target.path, offset, length, (c) => parts.push(Buffer.from(c)));
        return Buffer.concat(parts);
      },
      stream: (offset, length, onChunk) => streamDirect(target.path, offset, length, onChunk),
    };
  }
  return {
    read: async (offset, length) => {
      const handle = await open(target.path, 'r');
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    stream: async (offset, length, onChunk) => {
      if (length === 0) return;
      let got = 0;
      for await (const chunk of createReadStream(target.path, { start: offset, end: offset + length - 1, highWaterMark: 4 * MiB }) as AsyncIterable<Buffer>) {
        got += chunk.length;
        onChunk(chunk);
      }
      if (got !== length) throw new Error(`short read: ${length - got} bytes missing at ${offset}`);
    },
  };
}
