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
const it = itNeeds(pandas, "Debian's pandas and scipy (/usr/bin/python3)", 'apt-get install -y python3-pandas python3-scipy python3-yaml');

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
}

describe('the pandas reference against cxray on the 20k simulated company', () => {
  it('best variant: ledgers, table sizes, every customer_facts column and the profile agree', async () => {
    expectAgreement(await compareWithReference(best.json, workspace));
  });

  it('idiomatic variant: the same numbers', async () => {
    const c = await compareWithReference(idiomatic.json, workspace);
    expectAgreement(c);
    expect(Object.keys(c.referenceTimings)).toEqual(expect.arrayContaining(['read', 'validate', 'facts', 'profile']));
  });

  it('reports a changed number where it is, with the customer and both values', async () => {
    const doc = JSON.parse(readFileSync(best.json, 'utf8')) as {
      files: Record<string, { quarantined: number }>;
      profile: { tables: Record<string, { columns: string[]; rows: unknown[][] }> };
      facts_csv: string;
    };
    const payments = doc.files['unified_payments.csv'];
    if (payments === undefined) throw new Error('no payments ledger');
    payments.quarantined += 1;
    const tenure = doc.profile.tables['tenure'];
    if (tenure?.rows[0] === undefined) throw new Error('no tenure table');
    tenure.rows[0][1] = Number(tenure.rows[0][1]) * (1 + 1e-6);
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
    expect(Object.keys(differing).sort()).toEqual(['facts revenue', 'ledger unified_payments.csv', 'profile tenure']);
    expect(differing['facts revenue']?.differing).toBe(1);
    expect(differing['facts revenue']?.examples[0]?.where).toBe(`customer ${cells[0]}`);
    expect(differing['ledger unified_payments.csv']?.examples[0]).toMatchObject({ where: 'quarantined', reference: payments.quarantined, cxray: payments.quarantined - 1 });
    expect(differing['profile tenure']?.examples[0]?.where).toBe('#0: mean_days');
  });
});
