import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../../stats/reference.case.js';
import { Workspace } from '../../workspace/workspace.js';
import { resultRows } from '../result-rows.case.js';
import { resultSchema, type Result } from '../result.js';
import type { AnalysisFilter } from '../types.js';
import type { ChangeInput } from '../../workspace/changes-store.js';
import type { MeasureKind } from './change-measures.js';
import { CHANGES_INPUT } from './index.js';
import { defaultSpans, expectedChange } from './expected.case.js';
import { handCustomers, makeChangesWorkspace, type HandCustomer } from './hand-made.case.js';
import { didReference } from './reference.case.js';

// The changes analysis end to end (import, store, SQL, Result) on two
// hand-made workspaces:
// - the statsmodels fixture (reference/compute.py): 300 customers' NPS
//   answers; the NPS difference-in-differences, its clustered standard
//   error, interval and pre-trend must be statsmodels' to 1e-9;
// - a small subscription company (hand-made.case.ts: 600 customers with
//   payments, churn, autopay and NPS/CSAT answers, North's NPS raised from
//   2025-10-01), every measure recomputed in memory from the customers
//   themselves (expected.case.ts) and matched to 1e-9, with the filters
//   (--segment, --from), a comparison rule and a change touching everyone.

const { reference, answers } = didReference();

async function analyzeWith(dir: string, changes: readonly ChangeInput[], filter: AnalysisFilter = {}): Promise<Result> {
  const ws = new Workspace(dir);
  for (const c of await ws.changes()) await ws.removeChange(c.name);
  for (const c of changes) await ws.addChange(c);
  const { results } = await ws.analyze(['changes'], filter, { fresh: true });
  const result = results.find((r) => r.name === 'changes');
  if (result === undefined) throw new Error('no changes result');
  resultSchema.parse(result);
  return result;
}

const effectRow = (result: Result, change: string, measure: string): Record<string, unknown> => {
  const row = resultRows(result, 'change_effects').find((r) => r['change'] === change && r['measure'] === measure);
  if (row === undefined) throw new Error(`no ${measure} row for ${change}`);
  return row;
};

describe('changes on the statsmodels fixture', () => {
  let result: Result;
  beforeAll(async () => {
    const byId = new Map<string, HandCustomer>();
    for (const a of answers) {
      const c = byId.get(a.customerId) ?? { id: a.customerId, region: a.region, arm: 'control' as const, signup: '2024-01-01', payments: [], answers: [] };
      c.answers.push({ at: a.at, instrument: 'nps', score: a.score });
      byId.set(a.customerId, c);
    }
    const dir = makeChangesWorkspace([...byId.values()]);
    await new Workspace(dir).import();
    result = await analyzeWith(dir, [{ name: 'North network upgrade', date: reference.windows.change, segment: 'region = North' }]);
  }, 120_000);

  it('gives statsmodels\' OLS difference-in-differences with clustered errors, and its pre-trend', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const nps = effectRow(result, 'North network upgrade', 'nps');
    expectClose(nps['effect'] as number, reference.nps.params[3] ?? Number.NaN, 1e-9, 0, 'DiD');
    expectClose(nps['standard_error'] as number, reference.nps.bse[3] ?? Number.NaN, 1e-9, 0, 'SE');
    expectClose(nps['lower'] as number, reference.nps.interval[0], 1e-9, 0, 'lower');
    expectClose(nps['upper'] as number, reference.nps.interval[1], 1e-9, 0, 'upper');
    expectClose(nps['pre_trend'] as number, reference.npsPlacebo.params[3] ?? Number.NaN, 1e-9, 0, 'placebo DiD');
    expect(nps['observations']).toBe(reference.nps.nobs);
    expectClose(nps['comparison_before'] as number, reference.nps.params[0] ?? Number.NaN, 1e-12, 1e-12, 'comparison before');
    const row = resultRows(result, 'changes')[0] ?? {};
    expect(row).toMatchObject({ date: '2025-10-01', segment: "region = 'North'", before_from: '2025-04-01', placebo_date: '2025-07-01', after_to: '2026-03-31' });
    process.stderr.write(`changes on the statsmodels fixture:\n${result.summary.map((s) => `  ${s}`).join('\n')}\n`);
    expect(result.summary[0]).toMatch(/^North network upgrade \(2025-10-01, region = 'North'\): NPS \+20\.4 points against the customers whose region is not 'North' \(95% CI −4\.7 to \+45\.4; before-trends parallel, p = 0\.\d\d\)\.$/);
    // A chart of NPS by month, with the change date marked.
    expect(result.charts).toHaveLength(1);
    expect(JSON.stringify(result.charts[0])).toContain('"date":"2025-10-01"');
  });
});

