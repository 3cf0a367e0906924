import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath, readJournal, saveJournal, type Journal } from '../../tools/apply/journal.ts';
import { EXIT, UserError } from '../../tools/common/errors.ts';
import { DEFAULT_PATHS, DEFAULT_RADIO, type SetupChoices } from '../../tools/plan/choices.ts';
import { planSetup } from '../../tools/plan/setup-plan.ts';
import { EMPTY_STATE, type NodeState } from '../../tools/observe/state.ts';

const link = (name: string) => ({ index: 1, name, flags: [], adminUp: false, operState: 'DOWN', mac: '02:00:00:00:00:01', mtu: 1500, master: undefined });
const state: NodeState = { ...EMPTY_STATE, links: [link('wlan0'), link('wlan1')], wireless: ['wlan0', 'wlan1'], programs: { babeld: true, dnsmasq: true, hostapd: true, nft: true, arping: true, iw: true } };
const choices: SetupChoices = {
  nodeName: 'library', meshInterfaces: ['wlan0'], clientInterface: 'wlan1', allowWired: false, accessPoint: true, radio: DEFAULT_RADIO,
  meshRange: '10.254.0.0/16', clientRange: '10.0.0.0/8', seed: 'journal', gateway: undefined, upstreamDns: [], captive: false, babelFilters: [], paths: DEFAULT_PATHS,
};
const plan = planSetup(state, choices);
const journal: Journal = { version: 1, status: 'applied', choices, plan, entries: plan.steps.map((step) => ({ id: step.id, status: 'done', undo: step.undo })) };

/** A state directory holding this text as its journal. */
function withJournal(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'byz-journal-'));
  writeFileSync(journalPath(dir), text);
  return dir;
}

async function refusal(dir: string): Promise<UserError> {
  const error = await readJournal(dir).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof UserError)) throw new Error('the damaged journal was accepted');
  return error;
}

describe('the setup journal', () => {
  it('reads back what apply saved, and no journal means no setup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byz-journal-'));
    expect(await readJournal(dir)).toBeUndefined();
    await saveJournal(dir, journal);
    expect(await readJournal(dir)).toEqual(journal);
  });

  it('accepts a journal from before upstreamDns, captive and babelFilters existed', async () => {
    const { upstreamDns, captive, babelFilters, ...older } = choices;
    expect(await readJournal(withJournal(JSON.stringify({ ...journal, choices: older })))).toMatchObject({ status: 'applied' });
  });

  it.each([
    ['garbage', 'it is not JSON'],
    ['[]', 'not an object'],
    ['{"version":1,"entries":[]}', 'no status'],
    [JSON.stringify({ ...journal, version: 2 }), 'version 2, not 1'],
    [JSON.stringify({ ...journal, choices: { nodeName: 'x' } }), 'the choices are missing or incomplete'],
    [JSON.stringify({ ...journal, plan: { steps: [] } }), 'the plan is missing or incomplete'],
    [JSON.stringify({ ...journal, plan: { ...plan, steps: [{ id: 'x' }] } }), 'a step of the plan is incomplete'],
    [JSON.stringify({ ...journal, entries: [{ id: 'x', status: 'done' }] }), 'a step taken is incomplete'],
  ])('calls %s damaged (%s) and never "not set up"', async (text, why) => {
    const dir = withJournal(text);
    const error = await refusal(dir);
    expect(error.exitCode).toBe(EXIT.failed);
    expect(error.message).toContain(`the setup journal ${journalPath(dir)} is damaged (${why}), so byz cannot tell what is set up; nothing was changed.`);
    expect(error.message).not.toContain('\n');
  });
});
