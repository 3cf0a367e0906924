/** The targets a clone could go to on this machine, each with why it may not (for the CLI and the node agent). */
import { readMachineView } from '../disk/machine.ts';
import { listCandidates, type Candidate } from '../disk/refusals.ts';

export interface TargetChoice {
  readonly path: string;
  readonly description: string;
  readonly serial: string;
  readonly sizeBytes: number;
  readonly removable: boolean;
  /** Empty when the disk may be used. */
  readonly refusals: Candidate['refusals'];
}

export async function listCloneTargets(options: { machineRoot?: string; neededBytes?: number; allowFixed?: boolean; sourceDirs?: string[] } = {}): Promise<TargetChoice[]> {
  const view = await readMachineView(options.machineRoot ?? '/');
  return listCandidates(view, {
    ...(options.neededBytes === undefined ? {} : { neededBytes: options.neededBytes }),
    allowFixed: options.allowFixed ?? false,
    sourceDirs: options.sourceDirs ?? [],
  }).map((c) => ({
    path: c.path,
    description: c.description,
    serial: c.device.serial,
    sizeBytes: c.device.sizeBytes,
    removable: c.device.removable || c.device.usb,
    refusals: c.refusals,
  }));
}
