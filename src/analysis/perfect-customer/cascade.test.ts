import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';
import { defaultCovariates } from '../regression/design.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import { DAYS_PER_MONTH, declaredBehaviours } from './behaviours.js';
import { CASCADE_DAYS, cascadeOf, makeCascadeWorkspace, withContext } from './cascade-workspace.case.js';
import { resultRows } from '../result-rows.case.js';
import { behaviourValue } from './value.js';

// The hand-made company of cascade-workspace.case.ts: promoters adopt
// self-service 50 points more often than detractors, adoption saves 20 per
// customer over 365 days, and promoters pay 60 more, which the money link
// must not credit to self-service. Everything but the intervals is exact.
const months = CASCADE_DAYS / DAYS_PER_MONTH;
const saving = 20 / months;

const links = (r: Result, behaviour: string): Record<string, Record<string, unknown>> =>
  Object.fromEntries(resultRows(r, 'cascade').filter((row) => row['behaviour'] === behaviour).map((row) => [row['link'] as string, row]));
const num = (row: Record<string, unknown> | undefined, column: string): number => row?.[column] as number;

describe('the cascade on a company built by hand (NPS)', () => {
  let ws: Workspace;
  let result: Result;
  beforeAll(async () => {
    ws = new Workspace(makeCascadeWorkspace());
    await ws.import();
    result = await cascadeOf(ws);
  });

  it('recovers each link: +50 points of adoption, the saving as the value, their product as the indirect effect', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const l = links(result, 'self_service');
    expect(Object.keys(l)).toEqual(['experience_to_behaviour', 'behaviour_to_money', 'indirect_per_customer_month', 'indirect_per_year']);
    expect(num(l['experience_to_behaviour'], 'estimate')).toBeCloseTo(50, 6);
    expect(num(l['behaviour_to_money'], 'estimate')).toBeCloseTo(saving, 9);
    expect(num(l['indirect_per_customer_month'], 'estimate')).toBeCloseTo(0.5 * saving, 8);
    expect(num(l['indirect_per_year'], 'estimate')).toBeCloseTo(0.5 * saving * 12 * 360, 4);
    expect(Object.values(l).map((row) => [row['unit'], row['n']])).toEqual([
      ['percentage_points', 360],
      ['USD per customer-month', 360],
      ['USD per customer-month', 360],
      ['USD per year', 360],
    ]);
  });

  it('gives bootstrap intervals: the adoption gap about as wide as the binomial one, the noiseless value none, the indirect effect their product', () => {
    const l = links(result, 'self_service');
    const adoption = l['experience_to_behaviour'];
    // Analytic: 1.96 · sqrt(2 · 0.75 · 0.25 / 120) = 10.96 points each side.
    expect(num(adoption, 'lower')).toBeGreaterThan(50 - 14);
    expect(num(adoption, 'lower')).toBeLessThan(50 - 8);
    expect(num(adoption, 'upper')).toBeGreaterThan(50 + 8);
    expect(num(adoption, 'upper')).toBeLessThan(50 + 14);
    // Money is exactly linear in adoption and class: every replicate finds the same value.
    expect(num(l['behaviour_to_money'], 'upper') - num(l['behaviour_to_money'], 'lower')).toBeLessThan(1e-9);
    expect(num(l['indirect_per_customer_month'], 'lower')).toBeCloseTo((num(adoption, 'lower') / 100) * saving, 9);
    expect(num(l['indirect_per_customer_month'], 'upper')).toBeCloseTo((num(adoption, 'upper') / 100) * saving, 9);
  });

  it('adjusts the money link for satisfaction: the value alone credits self-service with the promoters\' higher payments', async () => {
    const unadjusted = await withContext(ws, async (ctx) => {
      const b = declaredBehaviours(ctx).find((x) => x.key === 'self_service');
      if (b === undefined) throw new Error('no behaviour');
      return behaviourValue(ctx, new SqlValues(ctx.engine, 'pc'), b, defaultCovariates(ctx));
    });
    // Adopters pay (90·120 + 90·60)/180 = 90 on average, others 70: 20 more, on top of the 20 saved.
    expect(unadjusted?.value.estimate).toBeCloseTo(2 * saving, 9);
    expect(num(links(result, 'self_service')['behaviour_to_money'], 'estimate')).toBeCloseTo(saving, 9);
  });

  it('says it in plain words with numbers and n, and states the method, the direction caveat and what was left out', () => {
    const finding = result.findings.find((f) => f.code === 'perfect_customer.cascade.self_service');
    expect(finding?.text).toBe(
      'Promoters adopt self-service more often than comparable detractors: +50.0 percentage points (95% CI +' +
        `${num(links(result, 'self_service')['experience_to_behaviour'], 'lower').toFixed(1)} to +${num(links(result, 'self_service')['experience_to_behaviour'], 'upper').toFixed(1)}; n = 360 respondents). ` +
        'Self-service is worth +$1.67 per customer-month against comparable non-adopters of the same satisfaction (95% CI +$1.67 to +$1.67; n = 360). ' +
        `Through self-service alone, every customer a promoter instead of a detractor would be worth +$0.83 per customer-month (95% CI +$${finding?.interval.lower.toFixed(2)} to +$${finding?.interval.upper.toFixed(2)}), about +$3,602 a year for the 360 customers in scope.`,
    );
    expect(finding).toMatchObject({ unit: 'USD', n: 360, severity: 'low', moneyAtStake: { currency: 'USD', period: 'year' } });
    expect(finding?.moneyAtStake?.amount).toBeCloseTo(0.5 * saving * 12 * 360, 4);
    const method = result.method.assumptions.join(' ');
    expect(method).toMatch(/the mean over them of the difference in predicted adoption/);
    expect(method).toMatch(/not a product of a log-odds and a money coefficient/);
    expect(method).toMatch(/200 Poisson\(1\) replicates/);
    expect(method).toMatch(/the first link is an association/);
    // Everyone signed up the same day: tenure cannot be adjusted for, and the method says so.
    expect(method).toMatch(/tenure.*left out of the adjustment/);
    expect(result.charts).toHaveLength(1);
  });

  it('names the behaviour it cannot estimate and why', () => {
    expect(result.summary).toContain('The cascade of referring is not estimated: fewer than 5 respondents adopted it or did not (3 of 360).');
    expect(resultRows(result, 'cascade').some((row) => row['behaviour'] === 'referrer')).toBe(false);
  });

  it('answers for a segment: half the customers, the same gap', async () => {
    const north = await cascadeOf(ws, undefined, { segment: 'region = north' });
    const l = links(north, 'self_service');
    expect(num(l['experience_to_behaviour'], 'estimate')).toBeCloseTo(50, 6);
    expect(num(l['experience_to_behaviour'], 'n')).toBe(180);
    expect(num(l['indirect_per_year'], 'estimate')).toBeCloseTo(0.5 * saving * 12 * 180, 4);
  });
});

describe('the cascade on the same company asked CSAT (5, 3 and 1 by class)', () => {
  it('contrasts the top and bottom scores answered: logits linear in CSAT, so again +50 points and the same indirect effect', async () => {
    const ws = new Workspace(makeCascadeWorkspace({ csat: true }));
    await ws.import();
    const result = await cascadeOf(ws);
    const l = links(result, 'self_service');
    expect(num(l['experience_to_behaviour'], 'estimate')).toBeCloseTo(50, 6);
    expect(num(l['behaviour_to_money'], 'estimate')).toBeCloseTo(saving, 9);
    expect(num(l['indirect_per_customer_month'], 'estimate')).toBeCloseTo(0.5 * saving, 8);
    const text = result.findings.find((f) => f.code === 'perfect_customer.cascade.self_service')?.text;
    expect(text).toMatch(/^Customers at CSAT 5 adopt self-service more often than comparable customers at CSAT 1: \+50\.0 percentage points/);
    expect(text).toMatch(/every customer at CSAT 5 instead of 1 would be worth \+\$0\.83 per customer-month/);
    expect(result.method.assumptions[0]).toMatch(/CSAT as a number/);
  });
});
