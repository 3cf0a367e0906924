/**
 * Everything the lab makes carries a prefix, so `byz lab down` finds it even
 * after a crash: namespaces "byzlab-…", host-side links "byzl…", files under
 * /run/byz-lab/ and /etc/netns/byzlab-…/.
 */
export const LAB_DIR = process.env.BYZ_LAB_DIR ?? '/run/byz-lab';
export const NETNS_PREFIX = 'byzlab-';
export const LINK_PREFIX = 'byzl';
export const CLIENT_BRIDGE = 'clients';

export const nodeName = (n: number): string => `n${n}`;
export const nodeNetns = (node: string): string => `${NETNS_PREFIX}${node}`;
export const phoneName = (node: string): string => `${node}-phone`;
export const meshLinkName = (peer: number): string => `mesh-n${peer}`;
export const nodeDir = (node: string): string => `${LAB_DIR}/${node}`;

/** "n3" or "n3-phone": a name `lab exec` accepts. */
export const LAB_MEMBER = /^n([1-9]\d?)(-phone)?$/;
