import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAN_ANTENNA_STRINGS, canAntennaView } from '../../src/components/calc/can-antenna-view.ts';
import { makeFormat, type CalcViewFunction } from '../../src/components/calc/format.ts';
import { FRESNEL_STRINGS, fresnelView } from '../../src/components/calc/fresnel-view.ts';
import { LINK_BUDGET_STRINGS, linkBudgetView } from '../../src/components/calc/link-budget-view.ts';
import type { CalcKey } from '../../src/components/calc/strings.ts';

// Each calculator's browser script gets only the strings it lists. Feed every
// kind of input through it with exactly those, and no raw key may show.
const english: Record<string, string> = JSON.parse(readFileSync(new URL('../../i18n/ui/en.json', import.meta.url), 'utf8'));
const formatWith = (keys: readonly CalcKey[]) =>
  makeFormat('en', Object.fromEntries(['calc.error.required', 'calc.error.notNumber', ...keys].map((k) => [k, english[k]!])));

function shown(view: CalcViewFunction, keys: readonly CalcKey[], fields: Record<string, string>): string {
  const result = view(fields, formatWith(keys));
  return result.ok ? [...Object.values(result.view.outputs), result.view.verdict?.text ?? ''].join(' | ') : result.message;
}

const link = { frequency: '2437', txPower: '18', txLoss: '1', txGain: '12', distance: '2', rxGain: '12', rxLoss: '1', rxSensitivity: '-80' };
const fresnel = { frequency: '5500', distance: '3', heightA: '15', heightB: '15', obstacleDistance: '1.5', obstacleHeight: '10' };
const can = { channel: '2.4:6', diameter: '83' };

describe('calculator views show only strings they were given', () => {
  it.each([
    [{}],
    [{ frequency: '' }],
    [{ frequency: 'x' }],
    [{ frequency: '0' }],
    [{ distance: '-1' }],
    [{ txPower: '99' }],
    [{ txGain: '99' }],
    [{ rxLoss: '-1' }],
    [{ rxSensitivity: '5' }],
    [{ distance: '40' }],
    [{ distance: '15' }],
    [{ distance: '6' }],
  ])('link budget %j', (change) => {
    expect(shown(linkBudgetView, LINK_BUDGET_STRINGS, { ...link, ...change })).not.toMatch(/calc\.|NaN|undefined/);
  });

  it.each([
    [{}],
    [{ heightA: '' }],
    [{ heightA: '-3' }],
    [{ obstacleDistance: '9' }],
    [{ frequency: '0' }],
    [{ distance: '-2' }],
    [{ obstacleHeight: '14' }],
    [{ obstacleHeight: '40' }],
  ])('Fresnel %j', (change) => {
    expect(shown(fresnelView, FRESNEL_STRINGS, { ...fresnel, ...change })).not.toMatch(/calc\.|NaN|undefined/);
  });

  it.each([[{}], [{ diameter: '' }], [{ diameter: 'big' }], [{ diameter: '0' }], [{ diameter: '50' }], [{ diameter: '120' }], [{ channel: '5:37' }], [{ channel: '<b>' }]])(
    'can antenna %j',
    (change) => {
      expect(shown(canAntennaView, CAN_ANTENNA_STRINGS, { ...can, ...change })).not.toMatch(/calc\.|NaN|undefined/);
    },
  );

  it('formats results with units and the reference values', () => {
    expect(shown(linkBudgetView, LINK_BUDGET_STRINGS, { ...link, frequency: '2400', distance: '1' })).toMatch(/^100\.1 dB \| /);
    expect(shown(fresnelView, FRESNEL_STRINGS, { ...fresnel, frequency: '2400', distance: '1', obstacleDistance: '0.5' })).toMatch(/^5\.6 m \| /);
    expect(shown(canAntennaView, CAN_ANTENNA_STRINGS, { channel: '2.4:6', diameter: '60' })).toBe(
      'This can is too narrow: the signal cannot travel inside it at this frequency. For this channel, look for a can between 72.1–94.2 mm across.',
    );
  });
});
