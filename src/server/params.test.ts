import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { filterShape, parseBody, parseQuery, periodInOrder, wholeNumberParam } from './params.js';
import { HttpProblem } from './problems.js';

const schema = z.strictObject({ ...filterShape, page: wholeNumberParam(1, 1000).default(1), order: z.enum(['asc', 'desc']).default('asc') }).superRefine(periodInOrder);

function problem(run: () => unknown): { status: number; code: string; parameter?: string; message: string; hint?: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpProblem) return { status: error.status, code: error.code, message: error.message, ...(error.options.parameter === undefined ? {} : { parameter: error.options.parameter }), ...(error.options.hint === undefined ? {} : { hint: error.options.hint }) };
    throw error;
  }
  throw new Error('no problem');
}

const q = (text: string): URLSearchParams => new URLSearchParams(text);

describe('query parameters', () => {
  it('parses, applies defaults and drops empty values', () => {
    expect(parseQuery(schema, q('page=3&segment=segment%20%3D%20retail&from=2025-01-01&to=2025-01-01&order=desc'))).toEqual({ page: 3, segment: 'segment = retail', from: '2025-01-01', to: '2025-01-01', order: 'desc' });
    expect(parseQuery(schema, q('segment=&from='))).toEqual({ page: 1, order: 'asc' });
  });

  it('refuses unknown parameters with the nearest name', () => {
    expect(problem(() => parseQuery(schema, q('pge=2')))).toMatchObject({ status: 400, code: 'unknown_parameter', parameter: 'pge', hint: expect.stringMatching(/^Did you mean page\? This endpoint takes: segment, from, to, page, order\./) });
  });

  it('refuses repeated parameters', () => {
    expect(problem(() => parseQuery(schema, q('page=1&page=2')))).toMatchObject({ status: 400, code: 'repeated_parameter', parameter: 'page' });
  });

  it('names the parameter and says what it must be', () => {
    expect(problem(() => parseQuery(schema, q('page=0')))).toMatchObject({ code: 'bad_parameter', parameter: 'page', message: 'The parameter page must be at least 1.' });
    for (const bad of ['1.5', '-1', ' 1', '1e3', 'abc', '0x10']) expect(problem(() => parseQuery(schema, q(`page=${encodeURIComponent(bad)}`))), bad).toMatchObject({ parameter: 'page', message: 'The parameter page must be a whole number written in digits.' });
    expect(problem(() => parseQuery(schema, q('page=1001')))).toMatchObject({ parameter: 'page', message: 'The parameter page must be at most 1000.' });
    expect(problem(() => parseQuery(schema, q('from=2025-02-30')))).toMatchObject({ parameter: 'from', message: 'The parameter from must be a calendar date written YYYY-MM-DD.', hint: expect.stringContaining('YYYY-MM-DD') });
    expect(problem(() => parseQuery(schema, q('from=2025-03-01&to=2025-02-01')))).toMatchObject({ parameter: 'to', message: 'The parameter to the period ends (2025-02-01) before it starts (2025-03-01).' });
    expect(problem(() => parseQuery(schema, q('order=up')))).toMatchObject({ parameter: 'order', hint: 'Give order=asc or order=desc.' });
  });

  it('checks a segment rule with the parser the CLI uses, keeping its code and hint', () => {
    const p = problem(() => parseQuery(schema, q(`segment=${encodeURIComponent("region = 'North")}`)));
    expect(p).toMatchObject({ status: 400, code: 'segment_syntax', parameter: 'segment', message: expect.stringMatching(/^The parameter segment: Segment rule, character \d+: the quoted value starting here is never closed/) });
    expect(problem(() => parseQuery(schema, q(`segment=${encodeURIComponent('a = 1 AND')}`)))).toMatchObject({ code: 'segment_syntax', parameter: 'segment' });
    // Text that looks like SQL is a value to the parser (bound, never pasted: see the API tests), or a syntax error.
    const hostile = "region = 'x''; DROP TABLE customers; --'";
    expect(parseQuery(schema, q(`segment=${encodeURIComponent(hostile)}`)).segment).toBe(hostile);
    expect(problem(() => parseQuery(schema, q(`segment=${encodeURIComponent('region = a) OR (1 = 1')}`)))).toMatchObject({ code: 'segment_syntax', parameter: 'segment' });
    expect(problem(() => parseQuery(schema, q(`segment=${'a'.repeat(4001)}`)))).toMatchObject({ parameter: 'segment' });
  });
});

describe('JSON bodies', () => {
  const body = z.strictObject({ name: z.string(), months: z.number().int().optional() });
  it('names the field at fault, or the unknown one', () => {
    expect(parseBody(body, { name: 'x' })).toEqual({ name: 'x' });
    expect(problem(() => parseBody(body, { name: 'x', extra: 1 }))).toMatchObject({ status: 400, code: 'unknown_field', parameter: 'extra' });
    expect(problem(() => parseBody(body, {}))).toMatchObject({ code: 'bad_body', parameter: 'name', message: 'The body field name is required.' });
    expect(problem(() => parseBody(body, { name: 'x', months: 1.5 }))).toMatchObject({ code: 'bad_body', parameter: 'months' });
    expect(problem(() => parseBody(body, undefined))).toMatchObject({ code: 'bad_body', message: 'The request body is required.' });
  });
});
