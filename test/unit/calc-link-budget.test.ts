import { describe, expect, it } from 'vitest';
import { fadeVerdict, freeSpacePathLossDb, linkBudget, type LinkBudgetInput } from '../../src/calc/link-budget.ts';

describe('free-space path loss', () => {
  it('is about 100 dB at 2.4 GHz over 1 km', () => {
    expect(freeSpacePathLossDb(1, 2400)).toBeCloseTo(100.05, 1);
  });

  it('is about 127.7 dB at 5.8 GHz over 10 km', () => {
    expect(freeSpacePathLossDb(10, 5800)).toBeCloseTo(127.71, 1);
  });

  it('grows by 6 dB each time the distance doubles', () => {
    expect(freeSpacePathLossDb(2, 2437) - freeSpacePathLossDb(1, 2437)).toBeCloseTo(6.02, 2);
  });

  it('agrees with the textbook form 20·log10(d km) + 20·log10(f MHz) + 32.44', () => {
    const textbook = 20 * Math.log10(3.7) + 20 * Math.log10(5180) + 32.44;
    expect(freeSpacePathLossDb(3.7, 5180)).toBeCloseTo(textbook, 1);
  });
});

const fiveKmDishes: LinkBudgetInput = {
  frequencyMHz: 2437,
  distanceKm: 5,
  txPowerDbm: 20,
  txAntennaGainDbi: 24,
  rxAntennaGainDbi: 24,
  txLossDb: 2,
  rxLossDb: 2,
  rxSensitivityDbm: -85,
};

describe('link budget', () => {
  it('adds up power, gains and losses for a 5 km dish link on channel 6', () => {
    const result = linkBudget(fiveKmDishes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.pathLossDb).toBeCloseTo(114.17, 1);
    expect(result.value.eirpDbm).toBe(42);
    expect(result.value.receivedDbm).toBeCloseTo(-50.17, 1);
    expect(result.value.fadeMarginDb).toBeCloseTo(34.83, 1);
    expect(result.value.verdict).toBe('good');
  });

  it('reports a negative margin, not an error, when the link cannot work', () => {
    const result = linkBudget({ ...fiveKmDishes, txAntennaGainDbi: 2, rxAntennaGainDbi: 2, distanceKm: 30 });
    expect(result.ok && result.value.fadeMarginDb < 0 && result.value.verdict).toBe('none');
  });

  it('grades fade margins with the usual thresholds', () => {
    expect([-1, 0, 9.9, 10, 19.9, 20].map(fadeVerdict)).toEqual(['none', 'thin', 'thin', 'fair', 'fair', 'good']);
  });

  it.each([
    ['negative distance', { distanceKm: -1 }, 'calc.error.distanceRange', 'distance'],
    ['zero distance', { distanceKm: 0 }, 'calc.error.distanceRange', 'distance'],
    ['zero frequency', { frequencyMHz: 0 }, 'calc.error.frequencyRange', 'frequency'],
    ['negative frequency', { frequencyMHz: -2400 }, 'calc.error.frequencyRange', 'frequency'],
    ['NaN power', { txPowerDbm: Number.NaN }, 'calc.error.notNumber', 'txPower'],
    ['infinite gain', { rxAntennaGainDbi: Number.POSITIVE_INFINITY }, 'calc.error.notNumber', 'rxGain'],
    ['negative cable loss', { rxLossDb: -3 }, 'calc.error.lossRange', 'rxLoss'],
    ['positive sensitivity', { rxSensitivityDbm: 10 }, 'calc.error.powerRange', 'rxSensitivity'],
  ] as const)('refuses %s with a message key for the field', (_name, change, key, field) => {
    const result = linkBudget({ ...fiveKmDishes, ...change });
    expect(result).toEqual({ ok: false, error: { key, field } });
  });
});
