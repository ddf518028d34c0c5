import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { resultSchema, tableSchema, type Cell, type Finding, type Result, type ResultTable } from '../result.js';
import { checkPoints, pointsFromText, whatIf, whatIfSchema, type WhatIf } from './what-if.js';
import { whatIfTable } from './what-if-table.js';

const table = (name: string, columns: string[], rows: Cell[][]): ResultTable => ({ name, columns: columns.map((c) => ({ name: c, type: 'number', unit: null })), rows });

const valueFinding = (key: string, estimate: number, lower: number, upper: number, n: number): Finding => ({
  code: `perfect_customer.value.${key}`,
  text: `${key} is worth something.`,
  estimate,
  unit: 'USD',
  interval: { lower, upper, level: 0.95 },
  n,
  severity: 'medium',
});

/**
 * A perfect-customer Result made by hand, 1,000 customers in scope:
 * - autopay: 400 adopters; worth 2.50 (1.50 to 3.50) per customer-month; NPS +20 (10 to 30)
 *   adjusted; churn 40 of 400 adopters and 150 of 600 others (p0 = 1/4), adjusted odds ratio 0.5 (0.25 to 1);
 * - paperless: 100 adopters, worth −1 (−2 to 0); not compared on satisfaction nor retention;
 * - referrer: no adoption row (fewer than 5 customers of money); retention rows with no odds ratio, and
 *   300 of 1,000 in the window adopt; NPS −10 (−20 to 0);
 * - selfservice: declared (index weights) and nothing else.
 */
function handMade(overrides: Partial<Result> = {}): Result {
  const result: Result = {
    schemaVersion: 1,
    name: 'perfect-customer',
    status: 'ok',
    importVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    provenance: { cxrayVersion: '0.1.0', configHash: 'x', inputHashes: {}, seed: 1, filter: {} },
    summary: ['Retention is not compared for some: this sentence is not the runner\'s.'],
    findings: [
      valueFinding('autopay', 2.5, 1.5, 3.5, 1000),
      valueFinding('paperless', -1, -2, 0, 1000),
      { code: 'perfect_customer.satisfaction.autopay', text: 'NPS.', estimate: 20, unit: 'points', interval: { lower: 10, upper: 30, level: 0.9 }, n: 500, severity: 'medium' },
    ],
    tables: [
      table('index_weights', ['behaviour', 'weight', 'source', 'n'], [
        ['autopay', 0.5, 'estimated', 1000],
        ['paperless', 0.2, 'estimated', 1000],
        ['referrer', 0.2, 'estimated', 1000],
        ['selfservice', 0.1, 'estimated', 1000],
      ]),
      table('adoption', ['behaviour', 'label', 'n', 'adopters', 'share', 'lower', 'upper'], [
        ['autopay', 'automatic payment', 1000, 400, 0.4, 0.37, 0.43],
        ['paperless', 'paperless billing', 1000, 100, 0.1, 0.08, 0.12],
      ]),
      table('value_components', ['behaviour', 'component'], [['autopay', 'handling']]),
      table('satisfaction', ['behaviour', 'measure', 'n_adopters', 'n_others', 'raw_difference', 'raw_lower', 'raw_upper', 'adjusted_difference', 'adjusted_lower', 'adjusted_upper', 'note'], [
        ['autopay', 'NPS', 200, 300, 25, 15, 35, 20, 10, 30, null],
        ['referrer', 'NPS', 100, 400, -5, -15, 5, -10, -20, 0, null],
      ]),
      table('retention', ['behaviour', 'n_adopters', 'churned_adopters', 'n_others', 'churned_others', 'raw_difference', 'raw_lower', 'raw_upper', 'adjusted_odds_ratio', 'or_lower', 'or_upper', 'note'], [
        ['autopay', 400, 40, 600, 150, -0.15, -0.19, -0.11, 0.5, 0.25, 1, null],
        ['referrer', 300, 2, 700, 3, 0, -0.01, 0.01, null, null, null, 'too few churners (or stayers) in the window for an adjusted model'],
      ]),
    ],
    charts: [],
    method: { description: 'x', assumptions: [], thresholds: { fdr: 0.05, practical: {}, minimumCellCount: 5 }, revision: 1 },
    warnings: [],
    ...overrides,
  };
  expect(resultSchema.safeParse(result).success).toBe(true);
  return result;
}

function estimated<P extends WhatIf['money'] | WhatIf['satisfaction'] | WhatIf['retention']>(part: P): Extract<P, { status: 'estimated' }> {
  if (part.status !== 'estimated') throw new Error(`missing: ${part.reason}`);
  return part as Extract<P, { status: 'estimated' }>;
}

