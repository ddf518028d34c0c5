import { describe, expect, it } from 'vitest';
import { normalCdf, tCdf } from '../../stats/index.js';
import type { Grouping } from '../profile/groupings.js';
import { belowZeroPValue, moneyRatio } from '../value/money-ratio.js';
import { NET_VALUE } from '../value/parts.js';
import { addSums, type GroupSums } from '../value/sums.js';
import { cellKey, combinations, type Cell, type CellCondition } from './cells.js';
import { belowPValue, scanCells, type ScanOptions } from './scan.js';
import { smallestDescriptions } from './smallest-description.js';

/** A customer: net value, months of exposure, NPS score (+100/0/−100) or null. */
type Customer = [net: number, months: number, score: number | null];

function sumsOf(customers: readonly Customer[]): GroupSums {
  const s = (f: (c: Customer) => number): number => customers.reduce((t, c) => t + f(c), 0);
  const answered = customers.filter((c) => c[2] !== null);
  return {
    customers: customers.length,
    exposed: customers.length,
    months: s((c) => c[1]),
    monthsSquares: s((c) => c[1] * c[1]),
    money: { [NET_VALUE]: { total: s((c) => c[0]), squares: s((c) => c[0] * c[0]), exposedTotal: s((c) => c[0]), exposedSquares: s((c) => c[0] * c[0]), crossMonths: s((c) => c[0] * c[1]) } },
    unprofitable: customers.filter((c) => c[0] < 0).length,
    unprofitableGross: 0,
    unprofitableGrossSquares: 0,
    active: null,
    satisfaction: {
      respondents: answered.length,
      score: s((c) => c[2] ?? 0),
      scoreSquares: s((c) => (c[2] ?? 0) ** 2),
      answers: answered.length,
      answersSquares: answered.length,
      cross: s((c) => c[2] ?? 0),
    },
  };
}

const grouping = (key: string): Grouping => ({ key, label: key, expr: key, order: [], attribute: { name: key, source: key, type: 'string', atAcquisition: true, unit: null } });
const G = { s: grouping('segment'), r: grouping('region') };
const cell = (conditions: CellCondition[], customers: readonly Customer[]): Cell => ({ conditions, key: cellKey(conditions), sums: sumsOf(customers) });
const OPTIONS: ScanOptions = { fdr: 0.05, money: 1, points: 2, minimum: 5 };

describe('the ratio of totals for money', () => {
  it('is Σ net / Σ months with the linearised error and a t interval that can be negative', () => {
    const customers: Customer[] = [[-10, 2, null], [-30, 3, null], [5, 1, null], [-20, 4, null]];
    const sums = sumsOf(customers);
    const r = moneyRatio({ n: 4, y: -55, m: 10, yy: sums.money[NET_VALUE]?.squares ?? 0, mm: sums.monthsSquares, ym: sums.money[NET_VALUE]?.crossMonths ?? 0 });
    expect(r?.estimate).toBe(-5.5);
    // SE = √(Σ(y − r·m)² / (n(n − 1))) / m̄, residuals 1, −13.5, 10.5, 2.
    const se = Math.sqrt((1 + 13.5 ** 2 + 10.5 ** 2 + 4) / 12) / 2.5;
    expect(r?.standardError).toBeCloseTo(se, 12);
    // t on 3 df; not clamped to [0, 1] as shares are.
    expect(r?.interval.lower).toBeCloseTo(-5.5 - 3.182446305284263 * se, 9);
    expect(r?.interval.upper).toBeCloseTo(-5.5 + 3.182446305284263 * se, 9);
    expect(r?.interval.lower).toBeLessThan(-1);
  });

  it('tests "below zero" with the error taken at zero, which a tight small group cannot shrink to nothing', () => {
    const alike: Customer[] = Array.from({ length: 5 }, () => [-10, 2, null]);
    const s = sumsOf(alike);
    const sums = { n: 5, y: -50, m: 10, yy: s.money[NET_VALUE]?.squares ?? 0, mm: s.monthsSquares, ym: s.money[NET_VALUE]?.crossMonths ?? 0 };
    expect(moneyRatio(sums)?.standardError).toBe(0);
    // Under the null each residual is y itself: SE0 = √(5·100 / 20) / 2 = 2.5, t = −2 on 4 df.
    expect(belowZeroPValue(sums)).toBeCloseTo(tCdf(-2, 4), 12);
  });
});

