/**
 * The node agent's API contract, written once: the agent validates what it
 * receives with these schemas, the book's client code (src/) imports the same
 * schemas and types, and /api/v1/openapi.json is generated from them.
 *
 * Keep this file free of Node-only imports: it is bundled into the book.
 */
import * as v from 'valibot';
import { Description, DisplayName, InterfaceName, IpAddress, IpPrefix, Slug, Timestamp, WebUrl } from './text.ts';

export { API_PREFIX } from './prefix.ts';

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

/** A station a mesh radio hears, named as /neighbours names the Babel neighbour it is (never by its MAC address). */
export const RadioStation = v.object({
  /** The pseudonym of the station's link-local address (from its MAC, EUI-64); never a MAC address. */
  neighbour: v.pipe(IpAddress, v.regex(/^fe80::/i, 'a link-local pseudonym')),
  /** Signal of the last frames heard, and the driver's running average (dBm). */
  signalDbm: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(-130), v.maxValue(30))),
  averageSignalDbm: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(-130), v.maxValue(30))),
});

/** One mesh radio interface of this node, as `iw` reports it. */
export const RadioInterface = v.object({
  interface: InterfaceName,
  /** iw's word for the mode: "IBSS" (ad-hoc) or "mesh point". */
  mode: v.pipe(v.string(), v.maxLength(32), v.regex(/^[A-Za-z0-9 ._-]*$/)),
  frequencyMHz: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100000))),
  channel: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255))),
  txPowerDbm: v.nullable(v.pipe(v.number(), v.minValue(-100), v.maxValue(100))),
  stations: v.pipe(v.array(RadioStation), v.maxLength(256)),
});

/** GET /api/v1/radio: this node's mesh radios (an empty list with none). */
export const RadioReport = v.object({
  radios: v.pipe(v.array(RadioInterface), v.maxLength(16)),
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

// ---- operator: disks for clones and persistence ----

/** Why a disk or partition may not be written (tools/disk/refusals.ts), a stable code and the tools' one line. */
export const REFUSAL_CODES = ['boot-device', 'system-device', 'mounted', 'in-use', 'read-only', 'too-small', 'fixed', 'no-medium', 'partition', 'unknown-device'] as const;

export const DiskRefusal = v.object({
  code: v.picklist(REFUSAL_CODES),
  message: v.pipe(v.string(), v.maxLength(500)),
});

/** A disk (for a clone) or a partition (for persistence) on the node, with every reason it may not be used (none: usable). */
export const DiskChoice = v.object({
  path: v.pipe(v.string(), v.maxLength(200), v.regex(/^\/dev\/[A-Za-z0-9._/-]+$/, 'a /dev path')),
  /** Vendor and model as the disk reports them. */
  description: Description,
  serial: v.pipe(Description, v.maxLength(128)),
  sizeBytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
  removable: v.boolean(),
  refusals: v.pipe(v.array(DiskRefusal), v.maxLength(16)),
});

/** GET /operator/clone/targets: the disks here, and the bytes a clone of this node needs (null when the live system cannot be found). */
export const CloneTargets = v.object({
  neededBytes: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
  targets: v.pipe(v.array(DiskChoice), v.maxLength(256)),
});

/** GET /operator/persist: where this live system keeps its changes, and the partitions persistence could go to. */
export const PersistInfo = v.object({
  /** none: changes live in memory and are lost at shutdown. */
  kind: v.picklist(['none', 'save-file', 'partition', 'directory']),
  /** changes= from the boot line, if any. */
  requested: v.nullable(v.pipe(Description, v.maxLength(256))),
  where: v.nullable(v.pipe(Description, v.maxLength(256))),
  filesystem: v.nullable(v.pipe(v.string(), v.maxLength(32))),
  encrypted: v.boolean(),
  totalBytes: v.nullable(v.pipe(v.number(), v.minValue(0))),
  freeBytes: v.nullable(v.pipe(v.number(), v.minValue(0))),
  partitions: v.pipe(v.array(DiskChoice), v.maxLength(1024)),
});

export const JobKind = v.picklist(['setup-apply', 'setup-undo', 'gateway', 'clone', 'persist']);

export const JobRequest = v.strictObject({
  kind: v.picklist(['clone', 'persist']),
  /** Command-line arguments for `byz clone` or `byz persist`, one per item (never a shell string). */
  args: v.pipe(v.array(v.pipe(v.string(), v.maxLength(256), v.regex(/^[^\0\n\r]*$/))), v.maxLength(32)),
  /**
   * With --encrypt: the passphrase typed on the page. The agent hands it to
   * byz in a mode-600 key file that it deletes when the job ends; it never
   * goes on a command line. Messages never repeat it.
   */
  passphrase: v.optional(
    v.pipe(
      v.string('the passphrase must be text'),
      v.check((text) => text.length > 0 && new TextEncoder().encode(text).length <= 512, 'the passphrase must be 1 to 512 bytes long'),
      v.check((text) => !/[\0\n\r]/.test(text), 'the passphrase must be one line'),
    ),
  ),
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
export type RadioStation = v.InferOutput<typeof RadioStation>;
export type RadioInterface = v.InferOutput<typeof RadioInterface>;
export type RadioReport = v.InferOutput<typeof RadioReport>;
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
export type DiskChoice = v.InferOutput<typeof DiskChoice>;
export type CloneTargets = v.InferOutput<typeof CloneTargets>;
export type PersistInfo = v.InferOutput<typeof PersistInfo>;
export type Job = v.InferOutput<typeof Job>;
export type JobList = v.InferOutput<typeof JobList>;
