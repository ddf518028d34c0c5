import { appendFileSync, cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/analysis/result.js';
import { resultSchema } from '../../src/analysis/result.js';
import { simulateCompany } from '../../src/simulate/index.js';
import { readTruth, type Truth } from '../../src/simulate/truth.js';
import { cxray } from '../helpers/cli.js';
import { standardCompany } from '../helpers/company.js';
import { makeWorkspace } from '../helpers/tiny-company.js';

const TELCO = join(import.meta.dirname, '..', 'fixtures', 'telco-classic', 'WA_Fn-UseC_-Telco-Customer-Churn.csv');

interface AnalyzeDoc {
  workspace: string;
  importVersion: number;
  results: Result[];
}

function analyze(args: string[]): AnalyzeDoc {
  const run = cxray(['analyze', ...args, '--json']);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const doc = JSON.parse(run.stdout) as AnalyzeDoc;
  for (const r of doc.results) expect(resultSchema.safeParse(r).success, r.name).toBe(true);
  return doc;
}

function finding(result: Result | undefined, code: string) {
  return result?.findings.find((f) => f.code === code);
}

describe('cxray analyze on the tiny company', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeWorkspace();
    const run = cxray(['import', '--workspace', dir]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('--json prints one document with every analysis; too few customers and unbuilt analyses are skipped, saying why', () => {
    const doc = analyze(['--workspace', dir]);
    expect(doc.workspace).toBe(dir);
    expect(doc.importVersion).toBe(1);
    expect(doc.results).toHaveLength(17);
    const built = ['profile', 'perfect-customer', 'key-drivers', 'value', 'lifetime-value', 'fit', 'ideal-profile', 'misaligned', 'mix', 'referrals', 'bad-revenue', 'fee-aftermath', 'quarter-end', 'value-balance', 'scorecard', 'comments', 'changes'];
    const profile = doc.results.find((r) => r.name === 'profile');
    expect([profile?.status, profile?.reason]).toEqual(['skipped', expect.stringContaining('fewer than 5 customers')]);
    // The other built analyses are skipped for what the tiny company lacks (a survey, or too few customers), saying which.
    for (const r of doc.results.filter((x) => built.includes(x.name))) expect([r.name, r.status, r.reason]).toEqual([r.name, 'skipped', expect.not.stringMatching(/not implemented/)]);
    for (const r of doc.results.filter((x) => !built.includes(x.name))) expect(r.reason).toBe('not implemented yet in this version');
    const text = cxray(['analyze', '--workspace', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('== mix: Customer mix against the ideal ==\nskipped: This import holds fewer than 5 customers');
    expect(text.stdout).toContain('== bad-revenue: Bad revenue ==\nskipped: This import holds fewer than 5 customers');
    expect(text.stdout).toContain('== changes: Measured changes ==\nskipped: This import holds fewer than 5 customers');
    expect(text.stdout).toContain('== quarter-end: Quarter-end pushes ==\nskipped: ');
    expect(text.stdout).toContain('== value-balance: Value balance ==\nskipped: This import holds fewer than 5 customers');
  });

  it('--list names each analysis with the tables it needs, without a workspace', () => {
    const run = cxray(['analyze', '--list', '--json', '--workspace', mkdtempSync(join(tmpdir(), 'cxray-empty-'))]);
    expect(run.code).toBe(0);
    const { analyses } = JSON.parse(run.stdout) as { analyses: { name: string; needs: string[]; implemented: boolean }[] };
    expect(analyses).toHaveLength(17);
    expect(analyses.find((a) => a.name === 'key-drivers')?.needs).toContain('survey_responses');
    expect(cxray(['analyze', '--help']).stdout).toContain('Examples:');
  });

  it('a bad name, rule or date is exit 1 with a hint, as one JSON error document', () => {
    const cases: [string[], string, RegExp][] = [
      [['profil'], 'unknown_analysis', /Did you mean profile\?/],
      [['--segment', 'Segmnt = retail'], 'segment_unknown_column', /segment/],
      [['--segment', "segment = 'retail"], 'segment_syntax', /segment = retail AND/],
      [['--from', '2025-02-30'], 'bad_period', /YYYY-MM-DD|2025-01-01/],
    ];
    for (const [args, code, hint] of cases) {
      const run = cxray(['analyze', ...args, '--workspace', dir, '--json']);
      expect(run.code, args.join(' ')).toBe(1);
      const error = (JSON.parse(run.stdout) as { error: { code: string; hint: string } }).error;
      expect(error.code, args.join(' ')).toBe(code);
      expect(error.hint, args.join(' ')).toMatch(hint);
    }
  });
});

describe('cxray analyze profile on telco-classic, from the config init wrote', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxray-telco-analyze-'));
    cpSync(TELCO, join(dir, 'telco.csv'));
    expect(cxray(['init', '--workspace', dir, '--from', join(dir, 'telco.csv')]).code).toBe(0);
    expect(cxray(['import', '--workspace', dir]).code).toBe(0);
  });

  it('describes the 7,043 customers and says what is missing instead of guessing value from charges', () => {
    const [profile] = analyze(['profile', '--workspace', dir]).results;
    expect(profile?.status).toBe('ok');
    expect(finding(profile, 'profile.customers')?.estimate).toBe(7043);
    expect(finding(profile, 'profile.churned_share')?.estimate).toBeCloseTo(1869 / 7043, 12);
    const contract = profile?.findings.find((f) => f.code === 'profile.attribute_share' && f.text.includes('contract is Month-to-month'));
    expect(contract?.estimate).toBeCloseTo(3875 / 7043, 12);
    expect(finding(profile, 'profile.top10_share')).toBeUndefined();
    const summary = profile?.summary.join('\n') ?? '';
    expect(summary).toMatch(/no transactions rows/);
    expect(summary).toMatch(/monthly_charges, total_charges\) are not taken as revenue/);
    expect(summary).toMatch(/no survey_responses rows/);
    expect(profile?.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['attribute_shares', 'attribute_summaries', 'tenure', 'cohort_mix']));
    expect(readdirSync(join(dir, 'results', 'v000001'))).toContain('profile.json');
  });

  it('takes a segment rule and reports on that segment only', () => {
    const [profile] = analyze(['profile', '--workspace', dir, '--segment', "contract = 'Month-to-month' AND senior_citizen = true"]).results;
    expect(profile?.provenance.filter.segment).toBe("contract = 'Month-to-month' AND senior_citizen = true");
    expect(finding(profile, 'profile.customers')?.estimate).toBe(807);
    expect(finding(profile, 'profile.segment_share')?.estimate).toBeCloseTo(807 / 7043, 12);
  });
});

