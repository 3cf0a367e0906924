import { NeighbourList, NodeSummary, Topology } from '../../tools/contract/schemas.ts';
import type { LiveFormat } from './format.ts';
import { meshGraph, type MapNode } from './mesh-graph.ts';
import { el, type LiveViewCode } from './live-element.ts';
import { parseWith } from './parse.ts';

const SVG = 'http://www.w3.org/2000/svg';

export interface MapData {
  node: NodeSummary;
  neighbours: NeighbourList;
  topology: Topology;
}

function svg<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Long IPv6 addresses do not fit under a dot on a phone: keep the end, which tells neighbours apart. */
const shortLabel = (label: string) => (label.length > 16 ? '…' + label.slice(-14) : label);

export function renderMeshMap(view: HTMLElement, data: MapData, format: LiveFormat): void {
  const graph = meshGraph({
    selfLabel: data.node.meshAddress ?? data.node.name,
    selfAddress: data.node.meshAddress,
    neighbours: data.neighbours.neighbours,
    routes: data.topology.routes,
  });
  const neighbours = graph.nodes.filter((n) => n.kind === 'neighbour').length;
  const remote = graph.nodes.filter((n) => n.kind === 'remote').length;
  const e = graph.extent;
  const picture = svg('svg', { viewBox: `${-e} ${-e} ${2 * e} ${2 * e}`, role: 'img', class: 'mesh-map', dir: 'ltr' });
  picture.append(
    svg('title', {}, format.fill('live.map.summary', { name: data.node.name, neighbours: format.integer(neighbours), remote: format.integer(remote) })),
  );

  const at = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const lines = svg('g', { class: 'links' });
  for (const link of graph.links) {
    const a = at.get(link.from)!;
    const b = at.get(link.to)!;
    lines.append(svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: `link ${link.kind} ${link.quality}` }));
    // Nearer the outer end than the middle, clear of the crowded centre.
    const along = link.kind === 'direct' ? 0.6 : 0.5;
    const x = a.x + (b.x - a.x) * along;
    const y = a.y + (b.y - a.y) * along;
    lines.append(svg('text', { x, y: y + 4, class: 'cost', 'text-anchor': 'middle' }, format.integer(link.cost)));
  }
  picture.append(lines);

  const dots = svg('g', { class: 'nodes' });
  const radius: Record<MapNode['kind'], number> = { self: 12, neighbour: 9, remote: 6 };
  for (const node of graph.nodes) {
    const group = svg('g', { class: `node ${node.kind}${node.gateway ? ' gateway' : ''}` });
    group.append(svg('title', {}, node.kind === 'self' ? `${format.text('live.map.self')}: ${node.label}` : node.label));
    group.append(svg('circle', { cx: node.x, cy: node.y, r: radius[node.kind] }));
    // This node is the accent dot in the middle (the legend says so); its
    // address is in the tooltip, which keeps the crowded centre free for costs.
    const below = node.y >= 0;
    if (node.kind !== 'self') group.append(
      svg('text', { x: node.x, y: node.y + (below ? radius[node.kind] + 15 : -radius[node.kind] - 6), 'text-anchor': 'middle' }, shortLabel(node.label)),
    );
    if (node.gateway) {
      group.append(svg('text', { x: node.x, y: node.y + 4, 'text-anchor': 'middle', class: 'gateway-mark' }, '⇅'));
    }
    dots.append(group);
  }
  picture.append(dots);

  const figure = el('figure');
  const caption = el('figcaption', format.text('live.map.legend'));
  figure.append(picture, caption);
  if (graph.nodes.some((n) => n.gateway)) figure.append(el('p', `⇅ ${format.text('live.map.gateway')}`, 'gateway-note'));
  view.append(figure);
}

/** GET /node, /neighbours and /topology, in that order. */
export const meshMapCode: LiveViewCode<MapData> = {
  parse([node, neighbours, topology]) {
    const parsed = {
      node: parseWith(NodeSummary, node),
      neighbours: parseWith(NeighbourList, neighbours),
      topology: parseWith(Topology, topology),
    };
    return parsed.node && parsed.neighbours && parsed.topology
      ? { node: parsed.node, neighbours: parsed.neighbours, topology: parsed.topology }
      : undefined;
  },
  render: renderMeshMap,
};
