import { describe, expect, it } from 'vitest';
import { earthBulgeM, fresnelRadiusM, lineOfSight, type LineOfSightInput } from '../../src/calc/fresnel.ts';

describe('Fresnel zone', () => {
  it('is about 5.6 m at the middle of a 1 km link at 2.4 GHz', () => {
    expect(fresnelRadiusM(500, 500, 2400)).toBeCloseTo(5.59, 2);
  });

  it('is symmetric and narrows towards the antennas', () => {
    expect(fresnelRadiusM(200, 800, 2400)).toBeCloseTo(fresnelRadiusM(800, 200, 2400), 10);
    expect(fresnelRadiusM(200, 800, 2400)).toBeLessThan(fresnelRadiusM(500, 500, 2400));
  });

  it('has an n-th zone √n times the first', () => {
    expect(fresnelRadiusM(500, 500, 5800, 2)).toBeCloseTo(Math.SQRT2 * fresnelRadiusM(500, 500, 5800), 10);
  });
});

describe('earth bulge', () => {
  it('is about 1.47 m at the middle of a 10 km link with k = 4/3', () => {
    expect(earthBulgeM(5000, 5000)).toBeCloseTo(1.47, 2);
  });

  it('is about 1.96 m with the geometric Earth (k = 1)', () => {
    expect(earthBulgeM(5000, 5000, 1)).toBeCloseTo(1.96, 2);
  });
});

const tenKm: LineOfSightInput = {
  frequencyMHz: 5800,
  distanceKm: 10,
  heightAM: 30,
  heightBM: 30,
  obstacleDistanceKm: 5,
  obstacleHeightM: 10,
};

describe('line of sight', () => {
  it('finds a 10 km link with 30 m masts over a 10 m roof clear', () => {
    const result = lineOfSight(tenKm);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.midpointFresnelM).toBeCloseTo(11.37, 1);
    expect(result.value.obstacleBulgeM).toBeCloseTo(1.47, 2);
    expect(result.value.clearanceM).toBeCloseTo(30 - 10 - 1.47, 2);
    expect(result.value.verdict).toBe('clear');
    expect(result.value.minimumEqualHeightM).toBeCloseTo(1.47 + 0.6 * 11.37, 1);
  });

  it('calls a link partly obstructed when the obstacle enters the 60 % zone', () => {
    const result = lineOfSight({ ...tenKm, obstacleHeightM: 22 });
    expect(result.ok && result.value.verdict).toBe('partial');
  });

  it('calls a link blocked when the obstacle rises above the straight line', () => {
    const result = lineOfSight({ ...tenKm, obstacleHeightM: 40 });
    expect(result.ok && result.value.clearanceM < 0 && result.value.verdict).toBe('blocked');
  });

  it('follows a sloping line between masts of different height', () => {
    const result = lineOfSight({ ...tenKm, heightAM: 10, heightBM: 50, obstacleDistanceKm: 2.5, obstacleHeightM: 0 });
    // The line is 20 m up a quarter of the way along; the bulge there is d1·d2/(2kR).
    expect(result.ok && result.value.clearanceM).toBeCloseTo(20 - (2500 * 7500) / (2 * (4 / 3) * 6_371_000), 6);
  });

  it.each([
    ['negative distance', { distanceKm: -1 }, 'calc.error.distanceRange', 'distance'],
    ['zero frequency', { frequencyMHz: 0 }, 'calc.error.frequencyRange', 'frequency'],
    ['negative mast', { heightAM: -2 }, 'calc.error.heightRange', 'heightA'],
    ['obstacle beyond the far end', { obstacleDistanceKm: 12 }, 'calc.error.obstacleOutside', 'obstacleDistance'],
    ['obstacle at an antenna', { obstacleDistanceKm: 0 }, 'calc.error.obstacleOutside', 'obstacleDistance'],
    ['NaN obstacle height', { obstacleHeightM: Number.NaN }, 'calc.error.notNumber', 'obstacleHeight'],
  ] as const)('refuses %s with a message key for the field', (_name, change, key, field) => {
    expect(lineOfSight({ ...tenKm, ...change })).toEqual({ ok: false, error: { key, field } });
  });
});
