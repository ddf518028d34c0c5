import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';
import { resultRows } from '../result-rows.case.js';
import { resultSchema, type Result } from '../result.js';
import type { AnalysisFilter } from '../types.js';
import { makeValueMap } from './hand-made.case.js';

// The hand-made value map (hand-made.case.ts): equal satisfaction in every
// segment, A paying 30% more and B 20% less than C and D. The line is
// c·(41 + 0.205·v) and a segment's deviation c·52.5·(mult − 1.025), with c
// the months factor 12 / (days / 30.4375): A over-charged, B over-served, C
// and D slightly below the line but under the 10% threshold, regions on it.
const c = (days: number): number => 12 / (days / 30.4375);
const YEAR = 366;

async function valueBalance(ws: Workspace, filter: AnalysisFilter = {}): Promise<Result> {
  const { results } = await ws.analyze(['value-balance'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'value-balance') as Result;
  resultSchema.parse(result);
  return result;
}

function ok(result: Result): Result {
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

type Kind = 'area' | 'nps' | 'events' | 'usage' | 'none';
const workspaces = {} as Record<Kind, Workspace>;

beforeAll(async () => {
  workspaces.area = new Workspace(makeValueMap());
  workspaces.nps = new Workspace(makeValueMap({ area: 'Network' }));
  workspaces.events = new Workspace(makeValueMap({ events: true }));
  workspaces.usage = new Workspace(makeValueMap({ survey: false, events: true }));
  workspaces.none = new Workspace(makeValueMap({ survey: false }));
  for (const ws of Object.values(workspaces)) await ws.import();
}, 120_000);

describe('value-balance on a hand-made value map whose answer is known by construction', () => {
  it('flags A as over-charged and B as over-served, with the deviations, intervals and money of the hand computation', async () => {
    const r = ok(await valueBalance(workspaces.area));
    const k = c(YEAR);
    const charged = r.findings.filter((f) => f.code === 'value_balance.over_charged');
    const served = r.findings.filter((f) => f.code === 'value_balance.over_served');
    expect(charged.map((f) => f.text)).toEqual([
      'Customers with segment A pay $14.41 a month more than their satisfaction with price and value warrants (95% CI $12.83 to $15.99; 60 customers, about $10,374 a year).',
    ]);
    expect(served.map((f) => f.text)).toEqual([
      'Customers with segment B pay $11.79 a month less than their satisfaction with price and value warrants (95% CI $10.22 to $13.36; 60 customers, about $8,488 a year given away).',
    ]);
    const [a] = charged;
    const [b] = served;
    expect(a?.estimate).toBeCloseTo(14.4375 * k, 9);
    expect(b?.estimate).toBeCloseTo(-11.8125 * k, 9);
    expect(a?.moneyAtStake).toEqual({ amount: expect.closeTo(14.4375 * k * 12 * 60, 6), currency: 'USD', period: 'year' });
    expect(b?.moneyAtStake?.amount).toBeCloseTo(11.8125 * k * 12 * 60, 6);
    expect([a?.n, a?.severity, b?.severity]).toEqual([60, 'high', 'medium']);
    expect(a?.qValue).toBeLessThanOrEqual(0.05);
    expect(r.summary[0]).toBe(
      'Value delivered is measured by satisfaction with price and value (ratings of "Price and value") on 0-100. The fair-value line over 240 customers: price per customer-month $53.70 on average, +$0.20 per point of satisfaction with price and value (R² 0.235).',
    );

    const rows = resultRows(r, 'value_balance_segments');
    const row = (segment: string): Record<string, unknown> => rows.find((x) => x['segment'] === segment) ?? {};
    expect(rows.map((x) => [x['segment'], x['verdict'], x['customers'], x['customers_on_map']])).toEqual([
      ['segment A', 'over-charged', 60, 60],
      ['segment B', 'over-served', 60, 60],
      ['segment C', 'on the line', 60, 60],
      ['segment D', 'on the line', 60, 60],
      ['region north', 'on the line', 120, 120],
      ['region south', 'on the line', 120, 120],
    ]);
    // C and D pay 1.31 a month under the line: under the 10% threshold (5.37), so on it whatever their test says.
    expect(row('segment C')['deviation']).toBeCloseTo(-1.3125 * k, 9);
    expect(row('segment A')['price_per_month']).toBeCloseTo(1.3 * 52.5 * k, 9);
    expect(row('segment A')['satisfaction']).toBeCloseTo(62.5, 12);
    expect(row('region north')['deviation']).toBeCloseTo(0, 9);
    expect(row('region north')['satisfaction']).toBeCloseTo(75, 12);
    const line = resultRows(r, 'value_balance_line');
    expect(line.map((x) => x['term'])).toEqual(['intercept', 'satisfaction']);
    expect(line[0]?.['coefficient']).toBeCloseTo(41 * k, 9);
    expect(line[1]?.['coefficient']).toBeCloseTo(0.205 * k, 9);
    // The value map: six segments, the line between the lowest and highest satisfaction.
    const [chart] = r.charts;
    expect(chart?.data.values).toHaveLength(6);
    expect(chart?.data.values.find((v) => v['segment'] === 'segment A')).toMatchObject({ verdict: 'over-charged', customers: 60, value: expect.closeTo(62.5, 9), price: expect.closeTo(1.3 * 52.5 * k, 9) });
  });

  it('falls back to the NPS score (0-100) when no survey area is about price or value, with the same deviations', async () => {
    const r = ok(await valueBalance(workspaces.nps));
    expect(r.summary[0]).toMatch(/^Value delivered is measured by NPS score on 0-100\./);
    expect(r.method.assumptions.join(' ')).toContain('No survey area is about price or value');
    // The NPS answer is twice the rating, a linear map of the same satisfaction: the line moves, the deviations do not.
    expect(r.findings.filter((f) => f.code.startsWith('value_balance.over_')).map((f) => [f.code, f.estimate])).toEqual([
      ['value_balance.over_charged', expect.closeTo(14.4375 * c(YEAR), 9)],
      ['value_balance.over_served', expect.closeTo(-11.8125 * c(YEAR), 9)],
    ]);
  });

  it('adds usage (behaviour events per customer-month) as a second axis where events exist', async () => {
    const r = ok(await valueBalance(workspaces.events));
    expect(r.summary[0]).toMatch(/and usage \(behaviour events per customer-month\)\./);
    expect(r.findings.map((f) => f.code)).toContain('value_balance.slope_usage');
    expect(resultRows(r, 'value_balance_line').map((x) => x['term'])).toEqual(['intercept', 'satisfaction', 'usage']);
    // Usage is balanced in every segment: the deviations are those without it.
    const a = r.findings.find((f) => f.code === 'value_balance.over_charged');
    expect(a?.estimate).toBeCloseTo(14.4375 * c(YEAR), 9);
    expect(a?.text).toContain('than their satisfaction with price and value and their usage warrant (');
  });

  it('maps price against usage alone when there is no survey but there are events', async () => {
    const r = ok(await valueBalance(workspaces.usage));
    expect(r.summary[0]).toMatch(/^Value delivered is measured by usage \(behaviour events per customer-month\)\./);
    expect(resultRows(r, 'value_balance_line').map((x) => x['term'])).toEqual(['intercept', 'usage']);
    const a = r.findings.find((f) => f.code === 'value_balance.over_charged');
    expect(a?.estimate).toBeCloseTo(14.4375 * c(YEAR), 9);
    expect(a?.text).toContain('a month more than their usage warrants (');
    expect(r.method.assumptions.join(' ')).not.toContain('No survey area');
  });

  it('says "not enough data" when nothing measures value delivered, with the reason, and never a number', async () => {
    const r = await valueBalance(workspaces.none);
    expect(r.status).toBe('skipped');
    expect(r.reason).toMatch(/^Not enough data: nothing measures the value these customers get: no satisfaction answers/);
    expect(r.findings).toEqual([]);
  });

  it('honours a segment rule: the line and the segments within region north', async () => {
    const r = ok(await valueBalance(workspaces.area, { segment: 'region = north' }));
    // Within north, ratings 3 and 5 only (v 50 and 100, mean 75): deviations c·55·(mult − 1.025); region is not a split any more.
    const rows = resultRows(r, 'value_balance_segments');
    expect(rows.map((x) => x['segment'])).toEqual(['segment A', 'segment B', 'segment C', 'segment D']);
    expect(rows[0]?.['deviation']).toBeCloseTo(55 * 0.275 * c(YEAR), 9);
    expect(rows[0]?.['customers']).toBe(30);
    expect(r.provenance.filter.segment).toBe("region = 'north'");
  });

  it('honours a period: price, exposure and answers inside it only', async () => {
    // From 2024-02-01: 335 days of exposure, the payments and the answers inside.
    const r = ok(await valueBalance(workspaces.area, { from: '2024-02-01' }));
    expect(r.findings.find((f) => f.code === 'value_balance.over_charged')?.estimate).toBeCloseTo(14.4375 * c(335), 9);
    // Up to 2024-06-30 the survey (dated 2024-09-01) has not happened yet.
    const early = await valueBalance(workspaces.area, { to: '2024-06-30' });
    expect([early.status, early.reason?.slice(0, 16)]).toEqual(['skipped', 'Not enough data:']);
  });
});
