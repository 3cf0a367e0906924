/**
 * The mesh's well-known DNS resolver: every gateway carries it (anycast) and
 * announces it into Babel, every node forwards names outside the mesh to it,
 * so phones anywhere reach the nearest gateway's resolver. It names no node:
 * the agent, the directory and the book's mesh map all leave it out.
 */
export const MESH_RESOLVER = '10.254.0.53';
