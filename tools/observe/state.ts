/** Everything `observe` learns about a node: the planner's only input from the machine. */
import type { Address } from './ip-addr.ts';
import type { Link } from './ip-link.ts';
import type { Route } from './ip-route.ts';
import type { BabelDump } from './babeld.ts';
import type { Radio, RadioInterface } from './iw.ts';
import type { Lease } from './dnsmasq-leases.ts';

export interface NodeState {
  readonly links: Link[];
  readonly addresses: Address[];
  readonly routes: Route[];
  /** Interfaces with /sys/class/net/NAME/wireless. */
  readonly wireless: string[];
  readonly radioInterfaces: RadioInterface[];
  readonly radios: Radio[];
  /** babeld's view when it runs (other nodes' prefixes: addresses to avoid). */
  readonly babel: BabelDump | undefined;
  readonly leases: Lease[];
  /** net.ipv4.ip_forward: "0" or "1". */
  readonly ipForward: string;
  /** Addresses that answered an arping probe on a mesh link: taken by a neighbour. */
  readonly inUse: string[];
  /** Programs found on the machine, by program name. */
  readonly programs: Record<string, boolean>;
}

export const EMPTY_STATE: NodeState = {
  links: [],
  addresses: [],
  routes: [],
  wireless: [],
  radioInterfaces: [],
  radios: [],
  babel: undefined,
  leases: [],
  ipForward: '0',
  inUse: [],
  programs: {},
};
