/**
 * The node agent's API contract, written once: the agent validates what it
 * receives with these schemas, the book's client code (src/) imports the same
 * schemas and types, and /api/v1/openapi.json is generated from them.
 *
 * Keep this file free of Node-only imports: it is bundled into the book.
 */
import * as v from 'valibot';
import { Description, DisplayName, InterfaceName, IpAddress, IpPrefix, Slug, Timestamp, WebUrl } from './text.ts';

export const API_PREFIX = '/api/v1';

/** Every error answer: a stable code for programs and one line for people. */
export const ApiError = v.object({
  error: v.object({
    code: v.pipe(v.string(), v.maxLength(64)),
    message: v.pipe(v.string(), v.maxLength(500)),
  }),
});

// ---- public ----

export const NodeSummary = v.object({
  name: DisplayName,
  version: v.pipe(v.string(), v.maxLength(32), v.regex(/^[0-9A-Za-z.+-]+$/)),
  uptimeSeconds: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** The node's own address on the mesh, or null before setup. */
  meshAddress: v.nullable(IpAddress),
});

/** One service as a node announces it to the mesh. */
export const Service = v.object({
  id: Slug,
  name: DisplayName,
  description: Description,
  url: WebUrl,
  running: v.boolean(),
});

/** GET /api/v1/services: this node's own services (what other nodes poll). */
export const ServiceList = v.object({
  node: DisplayName,
  services: v.pipe(v.array(Service), v.maxLength(64)),
});

/** One line of the mesh-wide directory: a service and the node that offers it. */
export const DirectoryEntry = v.object({
  ...Service.entries,
  node: DisplayName,
  nodeAddress: v.nullable(IpAddress),
  local: v.boolean(),
  lastSeen: Timestamp,
});

/** GET /api/v1/directory: services of this node and of every node reached through babeld's routes. */
export const Directory = v.object({
  entries: v.pipe(v.array(DirectoryEntry), v.maxLength(4096)),
});

export const Neighbour = v.object({
  address: IpAddress,
  interface: InterfaceName,
  /** Babel's link cost to this neighbour (lower is better; 65535 means unreachable). */
  cost: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
});

export const NeighbourList = v.object({
  neighbours: v.pipe(v.array(Neighbour), v.maxLength(1024)),
});

export const Route = v.object({
  prefix: IpPrefix,
  metric: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
  via: v.nullable(IpAddress),
  interface: v.nullable(InterfaceName),
  installed: v.boolean(),
});

export const Topology = v.object({
  routes: v.pipe(v.array(Route), v.maxLength(16384)),
});

// ---- operator ----

export const LoginRequest = v.strictObject({
  token: v.pipe(v.string(), v.minLength(16), v.maxLength(512), v.regex(/^[A-Za-z0-9_.-]+$/)),
});

export const Session = v.object({
  csrfToken: v.pipe(v.string(), v.maxLength(128)),
  expiresAt: Timestamp,
});

export const ServiceSwitchRequest = v.strictObject({
  on: v.boolean(),
  /** Turning off a service others depend on: stop them too (true) or refuse (false, the default). */
  cascade: v.optional(v.boolean(), false),
});

export const ServiceSwitchResult = v.object({
  started: v.array(Slug),
  stopped: v.array(Slug),
});

export const GatewayRequest = v.strictObject({ on: v.boolean() });

/** Options of a setup plan, passed through to the setup tools (which check them again). */
export const SetupRequest = v.strictObject({
  options: v.optional(
    v.pipe(
      v.record(
        v.pipe(v.string(), v.maxLength(40), v.regex(/^[a-z][a-zA-Z0-9-]*$/)),
        v.union([
          v.pipe(v.string(), v.maxLength(200)),
          v.boolean(),
          v.number(),
          // an option given more than once, such as two --mesh interfaces
          v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(8)),
        ]),
      ),
      v.check((record) => Object.keys(record).length <= 32, 'at most 32 options'),
    ),
    {},
  ),
});

/**
 * Full status for the operator. `system` is the setup tools' observed state
 * exactly as `byz status --json` prints it (their schema, passed through).
 */
export const OperatorStatus = v.object({
  node: NodeSummary,
  services: v.array(Service),
  clientCount: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
  gateway: v.nullable(v.boolean()),
  system: v.unknown(),
});

/** A setup plan as the setup tools return it: the steps the operator reviews before applying. */
export const SetupPlan = v.object({ plan: v.unknown() });

/** The setup tools' verification report, step by step. */
export const SetupVerify = v.object({ ok: v.boolean(), report: v.unknown() });

export const JobKind = v.picklist(['setup-apply', 'setup-undo', 'gateway', 'clone', 'persist']);

export const JobRequest = v.strictObject({
  kind: v.picklist(['clone', 'persist']),
  /** Command-line arguments for `byz clone` or `byz persist`, one per item (never a shell string). */
  args: v.pipe(v.array(v.pipe(v.string(), v.maxLength(256), v.regex(/^[^\0\n\r]*$/))), v.maxLength(32)),
});

export const JobProgress = v.object({
  /** What is happening now, as the tool says it. */
  message: v.pipe(v.string(), v.maxLength(500)),
  done: v.nullable(v.number()),
  total: v.nullable(v.number()),
});

export const Job = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-f0-9]{16}$/)),
  kind: JobKind,
  state: v.picklist(['running', 'succeeded', 'failed']),
  startedAt: Timestamp,
  finishedAt: v.nullable(Timestamp),
  progress: JobProgress,
  exitCode: v.nullable(v.number()),
  /** The last lines the tool printed, for the operator to read. */
  log: v.array(v.pipe(v.string(), v.maxLength(500))),
});

export const JobList = v.object({ jobs: v.array(Job) });

export type ApiError = v.InferOutput<typeof ApiError>;
export type NodeSummary = v.InferOutput<typeof NodeSummary>;
export type Service = v.InferOutput<typeof Service>;
export type ServiceList = v.InferOutput<typeof ServiceList>;
export type DirectoryEntry = v.InferOutput<typeof DirectoryEntry>;
export type Directory = v.InferOutput<typeof Directory>;
export type Neighbour = v.InferOutput<typeof Neighbour>;
export type NeighbourList = v.InferOutput<typeof NeighbourList>;
export type Route = v.InferOutput<typeof Route>;
export type Topology = v.InferOutput<typeof Topology>;
export type LoginRequest = v.InferInput<typeof LoginRequest>;
export type Session = v.InferOutput<typeof Session>;
export type ServiceSwitchRequest = v.InferInput<typeof ServiceSwitchRequest>;
export type ServiceSwitchResult = v.InferOutput<typeof ServiceSwitchResult>;
export type GatewayRequest = v.InferInput<typeof GatewayRequest>;
export type SetupRequest = v.InferInput<typeof SetupRequest>;
export type OperatorStatus = v.InferOutput<typeof OperatorStatus>;
export type SetupPlan = v.InferOutput<typeof SetupPlan>;
export type SetupVerify = v.InferOutput<typeof SetupVerify>;
export type JobRequest = v.InferInput<typeof JobRequest>;
export type Job = v.InferOutput<typeof Job>;
export type JobList = v.InferOutput<typeof JobList>;
