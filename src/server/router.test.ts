import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineRoute, json, type Route } from './route.js';
import { compilePath, createRouter } from './router.js';

const route = (method: 'GET' | 'POST' | 'DELETE', path: string): Route =>
  defineRoute({ method, path, operationId: `${method}${path}`, summary: '', tag: 't', access: 'read', query: z.strictObject({}), params: z.strictObject({}), responses: [], handle: async () => json(null) });

describe('router', () => {
  const routes = [route('GET', '/api/changes'), route('POST', '/api/changes'), route('DELETE', '/api/changes/{name}'), route('GET', '/api/tables/{analysis}/{table}.csv'), route('GET', '/api/results/{name}')];
  const router = createRouter(routes);

  it('compiles OpenAPI paths with their parameter names', () => {
    const { pattern, names } = compilePath('/api/tables/{analysis}/{table}.csv');
    expect(names).toEqual(['analysis', 'table']);
    expect(pattern.exec('/api/tables/profile/tenure.csv')?.slice(1)).toEqual(['profile', 'tenure']);
    expect(pattern.test('/api/tables/profile/tenure.json')).toBe(false);
    expect(pattern.test('/api/tables/profile/a/b.csv')).toBe(false);
  });

  it('finds the route with its decoded parameters; HEAD is GET', () => {
    const hit = router.match('GET', '/api/results/perfect-customer');
    expect(hit).toMatchObject({ kind: 'found', params: { name: 'perfect-customer' } });
    expect(router.match('HEAD', '/api/tables/mix/a%20b.csv')).toMatchObject({ kind: 'found', params: { analysis: 'mix', table: 'a b' } });
    expect(router.match('DELETE', '/api/changes/North%20network%20upgrade')).toMatchObject({ kind: 'found', params: { name: 'North network upgrade' } });
    expect(router.match('DELETE', '/api/changes/a%2Fb')).toMatchObject({ kind: 'found', params: { name: 'a/b' } });
  });

  it('says 404 for an unknown path, 405 with Allow for another method, 400 for bad percent-encoding', () => {
    expect(router.match('GET', '/api/nothing')).toEqual({ kind: 'not_found' });
    expect(router.match('GET', '/api/changes/')).toEqual({ kind: 'not_found' });
    expect(router.match('PUT', '/api/changes')).toEqual({ kind: 'method_not_allowed', allow: ['GET', 'HEAD', 'POST', 'OPTIONS'] });
    expect(router.match('GET', '/api/changes/x')).toEqual({ kind: 'method_not_allowed', allow: ['DELETE', 'OPTIONS'] });
    expect(router.match('GET', '/api/results/%E0%A4%A')).toMatchObject({ kind: 'bad_path' });
  });

  it('refuses a route table that declares one method and path twice', () => {
    expect(() => createRouter([route('GET', '/a'), route('GET', '/a')])).toThrow(/declared twice/);
  });
});
