import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultJsonSchemaText } from './result-json-schema.js';
import { countValue, resultSchema, toCount, type Result } from './result.js';

function sampleResult(overrides: Partial<Result> = {}): Result {
  return {
    schemaVersion: 1,
    name: 'profile',
    status: 'ok',
    importVersion: 3,
    createdAt: '2026-06-30T12:00:00.000Z',
    provenance: { cxrayVersion: '0.1.0', configHash: 'abc', inputHashes: { 'a.csv': 'f00' }, seed: 1, filter: { segment: "segment = 'retail'", from: '2025-01-01' } },
    summary: ['5,000 customers as of 2026-06-30.'],
    findings: [
      {
        code: 'profile.top10_share',
        text: 'The top 10% of customers bring 31% of revenue (95% CI 30% to 32%; n = 5,000).',
        estimate: 0.31,
        unit: 'share',
        interval: { lower: 0.3, upper: 0.32, level: 0.95 },
        n: 5000,
        severity: 'info',
      },
    ],
    tables: [{ name: 't', columns: [{ name: 'level', type: 'string', unit: null }, { name: 'n', type: 'integer', unit: 'customers' }], rows: [['a', 7], ['b', null]] }],
    charts: [{ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', data: { values: [{ x: 1 }] }, mark: 'bar' }],
    method: { description: 'd', assumptions: [], thresholds: { fdr: 0.05, practical: { points: 2 }, minimumCellCount: 5 }, revision: 1 },
    warnings: [],
    ...overrides,
  };
}

describe('the Result contract', () => {
  it('accepts a complete result and keeps chart specs whole', () => {
    const parsed = resultSchema.parse(sampleResult());
    expect(parsed.charts[0]).toMatchObject({ mark: 'bar' });
  });

  it('refuses what the contract forbids', () => {
    const bad: [string, unknown][] = [
      ['skipped without a reason', { ...sampleResult(), status: 'skipped' }],
      ['an unknown analysis name', { ...sampleResult(), name: 'magic' }],
      ['a local time without Z', { ...sampleResult(), createdAt: '2026-06-30T12:00:00+02:00' }],
      ['a row of the wrong length', { ...sampleResult(), tables: [{ name: 't', columns: [{ name: 'a', type: 'string', unit: null }], rows: [['x', 1]] }] }],
      ['a count beyond 2^53 as a number', { ...sampleResult(), findings: [{ ...sampleResult().findings[0], n: 2 ** 53 }] }],
      ['a non-finite estimate', { ...sampleResult(), findings: [{ ...sampleResult().findings[0], estimate: Number.NaN }] }],
      ['a chart without inline data', { ...sampleResult(), charts: [{ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', mark: 'bar' }] }],
      ['an unknown key', { ...sampleResult(), extra: 1 }],
      ['a p-value above 1', { ...sampleResult(), findings: [{ ...sampleResult().findings[0], pValue: 1.5 }] }],
    ];
    for (const [what, value] of bad) expect(resultSchema.safeParse(value).success, what).toBe(false);
    expect(resultSchema.safeParse({ ...sampleResult(), status: 'skipped', reason: 'not implemented yet in this version' }).success).toBe(true);
  });

  it('carries counts beyond 2^53 as decimal strings, exactly', () => {
    expect(toCount(5n)).toBe(5);
    expect(toCount(2n ** 53n + 1n)).toBe('9007199254740993');
    expect(toCount(9_007_199_254_740_991)).toBe(9_007_199_254_740_991);
    expect(() => toCount(-1)).toThrow();
    expect(() => toCount(2 ** 53)).toThrow();
    const big = { ...sampleResult(), findings: [{ ...sampleResult().findings[0], n: '123456789012345678901' }] };
    expect(resultSchema.safeParse(big).success).toBe(true);
    expect(countValue('9007199254740993')).toBeCloseTo(9.007199254740993e15, -2);
  });

  it('docs/result.schema.json is the schema the zod types generate (run scripts/write-result-schema.ts when this fails)', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'result.schema.json'), 'utf8');
    expect(committed).toBe(resultJsonSchemaText());
    const schema = JSON.parse(committed) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'name', 'status', 'importVersion', 'createdAt', 'provenance', 'summary', 'findings', 'tables', 'charts', 'method', 'warnings']),
    );
    expect(schema.required).not.toContain('reason');
  });
});