// The standard simulated company (20,000 customers, seed 1, made by the global
// setup) through init + import with the config unedited. Its truth.json holds
// the planted value concentration and acquisition mix, realised on the files.
describe('cxray analyze profile on the simulated company', () => {
  let truth: Truth;
  let profile: Result | undefined;
  beforeAll(async () => {
    const company = standardCompany();
    truth = await readTruth(join(company, 'truth.json'));
    const dir = mkdtempSync(join(tmpdir(), 'cxray-sim-analyze-'));
    const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
    expect(cxray(['init', '--workspace', dir, '--from', ...files]).code).toBe(0);
    const imported = cxray(['import', '--workspace', dir]);
    expect(imported.code, imported.stderr).toBe(0);
    profile = analyze(['profile', '--workspace', dir]).results[0];
  });

  // Tolerance 0.005: the definitions are the truth's (purchases + fees − refunds
  // over all customers, top round(10% × n)); only the planted bad payment rows,
  // which the import quarantines, separate the two.
  it('reports the planted value concentration', () => {
    const t = truth.valueConcentration;
    expect(finding(profile, 'profile.customers')?.estimate).toBe(t.customers);
    expect(finding(profile, 'profile.top10_share')?.estimate).toBeCloseTo(t.top10Share, 2);
    expect(Math.abs((finding(profile, 'profile.top10_share')?.estimate ?? 0) - t.top10Share)).toBeLessThan(0.005);
    expect(Math.abs((finding(profile, 'profile.top20_share')?.estimate ?? 0) - t.top20Share)).toBeLessThan(0.005);
    expect(Math.abs((finding(profile, 'profile.gini')?.estimate ?? 0) - t.gini)).toBeLessThan(0.005);
    const top10 = finding(profile, 'profile.top10_share');
    expect(top10?.interval.lower).toBeLessThan(t.top10Share + 0.005);
    expect(top10?.interval.upper).toBeGreaterThan(t.top10Share - 0.005);
  });

  // Per quarter, the shares by acquisition channel match the realised mix
  // within 1 percentage point (quarantined contacts are about 0.1%), and the
  // drift from referral to paid search is reported as a screened finding.
  it('shows the planted acquisition-mix drift', () => {
    const mix = profile?.tables.find((t) => t.name === 'cohort_mix');
    const col = (name: string): number => mix?.columns.findIndex((c) => c.name === name) ?? -1;
    const share = (quarter: string, level: string): number | undefined => {
      const row = mix?.rows.find((r) => r[col('attribute')] === 'acquisition_channel' && r[col('cohort')] === quarter && r[col('level')] === level);
      return row === undefined ? undefined : (row[col('share')] as number);
    };
    for (const q of truth.acquisitionDrift.realised.byQuarter) {
      for (const channel of ['referral', 'paid search']) {
        expect(Math.abs((share(q.quarter, channel) ?? -1) - (q.channelShares[channel] ?? 0)), `${q.quarter} ${channel}`).toBeLessThan(0.01);
      }
    }
    const drifts = profile?.findings.filter((f) => f.code === 'profile.mix_drift') ?? [];
    const paidSearch = drifts.find((f) => f.text.includes('acquisition_channel paid search'));
    const referral = drifts.find((f) => f.text.includes('acquisition_channel referral'));
    expect(paidSearch?.estimate).toBeGreaterThan(10);
    expect(referral?.estimate).toBeLessThan(-5);
    expect(paidSearch?.qValue).toBeLessThan(0.05);
    expect(profile?.summary.some((s) => s.includes('paid search'))).toBe(true);
    expect(profile?.charts.some((c) => c.title?.includes('acquisition_channel'))).toBe(true);
  });
});

