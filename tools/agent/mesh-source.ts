/**
 * What the public endpoints and the directory know about the mesh, read from
 * babeld's control socket through the setup tools' observe code (the same
 * parser `byz status` uses). One dump serves every request for two seconds,
 * so a flood of requests costs babeld one dump every two seconds at most.
 * Neighbours' link-local addresses leave only as pseudonyms
 * (link-local-pseudonym.ts): they would reveal the nodes' MAC addresses.
 */
import { readBabeldDump } from '../observe/babeld-control.ts';
import { parseBabeldDump, type BabelDump } from '../observe/babeld.ts';
import { DEFAULT_PATHS } from '../plan/choices.ts';
import { MESH_RESOLVER } from '../common/mesh-resolver.ts';
import type { Neighbour, Route } from '../contract/schemas.ts';
import { HttpError } from './http-io.ts';
import { makeLinkLocalPseudonym, type LinkLocalPseudonym } from './link-local-pseudonym.ts';

export const DEFAULT_BABEL_SOCKET = `${DEFAULT_PATHS.runDir}/babeld.sock`;

export interface MeshSource {
  meshAddress(): Promise<string | null>;
  neighbours(): Promise<Neighbour[]>;
  routes(): Promise<Route[]>;
  /** Addresses of the other nodes: host routes (/32, /128) babeld installed, but not the gateways' shared resolver address. */
  peers(): Promise<string[]>;
}

export class BabelMeshSource implements MeshSource {
  private readonly socket: string;
  private readonly fixedAddress: string | null;
  /** Shared with the radio endpoint, so its stations match these neighbours. */
  readonly pseudonym: LinkLocalPseudonym;
  private cached: { at: number; dump: Promise<BabelDump | null> } | null = null;

  constructor(options: { socket?: string; meshAddress?: string | null; pseudonym?: LinkLocalPseudonym } = {}) {
    this.socket = options.socket ?? DEFAULT_BABEL_SOCKET;
    this.fixedAddress = options.meshAddress ?? null;
    this.pseudonym = options.pseudonym ?? makeLinkLocalPseudonym();
  }

  private dump(): Promise<BabelDump | null> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > 2000) {
      const dump = readBabeldDump(this.socket, 2000).then((text) => {
        if (text === undefined) return null;
        try {
          return parseBabeldDump(text);
        } catch {
          return null;
        }
      });
      this.cached = { at: now, dump };
    }
    return this.cached.dump;
  }

  private async requireDump(): Promise<BabelDump> {
    const dump = await this.dump();
    if (!dump) throw new HttpError(503, 'babeld_unavailable', 'babeld is not running on this node (or its control socket is elsewhere)');
    return dump;
  }

  async meshAddress(): Promise<string | null> {
    if (this.fixedAddress) return this.fixedAddress;
    // The node announces its own address as a host route (an "xroute"); a gateway also announces the
    // resolver address every gateway shares, which names no node.
    const own = (await this.dump())?.xroutes.map((x) => hostAddressOf(x.prefix)).find((address) => address !== null && address !== MESH_RESOLVER);
    return own ?? null;
  }

  async neighbours(): Promise<Neighbour[]> {
    return (await this.requireDump()).neighbours.map((n) => ({ address: this.pseudonym(n.address), interface: n.ifname, cost: Math.min(65535, n.cost) }));
  }

  async routes(): Promise<Route[]> {
    return (await this.requireDump()).routes.map((r) => ({
      prefix: r.prefix,
      metric: Math.min(65535, r.metric),
      via: r.via ? this.pseudonym(r.via) : null,
      interface: r.ifname || null,
      installed: r.installed,
    }));
  }

  async peers(): Promise<string[]> {
    const dump = await this.dump();
    if (!dump) return [];
    // The resolver address leads to the nearest gateway, already read at its own address.
    const hosts = dump.routes.filter((r) => r.installed).map((r) => hostAddressOf(r.prefix)).filter((address) => address !== null && address !== MESH_RESOLVER);
    return [...new Set(hosts)] as string[];
  }
}

/** The address of a host prefix (/32 or /128), or null for a wider prefix. */
function hostAddressOf(prefix: string): string | null {
  return prefix.endsWith('/32') || prefix.endsWith('/128') ? prefix.split('/')[0]! : null;
}
