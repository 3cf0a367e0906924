import type { Neighbour, Route } from '../../tools/contract/schemas.ts';
import { MESH_RESOLVER } from '../../tools/common/mesh-resolver.ts';
import { linkQuality, type LinkQuality } from './link-quality.ts';

/**
 * The mesh as this node sees it, laid out for a small SVG. babeld's tables
 * only tell a node its neighbours and, for every other node, the neighbour
 * that leads there and the total cost; so the map is a star of neighbours
 * around this node, with the nodes behind each neighbour on an outer ring
 * next to it. Pure and deterministic: the same tables give the same picture.
 */
export interface MapNode {
  id: string;
  /** What to print: a mesh address, or a neighbour's link-local address when it announced none. */
  label: string;
  kind: 'self' | 'neighbour' | 'remote';
  x: number;
  y: number;
  /** This node's route to the Internet (a default route) goes through this neighbour. */
  gateway: boolean;
}

export interface MapLink {
  from: string;
  to: string;
  /** Babel's cost of this hop (direct links) or of the whole route (remote nodes). */
  cost: number;
  kind: 'direct' | 'via';
  quality: LinkQuality;
}

export interface MeshGraph {
  nodes: MapNode[];
  links: MapLink[];
  /** Half the drawing's width and height: the picture spans -extent..extent. */
  extent: number;
}

const INNER = 90;
const OUTER = 150;
const MAX_REMOTE = 60;

const hostAddress = (prefix: string) => {
  const [address, length] = prefix.split('/');
  return (address!.includes(':') ? length === '128' : length === '32') ? address! : undefined;
};
const isDefault = (prefix: string) => prefix === '0.0.0.0/0' || prefix === '::/0';
const round = (n: number) => Math.round(n * 10) / 10;

export function meshGraph(input: { selfLabel: string; selfAddress: string | null; neighbours: readonly Neighbour[]; routes: readonly Route[] }): MeshGraph {
  const installed = input.routes.filter((r) => r.installed && r.via !== null);
  const gatewayVias = new Set(installed.filter((r) => isDefault(r.prefix)).map((r) => r.via));
  const hosts = installed
    .map((r) => ({ address: hostAddress(r.prefix), via: r.via!, metric: r.metric }))
    // The resolver address every gateway also announces is not a node of its own.
    .filter((h): h is { address: string; via: string; metric: number } => h.address !== undefined && h.address !== input.selfAddress && h.address !== MESH_RESOLVER);

  const neighbours = [...input.neighbours].sort((a, b) => a.address.localeCompare(b.address));
  const nodes: MapNode[] = [{ id: 'self', label: input.selfLabel, kind: 'self', x: 0, y: 0, gateway: false }];
  const links: MapLink[] = [];
  const named = new Set<string>();

  neighbours.forEach((neighbour, index) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, neighbours.length);
    const through = hosts.filter((h) => h.via === neighbour.address).sort((a, b) => a.metric - b.metric || a.address.localeCompare(b.address));
    // The neighbour's own address is the host route through it that costs just the link.
    const own = through.find((h) => h.metric <= neighbour.cost) ?? undefined;
    if (own) named.add(own.address);
    const id = `n:${neighbour.address}`;
    nodes.push({
      id,
      label: own?.address ?? neighbour.address,
      kind: 'neighbour',
      x: round(INNER * Math.cos(angle)),
      y: round(INNER * Math.sin(angle)),
      gateway: gatewayVias.has(neighbour.address),
    });
    links.push({ from: 'self', to: id, cost: neighbour.cost, kind: 'direct', quality: linkQuality(neighbour.cost) });

    const behind = through.filter((h) => h !== own && !named.has(h.address)).slice(0, MAX_REMOTE);
    const spread = Math.min(Math.PI / 3, (2 * Math.PI) / Math.max(1, neighbours.length) / 1.5);
    behind.forEach((host, i) => {
      named.add(host.address);
      const offset = behind.length === 1 ? 0 : -spread / 2 + (spread * i) / (behind.length - 1);
      const remoteId = `r:${host.address}`;
      nodes.push({
        id: remoteId,
        label: host.address,
        kind: 'remote',
        x: round(OUTER * Math.cos(angle + offset)),
        y: round(OUTER * Math.sin(angle + offset)),
        gateway: false,
      });
      links.push({ from: id, to: remoteId, cost: host.metric, kind: 'via', quality: linkQuality(host.metric - neighbour.cost) });
    });
  });

  const extent = nodes.some((n) => n.kind === 'remote') ? OUTER + 40 : INNER + 40;
  return { nodes, links, extent };
}
