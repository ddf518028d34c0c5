import { z } from 'zod';
import { resultJsonSchemaText } from '../analysis/result-json-schema.js';
import { CXRAY_VERSION } from '../analysis/version.js';
import { problemSchema } from './problems.js';
import { parameterNames } from './params.js';
import type { ResponseDoc, Route } from './route.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without its own $schema. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape ?? {};
}

function parameters(route: Route): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [name, field] of Object.entries(shapeOf(route.params))) {
    out.push({ name, in: 'path', required: true, schema: jsonSchemaOf(field), ...(field.description === undefined ? {} : { description: field.description }) });
  }
  for (const name of parameterNames(route.query)) {
    const field = shapeOf(route.query)[name] as z.ZodType;
    const schema = jsonSchemaOf(field);
    const description = field.description ?? (typeof schema['description'] === 'string' ? schema['description'] : undefined);
    out.push({ name, in: 'query', required: !field.safeParse(undefined).success, schema, ...(description === undefined ? {} : { description }) });
  }
  return out;
}

function content(doc: ResponseDoc): JsonSchema {
  const type = doc.contentType ?? 'application/json';
  if (doc.schema === undefined) return { [type]: { schema: type.startsWith('text/csv') || type.startsWith('text/html') ? { type: 'string' } : {} } };
  const schema = 'ref' in doc.schema ? { $ref: `#/components/schemas/${doc.schema.ref}` } : jsonSchemaOf(doc.schema);
  return { [type]: { schema } };
}

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/** Problems every route of an access level can answer with. */
function problemResponses(route: Route): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const add = (status: number, description: string): void => {
    out[String(status)] = { description, content: PROBLEM };
  };
  add(400, 'A parameter is unknown, repeated or not valid: the problem names it (`parameter`) and says what to give instead (`hint`).');
  if (route.access !== 'open') add(401, 'The server has a token and the request did not send it (Authorization: Bearer <token>).');
  if (route.access === 'write') add(403, 'The server was started without --allow-writes, or the request came from another origin.');
  add(405, 'The path exists for other methods (see the Allow header).');
  if (route.access !== 'open') add(409, 'The workspace cannot answer now: nothing imported, an import running, cxray.yaml to fix.');
  if (route.method === 'POST') add(415, 'The request body is not JSON (send Content-Type: application/json).');
  add(421, 'The server listens on loopback and the Host header names another host.');
  add(500, 'A bug: the server log has the details.');
  return out;
}

function operation(route: Route): JsonSchema {
  const responses: Record<string, JsonSchema> = problemResponses(route);
  for (const doc of route.responses) {
    const key = String(doc.status);
    const earlier = doc.status < 400 ? responses[key] : undefined;
    if (doc.status >= 400) responses[key] = { description: doc.description, content: PROBLEM };
    // A second media type for one status (the scores as CSV or Parquet).
    else if (earlier !== undefined) responses[key] = { description: `${String(earlier['description'])} ${doc.description}`, content: { ...(earlier['content'] as JsonSchema), ...content(doc) } };
    else responses[key] = { description: doc.description, content: content(doc) };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.tag],
    parameters: parameters(route),
    ...(route.body === undefined ? {} : { requestBody: { required: !route.body.safeParse(undefined).success, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } } }),
    responses,
    ...(route.access === 'open' ? { security: [] } : {}),
    ...(route.access === 'write' ? { 'x-cxray-needs': '--allow-writes' } : {}),
  };
}

/** The Result JSON Schema as a component: the committed docs/result.schema.json, less its own $id and $schema. */
function resultComponent(): JsonSchema {
  const { $schema: _s, $id: _id, ...rest } = JSON.parse(resultJsonSchemaText()) as JsonSchema;
  return rest;
}

/**
 * The OpenAPI 3.1 document of the route table the router serves: every
 * path, method, parameter (from the routes' zod schemas), body and response,
 * Results by the Result JSON Schema, errors as problem+json.
 *
 * @example
 * const doc = openApiDocument(ROUTES);
 * Object.keys(doc.paths); // ['/api/health', '/api/status', ...]
 */
export function openApiDocument(routes: readonly Route[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cxray API',
      version: CXRAY_VERSION,
      description:
        'The HTTP face of a cxray workspace (`cxray serve`): JSON over the same library as the CLI. Read-only unless the server was started with --allow-writes. ' +
        'A token (Authorization: Bearer) is required for everything but /api/health when the server listens on an address other than loopback, and on loopback when one is set. ' +
        'Errors are problem+json (RFC 9457) with a stable code and a hint.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Result: resultComponent(), Problem: jsonSchemaOf(problemSchema) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'CXRAY_TOKEN or --token-file of `cxray serve`.' } },
    },
    // The token is optional on a loopback server without one: either no security or the bearer token.
    security: [{ bearer: [] }, {}],
  };
}
