import { describe, expect, it } from 'vitest';
import { canAntenna, usableCanDiametersMm } from '../../src/calc/can-antenna.ts';
import { WIFI_CHANNELS, wifiChannelMHz, wifiChannelOf } from '../../src/calc/channels.ts';

describe('Wi-Fi channels', () => {
  it('maps 2.4 GHz channels, including the odd channel 14', () => {
    expect(wifiChannelMHz('2.4', 1)).toEqual({ ok: true, value: 2412 });
    expect(wifiChannelMHz('2.4', 6)).toEqual({ ok: true, value: 2437 });
    expect(wifiChannelMHz('2.4', 13)).toEqual({ ok: true, value: 2472 });
    expect(wifiChannelMHz('2.4', 14)).toEqual({ ok: true, value: 2484 });
  });

  it('maps 5 GHz channels at 5000 + 5·n MHz', () => {
    expect(wifiChannelMHz('5', 36)).toEqual({ ok: true, value: 5180 });
    expect(wifiChannelMHz('5', 165)).toEqual({ ok: true, value: 5825 });
  });

  it('refuses channels that do not exist in the band', () => {
    expect(wifiChannelMHz('2.4', 15)).toEqual({ ok: false, error: { key: 'calc.error.unknownChannel', field: 'channel' } });
    expect(wifiChannelMHz('5', 37).ok).toBe(false);
    expect(wifiChannelMHz('5', 6).ok).toBe(false);
  });

  it('finds the channel of every listed frequency back', () => {
    for (const band of ['2.4', '5'] as const) {
      for (const channel of WIFI_CHANNELS[band]) {
        const mhz = wifiChannelMHz(band, channel);
        expect(mhz.ok && wifiChannelOf(mhz.value)).toEqual({ band, channel });
      }
    }
    expect(wifiChannelOf(2400)).toBeUndefined();
  });
});

describe('can antenna', () => {
  it('gives the usual usable range of about 72–94 mm for channel 6', () => {
    const { min, max } = usableCanDiametersMm(2437);
    expect(min).toBeCloseTo(72.1, 1);
    expect(max).toBeCloseTo(94.2, 1);
  });

  it('matches the published numbers for an 83 mm can at 2.44 GHz', () => {
    // The classic worked example: TE11 cutoff 2.118 GHz, TM01 2.766 GHz,
    // guide wavelength about 247 mm, probe 62 mm from the back, 31 mm long.
    const result = canAntenna({ frequencyMHz: 2440, diameterMm: 83 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.te11CutoffMHz).toBeCloseTo(2117, 0);
    expect(result.value.tm01CutoffMHz).toBeCloseTo(2765, 0);
    expect(result.value.guideWavelengthMm).toBeCloseTo(247.4, 0);
    expect(result.value.probeFromBackMm).toBeCloseTo(61.8, 0);
    expect(result.value.probeLengthMm).toBeCloseTo(30.7, 1);
    expect(result.value.minCanLengthMm).toBeCloseTo(185.5, 0);
  });

  it('makes the guide wavelength longer than free space, and longer still in a narrower can', () => {
    const wide = canAntenna({ frequencyMHz: 5500, diameterMm: 40 });
    const narrow = canAntenna({ frequencyMHz: 5500, diameterMm: 34 });
    expect(wide.ok && narrow.ok).toBe(true);
    if (!wide.ok || !narrow.ok) return;
    expect(wide.value.guideWavelengthMm).toBeGreaterThan(wide.value.wavelengthMm);
    expect(narrow.value.guideWavelengthMm).toBeGreaterThan(wide.value.guideWavelengthMm);
  });

  it.each([
    ['a can too narrow to carry the signal', { diameterMm: 60 }, 'calc.error.canTooNarrow', 'diameter'],
    ['a can exactly at cutoff', { diameterMm: usableCanDiametersMm(2437).min }, 'calc.error.canTooNarrow', 'diameter'],
    ['a can wide enough for a second mode', { diameterMm: 100 }, 'calc.error.canTooWide', 'diameter'],
    ['a negative diameter', { diameterMm: -83 }, 'calc.error.positive', 'diameter'],
    ['a zero diameter', { diameterMm: 0 }, 'calc.error.positive', 'diameter'],
    ['a NaN diameter', { diameterMm: Number.NaN }, 'calc.error.notNumber', 'diameter'],
    ['zero frequency', { frequencyMHz: 0 }, 'calc.error.frequencyRange', 'channel'],
  ] as const)('refuses %s', (_name, change, key, field) => {
    expect(canAntenna({ frequencyMHz: 2437, diameterMm: 83, ...change })).toEqual({ ok: false, error: { key, field } });
  });
});
