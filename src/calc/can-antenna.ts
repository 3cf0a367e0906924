import { wavelengthM, SPEED_OF_LIGHT } from './constants.ts';
import { fail, ok, type CalcResult } from './messages.ts';
import { checkNumber } from './validate.ts';

/**
 * A can antenna is a short circular waveguide, closed at the back, fed by a
 * quarter-wave probe. Two Bessel-function roots set which cans work: the
 * wanted TE11 mode only travels down a can wider than 1.8412·λ/π, and above
 * 2.4048·λ/π the TM01 mode travels too and spoils the pattern.
 */
const TE11_ROOT = 1.841_184;
const TM01_ROOT = 2.404_826;

export interface CanAntennaInput {
  frequencyMHz: number;
  /** Inside diameter of the can, millimetres. */
  diameterMm: number;
}

export interface CanAntenna {
  /** Free-space wavelength, mm. */
  wavelengthMm: number;
  /** Narrowest can in which TE11 travels at this frequency, mm. */
  minDiameterMm: number;
  /** Widest can before TM01 travels too, mm. */
  maxDiameterMm: number;
  /** Frequency below which this can carries nothing, MHz. */
  te11CutoffMHz: number;
  /** Frequency above which this can also carries TM01, MHz. */
  tm01CutoffMHz: number;
  /** Wavelength inside this can, longer than in free space, mm. */
  guideWavelengthMm: number;
  /** Distance from the closed back of the can to the probe: a quarter guide wavelength, mm. */
  probeFromBackMm: number;
  /** Length of the probe above the connector: a quarter free-space wavelength, mm. */
  probeLengthMm: number;
  /** Shortest can worth using: three quarters of a guide wavelength, mm. */
  minCanLengthMm: number;
}

/** Diameter range in mm in which a can carries only the TE11 mode at a frequency. */
export function usableCanDiametersMm(frequencyMHz: number): { min: number; max: number } {
  const lambdaMm = wavelengthM(frequencyMHz) * 1000;
  return { min: (TE11_ROOT * lambdaMm) / Math.PI, max: (TM01_ROOT * lambdaMm) / Math.PI };
}

export function canAntenna(input: CanAntennaInput): CalcResult<CanAntenna> {
  const frequencyError = checkNumber(input.frequencyMHz, {
    field: 'channel',
    min: 100,
    max: 100_000,
    minInclusive: true,
    key: 'calc.error.frequencyRange',
  });
  if (frequencyError) return fail(frequencyError.key, frequencyError.field);
  if (!Number.isFinite(input.diameterMm)) return fail('calc.error.notNumber', 'diameter');
  if (input.diameterMm <= 0) return fail('calc.error.positive', 'diameter');

  const { min, max } = usableCanDiametersMm(input.frequencyMHz);
  if (input.diameterMm <= min) return fail('calc.error.canTooNarrow', 'diameter');
  if (input.diameterMm >= max) return fail('calc.error.canTooWide', 'diameter');

  const wavelengthMm = wavelengthM(input.frequencyMHz) * 1000;
  const diameterM = input.diameterMm / 1000;
  const te11CutoffHz = (TE11_ROOT * SPEED_OF_LIGHT) / (Math.PI * diameterM);
  const tm01CutoffHz = (TM01_ROOT * SPEED_OF_LIGHT) / (Math.PI * diameterM);
  const ratio = te11CutoffHz / (input.frequencyMHz * 1e6);
  const guideWavelengthMm = wavelengthMm / Math.sqrt(1 - ratio * ratio);

  return ok({
    wavelengthMm,
    minDiameterMm: min,
    maxDiameterMm: max,
    te11CutoffMHz: te11CutoffHz / 1e6,
    tm01CutoffMHz: tm01CutoffHz / 1e6,
    guideWavelengthMm,
    probeFromBackMm: guideWavelengthMm / 4,
    probeLengthMm: wavelengthMm / 4,
    minCanLengthMm: (guideWavelengthMm * 3) / 4,
  });
}
