import type { CalcResult } from '../../calc/messages.ts';

/** Reads named form fields in order, stopping at the first one that is missing or wrong. */
export function readFields<const Name extends string>(
  fields: Readonly<Record<string, string>>,
  names: readonly Name[],
  read: (text: string, field: string) => CalcResult<number>,
): CalcResult<Record<Name, number>> {
  const values = {} as Record<Name, number>;
  for (const name of names) {
    const result = read(fields[name] ?? '', name);
    if (!result.ok) return result;
    values[name] = result.value;
  }
  return { ok: true, value: values };
}
