import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { initWorkspace } from '../init/index.js';
import { Workspace } from '../workspace/workspace.js';
import { standardCompany } from '../../test/helpers/company.js';
import { itNeeds } from '../../test/helpers/strict.js';
import { compareWithReference, describeComparison, referenceStackAvailable, runReference, type ReferenceComparison, type ReferenceRun } from './reference-compare.js';

const pandas = referenceStackAvailable();
const it = itNeeds(pandas, "Debian's pandas, scipy and statsmodels (/usr/bin/python3)", 'apt-get install -y python3-pandas python3-scipy python3-statsmodels python3-yaml');

// The 20k company of the global setup, imported by cxray into a temporary
// workspace while the pandas reference (both variants) reads the same files.
let workspace: string;
let out: string;
let best: ReferenceRun;
let idiomatic: ReferenceRun;

beforeAll(async () => {
  if (!pandas) return;
  const company = standardCompany();
  workspace = mkdtempSync(join(tmpdir(), 'cxray-reference-'));
  out = mkdtempSync(join(tmpdir(), 'cxray-reference-out-'));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  const importing = (async () => {
    await initWorkspace({ dir: workspace, from: files, force: true });
    await new Workspace(workspace).import();
  })();
  const asOf = '2026-06-30';
  [best, idiomatic] = await Promise.all([
    runReference({ company, variant: 'best', asOf, out: join(out, 'best.json') }),
    runReference({ company, variant: 'idiomatic', asOf, out: join(out, 'idiomatic.json') }),
    importing,
  ]);
});

