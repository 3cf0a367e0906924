/** JSON answers and bodies: every error is a small JSON object, every body is capped and checked against its schema. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { COMMON_SECURITY_HEADERS, NON_PAGE_POLICY } from './csp.ts';

export const JSON_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON_SECURITY_HEADERS,
  'Content-Security-Policy': NON_PAGE_POLICY,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string | number> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), extra);
}

/** Sends JSON already serialised (answers that never change, such as the OpenAPI document). */
export function sendJsonText(res: ServerResponse, status: number, text: string, extra: Record<string, string | number> = {}): void {
  res.writeHead(status, { ...JSON_HEADERS, 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string | number> = {}): void {
  sendJson(res, status, { error: { code, message } }, extra);
}

/** An answer the request handler turns into a JSON error (thrown from deep inside a handler). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string | number>;
  constructor(status: number, code: string, message: string, headers: Record<string, string | number> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const MAX_BODY_BYTES = 16 * 1024;

/** Reads a JSON body of at most maxBytes and validates it; throws HttpError with a one-line reason otherwise. */
export async function readBody<T extends v.GenericSchema>(req: IncomingMessage, schema: T, maxBytes = MAX_BODY_BYTES): Promise<v.InferOutput<T>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // Only application/json: a cross-site HTML form cannot send it without a CORS preflight.
  if (type !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'the body must be application/json');
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new HttpError(413, 'body_too_large', `the body is larger than ${maxBytes} bytes`, { Connection: 'close' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, 'body_too_large', `the body is larger than ${maxBytes} bytes`, { Connection: 'close' });
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed_json', 'the body is not valid JSON');
  }
  const result = v.safeParse(schema, parsed);
  if (!result.success) {
    const issue = result.issues[0];
    const where = v.getDotPath(issue) ?? 'body';
    throw new HttpError(400, 'invalid_body', `${where}: ${issue.message}`.slice(0, 300));
  }
  return result.output;
}
