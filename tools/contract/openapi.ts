/**
 * The OpenAPI 3.0 document of /api/v1, generated from the endpoint table and
 * its valibot schemas (served at /api/v1/openapi.json and rendered in the
 * book's reference).
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type { GenericSchema } from 'valibot';
import { endpoints, type Endpoint } from './endpoints.ts';
import { API_PREFIX, ApiError } from './schemas.ts';

type Json = Record<string, unknown>;

function jsonSchema(schema: GenericSchema): Json {
  // Custom checks (v.check) have no JSON Schema form; the server still runs them.
  return toJsonSchema(schema, { target: 'openapi-3.0', errorMode: 'ignore' }) as Json;
}

const errorAnswer = { description: 'Error', content: { 'application/json': { schema: jsonSchema(ApiError) } } };

function operation(name: string, endpoint: Endpoint): Json {
  const parameters = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map(([, param]) => ({
    name: param,
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,31}$' },
  }));
  const success =
    endpoint.response === 'event-stream'
      ? { description: 'Server-sent events', content: { 'text/event-stream': { schema: { type: 'string' } } } }
      : { description: 'OK', content: { 'application/json': { schema: jsonSchema(endpoint.response) } } };
  const op: Json = {
    operationId: name,
    summary: endpoint.summary,
    tags: [endpoint.access === 'public' ? 'public' : 'operator'],
    responses: { '200': success, '4XX': errorAnswer, '5XX': errorAnswer },
  };
  if (parameters.length > 0) op.parameters = parameters;
  if (endpoint.request) {
    op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(endpoint.request) } } };
  }
  if (endpoint.access === 'operator') {
    op.security = [{ session: [], csrf: [] }];
  }
  return op;
}

export function openApiDocument(version: string): Json {
  const paths: Record<string, Json> = {};
  for (const [name, endpoint] of Object.entries(endpoints) as [string, Endpoint][]) {
    const path = API_PREFIX + endpoint.path;
    paths[path] ??= {};
    paths[path][endpoint.method.toLowerCase()] = operation(name, endpoint);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Byzantium node agent',
      version,
      description:
        'The JSON API of `byz serve`. Public endpoints answer anyone on the mesh and reveal nothing about clients. ' +
        'Operator endpoints need a session cookie (from a one-time link printed by `byz operator-link`), ' +
        'and every POST needs the X-CSRF-Token header and a same-origin Origin or Sec-Fetch-Site header.',
      license: { name: 'GPL-3.0-or-later', url: 'https://www.gnu.org/licenses/gpl-3.0.html' },
    },
    tags: [
      { name: 'public', description: 'Anyone on the mesh.' },
      { name: 'operator', description: "The node's operator, logged in, usually on the node itself (loopback)." },
    ],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'byz_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      },
    },
  };
}
