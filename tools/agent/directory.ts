/**
 * The mesh-wide services directory. Every interval the agent reads
 * /api/v1/services of each node it finds in babeld's routes (a few at a time,
 * each with a short timeout and a size cap), keeps what validates against the
 * contract, and forgets a node's services when it has not answered for a
 * while. There is no central server: every node builds its own view.
 */
import { request } from 'node:http';
import * as v from 'valibot';
import { ServiceList, type DirectoryEntry, type Service } from '../contract/schemas.ts';

export interface DirectoryOptions {
  /** This node's name and mesh address (its own services are listed as local). */
  name: string;
  meshAddress: () => Promise<string | null>;
  /** Addresses of the other nodes (host routes in babeld's table). */
  peers: () => Promise<string[]>;
  /** Port the other agents listen on. */
  port: number;
  intervalMs?: number;
  timeoutMs?: number;
  concurrency?: number;
  /** Entries not refreshed for this long are dropped. */
  expireMs?: number;
  maxBytes?: number;
  maxPeers?: number;
}

interface Known {
  node: string;
  services: Service[];
  lastSeen: number;
}

export interface MeshDirectory {
  entries(local: Service[]): DirectoryEntry[];
}

/** Reads one node's service list; null if it does not answer well and in time. Never throws. */
export function fetchServiceList(address: string, port: number, timeoutMs: number, maxBytes: number): Promise<v.InferOutput<typeof ServiceList> | null> {
  return new Promise((resolve) => {
    const host = address.includes(':') ? `[${address}]` : address;
    const req = request(
      { host: address, port, path: '/api/v1/services', method: 'GET', timeout: timeoutMs, headers: { Host: `${host}:${port}`, Accept: 'application/json' } },
      (res) => {
        if (res.statusCode !== 200 || !(res.headers['content-type'] ?? '').startsWith('application/json')) {
          res.resume();
          return resolve(null);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            return resolve(null);
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          try {
            const parsed = v.safeParse(ServiceList, JSON.parse(Buffer.concat(chunks).toString('utf8')));
            resolve(parsed.success ? parsed.output : null);
          } catch {
            resolve(null);
          }
        });
        res.on('error', () => resolve(null));
      },
    );
    // A whole-exchange deadline as well: the socket timeout alone lets a trickling node hold us.
    const deadline = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, timeoutMs);
    deadline.unref();
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.on('close', () => clearTimeout(deadline));
    req.end();
  });
}

export class PollingDirectory implements MeshDirectory {
  private readonly options: Required<DirectoryOptions>;
  private readonly known = new Map<string, Known>();
  private timer: NodeJS.Timeout | null = null;
  private ownAddress: string | null = null;
  private polling = false;

  constructor(options: DirectoryOptions) {
    this.options = { intervalMs: 30_000, timeoutMs: 3_000, concurrency: 4, expireMs: 95_000, maxBytes: 64 * 1024, maxPeers: 256, ...options };
  }

  start(): void {
    const tick = () => {
      void this.pollOnce().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One round: read every peer, a few at a time, then drop what has expired. */
  async pollOnce(now = () => Date.now()): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      this.ownAddress = await this.options.meshAddress().catch(() => null);
      const peers = (await this.options.peers().catch(() => [] as string[])).filter((address) => address !== this.ownAddress).slice(0, this.options.maxPeers);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < peers.length) {
          const address = peers[next++]!;
          const list = await fetchServiceList(address, this.options.port, this.options.timeoutMs, this.options.maxBytes);
          if (list) this.known.set(address, { node: list.node, services: list.services, lastSeen: now() });
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency, peers.length) }, worker));
      this.expire(now());
    } finally {
      this.polling = false;
    }
  }

  expire(now: number): void {
    for (const [address, entry] of this.known) if (now - entry.lastSeen > this.options.expireMs) this.known.delete(address);
  }

  entries(local: Service[]): DirectoryEntry[] {
    this.expire(Date.now());
    const stamp = new Date().toISOString();
    const own = local.map((service) => ({ ...service, node: this.options.name, nodeAddress: this.ownAddress, local: true, lastSeen: stamp }));
    const remote = [...this.known].flatMap(([address, entry]) =>
      entry.services.map((service) => ({ ...service, node: entry.node, nodeAddress: address, local: false, lastSeen: new Date(entry.lastSeen).toISOString() })),
    );
    return [...own, ...remote];
  }
}
