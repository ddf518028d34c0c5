import { describe, expect, it } from 'vitest';
import { resultJsonSchemaText } from '../analysis/result-json-schema.js';
import { openApiDocument } from './openapi.js';
import { parameterNames } from './params.js';
import { ROUTES } from './routes/index.js';

type Json = Record<string, unknown>;
const doc = openApiDocument(ROUTES) as Json & { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refs(item, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refs(value, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with info, paths and components, and plain JSON', () => {
    expect(doc).toMatchObject({ openapi: '3.1.0', info: { title: 'cxray API', version: expect.any(String) }, jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema' });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('documents every route of the route table, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const ids = ROUTES.map((r) => doc.paths[r.path]?.[r.method.toLowerCase()]?.['operationId']);
    expect(new Set(ids).size).toBe(ROUTES.length);
  });

  it('declares every path parameter and exactly the query parameters the router accepts', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as { parameters: { name: string; in: string; required: boolean; schema: Json }[] };
      const inPath = [...route.path.matchAll(/\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]);
      expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), route.path).toEqual(inPath);
      expect(op.parameters.filter((p) => p.in === 'path').every((p) => p.required)).toBe(true);
      expect(op.parameters.filter((p) => p.in === 'query').map((p) => p.name), route.path).toEqual(parameterNames(route.query));
      for (const p of op.parameters) expect(typeof p.schema, `${route.path} ${p.name}`).toBe('object');
    }
    const customers = doc.paths['/api/customers']?.['get'] as { parameters: { name: string; required: boolean; schema: Json }[] };
    expect(customers.parameters.find((p) => p.name === 'pageSize')).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } });
    expect(customers.parameters.find((p) => p.name === 'sort')?.schema['enum']).toContain('fitScore');
  });

  it('gives every operation a success response and problem+json errors; writes say 403, reads with a token 401', () => {
    for (const route of ROUTES) {
      const responses = doc.paths[route.path]?.[route.method.toLowerCase()]?.['responses'] as Record<string, { content?: Record<string, { schema: Json }> }>;
      expect(Object.keys(responses).some((s) => s.startsWith('2')), route.path).toBe(true);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) expect(response.content?.['application/problem+json']?.schema, `${route.path} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      expect('403' in responses, route.path).toBe(route.access === 'write');
      expect('401' in responses, route.path).toBe(route.access !== 'open');
    }
    expect(doc.paths['/api/health']?.['get']?.['security']).toEqual([]);
    expect(doc.paths['/api/results/{name}']?.['get']?.['responses']).toMatchObject({ '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Result' } } } }, '404': {} });
    expect(Object.keys((doc.paths['/api/export/scores']?.['get']?.['responses'] as Json)['200'] as Json)).toContain('content');
    expect(Object.keys(((doc.paths['/api/export/scores']?.['get']?.['responses'] as Record<string, Json>)['200']?.['content'] ?? {}) as Json)).toEqual(['text/csv; charset=utf-8', 'application/vnd.apache.parquet']);
    expect(doc.paths['/api/changes']?.['post']?.['requestBody']).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object', required: ['name', 'date'] } } } });
  });

  it('resolves every $ref, and carries the Result JSON Schema as committed', () => {
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').pop() ?? ''], ref).toBeDefined();
    }
    const { $id: _id, $schema: _schema, ...result } = JSON.parse(resultJsonSchemaText()) as Json;
    expect(doc.components.schemas['Result']).toEqual(result);
    expect(doc.components.schemas['Problem']).toMatchObject({ type: 'object', required: ['type', 'title', 'status', 'detail', 'code', 'hint'] });
  });
});
