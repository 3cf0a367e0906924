/**
 * Number formatting shared by the server render and the browser script, so a
 * calculator shows the same text before and after its script runs. Numbers
 * follow the page's locale (Arabic-Indic digits in Arabic, and so on); units
 * come from UI strings with a `{value}` slot, so translators choose the unit's
 * name and where it goes.
 */
export type Strings = Readonly<Record<string, string>>;

export type UnitKey = 'db' | 'dbm' | 'dbi' | 'mhz' | 'km' | 'm' | 'mm';

export interface Format {
  /** A value with a unit and a fixed number of decimals. */
  unit(value: number, unit: UnitKey, decimals?: number): string;
  /** A range such as 72–94 mm, in the locale's own range style. */
  unitRange(min: number, max: number, unit: UnitKey, decimals?: number): string;
  percent(ratio: number): string;
  /** The UI string for a key, or the key itself so a missing string is visible, not blank. */
  text(key: string): string;
}

export function makeFormat(lang: string, strings: Strings): Format {
  const cache = new Map<number, Intl.NumberFormat>();
  const numbers = (decimals: number) => {
    let found = cache.get(decimals);
    if (!found) {
      found = new Intl.NumberFormat(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      cache.set(decimals, found);
    }
    return found;
  };
  const text = (key: string) => strings[key] ?? key;
  // In right-to-left text a number is isolated (FSI…PDI) from its unit: otherwise the
  // direction mark Intl puts before a minus sign makes "-66.2 dBm" run left to right
  // while "29.0 dBm" beside it runs right to left, with the unit on the other side.
  const isolate = /^(ar|fa)\b/i.test(lang) ? (value: string) => `\u2068${value}\u2069` : (value: string) => value;
  const withUnit = (value: string, unit: UnitKey) => text(`calc.unit.${unit}`).replace('{value}', isolate(value));
  return {
    unit: (value, unit, decimals = 1) => withUnit(numbers(decimals).format(value), unit),
    unitRange: (min, max, unit, decimals = 1) => withUnit(numbers(decimals).formatRange(min, max), unit),
    percent: (ratio) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(ratio),
    text,
  };
}

/** What a calculator shows: its outputs by id, and a verdict sentence with a tone for colour. */
export interface CalcView {
  outputs: Record<string, string>;
  verdict?: { text: string; tone: 'good' | 'fair' | 'bad' };
  /** Attributes for the drawing's shapes (elements marked `data-shape`), if the calculator draws. */
  shapes?: Record<string, Record<string, string>>;
}

export type ViewResult = { ok: true; view: CalcView } | { ok: false; field: string; message: string };

/** A calculator's whole job between the form and the page: field texts in, view out. */
export type CalcViewFunction = (fields: Readonly<Record<string, string>>, format: Format) => ViewResult;
