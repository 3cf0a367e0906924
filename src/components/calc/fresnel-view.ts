import { lineOfSight, type ClearanceVerdict } from '../../calc/fresnel.ts';
import { readNumberField } from '../../calc/parse-number.ts';
import type { CalcView, CalcViewFunction } from './format.ts';
import type { CalcKey } from './strings.ts';
import { readFields } from './read-fields.ts';
import { fresnelProfile } from './fresnel-profile.ts';

export const FRESNEL_FIELDS = [
  'frequency',
  'distance',
  'heightA',
  'heightB',
  'obstacleDistance',
  'obstacleHeight',
] as const;

const tones: Record<ClearanceVerdict, NonNullable<CalcView['verdict']>['tone']> = {
  clear: 'good',
  partial: 'fair',
  blocked: 'bad',
};

export const fresnelView: CalcViewFunction = (fields, format) => {
  const read = readFields(fields, FRESNEL_FIELDS, readNumberField);
  if (!read.ok) return { ok: false, field: read.error.field, message: format.text(read.error.key) };
  const v = read.value;
  const input = {
    frequencyMHz: v.frequency,
    distanceKm: v.distance,
    heightAM: v.heightA,
    heightBM: v.heightB,
    obstacleDistanceKm: v.obstacleDistance,
    obstacleHeightM: v.obstacleHeight,
  };
  const result = lineOfSight(input);
  if (!result.ok) return { ok: false, field: result.error.field, message: format.text(result.error.key) };
  const r = result.value;
  return {
    ok: true,
    view: {
      outputs: {
        midpointFresnel: format.unit(r.midpointFresnelM, 'm'),
        midpointBulge: format.unit(r.midpointBulgeM, 'm', 2),
        minimumHeight: format.unit(r.minimumEqualHeightM, 'm'),
        obstacleFresnel: format.unit(r.obstacleFresnelM, 'm'),
        obstacleBulge: format.unit(r.obstacleBulgeM, 'm', 2),
        clearance: format.unit(r.clearanceM, 'm'),
        clearanceShare: format.percent(r.clearanceRatio),
      },
      verdict: { text: format.text(`calc.fresnel.verdict.${r.verdict}`), tone: tones[r.verdict] },
      shapes: fresnelProfile(input),
    },
  };
};

/** The UI strings this calculator's script can show, besides the two every field can raise. */
export const FRESNEL_STRINGS: readonly CalcKey[] = [
  'calc.error.frequencyRange',
  'calc.error.distanceRange',
  'calc.error.heightRange',
  'calc.error.obstacleOutside',
  'calc.unit.m',
  'calc.fresnel.verdict.clear',
  'calc.fresnel.verdict.partial',
  'calc.fresnel.verdict.blocked',
  'calc.prefill.done',
];
