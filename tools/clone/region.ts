/**
 * A byte range of the target as a block device of its own, through a loop
 * device with an offset and a size limit. The clone's partition table is
 * written last (so a half-made stick never boots), so /dev/sdX2 does not
 * exist yet when the persistence partition is encrypted; this stands in for it.
 */
import { runTool } from '../disk/run.ts';

export async function withRegion<T>(target: string, offset: number, size: number, use: (device: string) => Promise<T>): Promise<T> {
  const loop = await runTool(['losetup', '--find', '--show', '--offset', String(offset), '--sizelimit', String(size), target]);
  try {
    return await use(loop.trim());
  } finally {
    await runTool(['losetup', '--detach', loop.trim()]);
  }
}
