import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';
import { resultSchema, type Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import type { AnalysisFilter } from '../types.js';
import { aftermathRows, makeAftermathCompany, PLANTED_CHURN_DIFFERENCE, PLANTED_EFFECT, PLANTED_NPS_DIFFERENCE, type AftermathRows } from './aftermath-company.case.js';
import { CHURN, compareRiskSets, SATISFACTION, type RiskSet, type RoleSums } from './aftermath-math.js';
import { TENURE_BANDS, WEEK_ORIGIN_SECONDS, WEEK_SECONDS } from './risk-set-sql.js';

// fee-aftermath on a company whose aftermath is known (aftermath-company.case.ts,
// seed 1, 1,500 customers): overage_fee adds 0.2·e^(−0.09) ≈ 18.3 points of
// 90-day churn and takes NPS from +10 to −45 (−55 points); admin_fee is
// followed by nothing. The workspace goes through import and analyze; its
// risk sets are also rebuilt here customer by customer, week by week, from
// the rows the files were written from, and must give the same comparison.

const SEED = 1;
const CUSTOMERS = 1500;
const DAY = 86_400;
const AS_OF_END = Date.parse('2025-07-01T00:00:00Z') / 1000;

let ws: Workspace;
let rows: AftermathRows;

async function aftermath(filter: AnalysisFilter = {}): Promise<Result> {
  const { results } = await ws.analyze(['fee-aftermath'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'fee-aftermath') as Result;
  resultSchema.parse(result);
  expect([result.status, result.reason]).toEqual(['ok', undefined]);
  return result;
}

function row(result: Result, line: string, outcome: string): Record<string, unknown> {
  const found = resultRows(result, 'fee_aftermath').find((r) => r['line'] === line && r['outcome'] === outcome);
  if (found === undefined) throw new Error(`no ${line} ${outcome}`);
  return found;
}

/** The risk sets of a fee line, from the rows, as the analysis defines them (risk-set-sql.ts). */
function riskSetsByHand(category: string): RiskSet[] {
  const s = (ms: number): number => ms / 1000;
  const early = new Map<string, number>();
  for (const p of rows.payments) if (p.kind === 'purchase') early.set(p.id, (early.get(p.id) ?? 0) + p.amount);
  // Value cuts: thirds (rank ⌈n·p⌉) of first-90-day purchases among customers with 90 days by as_of.
  const spends = rows.customers.filter((c) => s(c.signup) + 90 * DAY <= AS_OF_END).map((c) => early.get(c.id) ?? 0).sort((a, b) => a - b);
  const cut = (p: number): number => spends[Math.max(1, Math.ceil(spends.length * p)) - 1] ?? 0;
  const [q1, q2] = [cut(1 / 3), cut(2 / 3)];
  const fees = new Map<string, number>();
  for (const p of rows.payments) if (p.kind === 'fee' && p.category === category) fees.set(p.id, Math.min(fees.get(p.id) ?? Infinity, s(p.at)));
  const first = Math.floor((Math.min(...fees.values()) - WEEK_ORIGIN_SECONDS) / WEEK_SECONDS);
  const last = Math.floor((AS_OF_END - 90 * DAY - WEEK_ORIGIN_SECONDS) / WEEK_SECONDS) - 1;
  const answers = new Map<string, { at: number; x: number }[]>();
  for (const a of rows.answers) answers.set(a.id, [...(answers.get(a.id) ?? []), { at: s(a.at), x: a.score >= 9 ? 100 : a.score >= 7 ? 0 : -100 }]);
  const sets = new Map<string, RiskSet>();
  const empty = (): RoleSums => ({ customers: 0, churned: 0, answered: 0, score: 0, scoreSquares: 0 });
  for (let k = first; k <= last; k += 1) {
    const start = WEEK_ORIGIN_SECONDS + k * WEEK_SECONDS;
    const end = start + WEEK_SECONDS;
    for (const c of rows.customers) {
      const entry = s(c.signup);
      const churn = c.churn === null ? null : s(c.churn);
      const fee = fees.get(c.id) ?? null;
      if (!(entry < end) || (churn !== null && churn < end) || (fee !== null && fee < start)) continue;
      const days = (end - entry) / DAY;
      const tenure = TENURE_BANDS.find(([, upTo]) => days < upTo)?.[0];
      const spend = early.get(c.id) ?? 0;
      const value = days < 90 ? 'new' : spend <= q1 ? 'low' : spend <= q2 ? 'middle' : 'high';
      const key = `${k}|${c.segment}|${tenure}|${value}`;
      const set = sets.get(key) ?? { key, treated: empty(), controls: empty() };
      const role = fee !== null && fee < end ? set.treated : set.controls;
      role.customers += 1;
      if (churn !== null && churn < end + 90 * DAY) role.churned += 1;
      const inWindow = (answers.get(c.id) ?? []).filter((a) => a.at >= end && a.at < end + 90 * DAY);
      if (inWindow.length > 0) {
        const x = inWindow.reduce((t, a) => t + a.x, 0) / inWindow.length;
        role.answered += 1;
        role.score += x;
        role.scoreSquares += x * x;
      }
      sets.set(key, set);
    }
  }
  return [...sets.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

beforeAll(async () => {
  rows = aftermathRows(SEED, CUSTOMERS, PLANTED_EFFECT);
  ws = new Workspace(makeAftermathCompany(SEED, CUSTOMERS, PLANTED_EFFECT));
  await ws.import();
}, 120_000);

describe('fee-aftermath on a company whose aftermath is known', () => {
  it('finds more churn and a lower NPS after the overage fee, the planted effects inside the intervals, and nothing after the admin fee', async () => {
    const r = await aftermath();
    const churn = row(r, 'Overage fee', 'churn');
    const nps = row(r, 'Overage fee', 'satisfaction');
    expect([churn['status'], nps['status']]).toEqual(['worse after the fee', 'worse after the fee']);
    expect(churn['lower'] as number).toBeLessThan(PLANTED_CHURN_DIFFERENCE);
    expect(churn['upper'] as number).toBeGreaterThan(PLANTED_CHURN_DIFFERENCE);
    expect(nps['lower'] as number).toBeLessThan(PLANTED_NPS_DIFFERENCE);
    expect(nps['upper'] as number).toBeGreaterThan(PLANTED_NPS_DIFFERENCE);
    expect([row(r, 'Admin fee', 'churn')['status'], row(r, 'Admin fee', 'satisfaction')['status']]).toEqual(['no clear difference', 'no clear difference']);
    expect(r.summary[0]).toMatch(/^Clearly worse in the 90 days after a first fee than for comparable customers without it: Overage fee \(\+\d+\.\d points of churn\) and Overage fee \(−\d+\.\d NPS points\)\.$/);
    const finding = r.findings.find((f) => f.code === 'fee-aftermath.churn' && f.severity === 'high');
    expect(finding?.text).toMatch(/^After a first Overage fee \(its revenue comes from detractors at \d\.\d\dx their share\), \d+\.\d% of \d+ customers churned within 90 days, against \d+\.\d% of comparable customers still without it/);
    expect(finding?.unit).toBe('percentage_points');
    expect(finding?.estimate).toBeCloseTo(100 * (churn['difference'] as number), 9);
  });

  it('gives exactly the comparison rebuilt customer by customer and week by week from the rows', async () => {
    const r = await aftermath();
    for (const [line, category] of [['Overage fee', 'overage_fee'], ['Admin fee', 'admin_fee']] as const) {
      const sets = riskSetsByHand(category);
      for (const [outcome, kind] of [['churn', CHURN], ['satisfaction', SATISFACTION]] as const) {
        const expected = compareRiskSets(sets, kind);
        const got = row(r, line, outcome);
        expect([got['matched'], got['unmatched'], got['control_weeks']], `${line} ${outcome}`).toEqual([expected?.matched, expected?.unmatched, expected?.controlWeeks]);
        for (const [column, value] of [['difference', expected?.difference], ['lower', expected?.interval.lower], ['upper', expected?.interval.upper], ['after_fee', expected?.treated]] as const) {
          expect(got[column] as number, `${line} ${outcome} ${column}`).toBeCloseTo(value ?? Number.NaN, 9);
        }
      }
    }
  });

  it('honours a segment rule and a period (fee weeks starting in it)', async () => {
    const all = await aftermath();
    const a = await aftermath({ segment: 'segment = A' });
    const charged = (r: Result): number => row(r, 'Overage fee', 'churn')['charged'] as number;
    // The treated of segment A: first charged in a usable week and still a customer when it ended.
    const treatedIn = (segment: string): number => riskSetsByHand('overage_fee').filter((x) => x.key.split('|')[1] === segment).reduce((t, x) => t + x.treated.customers, 0);
    expect(charged(a)).toBe(treatedIn('A'));
    expect(charged(all)).toBe(treatedIn('A') + treatedIn('B'));
    // From August to December 2024: the second and third fee weeks only; admin_fee (March 2025) is outside.
    const period = await aftermath({ from: '2024-08-01', to: '2024-12-31' });
    expect(charged(period)).toBeLessThan(charged(all));
    expect(row(period, 'Admin fee', 'churn')['status']).toBe('no fee early enough to have 90 days after it by as_of');
    expect(row(period, 'Overage fee', 'churn')['status']).toBe('worse after the fee');
  });
});
