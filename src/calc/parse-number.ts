import { fail, ok, type CalcResult } from './messages.ts';

/**
 * Reads a number as a reader types it on a phone: Western, Arabic-Indic
 * (٠–٩) or Persian (۰–۹) digits; a point, comma or Arabic decimal separator
 * (٫); an ASCII or Unicode minus. Returns undefined for an empty field and NaN
 * for anything else that is not one plain decimal number (no thousands
 * separators, no exponents), so the caller can tell "missing" from "wrong".
 */
export function parseLocalNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const normalised = trimmed
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u2212\u2013\u2010]/g, '-')
    .replace(/[,\u066b]/g, '.')
    .replace(/^\+/, '');
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(normalised)) return Number.NaN;
  return Number(normalised);
}


/** One form field's text as a number, or the message saying what is wrong with it. */
export function readNumberField(text: string, field: string): CalcResult<number> {
  const value = parseLocalNumber(text);
  if (value === undefined) return fail('calc.error.required', field);
  if (Number.isNaN(value)) return fail('calc.error.notNumber', field);
  return ok(value);
}
