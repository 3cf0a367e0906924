import { EARTH_RADIUS_M, STANDARD_K_FACTOR, wavelengthM } from './constants.ts';
import { fail, ok, type CalcResult } from './messages.ts';
import { checkAll, distanceKm, frequencyMHz, type Bound } from './validate.ts';

/**
 * Radius in metres of the n-th Fresnel zone at a point d1 metres from one end
 * and d2 metres from the other: √(n·λ·d1·d2 / (d1+d2)). The first zone is the
 * fat ellipse around the straight line that carries most of the energy.
 */
export function fresnelRadiusM(d1M: number, d2M: number, frequencyMHz: number, zone = 1): number {
  return Math.sqrt((zone * wavelengthM(frequencyMHz) * d1M * d2M) / (d1M + d2M));
}

/**
 * How far the Earth's curve rises above the straight chord between the two
 * ends, in metres, at a point d1 and d2 metres from them: d1·d2 / (2·k·R).
 */
export function earthBulgeM(d1M: number, d2M: number, kFactor = STANDARD_K_FACTOR): number {
  return (d1M * d2M) / (2 * kFactor * EARTH_RADIUS_M);
}

export interface LineOfSightInput {
  frequencyMHz: number;
  distanceKm: number;
  /** Antenna heights above the ground at each end, metres. Ground is taken as level. */
  heightAM: number;
  heightBM: number;
  /** Where the obstacle stands, km from end A. */
  obstacleDistanceKm: number;
  /** How tall the obstacle is above the same ground, metres (0 for open ground). */
  obstacleHeightM: number;
}

/**
 * Radio links need about 60 % of the first Fresnel zone free of obstacles to
 * behave like free space; less and the signal weakens, none and it is blocked.
 */
export const CLEARANCE_RULE = 0.6;

export type ClearanceVerdict = 'clear' | 'partial' | 'blocked';

export interface LineOfSight {
  /** Radius of the first Fresnel zone at the middle of the link, metres. */
  midpointFresnelM: number;
  /** Earth bulge at the middle of the link, metres. */
  midpointBulgeM: number;
  /**
   * Height both antennas need over level ground to keep 60 % of the first
   * zone clear of the Earth's bulge at the middle, with no other obstacle.
   */
  minimumEqualHeightM: number;
  /** First Fresnel radius where the obstacle stands, metres. */
  obstacleFresnelM: number;
  /** Earth bulge where the obstacle stands, metres. */
  obstacleBulgeM: number;
  /** Height of the straight line between the antennas above the obstacle's top (after bulge), metres; negative when the obstacle cuts it. */
  clearanceM: number;
  /** Clearance as a share of the first Fresnel radius (1 = the whole zone is clear). */
  clearanceRatio: number;
  verdict: ClearanceVerdict;
}

const height = (field: string): Bound => ({
  field,
  min: 0,
  max: 10_000,
  minInclusive: true,
  key: 'calc.error.heightRange',
});

export function lineOfSight(input: LineOfSightInput): CalcResult<LineOfSight> {
  const error = checkAll([
    [input.frequencyMHz, frequencyMHz()],
    [input.distanceKm, distanceKm()],
    [input.heightAM, height('heightA')],
    [input.heightBM, height('heightB')],
    [input.obstacleDistanceKm, { ...distanceKm('obstacleDistance'), key: 'calc.error.obstacleOutside' }],
    [input.obstacleHeightM, height('obstacleHeight')],
  ]);
  if (error) return fail(error.key, error.field);
  if (input.obstacleDistanceKm >= input.distanceKm) {
    return fail('calc.error.obstacleOutside', 'obstacleDistance');
  }

  const totalM = input.distanceKm * 1000;
  const halfM = totalM / 2;
  const midpointFresnelM = fresnelRadiusM(halfM, halfM, input.frequencyMHz);
  const midpointBulgeM = earthBulgeM(halfM, halfM);
  const minimumEqualHeightM = midpointBulgeM + CLEARANCE_RULE * midpointFresnelM;

  const d1 = input.obstacleDistanceKm * 1000;
  const d2 = totalM - d1;
  const obstacleFresnelM = fresnelRadiusM(d1, d2, input.frequencyMHz);
  const obstacleBulgeM = earthBulgeM(d1, d2);
  const lineHeightM = input.heightAM + ((input.heightBM - input.heightAM) * d1) / totalM;
  const clearanceM = lineHeightM - (input.obstacleHeightM + obstacleBulgeM);
  const clearanceRatio = clearanceM / obstacleFresnelM;
  const verdict: ClearanceVerdict =
    clearanceRatio >= CLEARANCE_RULE ? 'clear' : clearanceM > 0 ? 'partial' : 'blocked';

  return ok({
    midpointFresnelM,
    midpointBulgeM,
    minimumEqualHeightM,
    obstacleFresnelM,
    obstacleBulgeM,
    clearanceM,
    clearanceRatio,
    verdict,
  });
}
