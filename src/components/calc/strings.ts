import { z } from 'astro/zod';

/**
 * Every UI string the calculators use. The list extends Starlight's i18n
 * schema (content.config.ts), drives what the server hands to the browser
 * script, and lets a unit test check that each language file has them all.
 */
export const CALC_KEYS = [
  'calc.results',
  'calc.noscript',
  'calc.error.required',
  'calc.error.notNumber',
  'calc.error.positive',
  'calc.error.frequencyRange',
  'calc.error.distanceRange',
  'calc.error.heightRange',
  'calc.error.powerRange',
  'calc.error.gainRange',
  'calc.error.lossRange',
  'calc.error.obstacleOutside',
  'calc.error.unknownChannel',
  'calc.error.canTooNarrow',
  'calc.error.canTooWide',
  'calc.unit.db',
  'calc.unit.dbm',
  'calc.unit.dbi',
  'calc.unit.mhz',
  'calc.unit.km',
  'calc.unit.m',
  'calc.unit.mm',
  'calc.field.frequency',
  'calc.field.frequencyHint',
  'calc.field.txPower',
  'calc.field.txLoss',
  'calc.field.txGain',
  'calc.field.distance',
  'calc.field.rxGain',
  'calc.field.rxLoss',
  'calc.field.rxSensitivity',
  'calc.field.heightA',
  'calc.field.heightB',
  'calc.field.obstacleDistance',
  'calc.field.obstacleHeight',
  'calc.field.channel',
  'calc.field.diameter',
  'calc.linkBudget.name',
  'calc.linkBudget.transmitter',
  'calc.linkBudget.path',
  'calc.linkBudget.receiver',
  'calc.linkBudget.pathLoss',
  'calc.linkBudget.eirp',
  'calc.linkBudget.received',
  'calc.linkBudget.fadeMargin',
  'calc.linkBudget.verdict.none',
  'calc.linkBudget.verdict.thin',
  'calc.linkBudget.verdict.fair',
  'calc.linkBudget.verdict.good',
  'calc.fresnel.name',
  'calc.fresnel.link',
  'calc.fresnel.obstacle',
  'calc.fresnel.drawing',
  'calc.fresnel.midpointFresnel',
  'calc.fresnel.midpointBulge',
  'calc.fresnel.minimumHeight',
  'calc.fresnel.obstacleFresnel',
  'calc.fresnel.obstacleBulge',
  'calc.fresnel.clearance',
  'calc.fresnel.clearanceShare',
  'calc.fresnel.verdict.clear',
  'calc.fresnel.verdict.partial',
  'calc.fresnel.verdict.blocked',
  'calc.can.name',
  'calc.can.band24',
  'calc.can.band5',
  'calc.can.frequency',
  'calc.can.wavelength',
  'calc.can.usable',
  'calc.can.cutoff',
  'calc.can.guideWavelength',
  'calc.can.probeFromBack',
  'calc.can.probeLength',
  'calc.can.minLength',
  'calc.can.tryRange',
  'calc.prefill.fill',
  'calc.prefill.neighbour',
  'calc.prefill.done',
  'calc.prefill.measured',
] as const;

export type CalcKey = (typeof CALC_KEYS)[number];

/** The calculators' keys as optional strings: English fills any gap a translation leaves. */
export const calcStringsSchema = z.object(
  Object.fromEntries(CALC_KEYS.map((key) => [key, z.string().optional()])) as {
    [K in CalcKey]: z.ZodOptional<z.ZodString>;
  },
);

/**
 * The strings a calculator's browser script needs (the errors it can raise,
 * its units and verdicts), looked up through Starlight's `t` so missing
 * translations fall back to English. Only those: a phone pays for each one.
 */
export function clientStrings(t: (key: CalcKey) => string, keys: readonly CalcKey[]): Record<string, string> {
  return Object.fromEntries(['calc.error.required', 'calc.error.notNumber', ...keys].map((key) => [key, t(key as CalcKey)]));
}
