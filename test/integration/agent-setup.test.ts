// The operator endpoints drive the real setup tools (`byz setup plan`, `byz status`) through their CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { CliSetupBridge } from '../../tools/agent/setup-bridge.ts';
import { operatorLink } from '../../tools/agent/operator-link-cli.ts';
import { get, json, post, startTestAgent } from './agent-harness.ts';

// Node 24 runs the TypeScript sources directly (as `npm run byz` does).
const byz = [process.execPath, 'tools/byz/byz.ts'];
const clientInterface = Object.keys(networkInterfaces()).find((name) => name !== 'lo');

let agent: Awaited<ReturnType<typeof startTestAgent>>;
let headers: Record<string, string>;

beforeAll(async () => {
  agent = await startTestAgent({ byzCommand: byz, setup: new CliSetupBridge(byz) });
  const origin = `http://localhost:${agent.port}`;
  const token = operatorLink(origin, agent.stateDir).split('#')[1]!;
  const login = await post(agent.port, '/api/v1/operator/session', JSON.stringify({ token }), { Origin: origin });
  headers = { Cookie: login.headers['set-cookie']!.split(';')[0]!, 'X-CSRF-Token': json(login).csrfToken, Origin: origin };
});
afterAll(() => agent?.close());

describe('setup through the operator API', () => {
  it.skipIf(!clientInterface && !process.env.CI)('returns the plan the setup tools make, without changing anything', async () => {
    const options = { mesh: 'lo', wired: true, clients: clientInterface!, seed: 'agent-test' };
    const answer = await post(agent.port, '/api/v1/operator/setup/plan', JSON.stringify({ options }), headers);
    expect(answer.status, answer.body.toString()).toBe(200);
    const { plan } = json(answer);
    expect(plan.plan.meshAddress).toMatch(/^10\.254\.\d+\.\d+$/);
    expect(plan.plan.steps.length).toBeGreaterThan(3);
    expect(plan.choices.meshInterfaces).toEqual(['lo']);
  });

  it("passes the setup tools' refusal on as a 400 with their one-line reason", async () => {
    const answer = await post(agent.port, '/api/v1/operator/setup/plan', JSON.stringify({ options: { mesh: 'no-such-if0', wired: true } }), headers);
    expect(answer.status).toBe(400);
    expect(json(answer).error.code).toBe('bad_input');
    expect(json(answer).error.message).toMatch(/^byz setup: /);
  });

  it('refuses options that are not options', async () => {
    const answer = await post(agent.port, '/api/v1/operator/setup/plan', JSON.stringify({ options: { '--mesh': 'lo' } }), headers);
    expect(answer.status).toBe(400);
    expect(json(answer).error.code).toBe('invalid_body');
  });

  it("gives the full status from the setup tools' observation", async () => {
    const answer = await get(agent.port, '/api/v1/operator/status', { Cookie: headers.Cookie! });
    expect(answer.status, answer.body.toString()).toBe(200);
    const status = json(answer);
    expect(status.node.name).toBe('node-a');
    expect(status.system.interfaces.map((i: { name: string }) => i.name)).toContain('lo');
    expect(status.clientCount).toBe(0);
  });
});
