import { linkBudget, type FadeVerdict } from '../../calc/link-budget.ts';
import { readNumberField } from '../../calc/parse-number.ts';
import type { CalcKey } from './strings.ts';
import type { CalcViewFunction, CalcView } from './format.ts';
import { readFields } from './read-fields.ts';

export const LINK_BUDGET_FIELDS = [
  'frequency',
  'txPower',
  'txLoss',
  'txGain',
  'distance',
  'rxGain',
  'rxLoss',
  'rxSensitivity',
] as const;

const tones: Record<FadeVerdict, NonNullable<CalcView['verdict']>['tone']> = {
  none: 'bad',
  thin: 'bad',
  fair: 'fair',
  good: 'good',
};

export const linkBudgetView: CalcViewFunction = (fields, format) => {
  const read = readFields(fields, LINK_BUDGET_FIELDS, readNumberField);
  if (!read.ok) return { ok: false, field: read.error.field, message: format.text(read.error.key) };
  const v = read.value;
  const result = linkBudget({
    frequencyMHz: v.frequency,
    txPowerDbm: v.txPower,
    txLossDb: v.txLoss,
    txAntennaGainDbi: v.txGain,
    distanceKm: v.distance,
    rxAntennaGainDbi: v.rxGain,
    rxLossDb: v.rxLoss,
    rxSensitivityDbm: v.rxSensitivity,
  });
  if (!result.ok) return { ok: false, field: result.error.field, message: format.text(result.error.key) };
  const r = result.value;
  return {
    ok: true,
    view: {
      outputs: {
        pathLoss: format.unit(r.pathLossDb, 'db'),
        eirp: format.unit(r.eirpDbm, 'dbm'),
        received: format.unit(r.receivedDbm, 'dbm'),
        fadeMargin: format.unit(r.fadeMarginDb, 'db'),
      },
      verdict: { text: format.text(`calc.linkBudget.verdict.${r.verdict}`), tone: tones[r.verdict] },
    },
  };
};

/** The UI strings this calculator's script can show, besides the two every field can raise. */
export const LINK_BUDGET_STRINGS: readonly CalcKey[] = [
  'calc.error.frequencyRange',
  'calc.error.distanceRange',
  'calc.error.powerRange',
  'calc.error.gainRange',
  'calc.error.lossRange',
  'calc.unit.db',
  'calc.unit.dbm',
  'calc.linkBudget.verdict.none',
  'calc.linkBudget.verdict.thin',
  'calc.linkBudget.verdict.fair',
  'calc.linkBudget.verdict.good',
  'calc.prefill.done',
  'calc.prefill.measured',
];
