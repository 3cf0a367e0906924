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

/** "n3", "n3-phone" or "uplink": a name `lab exec` accepts. */
export const LAB_MEMBER = /^(n([1-9]\d?)(-phone)?|uplink)$/;

/** The stand-in for the Internet: one namespace, a documentation network (RFC 5737) outside every mesh range. */
export const UPLINK = {
  name: 'uplink',
  /** The interface the uplink gets inside the node it is cabled to. */
  nodeInterface: 'uplink0',
  hostAddress: '198.51.100.1',
  nodeAddress: '198.51.100.2',
  length: 24,
  /** A name only the uplink's name server knows: an "Internet name" for DNS tests. */
  internetName: 'www.uplink.example',
} as const;
