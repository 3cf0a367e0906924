/** Streams that hash and count what passes through, so a file is read once to copy, hash and report progress. */
import { createHash } from 'node:crypto';
import { Transform, Writable } from 'node:stream';

/** Passes data on unchanged; `digest()` gives the SHA-256 of everything that passed. */
export class HashingCounter extends Transform {
  private readonly hash = createHash('sha256');
  private readonly onBytes: (n: number) => void;
  constructor(onBytes: (n: number) => void) {
    super();
    this.onBytes = onBytes;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.onBytes(chunk.length);
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A sink that only hashes (reading back for verification). */
export class HashingSink extends Writable {
  private readonly hash = createHash('sha256');
  private readonly onBytes: (n: number) => void;
  constructor(onBytes: (n: number) => void) {
    super();
    this.onBytes = onBytes;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.hash.update(chunk);
    this.onBytes(chunk.length);
    done();
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}
