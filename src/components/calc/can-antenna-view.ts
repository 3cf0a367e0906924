import { canAntenna, usableCanDiametersMm } from '../../calc/can-antenna.ts';
import { wifiChannelMHz, type WifiBand } from '../../calc/channels.ts';
import { readNumberField } from '../../calc/parse-number.ts';
import type { CalcKey } from './strings.ts';
import type { CalcViewFunction, Format } from './format.ts';

/** The channel select's values look like "2.4:6" or "5:149". */
export function parseChannelValue(value: string): { band: WifiBand; channel: number } | undefined {
  const match = /^(2\.4|5):(\d{1,3})$/.exec(value);
  return match ? { band: match[1] as WifiBand, channel: Number(match[2]) } : undefined;
}

export const canAntennaView: CalcViewFunction = (fields, format) => {
  const chosen = parseChannelValue(fields.channel ?? '');
  const frequency = chosen ? wifiChannelMHz(chosen.band, chosen.channel) : undefined;
  if (!frequency?.ok) return { ok: false, field: 'channel', message: format.text('calc.error.unknownChannel') };
  const diameter = readNumberField(fields.diameter ?? '', 'diameter');
  if (!diameter.ok) return { ok: false, field: 'diameter', message: format.text(diameter.error.key) };

  const result = canAntenna({ frequencyMHz: frequency.value, diameterMm: diameter.value });
  if (!result.ok) {
    // Say which cans would work, so "too narrow" comes with what to look for instead.
    const range = result.error.field === 'diameter' && result.error.key.startsWith('calc.error.can')
      ? ' ' + format.text('calc.can.tryRange').replace('{range}', usableRange(frequency.value, format))
      : '';
    return { ok: false, field: result.error.field, message: format.text(result.error.key) + range };
  }
  const r = result.value;
  return {
    ok: true,
    view: {
      outputs: {
        frequency: format.unit(frequency.value, 'mhz', 0),
        wavelength: format.unit(r.wavelengthMm, 'mm'),
        usable: format.unitRange(r.minDiameterMm, r.maxDiameterMm, 'mm'),
        cutoff: format.unitRange(r.te11CutoffMHz, r.tm01CutoffMHz, 'mhz', 0),
        guideWavelength: format.unit(r.guideWavelengthMm, 'mm'),
        probeFromBack: format.unit(r.probeFromBackMm, 'mm'),
        probeLength: format.unit(r.probeLengthMm, 'mm'),
        minLength: format.unit(r.minCanLengthMm, 'mm', 0),
      },
    },
  };
};

function usableRange(frequencyMHz: number, format: Format): string {
  const { min, max } = usableCanDiametersMm(frequencyMHz);
  return format.unitRange(min, max, 'mm');
}

/** The UI strings this calculator's script can show, besides the two every field can raise. */
export const CAN_ANTENNA_STRINGS: readonly CalcKey[] = [
  'calc.error.frequencyRange',
  'calc.error.positive',
  'calc.error.unknownChannel',
  'calc.error.canTooNarrow',
  'calc.error.canTooWide',
  'calc.unit.mm',
  'calc.unit.mhz',
  'calc.can.tryRange',
  'calc.prefill.done',
];
