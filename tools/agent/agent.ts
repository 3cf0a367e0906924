/**
 * Puts an agent together from its options: the operator secret, the mesh
 * source, services, directory, setup bridge and jobs, and the HTTP server.
 * Used by `byz serve` and by the tests (which pass their own pieces).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OperatorAuth } from './auth.ts';
import { PollingDirectory } from './directory.ts';
import { JobRunner } from './jobs.ts';
import { MachineDisks, type DiskSource } from './disks.ts';
import { removeStaleKeyFiles } from './job-key-file.ts';
import { BabelMeshSource, type MeshSource } from './mesh-source.ts';
import { makeLinkLocalPseudonym } from './link-local-pseudonym.ts';
import { IwRadioSource, type RadioSource } from './radio-source.ts';
import { ProcessServiceManager, loadServiceDefinitions } from './services.ts';
import { CliSetupBridge, type SetupBridge } from './setup-bridge.ts';
import { startAgent, type AgentOptions, type RunningAgent } from './server.ts';
import { LISTEN_FILE, loadOrCreateSecret } from './state-dir.ts';

export interface AgentConfig {
  siteDir: string | null;
  stateDir: string;
  servicesDir: string | null;
  host: string;
  port: number;
  name: string;
  version: string;
  operatorRemote?: boolean;
  allowApply?: boolean;
  captive?: boolean;
  frontPage?: boolean;
  allowedHosts?: string[];
  babelSocket?: string;
  meshAddress?: string | null;
  /** Port of the other nodes' agents (the directory reads them there). */
  peerPort?: number;
  directoryIntervalMs?: number;
  directoryExpireMs?: number;
  /** How to run `byz` for setup and jobs: [node, byz entry]. */
  byzCommand?: string[];
  mesh?: MeshSource;
  /** The mesh radios (tests hand in recorded `iw` output: no radio exists there). */
  radio?: RadioSource;
  setup?: SetupBridge;
  timeouts?: AgentOptions['timeouts'];
  maxConnectionsPerClient?: number;
  sessionLifetimeMs?: number;
  serviceBackoffMs?: number;
  /** Where the disk tools look: "/" (default) or a fixture tree with proc/, sys/ and dev/ (tests). */
  machineRoot?: string;
  /** The live tree clone jobs copy (passed as --source); found from the mounts when omitted. */
  cloneSource?: string;
  disks?: DiskSource;
}

export interface Agent extends RunningAgent {
  readonly services: ProcessServiceManager;
  readonly directory: PollingDirectory;
  readonly auth: OperatorAuth;
}

/** Where this agent listens, for `byz operator-link` to print the right address without being told. */
function writeListenFile(stateDir: string, url: string): void {
  // Listening on every address: the operator's browser on the node reaches it as localhost.
  const local = url.replace(/^http:\/\/(\[::\]|0\.0\.0\.0)/, 'http://localhost').replace(/:80$/, '');
  try {
    writeFileSync(join(stateDir, LISTEN_FILE), JSON.stringify({ url: local }) + '\n', { mode: 0o600 });
  } catch {
    // Not essential: operator-link falls back to its default address.
  }
}

export async function runAgent(config: AgentConfig): Promise<Agent> {
  const secret = loadOrCreateSecret(config.stateDir);
  const auth = new OperatorAuth(secret, config.sessionLifetimeMs ? { sessionLifetimeMs: config.sessionLifetimeMs } : {});
  const mesh = config.mesh ?? new BabelMeshSource({ ...(config.babelSocket ? { socket: config.babelSocket } : {}), meshAddress: config.meshAddress ?? null });
  // The radio names stations by the same pseudonyms as the mesh source's neighbours, so the two answers match.
  const radio = config.radio ?? new IwRadioSource({ pseudonym: mesh instanceof BabelMeshSource ? mesh.pseudonym : makeLinkLocalPseudonym() });
  const services = new ProcessServiceManager(config.servicesDir ? loadServiceDefinitions(config.servicesDir) : new Map(), config.serviceBackoffMs ? { backoffBaseMs: config.serviceBackoffMs } : {});
  const directory = new PollingDirectory({
    name: config.name,
    meshAddress: () => mesh.meshAddress(),
    peers: () => mesh.peers(),
    port: config.peerPort ?? config.port,
    ...(config.directoryIntervalMs ? { intervalMs: config.directoryIntervalMs } : {}),
    ...(config.directoryExpireMs ? { expireMs: config.directoryExpireMs } : {}),
  });
  const byz = config.byzCommand ?? [process.execPath, process.argv[1] ?? 'byz'];
  const running = await startAgent({
    siteDir: config.siteDir,
    host: config.host,
    port: config.port,
    // The node's name under byzantium.mesh (dnsmasq answers it), when the name can be a host name.
    allowedHosts: [...(config.allowedHosts ?? []), ...(/^[A-Za-z0-9-]{1,63}$/.test(config.name) ? [`${config.name}.byzantium.mesh`] : [])],
    captive: config.captive ?? false,
    frontPage: config.frontPage ?? true,
    ...(config.timeouts ? { timeouts: config.timeouts } : {}),
    ...(config.maxConnectionsPerClient ? { maxConnectionsPerClient: config.maxConnectionsPerClient } : {}),
    name: config.name,
    version: config.version,
    startedAt: Date.now(),
    auth,
    operatorRemote: config.operatorRemote ?? false,
    allowApply: config.allowApply ?? false,
    mesh,
    radio,
    services,
    directory,
    setup: config.setup ?? new CliSetupBridge(byz),
    jobs: new JobRunner(byz, config.cloneSource ? { clone: ['--source', config.cloneSource] } : {}),
    disks: config.disks ?? new MachineDisks({ ...(config.machineRoot ? { machineRoot: config.machineRoot } : {}), ...(config.cloneSource ? { cloneSource: config.cloneSource } : {}) }),
    stateDir: config.stateDir,
  });
  // Only now that this agent holds the port: a second agent refused for a taken port must not delete
  // the key files of the running agent's jobs.
  removeStaleKeyFiles(config.stateDir);
  await services.startAutostart();
  directory.start();
  writeListenFile(config.stateDir, running.url);
  return {
    ...running,
    services,
    directory,
    auth,
    close: async () => {
      directory.stop();
      await services.close();
      await running.close();
    },
  };
}