function userError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('whatIf on a hand-made perfect-customer Result', () => {
  const result = handMade();

  it('turns 10 more points into 100 new adopters and money a year from the value and its interval', () => {
    const w = whatIf(result, 'autopay', 10);
    expect(whatIfSchema.safeParse(w).success).toBe(true);
    expect(w).toMatchObject({ behaviour: 'autopay', label: 'automatic payment', points: 10, appliedPoints: 10, customers: 1000, adoptionShare: 0.4, newAdopters: 100, notes: [] });
    const money = estimated(w.money);
    expect(money.estimate).toBeCloseTo(100 * 12 * 2.5, 9);
    expect(money.interval).toEqual({ lower: expect.closeTo(1800, 9), upper: expect.closeTo(4200, 9), level: 0.95 });
    expect(money).toMatchObject({ unit: 'USD', period: 'year', valuePerCustomerMonth: 2.5 });
    expect(money.sentence).toMatch(/10\.0 more points of automatic payment \(100 more of 1,000 customers.*\+\$3,000 a year \(95% CI \+\$1,800 to \+\$4,200\)/);
    expect(money.assumption).toMatch(/new adopters gain what comparable adopters show/);
  });

  it('moves the base satisfaction by the converted share times the adjusted difference, at the finding\'s level', () => {
    const s = estimated(whatIf(result, 'autopay', 10).satisfaction);
    expect(s.measure).toBe('NPS');
    expect(s.estimate).toBeCloseTo(2, 12);
    expect(s.interval).toEqual({ lower: expect.closeTo(1, 12), upper: expect.closeTo(3, 12), level: 0.9 });
    expect(s.sentence).toMatch(/NPS by about \+2\.0 points \(90% CI \+1\.0 to \+3\.0\)/);
  });

  it('moves the window churn share from p0 to odds(p0) x OR among the converted, with the OR interval', () => {
    const r = estimated(whatIf(result, 'autopay', 10).retention);
    expect(r.churnNow).toBeCloseTo(0.25, 12);
    // odds 1/3 x 0.5 = 1/6: p1 = 1/7; OR 0.25: 1/13; OR 1: p0.
    expect(r.churnConverted).toBeCloseTo(1 / 7, 12);
    expect(r.churnConvertedInterval.lower).toBeCloseTo(1 / 13, 12);
    expect(r.churnConvertedInterval.upper).toBeCloseTo(1 / 4, 12);
    expect(r.estimate).toBeCloseTo(100 * 0.1 * (1 / 7 - 1 / 4), 12);
    expect(r.interval.lower).toBeCloseTo(100 * 0.1 * (1 / 13 - 1 / 4), 12);
    expect(r.interval.upper).toBeCloseTo(0, 12);
    expect(r).toMatchObject({ unit: 'percentage_points', oddsRatio: 0.5, oddsRatioInterval: { lower: 0.25, upper: 1 } });
    expect(r.sentence).toMatch(/by about −1\.07 points .* 14\.3% .* instead of the 25\.0% of non-adopters/);
  });

  it('caps the new adopters at the non-adopters and says so', () => {
    const w = whatIf(result, 'autopay', 80);
    expect(w.newAdopters).toBe(600);
    expect(w.appliedPoints).toBeCloseTo(60, 12);
    expect(estimated(w.money).estimate).toBeCloseTo(600 * 12 * 2.5, 9);
    expect(estimated(w.satisfaction).estimate).toBeCloseTo(0.6 * 20, 12);
    expect(w.notes.join(' ')).toMatch(/Only 600 of the 1,000 customers lack automatic payment: the what-if is capped at 60\.0 points/);
  });

  it('answers zero for zero points, and takes the customers in scope from the options', () => {
    const zero = whatIf(result, 'autopay', 0);
    expect(estimated(zero.money).estimate).toBe(0);
    expect(estimated(zero.retention).estimate).toBeCloseTo(0, 15);
    const w = whatIf(result, 'autopay', 10, { customersInScope: 2000 });
    expect(w.newAdopters).toBe(200);
    expect(estimated(w.money).estimate).toBeCloseTo(200 * 12 * 2.5, 9);
  });

  it('keeps a negative value ordered: money lower bound below the upper', () => {
    const money = estimated(whatIf(result, 'paperless', 20).money);
    expect(money.estimate).toBeCloseTo(200 * 12 * -1, 9);
    expect(money.interval.lower).toBeCloseTo(200 * 12 * -2, 9);
    expect(money.interval.upper).toBeCloseTo(0, 9);
  });

  it('says which part is missing and why, and still answers the others', () => {
    const paperless = whatIf(result, 'paperless', 10);
    expect(paperless.money.status).toBe('estimated');
    expect(paperless.satisfaction).toEqual({ status: 'missing', reason: expect.stringMatching(/fewer than 5 adopters or non-adopters answered/) });
    expect(paperless.retention).toEqual({ status: 'missing', reason: 'Retention is not compared for some: this sentence is not the runner\'s.' });

    const referrer = whatIf(result, 'referrer', 10);
    expect(referrer.money).toEqual({ status: 'missing', reason: expect.stringMatching(/value of referrer was not estimated/) });
    expect(referrer.retention).toEqual({ status: 'missing', reason: expect.stringMatching(/No adjusted odds ratio .*too few churners/) });
    // No adoption row: the share comes from the retention window (300 of 1,000), so 10 points of 1,000 stay uncapped.
    expect(referrer.adoptionShare).toBeCloseTo(0.3, 12);
    expect(referrer.notes.join(' ')).toMatch(/taken from the customers in the retention window/);
    expect(estimated(referrer.satisfaction).estimate).toBeCloseTo(-1, 12);
    expect(whatIfSchema.safeParse(referrer).success).toBe(true);
  });

  it('names what is missing when nothing can be estimated', () => {
    const e = userError(() => whatIf(result, 'selfservice', 10));
    expect(e.code).toBe('whatif_not_estimated');
    expect(e.hint).toMatch(/Money: .*Satisfaction: .*Retention: /);
    const few = handMade({ findings: handMade().findings.map((f) => (f.code === 'perfect_customer.value.paperless' ? { ...f, n: 4 } : f)) });
    // Paperless has only its value: withheld (n = 4), nothing is left.
    expect(userError(() => whatIf(few, 'paperless', 10)).hint).toMatch(/^Money: The value of paperless billing was not estimated: .*under 5/);
    const noMoney = handMade({ tables: handMade().tables.filter((t) => t.name !== 'value_components') });
    expect(userError(() => whatIf(noMoney, 'selfservice', 10)).hint).toMatch(/No money was imported/);
  });

  it('rejects an unknown behaviour with the nearest name, and points outside 0-100', () => {
    const unknown = userError(() => whatIf(result, 'autopy', 10));
    expect(unknown.code).toBe('unknown_behaviour');
    expect(unknown.hint).toMatch(/Did you mean "autopay"\? Known behaviours: autopay, paperless, referrer, selfservice\./);
    expect(userError(() => whatIf(result, 'zzzzzzzzz', 10)).hint).not.toMatch(/Did you mean/);
    for (const points of [-1, 100.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(userError(() => whatIf(result, 'autopay', points)).code).toBe('bad_points');
    expect(whatIf(result, 'autopay', 100).newAdopters).toBe(600);
    expect(pointsFromText(' 12.5 ')).toBe(12.5);
    for (const text of ['', 'ten', '10%', undefined]) expect(userError(() => pointsFromText(text)).code).toBe('bad_points');
    expect(() => checkPoints(0)).not.toThrow();
  });

  it('refuses a Result that did not run, with its reason as the hint', () => {
    const skipped = handMade({ status: 'skipped', reason: 'No behaviour is declared.', tables: [], findings: [] });
    const e = userError(() => whatIf(skipped, 'autopay', 10));
    expect(e.code).toBe('whatif_unavailable');
    expect(e.hint).toBe('No behaviour is declared.');
  });
});

describe('the what_if table', () => {
  it('has a row per behaviour and 5, 10, 20 points, each as whatIf answers, and says why a part is null', () => {
    const result = handMade();
    const t = whatIfTable(result, { customersInScope: 1000 });
    expect(tableSchema.safeParse(t).success).toBe(true);
    const rows = t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]])));
    expect(rows.map((r) => [r['behaviour'], r['points']])).toEqual(['autopay', 'paperless', 'referrer', 'selfservice'].flatMap((b) => [5, 10, 20].map((p) => [b, p])));
    const autopay20 = rows.find((r) => r['behaviour'] === 'autopay' && r['points'] === 20);
    const w = whatIf(result, 'autopay', 20);
    expect(autopay20).toMatchObject({
      n: 1000,
      new_adopters: 200,
      money_per_year: estimated(w.money).estimate,
      money_lower: estimated(w.money).interval.lower,
      satisfaction_measure: 'NPS',
      satisfaction_change: estimated(w.satisfaction).estimate,
      churn_change: estimated(w.retention).estimate,
      churn_upper: estimated(w.retention).interval.upper,
      note: null,
    });
    const paperless = rows.find((r) => r['behaviour'] === 'paperless' && r['points'] === 5);
    expect(paperless?.['satisfaction_change']).toBeNull();
    expect(paperless?.['note']).toMatch(/satisfaction: .*retention: Retention is not compared/);
    const selfservice = rows.find((r) => r['behaviour'] === 'selfservice' && r['points'] === 10);
    expect(selfservice?.['money_per_year']).toBeNull();
    expect(selfservice?.['note']).toMatch(/Nothing could be estimated for selfservice/);
    expect(t.columns.find((c) => c.name === 'money_per_year')?.unit).toBe('USD');
  });

  it('keeps only the keys of rows about fewer than 5 customers', () => {
    const t = whatIfTable(handMade(), { customersInScope: 4 });
    expect(t.rows[0]).toEqual(['autopay', 5, ...Array.from({ length: 13 }, () => null)]);
  });
});
