import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linkQuality } from '../../src/live/link-quality.ts';
import { meshGraph } from '../../src/live/mesh-graph.ts';
import { parseBabeldDump } from '../../tools/observe/babeld.ts';

const dump = parseBabeldDump(readFileSync(new URL('../fixtures/observe/babeld-dump-two-nodes.txt', import.meta.url), 'utf8'));
const neighbours = dump.neighbours.map((n) => ({ address: n.address, interface: n.ifname, cost: n.cost }));
const routes = dump.routes.map((r) => ({ prefix: r.prefix, metric: r.metric, via: r.via, interface: r.ifname, installed: r.installed }));
const via = neighbours[0]!.address;
/** The captured mesh seen from 10.64.1.1, with more routes through its one neighbour. */
const graphWith = (extra: Array<{ prefix: string; metric: number; installed: boolean }>) =>
  meshGraph({ selfLabel: 'a', selfAddress: '10.64.1.1', neighbours, routes: [...routes, ...extra.map((r) => ({ ...r, via, interface: 'byz-ta' }))] });

describe('link quality from Babel costs', () => {
  it.each([
    [96, 'good'],
    [256, 'good'],
    [500, 'fair'],
    [1200, 'poor'],
    [65535, 'lost'],
  ] as const)('cost %d is %s', (cost, quality) => {
    expect(linkQuality(cost)).toBe(quality);
  });
});

describe('mesh map layout', () => {
  it('draws the captured two-node mesh: this node and one neighbour named by its mesh address', () => {
    const graph = meshGraph({ selfLabel: '10.64.1.1', selfAddress: '10.64.1.1', neighbours, routes });
    expect(graph.nodes.map((n) => [n.kind, n.label])).toEqual([
      ['self', '10.64.1.1'],
      ['neighbour', '10.64.2.2'],
    ]);
    // The client /24 is a prefix, not a node: it is not drawn.
    expect(graph.links).toEqual([{ from: 'self', to: `n:${via}`, cost: 96, kind: 'direct', quality: 'good' }]);
    expect(graph.nodes[1]).toMatchObject({ x: 0, y: -90 });
  });

  it('puts nodes reached through a neighbour on the outer ring, and marks the way to the Internet', () => {
    const graph = graphWith([
      { prefix: '10.64.3.3/32', metric: 352, installed: true },
      { prefix: '10.64.4.4/32', metric: 600, installed: false },
      { prefix: '0.0.0.0/0', metric: 352, installed: true },
    ]);
    const remote = graph.nodes.filter((n) => n.kind === 'remote');
    expect(remote.map((n) => n.label)).toEqual(['10.64.3.3']);
    expect(Math.hypot(remote[0]!.x, remote[0]!.y)).toBeCloseTo(150, 0);
    expect(graph.nodes.find((n) => n.kind === 'neighbour')?.gateway).toBe(true);
    expect(graph.links[1]).toEqual({ from: `n:${via}`, to: 'r:10.64.3.3', cost: 352, kind: 'via', quality: 'good' });
  });

  it('names a gateway neighbour by its own address, not by the resolver address every gateway also announces', () => {
    const graph = graphWith([
      // Same cost as the neighbour's own address, and first in address order: it must still not name the neighbour.
      { prefix: '10.254.0.53/32', metric: 96, installed: true },
      { prefix: '0.0.0.0/0', metric: 96, installed: true },
    ]);
    expect(graph.nodes.map((n) => [n.kind, n.label])).toEqual([
      ['self', 'a'],
      ['neighbour', '10.64.2.2'],
    ]);
    expect(graph.nodes[1]!.gateway).toBe(true);
  });

  it('names a neighbour by its link-local address when it announced no host route', () => {
    const graph = meshGraph({ selfLabel: 'a', selfAddress: null, neighbours, routes: [] });
    expect(graph.nodes[1]!.label).toBe(via);
  });

  it('places neighbours evenly and gives the same picture for the same tables, in any order', () => {
    const many = ['fe80::1', 'fe80::2', 'fe80::3', 'fe80::4'].map((address, i) => ({ address, interface: 'mesh0', cost: 256 + i }));
    const one = meshGraph({ selfLabel: 'a', selfAddress: null, neighbours: many, routes: [] });
    const other = meshGraph({ selfLabel: 'a', selfAddress: null, neighbours: [...many].reverse(), routes: [] });
    expect(other).toEqual(one);
    const points = one.nodes.filter((n) => n.kind === 'neighbour').map((n) => [n.x, n.y]);
    expect(points).toEqual([[0, -90], [90, 0], [0, 90], [-90, 0]]);
    for (const n of one.nodes) expect(Math.abs(n.x) <= one.extent && Math.abs(n.y) <= one.extent).toBe(true);
  });

  it('caps what it draws behind one neighbour so a huge mesh stays drawable', () => {
    const hosts = Array.from({ length: 500 }, (_, i) => ({ prefix: `10.65.${i >> 8}.${i & 255}/32`, metric: 400 + i, via, interface: 'byz-ta', installed: true }));
    const graph = meshGraph({ selfLabel: 'a', selfAddress: null, neighbours, routes: [...routes, ...hosts] });
    expect(graph.nodes.filter((n) => n.kind === 'remote').length).toBe(60);
  });
});
