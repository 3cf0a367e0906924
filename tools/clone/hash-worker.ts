/**
 * SHA-256 on a second thread of the very buffers the copy writes, so each
 * source file is read once. The copy reads into slots of one
 * SharedArrayBuffer ring; for each chunk it starts the write and hands the
 * slot to this worker, and it reuses a slot only after both are done.
 *
 * Why not hash on the main thread: SHA-256 of 256 MiB costs ~0.18 s of CPU
 * here, about a quarter of dd's whole copy. Why not a worker reading the file
 * again (the earlier design): that second reader fell ~0.2 s behind the copy
 * on a cold cache, and it hashed what it read rather than what was written.
 * The code is passed as a string so the bundled byz.mjs needs no second file.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const ring = workerData.ring;
let hash = createHash('sha256');
let bytes = 0;
parentPort.on('message', (m) => {
  if (m.finish) {
    parentPort.postMessage({ digest: hash.digest('hex'), bytes });
    hash = createHash('sha256');
    bytes = 0;
    return;
  }
  hash.update(new Uint8Array(ring, m.offset, m.length));
  bytes += m.length;
  parentPort.postMessage({ slot: m.slot });
});
`;

export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

type WorkerReply = { slot: number } | { digest: string; bytes: number };

/** A ring of `slotCount` buffers of `slotBytes` and the worker that hashes them, one file after another. */
export class RingHasher {
  readonly slots: readonly Buffer[];
  private readonly worker: Worker;
  private readonly slotBytes: number;
  /** Replies arrive in the order of the requests: one waiter per message sent. */
  private readonly waiting: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(slotCount: number, slotBytes: number) {
    const ring = new SharedArrayBuffer(slotCount * slotBytes);
    this.slotBytes = slotBytes;
    this.slots = Array.from({ length: slotCount }, (_, i) => Buffer.from(ring, i * slotBytes, slotBytes));
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ring } });
    this.worker.on('message', (reply: WorkerReply) => this.waiting.shift()?.resolve(reply));
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('the hashing thread stopped')));
  }

  private request(message: object): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  /** Adds the first `length` bytes of a slot to the current file's hash; resolves once the slot may be reused. */
  async update(slot: number, length: number): Promise<void> {
    await this.request({ slot, offset: slot * this.slotBytes, length });
  }

  /** The digest of everything added since the last `finish`; the next file starts fresh. */
  async finish(): Promise<FileDigest> {
    const reply = await this.request({ finish: true });
    if (!('digest' in reply)) throw new Error('hashing thread out of step');
    return { sha256: reply.digest, bytes: reply.bytes };
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failure ??= new Error('the hashing thread was closed');
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
    await this.worker.terminate();
  }
}
