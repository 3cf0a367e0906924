/** The only error a parser of command output throws: the input was not what the tool prints. */
export class ParseError extends Error {
  readonly source: string;
  constructor(source: string, detail: string) {
    super(`cannot read ${source} output: ${detail}`);
    this.name = 'ParseError';
    this.source = source;
  }
}

/** JSON.parse that throws ParseError, never SyntaxError. */
export function parseJson(source: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ParseError(source, 'not JSON');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(source: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new ParseError(source, 'expected a list');
  return value;
}

export function asRecord(source: string, value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new ParseError(source, 'expected an object');
  return value;
}

export function stringField(source: string, record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new ParseError(source, `field "${key}" is not a string`);
  return value;
}

export function optionalString(source: string, record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ParseError(source, `field "${key}" is not a string`);
  return value;
}

export function numberField(source: string, record: Record<string, unknown>, key: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParseError(source, `field "${key}" is not a number`);
  return value;
}

export function optionalNumber(source: string, record: Record<string, unknown>, key: string): number | undefined {
  return record[key] === undefined ? undefined : numberField(source, record, key);
}

export function stringList(source: string, record: Record<string, unknown>, key: string): string[] {
  const value = record[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ParseError(source, `field "${key}" is not a list of strings`);
  }
  return value as string[];
}