afterAll(() => {
  for (const dir of [workspace, out]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function expectAgreement(c: ReferenceComparison): void {
  expect(c.agree, describeComparison(c).filter((l) => !l.startsWith('  ok')).join('\n')).toBe(true);
  const figures = c.checks.map((x) => x.figure);
  // Every part was compared, not skipped: 7 files, the facts column by column, the profile tables.
  expect(figures.filter((f) => f.startsWith('ledger ')).length).toBe(7);
  expect(figures.filter((f) => f.startsWith('facts ')).length).toBeGreaterThan(70);
  for (const table of ['tenure', 'cohort_mix', 'contact_channels', 'value_concentration', 'lorenz_curve', 'value_tiers', 'value_tier_levels', 'top_tier_differences', 'survey_coverage', 'attribute_shares', 'attribute_summaries']) {
    expect(figures).toContain(`profile ${table}`);
  }
  expect(c.checks.find((x) => x.figure === 'facts revenue')?.compared).toBe(20_000);
  // The analyses: every table and finding compared, cell by cell (4 behaviours, 8 experience areas).
  const compared = (figure: string): number | undefined => c.checks.find((x) => x.figure === figure)?.compared;
  expect(compared('perfect-customer status')).toBe(1);
  expect(compared('perfect-customer adoption')).toBe(4 * 6);
  expect(compared('perfect-customer value_components')).toBe(4 * 4 * 8);
  expect(compared('perfect-customer value findings')).toBe(4 * 5);
  expect(compared('perfect-customer satisfaction')).toBe(4 * 10);
  expect(compared('perfect-customer retention')).toBe(4 * 11);
  expect(compared('perfect-customer index_weights')).toBe(4 * 4);
  expect(compared('perfect-customer index mean')).toBe(4);
  expect(compared('key-drivers status')).toBe(1);
  expect(compared('key-drivers satisfaction_drivers')).toBe(8 * 9);
  expect(compared('key-drivers importance_performance')).toBe(8 * 10);
  expect(compared('key-drivers satisfaction R²')).toBe(2);
  expect(Object.keys(c.referenceTimings)).toEqual(expect.arrayContaining(['read', 'validate', 'facts', 'profile', 'perfect_customer', 'key_drivers']));
}

interface AnalysisSection {
  tables: Record<string, { columns: string[]; rows: unknown[][] }>;
}

/** Multiplies one cell of a reference table by `factor`; returns the row's key cells. */
function nudge(section: AnalysisSection, table: string, row: number, column: string, factor: number): unknown[] {
  const t = section.tables[table];
  const cells = t?.rows[row];
  if (t === undefined || cells === undefined) throw new Error(`no row ${row} in ${table}`);
  cells[t.columns.indexOf(column)] = Number(cells[t.columns.indexOf(column)]) * factor;
  return cells;
}

describe('the pandas reference against cxray on the 20k simulated company', () => {
  it('best variant: ledgers, table sizes, every customer_facts column, the profile, perfect-customer and key-drivers agree', async () => {
    expectAgreement(await compareWithReference(best.json, workspace));
  });

  it('idiomatic variant: the same numbers', async () => {
    const c = await compareWithReference(idiomatic.json, workspace);
    expectAgreement(c);
  });

  it('reports a changed number where it is, with the customer and both values', async () => {
    const doc = JSON.parse(readFileSync(best.json, 'utf8')) as {
      files: Record<string, { quarantined: number }>;
      profile: { tables: Record<string, { columns: string[]; rows: unknown[][] }> };
      facts_csv: string;
      perfect_customer: AnalysisSection;
      key_drivers: AnalysisSection;
    };
    const payments = doc.files['unified_payments.csv'];
    if (payments === undefined) throw new Error('no payments ledger');
    payments.quarantined += 1;
    const tenure = doc.profile.tables['tenure'];
    if (tenure?.rows[0] === undefined) throw new Error('no tenure table');
    tenure.rows[0][1] = Number(tenure.rows[0][1]) * (1 + 1e-6);
    // Beyond the regression tolerance (1e-6 relative): reported. Within it (1e-8): not.
    const [behaviour, component] = nudge(doc.perfect_customer, 'value_components', 2, 'adjusted_per_month', 1 + 1e-5);
    const [driver] = nudge(doc.key_drivers, 'satisfaction_drivers', 0, 'share', 1 + 1e-5);
    nudge(doc.perfect_customer, 'retention', 0, 'adjusted_odds_ratio', 1 + 1e-8);
    const lines = readFileSync(best.factsCsv, 'utf8').split('\n');
    const header = (lines[0] ?? '').split(',');
    const revenue = header.indexOf('revenue');
    const cells = (lines[1] ?? '').split(',');
    cells[revenue] = String(Number(cells[revenue]) + 1);
    lines[1] = cells.join(',');
    const changed = join(out, 'changed.json');
    writeFileSync(join(out, 'changed.facts.csv'), lines.join('\n'));
    writeFileSync(changed, JSON.stringify({ ...doc, facts_csv: 'changed.facts.csv' }));

    const c = await compareWithReference(changed, workspace);
    expect(c.agree).toBe(false);
    const differing = Object.fromEntries(c.checks.filter((x) => x.differing > 0).map((x) => [x.figure, x]));
    expect(Object.keys(differing).sort()).toEqual(['facts revenue', 'key-drivers satisfaction_drivers', 'ledger unified_payments.csv', 'perfect-customer value_components', 'profile tenure']);
    expect(differing['perfect-customer value_components']?.differing).toBe(1);
    expect(differing['perfect-customer value_components']?.examples[0]?.where).toBe(`${String(behaviour)} | ${String(component)}: adjusted_per_month`);
    expect(differing['key-drivers satisfaction_drivers']?.differing).toBe(1);
    expect(differing['key-drivers satisfaction_drivers']?.examples[0]?.where).toBe(`${String(driver)}: share`);
    expect(differing['facts revenue']?.differing).toBe(1);
    expect(differing['facts revenue']?.examples[0]?.where).toBe(`customer ${cells[0]}`);
    expect(differing['ledger unified_payments.csv']?.examples[0]).toMatchObject({ where: 'quarantined', reference: payments.quarantined, cxray: payments.quarantined - 1 });
    expect(differing['profile tenure']?.examples[0]?.where).toBe('#0: mean_days');
  });
});
