/**
 * Every endpoint of /api/v1 in one table: method, path, who may call it, and
 * the schemas of its body and answer. The agent's router and the OpenAPI
 * document are both derived from this table, so they cannot drift apart.
 */
import type { GenericSchema } from 'valibot';
import * as s from './schemas.ts';

export interface Endpoint {
  readonly method: 'GET' | 'POST';
  /** Path under /api/v1; `{name}` marks a path parameter. */
  readonly path: string;
  /** public: anyone on the mesh; operator: a logged-in operator on an allowed listener. */
  readonly access: 'public' | 'operator' | 'login';
  readonly summary: string;
  readonly request?: GenericSchema;
  /** The answer's schema, or 'event-stream' for server-sent events. */
  readonly response: GenericSchema | 'event-stream';
}

export const endpoints = {
  node: { method: 'GET', path: '/node', access: 'public', summary: "This node's name, version, uptime and mesh address.", response: s.NodeSummary },
  services: { method: 'GET', path: '/services', access: 'public', summary: "This node's own services (what other nodes read to build their directory).", response: s.ServiceList },
  directory: { method: 'GET', path: '/directory', access: 'public', summary: 'Services of every node this node has found on the mesh, its own included.', response: s.Directory },
  neighbours: { method: 'GET', path: '/neighbours', access: 'public', summary: "The node's Babel neighbours and link costs.", response: s.NeighbourList },
  topology: { method: 'GET', path: '/topology', access: 'public', summary: "The routes babeld knows: every reachable prefix, its metric and next hop.", response: s.Topology },
  radio: { method: 'GET', path: '/radio', access: 'public', summary: "This node's mesh radios: mode, channel, transmit power, and the signal of each neighbour heard (named as /neighbours names it, never by MAC address).", response: s.RadioReport },
  login: { method: 'POST', path: '/operator/session', access: 'login', summary: 'Exchange a one-time login token (from `byz operator-link`) for a session cookie.', request: s.LoginRequest, response: s.Session },
  session: { method: 'GET', path: '/operator/session', access: 'operator', summary: "The current session's CSRF token and expiry.", response: s.Session },
  status: { method: 'GET', path: '/operator/status', access: 'operator', summary: 'Full status: interfaces, addresses, routes, client count, services, gateway.', response: s.OperatorStatus },
  setupPlan: { method: 'POST', path: '/operator/setup/plan', access: 'operator', summary: 'The steps a setup would run, without running them.', request: s.SetupRequest, response: s.SetupPlan },
  setupApply: { method: 'POST', path: '/operator/setup/apply', access: 'operator', summary: 'Start applying the setup plan as a job.', request: s.SetupRequest, response: s.Job },
  setupVerify: { method: 'POST', path: '/operator/setup/verify', access: 'operator', summary: 'Read the machine back and report, step by step, what holds.', request: s.SetupRequest, response: s.SetupVerify },
  setupUndo: { method: 'POST', path: '/operator/setup/undo', access: 'operator', summary: 'Start undoing the applied setup as a job.', request: s.SetupRequest, response: s.Job },
  gateway: { method: 'POST', path: '/operator/gateway', access: 'operator', summary: "Share (or stop sharing) this node's Internet uplink, as a job.", request: s.GatewayRequest, response: s.Job },
  serviceSwitch: { method: 'POST', path: '/operator/services/{id}', access: 'operator', summary: 'Turn a service on (its dependencies first) or off.', request: s.ServiceSwitchRequest, response: s.ServiceSwitchResult },
  cloneTargets: { method: 'GET', path: '/operator/clone/targets', access: 'operator', summary: 'The disks a clone could go to, each with every reason it may not, and the bytes a clone of this node needs.', response: s.CloneTargets },
  persist: { method: 'GET', path: '/operator/persist', access: 'operator', summary: "Where this node keeps its changes, and the partitions persistence could be made on (each with its refusals).", response: s.PersistInfo },
  jobStart: { method: 'POST', path: '/operator/jobs', access: 'operator', summary: 'Start a long job: clone or persist (a passphrase for --encrypt goes in the body, never in args).', request: s.JobRequest, response: s.Job },
  jobList: { method: 'GET', path: '/operator/jobs', access: 'operator', summary: 'Every job since the agent started.', response: s.JobList },
  job: { method: 'GET', path: '/operator/jobs/{id}', access: 'operator', summary: "One job's state and progress (poll this, or use /events).", response: s.Job },
  jobEvents: { method: 'GET', path: '/operator/jobs/{id}/events', access: 'operator', summary: "The job's state as server-sent events, one `job` event per change.", response: 'event-stream' },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
