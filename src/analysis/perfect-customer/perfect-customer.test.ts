import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { DAYS_PER_MONTH } from './behaviours.js';
import { makeHandMadeCompany } from './hand-made-company.case.js';
import { makeScreeningWorkspace } from './screening.case.js';

const makeCompany = (withBehaviour = true): string => makeHandMadeCompany({ behaviour: withBehaviour });

const table = (r: Result | undefined, name: string) => {
  const t = r?.tables.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no table ${name}`);
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]])));
};

describe('perfect-customer on a company built by hand', () => {
  let result: Result | undefined;
  // Exposure runs from the signup instant to the end of as_of's day: 365 days.
  const months = 365 / DAYS_PER_MONTH;
  beforeAll(async () => {
    const ws = new Workspace(makeCompany());
    await ws.import();
    [result] = (await ws.analyze(['perfect-customer'])).results;
  });

  it('recovers the handling cost saved per customer-month, raw and adjusted, and counts no revenue difference', () => {
    expect(result?.status, result?.reason).toBe('ok');
    const rows = table(result, 'value_components');
    const handling = rows.find((r) => r['behaviour'] === 'autopay' && r['component'] === 'handling');
    expect(handling?.['raw_per_month'] as number).toBeCloseTo(-20 / months, 9);
    expect(handling?.['adjusted_per_month'] as number).toBeCloseTo(-20 / months, 9);
    const revenue = rows.find((r) => r['behaviour'] === 'autopay' && r['component'] === 'revenue');
    expect(revenue?.['adjusted_per_month'] as number).toBeCloseTo(0, 9);
    const value = result?.findings.find((f) => f.code === 'perfect_customer.value.autopay');
    expect(value?.estimate).toBeCloseTo(20 / months, 9);
    // No noise at all: the interval has width zero and the money at stake is 10 points of 100 customers for a year.
    expect(value?.moneyAtStake?.amount).toBeCloseTo(0.1 * 100 * (20 / months) * 12, 6);
    expect(value?.text).toMatch(/^Automatic payment is worth \+\$1\.67 per customer-month/);
  });

  it('compares satisfaction raw and adjusted: NPS 100 against -50', () => {
    const [row] = table(result, 'satisfaction');
    expect(row).toMatchObject({ behaviour: 'autopay', measure: 'NPS', n_adopters: 40, n_others: 60 });
    expect(row?.['raw_difference'] as number).toBeCloseTo(150, 9);
    expect(row?.['adjusted_difference'] as number).toBeCloseTo(150, 9);
    expect(result?.findings.find((f) => f.code === 'perfect_customer.satisfaction.autopay')?.severity).toBe('medium');
  });

  it('scores the Perfect Customer Index: one behaviour, so the index is 100 for adopters and 0 for the rest', () => {
    const mean = result?.findings.find((f) => f.code === 'perfect_customer.index_mean');
    expect(mean?.estimate).toBeCloseTo(40, 9);
    const bands = table(result, 'index_distribution');
    expect(bands.find((b) => b['band'] === '0-9')?.['n']).toBe(60);
    expect(bands.find((b) => b['band'] === '90-100')?.['n']).toBe(40);
    expect(table(result, 'index_by_segment').map((r) => [r['level'], r['n'], r['mean_index']])).toEqual([
      ['north', 50, 40],
      ['south', 50, 40],
    ]);
  });

  it('says retention is not compared when no churn is known', () => {
    expect(result?.summary.some((s) => s.startsWith('Retention is not compared'))).toBe(true);
  });

  it('answers for a segment', async () => {
    const ws = new Workspace(makeCompany());
    await ws.import();
    const [north] = (await ws.analyze(['perfect-customer'], { segment: 'segment = north' })).results;
    expect(table(north, 'adoption')[0]).toMatchObject({ behaviour: 'autopay', n: 50, adopters: 20 });
  });

  it('is skipped, saying what to declare, without behaviours', async () => {
    const ws = new Workspace(makeCompany(false));
    await ws.import();
    const [r] = (await ws.analyze(['perfect-customer'])).results;
    expect(r?.status).toBe('skipped');
    expect(r?.reason).toMatch(/No behaviour is declared/);
  });

  it('without declared behaviours but with behaviour events, screens the events and says what to declare', async () => {
    const ws = new Workspace(makeScreeningWorkspace());
    await ws.import();
    const [r] = (await ws.analyze(['perfect-customer'])).results;
    expect([r?.status, r?.reason]).toEqual(['ok', undefined]);
    expect(r?.tables.map((t) => t.name)).toEqual(['behaviour_screening']);
    expect(r?.summary.at(-1)).toMatch(/^No behaviour is declared.*only the screen of behaviour events is shown\.$/);
    expect(r?.findings.some((f) => f.code.startsWith('perfect_customer.screen.'))).toBe(true);
  });
});
