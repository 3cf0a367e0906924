/** Which lab nodes share a link: node numbers from 1, edges as pairs (pure). */
export type Topology = 'line' | 'ring' | 'grid';

export function labEdges(nodes: number, topology: Topology): [number, number][] {
  const edges: [number, number][] = [];
  if (topology === 'grid') {
    const columns = Math.ceil(Math.sqrt(nodes));
    for (let n = 1; n <= nodes; n++) {
      if (n % columns !== 0 && n + 1 <= nodes) edges.push([n, n + 1]);
      if (n + columns <= nodes) edges.push([n, n + columns]);
    }
    return edges;
  }
  for (let n = 1; n < nodes; n++) edges.push([n, n + 1]);
  if (topology === 'ring' && nodes >= 3) edges.push([nodes, 1]);
  return edges;
}
