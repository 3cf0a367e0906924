/** The partitions persistence could be made on, each with every reason it may not (for the node agent's page). */
import { readMachineView } from '../disk/machine.ts';
import { isVirtualDevice, refusalsFor, type Refusal } from '../disk/refusals.ts';

export interface PartitionChoice {
  readonly path: string;
  readonly description: string;
  readonly serial: string;
  readonly sizeBytes: number;
  readonly removable: boolean;
  /** Empty when the partition may be formatted. */
  readonly refusals: readonly Refusal[];
}

export async function listPersistPartitions(machineRoot = '/'): Promise<PartitionChoice[]> {
  const view = await readMachineView(machineRoot);
  return view.devices
    .filter((disk) => !isVirtualDevice(disk.name))
    .flatMap((disk) =>
      disk.partitions.map((partition) => ({
        path: `/dev/${partition.name}`,
        description: [disk.vendor, disk.model].filter(Boolean).join(' ') || disk.name,
        serial: disk.serial,
        sizeBytes: partition.sizeBytes,
        removable: disk.removable || disk.usb,
        // A spare partition on the boot stick is fine; the one holding the live system or its changes is not.
        refusals: refusalsFor(view, partition.name, { want: 'partition' }),
      })),
    );
}
