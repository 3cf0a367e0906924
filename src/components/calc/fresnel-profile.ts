import { earthBulgeM, fresnelRadiusM, type LineOfSightInput } from '../../calc/fresnel.ts';

/**
 * A side view of a link for the Fresnel calculator: the ground bending up
 * with the Earth's bulge, the two masts, the straight line between the
 * antennas, the first Fresnel zone around it and the obstacle. Heights are
 * stretched to fit (a link is kilometres long and tens of metres high), so
 * the picture shows relations, not proportions. Pure: it returns SVG
 * attributes by shape, which the server renders and the browser updates.
 */
export const PROFILE_WIDTH = 320;
export const PROFILE_HEIGHT = 130;
const MARGIN = 10;
const STEPS = 32;

export type ProfileShapes = Record<'zone' | 'ground' | 'line' | 'mastA' | 'mastB' | 'obstacle', Record<string, string>>;

const fixed = (n: number) => n.toFixed(1);

/** Expects input that lineOfSight() accepted. */
export function fresnelProfile(input: LineOfSightInput): ProfileShapes {
  const total = input.distanceKm * 1000;
  const along = (i: number) => (total * i) / STEPS;
  const bulge = (d: number) => earthBulgeM(d, total - d);
  const lineAt = (d: number) => input.heightAM + ((input.heightBM - input.heightAM) * d) / total;
  const radius = (d: number) => (d <= 0 || d >= total ? 0 : fresnelRadiusM(d, total - d, input.frequencyMHz));
  const obstacleD = input.obstacleDistanceKm * 1000;

  const top = Math.max(
    ...Array.from({ length: STEPS + 1 }, (_, i) => lineAt(along(i)) + radius(along(i))),
    input.obstacleHeightM + bulge(obstacleD),
    1,
  );
  const bottom = Math.min(...Array.from({ length: STEPS + 1 }, (_, i) => lineAt(along(i)) - radius(along(i))), 0);
  const x = (d: number) => MARGIN + ((PROFILE_WIDTH - 2 * MARGIN) * d) / total;
  const y = (h: number) => PROFILE_HEIGHT - MARGIN - ((PROFILE_HEIGHT - 2 * MARGIN) * (h - bottom)) / (top - bottom);

  const upper = Array.from({ length: STEPS + 1 }, (_, i) => `${fixed(x(along(i)))},${fixed(y(lineAt(along(i)) + radius(along(i))))}`);
  const lower = Array.from({ length: STEPS + 1 }, (_, i) => `${fixed(x(along(STEPS - i)))},${fixed(y(lineAt(along(STEPS - i)) - radius(along(STEPS - i))))}`);
  const ground = Array.from({ length: STEPS + 1 }, (_, i) => `${fixed(x(along(i)))},${fixed(y(bulge(along(i))))}`);
  const obstacleWidth = 8;
  const obstacleTop = y(input.obstacleHeightM + bulge(obstacleD));
  const obstacleBase = y(bulge(obstacleD));

  return {
    zone: { d: `M${upper.join('L')}L${lower.join('L')}Z` },
    ground: { d: `M${ground.join('L')}` },
    line: { x1: fixed(x(0)), y1: fixed(y(input.heightAM)), x2: fixed(x(total)), y2: fixed(y(input.heightBM)) },
    mastA: { x1: fixed(x(0)), y1: fixed(y(0)), x2: fixed(x(0)), y2: fixed(y(input.heightAM)) },
    mastB: { x1: fixed(x(total)), y1: fixed(y(0)), x2: fixed(x(total)), y2: fixed(y(input.heightBM)) },
    obstacle: {
      x: fixed(x(obstacleD) - obstacleWidth / 2),
      y: fixed(obstacleTop),
      width: String(obstacleWidth),
      height: fixed(Math.max(0, obstacleBase - obstacleTop)),
    },
  };
}
