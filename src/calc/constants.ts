/** Speed of light in vacuum, m/s (exact by definition of the metre). */
export const SPEED_OF_LIGHT = 299_792_458;

/** Mean radius of the Earth, metres. */
export const EARTH_RADIUS_M = 6_371_000;

/**
 * The usual effective-earth factor for radio planning: the atmosphere bends
 * radio waves slightly downwards, so a link "sees" an Earth 4/3 as large.
 */
export const STANDARD_K_FACTOR = 4 / 3;

/** Wavelength in metres of a frequency in MHz. */
export function wavelengthM(frequencyMHz: number): number {
  return SPEED_OF_LIGHT / (frequencyMHz * 1e6);
}
