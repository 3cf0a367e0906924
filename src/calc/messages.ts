/**
 * Every way a calculation can refuse its input, as a UI-string key. The
 * calculators return one of these instead of NaN or Infinity, so the page can
 * show a sentence in the reader's language next to the field at fault.
 */
export type CalcMessageKey =
  | 'calc.error.required'
  | 'calc.error.notNumber'
  | 'calc.error.positive'
  | 'calc.error.frequencyRange'
  | 'calc.error.distanceRange'
  | 'calc.error.heightRange'
  | 'calc.error.powerRange'
  | 'calc.error.gainRange'
  | 'calc.error.lossRange'
  | 'calc.error.obstacleOutside'
  | 'calc.error.unknownChannel'
  | 'calc.error.canTooNarrow'
  | 'calc.error.canTooWide';

export interface CalcError {
  key: CalcMessageKey;
  /** The input the message is about, so the page can mark that field. */
  field: string;
}

export type CalcResult<T> = { ok: true; value: T } | { ok: false; error: CalcError };

export const ok = <T>(value: T): CalcResult<T> => ({ ok: true, value });
export const fail = <T>(key: CalcMessageKey, field: string): CalcResult<T> => ({
  ok: false,
  error: { key, field },
});
