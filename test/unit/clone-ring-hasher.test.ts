/**
 * The clone's hashing thread hashes exactly the ring slots it is handed, in
 * order, one file after another: its digests must equal SHA-256 of the same
 * bytes computed here.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RingHasher } from '../../tools/clone/hash-worker.ts';

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');

describe('RingHasher', () => {
  let hasher: RingHasher | undefined;
  afterEach(async () => {
    await hasher?.close();
    hasher = undefined;
  });

  it('hashes the given length of each slot, in order, and starts fresh after finish', async () => {
    hasher = new RingHasher(3, 64);
    const chunks = [Buffer.alloc(64, 1), Buffer.alloc(64, 2), Buffer.alloc(64, 3), Buffer.alloc(17, 4)];
    // Like the copy: slots reused round the ring, each refilled only after its hash resolved.
    for (const [i, chunk] of chunks.entries()) {
      chunk.copy(hasher.slots[i % 3]!);
      await hasher.update(i % 3, chunk.length);
    }
    expect(await hasher.finish()).toEqual({ sha256: sha256(...chunks), bytes: 64 * 3 + 17 });

    const second = Buffer.from('the next file');
    second.copy(hasher.slots[1]!);
    await hasher.update(1, second.length);
    expect(await hasher.finish()).toEqual({ sha256: sha256(second), bytes: second.length });
    expect(await hasher.finish()).toEqual({ sha256: sha256(), bytes: 0 }); // an empty file
  });

  it('hashes what the main thread put in the slot, and refilling it after update resolved leaves the digest alone', async () => {
    hasher = new RingHasher(2, 8);
    hasher.slots[0]!.write('abcdefgh');
    await hasher.update(0, 8);
    hasher.slots[0]!.write('ijklmnop'); // reused after the hash resolved: must not change the digest
    expect((await hasher.finish()).sha256).toBe(sha256(Buffer.from('abcdefgh')));
  });

  it('rejects once closed, instead of waiting for ever', async () => {
    hasher = new RingHasher(1, 8);
    await hasher.close();
    await expect(hasher.finish()).rejects.toThrow(/closed/);
    await expect(hasher.update(0, 8)).rejects.toThrow(/closed/);
    hasher = undefined;
  });
});
