import * as v from 'valibot';

/** The answer, checked against a contract schema; undefined if it breaks the contract in any way. */
export function parseWith<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : undefined;
}