describe('the satisfaction test against the other customers', () => {
  it('is the pooled two-sample z test when each respondent answers once', () => {
    const scores = (promoters: number, detractors: number, passives: number): Customer[] => [
      ...Array.from({ length: promoters }, (): Customer => [0, 1, 100]),
      ...Array.from({ length: detractors }, (): Customer => [0, 1, -100]),
      ...Array.from({ length: passives }, (): Customer => [0, 1, 0]),
    ];
    const a = sumsOf(scores(2, 8, 10));
    const b = sumsOf(scores(30, 20, 50));
    const ratio = (g: GroupSums) => ({ n: g.satisfaction?.respondents ?? 0, y: g.satisfaction?.score ?? 0, m: g.satisfaction?.answers ?? 0, yy: g.satisfaction?.scoreSquares ?? 0, mm: g.satisfaction?.answersSquares ?? 0, ym: g.satisfaction?.cross ?? 0 });
    const all = addSums(a, b);
    const result = belowPValue(ratio(a), ratio(b), ratio(all));
    // Means −30 and +10; pooled variance of all 120 scores (mean 3.33) with n − 1.
    const mean = (32 * 100 - 28 * 100) / 120;
    const variance = (32 * (100 - mean) ** 2 + 28 * (100 + mean) ** 2 + 60 * mean ** 2) / 119;
    expect(result?.gap).toBeCloseTo(-40, 12);
    expect(result?.pValue).toBeCloseTo(normalCdf(-40 / Math.sqrt(variance * (1 / 20 + 1 / 100))), 12);
  });
});

describe('the scan and the smallest clear description', () => {
  // Segment A loses money and is unhappy, split evenly by region; B is fine.
  const lose: Customer[] = Array.from({ length: 40 }, (_, i) => [-20 - (i % 5), 4, i % 4 === 0 ? 0 : -100]);
  const fine: Customer[] = Array.from({ length: 60 }, (_, i) => [200 + (i % 7), 4, i % 2 === 0 ? 100 : 0]);
  const cells = [
    cell([{ grouping: G.s, level: 'A' }], lose),
    cell([{ grouping: G.s, level: 'B' }], fine),
    cell([{ grouping: G.s, level: 'A' }, { grouping: G.r, level: 'north' }], lose.slice(0, 37)),
    cell([{ grouping: G.s, level: 'A' }, { grouping: G.r, level: 'south' }], lose.slice(37)),
  ];
  const overall = sumsOf([...lose, ...fine]);

  it('flags the losing, unhappy segment and its parts, not the fine one', () => {
    const scan = scanCells(cells, overall, OPTIONS);
    expect(scan.verdicts.map((v) => [v.cell.key, v.misaligned])).toEqual([
      ['segment=A', true],
      ['segment=B', false],
      ['segment=A&region=north', true],
      ['segment=A&region=south', false],
    ]);
    expect(scan.verdicts[0]?.yearlyLoss?.estimate).toBeCloseTo((-(40 * -22) / 160) * 12 * 40, 9);
  });

  it('describes a child with nearly the same members by its parent, unless it is clearly worse', () => {
    const scan = scanCells(cells, overall, OPTIONS);
    const { kept, described } = smallestDescriptions(scan.verdicts, (v) => v.misaligned, OPTIONS);
    expect(kept.map((v) => v.cell.key)).toEqual(['segment=A']);
    expect(described.map((d) => [d.verdict.cell.key, d.by.cell.key])).toEqual([['segment=A&region=north', 'segment=A']]);
    // A north half that loses far more than the rest of A is kept.
    const worse = [...lose.slice(0, 37).map((c): Customer => [c[0] - 400, c[1], c[2]]), ...lose.slice(37)];
    const again = scanCells(
      [cell([{ grouping: G.s, level: 'A' }], worse), cell([{ grouping: G.s, level: 'A' }, { grouping: G.r, level: 'north' }], worse.slice(0, 37))],
      sumsOf([...worse, ...fine]),
      OPTIONS,
    );
    expect(smallestDescriptions(again.verdicts, (v) => v.misaligned, OPTIONS).kept.map((v) => v.cell.key)).toEqual(['segment=A', 'segment=A&region=north']);
  });

  it('combines groupings in ones, twos and threes, never two on one attribute', () => {
    const age = grouping('age_band');
    const ageAgain: Grouping = { ...grouping('age_bucket'), attribute: age.attribute };
    expect(combinations([G.s, G.r, age, ageAgain]).map((c) => c.map((g) => g.key).join('+'))).toEqual([
      'segment',
      'segment+region',
      'segment+region+age_band',
      'segment+region+age_bucket',
      'segment+age_band',
      'segment+age_bucket',
      'region',
      'region+age_band',
      'region+age_bucket',
      'age_band',
      'age_bucket',
    ]);
  });
});
