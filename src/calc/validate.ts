import type { CalcError, CalcMessageKey } from './messages.ts';

/**
 * A numeric input with the bounds that make physical sense for it. Bounds are
 * generous (a 0.1 km link and a 300 km one are both real) but they keep the
 * formulas away from zero, infinity and negative logarithms.
 */
export interface Bound {
  field: string;
  min: number;
  max: number;
  /** Whether `min` itself is allowed (a cable loss of 0 dB is; a distance of 0 km is not). */
  minInclusive: boolean;
  key: CalcMessageKey;
}

export function checkNumber(value: number, bound: Bound): CalcError | undefined {
  if (!Number.isFinite(value)) return { key: 'calc.error.notNumber', field: bound.field };
  const belowMin = bound.minInclusive ? value < bound.min : value <= bound.min;
  if (belowMin || value > bound.max) return { key: bound.key, field: bound.field };
  return undefined;
}

/** Checks fields in order and returns the first complaint, if any. */
export function checkAll(checks: ReadonlyArray<readonly [number, Bound]>): CalcError | undefined {
  for (const [value, bound] of checks) {
    const error = checkNumber(value, bound);
    if (error) return error;
  }
  return undefined;
}

/** Frequencies from 1 MHz to 100 GHz: every band a mesh might use, with room. */
export const frequencyMHz = (field = 'frequency'): Bound => ({
  field,
  min: 1,
  max: 100_000,
  minInclusive: true,
  key: 'calc.error.frequencyRange',
});

/** Link distances above zero and up to 1000 km. */
export const distanceKm = (field = 'distance'): Bound => ({
  field,
  min: 0,
  max: 1000,
  minInclusive: false,
  key: 'calc.error.distanceRange',
});
