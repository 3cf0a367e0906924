/** Carries out one action on the machine: the only code that changes it. */
import { rm } from 'node:fs/promises';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { run, type Host } from '../common/run.ts';
import type { Action } from '../plan/step.ts';
import { livePid } from './expectations.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM the daemon named by `pidFile`, wait for it to go, then remove the pid file. */
export async function stopDaemon(pidFile: string, timeoutMs = 5000): Promise<void> {
  const pid = await livePid(pidFile);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const deadline = Date.now() + timeoutMs;
    while ((await livePid(pidFile)) !== undefined && Date.now() < deadline) await sleep(50);
    if ((await livePid(pidFile)) !== undefined) process.kill(pid, 'SIGKILL');
  }
  await rm(pidFile, { force: true });
}

export async function perform(host: Host, action: Action): Promise<void> {
  switch (action.kind) {
    case 'none':
    case 'wait':
      return;
    case 'run':
      await run(host, action.argv);
      return;
    case 'write':
      await writeFileAtomic(action.path, action.content, action.mode);
      return;
    case 'remove':
      await rm(action.path, { force: true });
      return;
    case 'start': {
      const { mkdir } = await import('node:fs/promises');
      const { dirname } = await import('node:path');
      await mkdir(dirname(action.pidFile), { recursive: true });
      await rm(action.pidFile, { force: true });
      await run(host, action.argv);
      // Daemons write their pid file just after forking: give them a moment.
      const deadline = Date.now() + 5000;
      while ((await livePid(action.pidFile)) === undefined && Date.now() < deadline) await sleep(50);
      if ((await livePid(action.pidFile)) === undefined) throw new Error(`${action.argv[0]} did not stay running (see its log)`);
      return;
    }
    case 'stop':
      await stopDaemon(action.pidFile);
      return;
  }
}
