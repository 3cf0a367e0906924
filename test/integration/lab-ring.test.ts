// A ring of four lab nodes: when the node n1 routes through stops, n1 reroutes the other way.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../tools/lab/lab.ts';
import { waitForRoutes } from '../../tools/lab/wait.ts';
import { nodeDir } from '../../tools/lab/names.ts';
import { stopDaemon } from '../../tools/apply/perform.ts';

const reason = process.getuid?.() !== 0 ? 'not root' : !existsSync('/usr/sbin/babeld') ? 'babeld missing' : undefined;
if (reason && process.env.CI) throw new Error(`lab tests cannot run on CI: ${reason}`);
if (reason) console.warn(`SKIPPED lab-ring tests: ${reason} (they need root, network namespaces, babeld, dnsmasq)`);

describe.skipIf(reason !== undefined)('lab: a ring of four nodes', () => {
  let lab: Lab;
  beforeAll(async () => {
    await labDown();
    lab = await labUp(4, 'ring');
  });
  afterAll(async () => {
    await labDown();
  });

  it('n1 reroutes to n3 when the neighbour it used stops', async () => {
    const [, b, c, d] = lab.nodes;
    const routes = await waitForRoutes('n1', (rs) => rs.some((r) => r.dst === c!.clientPrefix));
    const via = routes.find((r) => r.dst === c!.clientPrefix)?.gateway;
    expect([b!.meshAddress, d!.meshAddress]).toContain(via);
    const [stopped, other] = via === b!.meshAddress ? [b!, d!] : [d!, b!];
    await stopDaemon(`${nodeDir(stopped.name)}/run/babeld.pid`);
    const after = await waitForRoutes('n1', (rs) => rs.some((r) => r.dst === c!.clientPrefix && r.gateway === other.meshAddress));
    expect(after.find((r) => r.dst === c!.clientPrefix)?.dev).toBe(`mesh-${other.name}`);
  });
});
