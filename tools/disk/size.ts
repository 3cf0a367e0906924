/** Sizes as operators type them ("900M", "1G", "512MB") and as we print them. */
import { EXIT, UserError } from '../common/errors.ts';

const units: Record<string, number> = {
  '': 1,
  B: 1,
  K: 1024,
  KB: 1024,
  KIB: 1024,
  M: 1024 ** 2,
  MB: 1024 ** 2,
  MIB: 1024 ** 2,
  G: 1024 ** 3,
  GB: 1024 ** 3,
  GIB: 1024 ** 3,
  T: 1024 ** 4,
  TB: 1024 ** 4,
  TIB: 1024 ** 4,
};

/**
 * Parses a size such as "900M" or "2G". Units are binary (M = MiB), as in the
 * Porteus save-file tools, so "1024M" and "1G" are the same size.
 */
export function parseSize(text: string, what = 'size'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = match ? units[match[2]!.toUpperCase()] : undefined;
  if (!match || unit === undefined) {
    throw new UserError(`byz: bad ${what} "${text}": give a number with a unit, such as 900M or 4G`, EXIT.usage);
  }
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes <= 0) throw new UserError(`byz: bad ${what} "${text}": it must be larger than zero`, EXIT.usage);
  return bytes;
}

/** "1.5 GiB", "300 MiB", "12 KiB", "17 B". */
export function formatBytes(bytes: number): string {
  const steps = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let step = 0;
  while (value >= 1024 && step < steps.length - 1) {
    value /= 1024;
    step += 1;
  }
  const text = step === 0 || value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${steps[step]}`;
}

export const MiB = 1024 * 1024;

export function alignUp(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