// Dated snapshots on a small simulated company (3,000 customers, seed 3): a
// re-import of the same data (only cxray.yaml's thresholds block added, which
// changes no number) is "no material change"; the same company with the
// planted acquisition shift (10% of new customers moved from referral to paid
// search) is reported as changed.
describe('profile snapshots across imports of the simulated company', () => {
  it('says "no material change" for the same data and names the planted shift', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cxray-snapshots-'));
    const plain = join(root, 'plain');
    const shifted = join(root, 'shifted');
    await simulateCompany({ customers: 3000, seed: 3, outDir: plain });
    await simulateCompany({ customers: 3000, seed: 3, outDir: shifted, shift: { acquisitionMix: 0.1 } });
    const dir = join(root, 'ws');
    const files = readdirSync(plain).filter((f) => f.endsWith('.csv'));
    expect(cxray(['init', '--workspace', dir, '--from', ...files.map((f) => join(plain, f))]).code).toBe(0);
    expect(cxray(['import', '--workspace', dir]).code).toBe(0);
    const first = analyze(['profile', '--workspace', dir]).results[0];
    expect(readdirSync(join(dir, 'snapshots')).filter((f) => f.endsWith('.md'))).toHaveLength(1);

    appendFileSync(join(dir, 'cxray.yaml'), 'thresholds: {percentage_points: 1}\n');
    expect(cxray(['import', '--workspace', dir]).code).toBe(0);
    const same = analyze(['profile', '--workspace', dir]).results[0];
    expect(same?.summary[0]).toMatch(/^No material change since snapshot v000001-/);
    expect(finding(same, 'profile.top10_share')?.estimate).toBeCloseTo(finding(first, 'profile.top10_share')?.estimate ?? -1, 10);

    for (const f of files) cpSync(join(shifted, f), join(plain, f));
    expect(cxray(['import', '--workspace', dir]).code).toBe(0);
    const moved = analyze(['profile', '--workspace', dir]).results[0];
    expect(moved?.summary[0]).toMatch(/^Since snapshot v000002-/);
    const referral = moved?.findings.find((f) => f.code === 'profile.change.mix' && f.text.includes('acquisition_channel referral'));
    const paidSearch = moved?.findings.find((f) => f.code === 'profile.change.mix' && f.text.includes('acquisition_channel paid search'));
    expect(referral?.estimate).toBeLessThan(-5);
    expect(paidSearch?.estimate).toBeGreaterThan(5);
    expect(readdirSync(join(dir, 'snapshots')).filter((f) => f.endsWith('.json'))).toHaveLength(3);
  });
});
