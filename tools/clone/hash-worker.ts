/**
 * SHA-256 of a file on another thread. The copy loop reads, writes and would
 * otherwise also hash on the main thread; measured on 512 MiB the hash alone
 * costs about as much CPU as dd's whole copy. Here it runs beside the copy on
 * a second core, reading the same file (the page cache serves whichever
 * reader is behind). The code is passed as a string so the bundled byz.mjs
 * needs no second file.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createReadStream } = require('node:fs');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
let bytes = 0;
createReadStream(workerData.path, { highWaterMark: 4 * 1024 * 1024 })
  .on('data', (chunk) => { hash.update(chunk); bytes += chunk.length; })
  .on('error', (error) => parentPort.postMessage({ error: String(error.message) }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex'), bytes }));
`;

export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

export function hashFileInWorker(path: string): Promise<FileDigest> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    worker.once('message', (message: { sha256?: string; bytes?: number; error?: string }) => {
      void worker.terminate();
      if (message.error !== undefined || message.sha256 === undefined) reject(new Error(message.error ?? 'hash failed'));
      else resolve({ sha256: message.sha256, bytes: message.bytes ?? 0 });
    });
    worker.once('error', reject);
  });
}
