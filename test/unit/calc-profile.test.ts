import { describe, expect, it } from 'vitest';
import { PROFILE_HEIGHT, PROFILE_WIDTH, fresnelProfile } from '../../src/components/calc/fresnel-profile.ts';
import type { LineOfSightInput } from '../../src/calc/fresnel.ts';

const link: LineOfSightInput = { frequencyMHz: 5500, distanceKm: 3, heightAM: 15, heightBM: 15, obstacleDistanceKm: 1.5, obstacleHeightM: 10 };
const numbers = (text: string) => [...text.matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0]));

describe('the Fresnel calculator drawing', () => {
  it('stays inside its box for ordinary and extreme links', () => {
    for (const input of [link, { ...link, distanceKm: 300, obstacleDistanceKm: 10 }, { ...link, heightAM: 0, heightBM: 0, obstacleHeightM: 0 }, { ...link, obstacleHeightM: 2000 }]) {
      const shapes = fresnelProfile(input);
      const xs = [...numbers(shapes.zone.d!), ...numbers(shapes.ground.d!)];
      for (const n of xs) expect(Number.isFinite(n)).toBe(true);
      for (const shape of [shapes.line, shapes.mastA, shapes.mastB]) {
        for (const key of ['x1', 'x2']) expect(Number(shape[key])).toBeGreaterThanOrEqual(0);
        for (const key of ['x1', 'x2']) expect(Number(shape[key])).toBeLessThanOrEqual(PROFILE_WIDTH);
        for (const key of ['y1', 'y2']) expect(Number(shape[key])).toBeGreaterThanOrEqual(0);
        for (const key of ['y1', 'y2']) expect(Number(shape[key])).toBeLessThanOrEqual(PROFILE_HEIGHT);
      }
      expect(Number(shapes.obstacle.height)).toBeGreaterThanOrEqual(0);
    }
  });

  it('draws a blocking obstacle reaching above the line, and a low one below it', () => {
    const lineY = (input: LineOfSightInput) => Number(fresnelProfile(input).line.y1);
    const topY = (input: LineOfSightInput) => Number(fresnelProfile(input).obstacle.y);
    // SVG y grows downwards: "above" is a smaller y.
    expect(topY({ ...link, obstacleHeightM: 40 })).toBeLessThan(lineY({ ...link, obstacleHeightM: 40 }));
    expect(topY(link)).toBeGreaterThan(lineY(link));
  });

  it('puts the obstacle where it stands along the link', () => {
    const at = (km: number) => Number(fresnelProfile({ ...link, obstacleDistanceKm: km }).obstacle.x);
    expect(at(0.5)).toBeLessThan(at(1.5));
    expect(at(1.5)).toBeLessThan(at(2.5));
  });
});
