// GET /api/v1/radio over real HTTP: a real agent on loopback, given the one
// allowed mock (a Wi-Fi radio: `iw` answering from recorded output, since no
// radio exists here), and the same agent with the real `iw` of this machine.
import { afterAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { RadioReport } from '../../tools/contract/schemas.ts';
import { BabelMeshSource } from '../../tools/agent/mesh-source.ts';
import { IwRadioSource, type RunIw } from '../../tools/agent/radio-source.ts';
import { hasProgram } from '../../tools/common/run.ts';
import { RECORDED_STATIONS, recordedIw } from '../fixtures/observe/recorded-iw.ts';
import { get, json, startTestAgent } from './agent-harness.ts';

const agents: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const agent of agents) await agent.close();
});

async function agentWith(runIw?: RunIw) {
  // A mesh source with no babeld behind it: the radio shares its pseudonyms, as in `byz serve`.
  const mesh = new BabelMeshSource({ socket: '/nonexistent/babeld.sock' });
  const agent = await startTestAgent({ mesh, ...(runIw ? { radio: new IwRadioSource({ pseudonym: mesh.pseudonym, runIw }) } : {}) });
  agents.push(agent);
  return { agent, mesh };
}

describe('GET /api/v1/radio', () => {
  it('reports the mesh radio, and each station as the pseudonym of its Babel neighbour', async () => {
    const { agent, mesh } = await agentWith(recordedIw());
    const answer = await get(agent.port, '/api/v1/radio');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    const report = v.parse(RadioReport, json(answer));
    expect(report.radios).toHaveLength(1); // the managed wlan1 is not a mesh radio
    expect(report.radios[0]).toMatchObject({ interface: 'wlan0', mode: 'IBSS', frequencyMHz: 2412, channel: 1, txPowerDbm: 20 });
    expect(report.radios[0]!.stations).toEqual(
      RECORDED_STATIONS.map((station) => ({ neighbour: mesh.pseudonym(station.linkLocal), signalDbm: station.signalDbm, averageSignalDbm: station.averageSignalDbm })),
    );
  });

  it('never shows a MAC address, nor the link-local addresses built from them', async () => {
    const { agent } = await agentWith(recordedIw());
    const body = (await get(agent.port, '/api/v1/radio')).body.toString('utf8');
    expect(body).not.toMatch(/[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}/i);
    for (const station of RECORDED_STATIONS) {
      expect(body).not.toContain(station.linkLocal);
      // Nor the MAC's tail in any spelling (EUI-64 keeps the last three bytes as they are).
      expect(body.toLowerCase()).not.toContain(station.mac.slice(9).replace(/:/g, '').replace(/^0+/, ''));
    }
    expect(body).not.toContain('00:1c:bf');
  });

  it('is public, and says in the OpenAPI document what it answers', async () => {
    const { agent } = await agentWith(recordedIw());
    const doc = json(await get(agent.port, '/api/v1/openapi.json'));
    const operation = doc.paths['/api/v1/radio'].get;
    expect(operation.operationId).toBe('radio');
    expect(operation.security ?? []).toEqual([]);
    expect(operation.responses['200'].content['application/json'].schema.required).toContain('radios');
  });

  it('answers 200 with an empty list on a machine with no radio (this one, through its real iw)', async () => {
    // CI installs iw (.ci/packages.txt); without it the answer must be the same empty list.
    if (process.env.CI) expect(await hasProgram('iw')).toBe(true);
    const { agent } = await agentWith();
    const answer = await get(agent.port, '/api/v1/radio');
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ radios: [] });
  });
});
