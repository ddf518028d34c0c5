import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';
import { resultSchema, type Result } from '../result.js';
import type { AnalysisFilter } from '../types.js';
import { makeThreeSegments } from '../value/three-segments.case.js';
import { resultRows } from '../result-rows.case.js';

// The hand-made three-segment workspace (value/three-segments.case.ts):
// segment A loses money and is unhappy (NPS −66.7), B loses money but is
// happy (+66.7), C is fine (0); regions do not matter. So A, and only A, is
// misaligned; B loses money only; nothing is less satisfied only.
const MONTHS = 366 / 30.4375;


async function misaligned(ws: Workspace, filter: AnalysisFilter = {}): Promise<Result> {
  const { results } = await ws.analyze(['misaligned'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'misaligned') as Result;
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  resultSchema.parse(result);
  return result;
}

let full: Workspace;
let noDesk: Workspace;

beforeAll(async () => {
  full = new Workspace(makeThreeSegments());
  noDesk = new Workspace(makeThreeSegments({ interactions: false }));
  await full.import();
  await noDesk.import();
}, 120_000);

describe('misaligned segments on a hand-made workspace whose answer is known by construction', () => {
  it('flags segment A alone, with its loss per customer-month, its NPS against the overall and a year of money at stake', async () => {
    const r = await misaligned(full);
    const flagged = r.findings.filter((f) => f.code === 'misaligned.segment');
    expect(flagged).toHaveLength(1);
    const a = flagged[0];
    expect(a?.text).toMatch(/^Customers with segment A \(60 customers, 60 still active\) cost \$4\.37 per customer-month more than they bring \(95% CI \$4\.24 to \$4\.49\) and are less satisfied: NPS -66\.7 \(95% CI -78\.9 to -54\.4; 60 respondents\) against 0\.0 overall/);
    expect(a?.estimate).toBeCloseTo(-3_150 / (60 * MONTHS), 12);
    expect(a?.interval.upper).toBeLessThan(0);
    expect(a?.n).toBe(60);
    expect(a?.moneyAtStake?.amount).toBeCloseTo((3_150 / (60 * MONTHS)) * 12 * 60, 6);
    expect(a?.moneyAtStake?.period).toBe('year');
    expect(a?.qValue).toBeLessThanOrEqual(0.05);
    // Its halves by region are misaligned too, but are covered by it (nothing of them lies outside A).
    const table = resultRows(r, 'misaligned_segments');
    expect(table.filter((x) => String(x['status']).startsWith('misaligned; covered by segment A')).map((x) => x['segment']).sort()).toEqual(['segment A and region north', 'segment A and region south']);
  });

  it('lists B as losing money only, and nothing as less satisfied only', async () => {
    const r = await misaligned(full);
    expect(r.findings.filter((f) => f.code === 'misaligned.costly_only').map((f) => f.text.match(/^Customers with ([^(]+) \(/)?.[1])).toEqual(['segment B']);
    expect(r.findings.filter((f) => f.code === 'misaligned.unhappy_only')).toEqual([]);
    expect(r.summary).toContain('Losing money but not less satisfied: segment B (60 customers).');
    const scan = resultRows(r, 'misaligned_scan');
    // 2 groupings: 5 one-attribute cells, 6 two-attribute cells, all tested.
    expect(scan.map((x) => [x['conditions'], x['cells'], x['cells_tested']])).toEqual([[1, 5, 5], [2, 6, 6], [3, 0, 0]]);
  });

  it('answers within a segment rule and a period', async () => {
    const north = await misaligned(full, { segment: 'region = north' });
    expect(north.findings.filter((f) => f.code === 'misaligned.segment').map((f) => f.text.slice(0, 36))).toEqual(['Customers with segment A (30 custome']);
    // March to June: A pays 100-115, 60 credit and 4 calls (40): still losing; every answer was given in September.
    const spring = await misaligned(full, { from: '2024-03-01', to: '2024-06-30' });
    expect(spring.summary[0]).toMatch(/^No segment both costs more than it brings/);
    const autumn = await misaligned(full, { from: '2024-09-01', to: '2024-12-31' });
    // September to December: no payments, A's calls in months 9-11 (3, 30), B's chats in 9-12 (4, 40): both lose; A alone less satisfied.
    expect(autumn.findings.filter((f) => f.code === 'misaligned.segment').map((f) => f.text.slice(0, 26))).toEqual(['Customers with segment A (']);
    expect(autumn.method.assumptions.join(' ')).toMatch(/every NPS answer given from 2024-09-01 to 2024-12-31/);
  });

  it('without interactions: cost to serve unknown, said so, and A no longer loses money', async () => {
    const r = await misaligned(noDesk);
    expect(r.findings.filter((f) => f.code === 'misaligned.segment')).toEqual([]);
    expect(r.summary[0]).toMatch(/^No segment both costs more than it brings and is less satisfied than the overall \(NPS 0\.0\)\. 11 segments/);
    expect(r.summary).toContain('Cost to serve is unknown, so net value is before it: a segment that is costly to serve may not show as losing money.');
    expect(r.method.assumptions.join(' ')).toMatch(/Cost to serve is unknown: This import has no interactions rows/);
  });
});