describe('changes on a hand-made subscription company', () => {
  const customers = handCustomers(7, 600, 1.5);
  let dir: string;
  const north = (c: HandCustomer): number => (c.region === 'North' ? 1 : 0);
  const change: ChangeInput = { name: 'North upgrade', date: '2025-10-01', segment: 'region = North' };

  beforeAll(async () => {
    dir = makeChangesWorkspace(customers, 'experiments:\n  outreach: {label: Retention outreach, attribute: arm, control: control, treatment: treatment}\n');
    await new Workspace(dir).import();
  }, 120_000);

  function expectMeasures(result: Result, name: string, measures: readonly [string, MeasureKind][], group: (c: HandCustomer) => number | null, spans: ReturnType<typeof defaultSpans>, withComparison = true): void {
    for (const [key, kind] of measures) {
      const row = effectRow(result, name, key);
      const expected = expectedChange(customers, kind, spans, group, withComparison);
      const scale = kind === 'churn' ? Math.exp : kind === 'adoption' ? (x: number) => 100 * x : (x: number) => x;
      expectClose(row['effect'] as number, scale(expected.effect.estimate), 1e-9, 1e-12, `${name} ${key} effect`);
      // The standard error in the effect's unit (adoption in points), except a ratio's: that of its log.
      expectClose(row['standard_error'] as number, (kind === 'adoption' ? 100 : 1) * expected.effect.standardError, 1e-9, 1e-12, `${name} ${key} SE`);
      expect(row['standard_error_scale'], `${name} ${key} SE scale`).toBe(kind === 'churn' ? 'log' : 'unit');
      if (expected.preTrend === null) expect(row['pre_trend'], `${name} ${key} pre-trend`).toBeNull();
      else expectClose(row['pre_trend'] as number, scale(expected.preTrend.estimate), 1e-9, 1e-12, `${name} ${key} pre-trend`);
    }
  }

  const ALL: [string, MeasureKind][] = [
    ['nps', 'nps'],
    ['csat', 'csat'],
    ['churn', 'churn'],
    ['revenue', 'revenue'],
    ['adoption_autopay', 'adoption'],
  ];

  it('measures NPS, CSAT, churn, net revenue and adoption as recomputed from the customers', async () => {
    const result = await analyzeWith(dir, [change]);
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    process.stderr.write(`changes on the hand-made company:\n${result.summary.map((s) => `  ${s}`).join('\n')}\n`);
    expectMeasures(result, 'North upgrade', ALL, north, defaultSpans('2025-10-01'));
    // The planted +1.5 scale points on North's NPS answers is claimed.
    expect(result.findings.map((f) => f.code)).toContain('changes.north_upgrade.nps');
    const nps = result.findings.find((f) => f.code === 'changes.north_upgrade.nps');
    expect(nps?.estimate).toBeGreaterThan(10);
    expect(nps?.unit).toBe('points');
  });

  it('honours --segment (the comparison is the rest of the segment) and --from (the before window cut, its placebo date moved)', async () => {
    const scoped = await analyzeWith(dir, [change], { segment: 'region IN (North, South)' });
    const inScope = (c: HandCustomer): number | null => (c.region === 'North' ? 1 : c.region === 'South' ? 0 : null);
    expectMeasures(scoped, 'North upgrade', ALL, inScope, defaultSpans('2025-10-01'));
    const cut = await analyzeWith(dir, [change], { from: '2025-07-01' });
    expectMeasures(cut, 'North upgrade', [['nps', 'nps'], ['revenue', 'revenue']], north, defaultSpans('2025-10-01', '2025-07-01'));
    expect(resultRows(cut, 'changes')[0]?.['placebo_date']).toBe('2025-08-16');
    expect(resultRows(cut, 'changes')[0]?.['note']).toBe('the before window starts with the period analysed (2025-07-01)');
  });

  it('compares with a named comparison group, and measures a change that touched everyone before/after', async () => {
    const result = await analyzeWith(dir, [
      { ...change, compare: 'region = South', before_months: 6, after_months: 6 },
      { name: 'New billing system', date: '2025-10-01', description: 'every customer moved to the new invoices' },
    ]);
    const compared = (c: HandCustomer): number | null => (c.region === 'North' ? 1 : c.region === 'South' ? 0 : null);
    expectMeasures(result, 'North upgrade', ALL, compared, defaultSpans('2025-10-01'));
    expectMeasures(result, 'New billing system', [['nps', 'nps'], ['churn', 'churn']], () => 1, defaultSpans('2025-10-01'), false);
    const everyone = effectRow(result, 'New billing system', 'nps');
    expect([everyone['comparison_before'], everyone['comparison_customers_before']]).toEqual([null, null]);
    expect(result.summary.some((s) => s.startsWith('New billing system (2025-10-01, all customers): NPS') && s.includes('after against before (no comparison group'))).toBe(true);
  });

  it('a stored result is reused while the stored changes are unchanged, and not once store/changes.json is edited by hand', async () => {
    await analyzeWith(dir, [change]);
    const ws = new Workspace(dir);
    const first = (await ws.analyze(['changes'])).results[0];
    const again = (await ws.analyze(['changes'])).results[0];
    expect(again?.createdAt).toBe(first?.createdAt);
    expect(first?.provenance.inputHashes[CHANGES_INPUT]).toMatch(/^[0-9a-f]{64}$/);
    // A hand edit (no `cxray changes` command, so no stored result forgotten): the result follows the file.
    const file = join(dir, 'store', 'changes.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { changes: { name: string }[] };
    writeFileSync(file, JSON.stringify({ ...stored, changes: stored.changes.map((c) => ({ ...c, name: 'North network upgrade' })) }));
    const edited = (await ws.analyze(['changes'])).results[0];
    expect(edited?.createdAt).not.toBe(first?.createdAt);
    expect(edited?.provenance.inputHashes[CHANGES_INPUT]).not.toBe(first?.provenance.inputHashes[CHANGES_INPUT]);
    expect(resultRows(edited as Result, 'change_effects').every((r) => r['change'] === 'North network upgrade')).toBe(true);
  });

  it('reads out the experiment: arms, sample ratio, each measure per arm', async () => {
    const result = await analyzeWith(dir, []);
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const arms = resultRows(result, 'experiment_arms');
    const treated = customers.filter((c) => c.arm === 'treatment').length;
    expect(arms.map((r) => [r['arm'], r['customers']])).toEqual([
      ['treatment', treated],
      ['control', customers.length - treated],
    ]);
    const share = treated / customers.length;
    const chi = (treated - 300) ** 2 / 300 + (customers.length - treated - 300) ** 2 / 300;
    expectClose(arms[0]?.['share'] as number, share, 1e-12, 0, 'share');
    expectClose(arms[0]?.['chi_square'] as number, chi, 1e-9, 0, 'chi-square');
    const effects = resultRows(result, 'experiment_effects');
    expect(effects.map((r) => r['measure'])).toEqual(['nps', 'csat', 'churn', 'revenue', 'adoption_autopay']);
    const churn = effects.find((r) => r['measure'] === 'churn') ?? {};
    expect(churn['unit']).toBe('hazard_ratio');
    // Arms drawn at random: the hazard ratio's interval straddles 1 and holds the ratio of the arms' churn rates.
    const rate = (arm: string): number => {
      const group = customers.filter((c) => c.arm === arm);
      const churned = group.filter((c) => c.churnedAt !== undefined).length;
      return churned / group.reduce((s, c) => s + ((c.churnedAt === undefined ? Date.parse('2026-07-01T00:00:00Z') : Date.parse(`${c.churnedAt.replace(' ', 'T')}Z`)) - Date.parse(`${c.signup.replace(' ', 'T')}Z`)) / (30.4375 * 86_400_000), 0);
    };
    expectClose(churn['treatment'] as number, rate('treatment'), 1e-6, 0, 'treatment churn rate');
    expect(churn['lower'] as number).toBeLessThan(rate('treatment') / rate('control'));
    expect(churn['upper'] as number).toBeGreaterThan(rate('treatment') / rate('control'));
    // Net revenue per customer-month: purchases and fees less refunds and credits (cost of goods left in, as in a change's windows), over months as a customer.
    const end = Date.parse('2026-07-01T00:00:00Z');
    // exposure_days: signup to churn, else to the end of as_of; at least one day.
    const months = (c: HandCustomer): number =>
      Math.max(86_400_000, Math.min(end, c.churnedAt === undefined ? end : Date.parse(`${c.churnedAt.replace(' ', 'T')}Z`)) - Date.parse(`${c.signup.replace(' ', 'T')}Z`)) / (30.4375 * 86_400_000);
    const sign = { purchase: 1, fee: 1, refund: -1, credit: -1 } as const;
    const revenueRate = (arm: string): number => {
      const group = customers.filter((c) => c.arm === arm);
      return group.reduce((s, c) => s + c.payments.filter((p) => p.at < '2026-07-01').reduce((t, p) => t + sign[p.kind] * Number(p.amount.toFixed(2)), 0), 0) / group.reduce((s, c) => s + months(c), 0);
    };
    const revenue = effects.find((r) => r['measure'] === 'revenue') ?? {};
    expectClose(revenue['treatment'] as number, revenueRate('treatment'), 1e-9, 0, 'treatment revenue per customer-month');
    expectClose(revenue['control'] as number, revenueRate('control'), 1e-9, 0, 'control revenue per customer-month');
    expect(result.summary.some((s) => /^Retention outreach \(arm: treatment against control\): \d+ customers in treatment and \d+ in control, .* no sample ratio mismatch\)\.$/.test(s))).toBe(true);
  });

  it('skips what it cannot measure, saying why, and measures the rest', async () => {
    const result = await analyzeWith(dir, [
      { name: 'Next year', date: '2026-09-01', segment: 'region = North' },
      { ...change, name: 'Somewhere', segment: 'region = Atlantis' },
    ]);
    const changes = resultRows(result, 'changes');
    expect(changes[0]?.['note']).toBe('its date is after as_of (2026-06-30): nothing after it has been measured yet');
    expect(changes[1]?.['note']).toBe("no customer in scope matches its segment region = 'Atlantis'");
    expect(result.summary[0]).toBe("Next year (2026-09-01, region = 'North'): not measured: its date is after as_of (2026-06-30): nothing after it has been measured yet.");
  });
});
