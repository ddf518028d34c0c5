import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { initWorkspace } from '../init/index.js';
import { companyCostsYaml } from '../simulate/index.js';
import { readTruth } from '../simulate/truth.js';
import { Workspace } from '../workspace/workspace.js';
import { standardCompany } from '../../test/helpers/company.js';
import { QUARTER_END_SEED_YAML } from '../../test/helpers/quarter-end-seeds.js';
import { recordSeedChange } from '../../test/helpers/changes-seeds.js';
import { itNeeds } from '../../test/helpers/strict.js';
import { comparedResults, compareWithReference, describeComparison, referenceStackAvailable, runReference, type ComparedResults, type ReferenceComparison, type ReferenceRun } from './reference-compare.js';

const pandas = referenceStackAvailable();
const it = itNeeds(pandas, "Debian's pandas, scipy and statsmodels (/usr/bin/python3)", 'apt-get install -y python3-pandas python3-scipy python3-statsmodels python3-yaml');

// The 20k company of the global setup, imported by cxray into a temporary
// workspace while the pandas reference (both variants) reads the same files,
// both with the config `init` wrote plus the company's cost of an
// agent-minute and the quarter-end window of the simulator's push (as the
// seed checks import it): with costs to serve, a segment is misaligned, so
// the scan's reporting, its covering and mix's misaligned series are
// compared too; with the 10-day window, quarter-end claims the push, its
// refunds and its churn, so its screen and money are compared on findings.
// The experience areas also list contact reasons (the tickets' types) and
// behaviours, one declares its characteristic and one leaves it out, a new
// area has only contact reasons, and the scorecard's margin is 4 points: the
// scorecard's touchpoints, characteristics and margin are compared too (of
// the compared analyses, only the scorecard reads these keys).
// Changes: the simulator's intervention recorded as the seeds record it, a
// change without a segment (before/after, cut at as_of) and one of a small
// segment against a comparison rule with its own windows (thin cells); the
// simulator's A/B test on every measure, and again against a 60% plan (a
// sample ratio mismatch); one comment theme moved to an experience area.
let workspace: string;
let out: string;
let best: ReferenceRun;
let idiomatic: ReferenceRun;
// cxray's Results, run once on the import and compared with each reference.
let results: ComparedResults;

beforeAll(async () => {
  if (!pandas) return;
  const company = standardCompany();
  workspace = mkdtempSync(join(tmpdir(), 'cxray-reference-'));
  out = mkdtempSync(join(tmpdir(), 'cxray-reference-out-'));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  await initWorkspace({ dir: workspace, from: files, force: true });
  const config = join(workspace, 'cxray.yaml');
  appendFileSync(config, companyCostsYaml() + QUARTER_END_SEED_YAML);
  writeFileSync(config, withScorecardTouchpoints(readFileSync(config, 'utf8')));
  appendFileSync(config, CHANGES_YAML);
  // Recorded before the references start: they read store/changes.json.
  await recordChanges(new Workspace(workspace), company);
  const importing = (async () => {
    await new Workspace(workspace).import();
    results = await comparedResults(workspace);
  })();
  const asOf = '2026-06-30';
  [best, idiomatic] = await Promise.all([
    runReference({ company, variant: 'best', asOf, config, out: join(out, 'best.json') }),
    runReference({ company, variant: 'idiomatic', asOf, config, out: join(out, 'idiomatic.json') }),
    importing,
  ]);
});

/** init's cxray.yaml with contact reasons, behaviours and characteristics on its experience areas, a new area, and a scorecard margin. */
function withScorecardTouchpoints(yaml: string): string {
  const more: Record<string, string> = {
    customer_support: 'interaction_reasons: [ Incident, Problem ]',
    billing_and_payments: 'interaction_reasons: [ Question ], behaviours: [ autopay, paperless_billing ]',
    mobile_app_and_website: 'behaviours: [ self_service ]',
    communication_and_offers: 'characteristic: beyond_expected',
    stores_and_staff: 'characteristic: none',
  };
  let out = yaml.replace('\nexperience_areas:\n', '\nexperience_areas:\n  account_tasks: { label: Account tasks, interaction_reasons: [ Task ], characteristic: whole_person }\n');
  for (const [area, fields] of Object.entries(more)) {
    const line = new RegExp(`^(  ${area}: \\{.*) \\}$`, 'm');
    if (!line.test(out)) throw new Error(`init wrote no experience area ${area} on one line`);
    out = out.replace(line, `$1, ${fields} }`);
  }
  if (!out.includes('account_tasks:')) throw new Error('init wrote no experience_areas');
  return `${out}\nthresholds: {scorecard_margin: 4}\n`;
}

/** The simulator's A/B test declared as the demo does (every measure), a second reading of it against a 60% plan, and a theme's area. */
const CHANGES_YAML =
  '\nexperiments:\n  retention_outreach: {label: Proactive retention outreach, attribute: experiment_group, control: control, treatment: treatment}\n' +
  '  skewed_split: {attribute: experiment_group, control: control, treatment: treatment, treatment_share: 0.6, metrics: [csat, adoption]}\n' +
  'comment_themes:\n  network: {area: network_coverage_and_reliability, label: Network}\n';

async function recordChanges(ws: Workspace, company: string): Promise<void> {
  await recordSeedChange(ws, await readTruth(join(company, 'truth.json')));
  await ws.addChange({ name: 'Price list 2026', date: '2026-03-01' });
  await ws.addChange({ name: 'Loyalty offer', date: '2025-06-15', segment: "segment = 'enterprise' AND age >= 60", compare: "segment = 'smb'", before_months: 3, after_months: 4 });
}

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
  // The right-customer analyses: 5 components, 10 score bins, 3 sizes of segment, 6 graph measures; every other table compared, not empty.
  for (const analysis of ['fit', 'ideal-profile', 'misaligned', 'mix', 'referrals']) expect(compared(`${analysis} status`)).toBe(1);
  expect(compared('fit fit_components')).toBe(5 * 10);
  expect(compared('fit fit_distribution')).toBe(10 * 3);
  expect(compared('fit calibration spread')).toBe(4);
  expect(compared('misaligned misaligned_scan')).toBe(3 * 7);
  expect(compared('referrals referral_graph')).toBe(6 * 2);
  // Mix follows 3 ideal rules, any of them, and the one misaligned segment reported (29 columns each).
  expect(compared('mix mix_drift')).toBe(5 * 29);
  expect(compared('mix equal-tenure claim')).toBeGreaterThanOrEqual(1);
  for (const figure of [
    'fit fit_scale', 'fit fit_calibration', 'fit fit_examples', 'ideal-profile ideal_rules', 'ideal-profile ideal_attributes', 'ideal-profile ideal_drivers',
    'misaligned misaligned_segments', 'mix mix_by_cohort', 'mix mix_drift', 'mix mix_equal_tenure', 'referrals referrals_by_segment', 'referrals referral_homophily',
    'referrals who_brings_whom', 'referrals referral_value_correlation', 'referrals referred_vs_others', 'referrals referral_value_by_segment', 'referrals top_referrers', 'referrals multiplier',
  ]) {
    expect(compared(figure), figure).toBeGreaterThan(0);
  }
  // The fairness analyses: 5 revenue lines in 3 classes (21 columns), 3 fee lines on 2 outcomes (14 columns), 2 sales measures and
  // 3 outcomes (12 columns), 2 hazard models (15), the 12 items of the push's money, 3 terms of the fair-value line (7); every other table compared, not empty.
  for (const analysis of ['bad-revenue', 'fee-aftermath', 'quarter-end', 'value-balance']) expect(compared(`${analysis} status`)).toBe(1);
  for (const klass of ['detractors', 'low_csat', 'churned']) expect(compared(`bad-revenue bad_revenue_${klass}`)).toBe(5 * 21);
  expect(compared('bad-revenue bad_revenue_coverage')).toBe(3 * 13);
  expect(compared('fee-aftermath fee_aftermath')).toBe(3 * 2 * 14);
  expect(compared('quarter-end quarter_end_sales')).toBe(2 * 12);
  expect(compared('quarter-end quarter_end_outcomes')).toBe(3 * 12);
  expect(compared('quarter-end quarter_end_hazard')).toBe(2 * 15);
  expect(compared('quarter-end quarter_end_balance')).toBe(12 * 2);
  expect(compared('quarter-end claims')).toBe(1);
  expect(compared('value-balance value_balance_line')).toBe(3 * 7);
  for (const figure of ['quarter-end quarter_end_survival', 'quarter-end quarter_end_daily', 'value-balance value_balance_segments', 'value-balance mean price and slopes']) {
    expect(compared(figure), figure).toBeGreaterThan(0);
  }
  // The scorecard: 8 areas (20 columns), the 8 characteristics (10), 30 touchpoint measures (all contacts, 5 channels and 3
  // areas' contact reasons on 3 measures, 3 behaviours; 15 columns), NPS and CSAT over 36 months (14 columns).
  expect(compared('scorecard status')).toBe(1);
  expect(compared('scorecard scorecard_areas')).toBe(8 * 20);
  expect(compared('scorecard scorecard_characteristics')).toBe(8 * 10);
  expect(compared('scorecard scorecard_touchpoints')).toBe(30 * 15);
  expect(compared('scorecard satisfaction_over_time')).toBe(2 * 36 * 14);
  expect(compared('scorecard findings')).toBeGreaterThanOrEqual(4 + 8 + 6);
  // Comments: 3 languages, 3 sentiments and NPS classes, 8 themes (29 columns), 12 quarters (11); the shares, the agreement and the slope.
  expect(compared('comments status')).toBe(1);
  expect(compared('comments comment_languages')).toBe(3 * 5);
  expect(compared('comments comment_sentiment_by_nps')).toBe(3 * 6);
  expect(compared('comments comment_themes')).toBe(8 * 29);
  expect(compared('comments comment_sentiment_trend')).toBe(12 * 11);
  expect(compared('comments findings')).toBe(2 * 4 + 2 * 5);
  // Changes: 3 changes on 8 measures (27 columns), NPS by month; 2 experiments' arms and 8 + 5 measures (17); the SRM and the hazard ratio claimed.
  expect(compared('changes status')).toBe(1);
  expect(compared('changes changes')).toBe(3 * 10);
  expect(compared('changes change_effects')).toBe(3 * 8 * 27);
  expect(compared('changes change_nps_by_month')).toBeGreaterThan(0);
  expect(compared('changes experiment_arms')).toBe(2 * 2 * 10);
  expect(compared('changes experiment_effects')).toBe(13 * 17);
  expect(compared('changes findings')).toBeGreaterThanOrEqual(2);
  expect(Object.keys(c.referenceTimings)).toEqual(
    expect.arrayContaining([
      'read', 'validate', 'facts', 'profile', 'perfect_customer', 'key_drivers', 'value', 'lifetime_value', 'fit', 'ideal_profile', 'misaligned', 'mix', 'referrals',
      'bad_revenue', 'fee_aftermath', 'quarter_end', 'value_balance', 'scorecard', 'comments', 'comment_labels', 'changes',
    ]),
  );
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
  it('best variant: ledgers, table sizes, every customer_facts column, the profile and every compared analysis agree', async () => {
    expectAgreement(await compareWithReference(best.json, workspace, { results }));
  });

  it('idiomatic variant: the same numbers', async () => {
    const c = await compareWithReference(idiomatic.json, workspace, { results });
    expectAgreement(c);
  });

  it('reports a changed number where it is, with the customer and both values', async () => {
    const doc = JSON.parse(readFileSync(best.json, 'utf8')) as {
      files: Record<string, { quarantined: number }>;
      profile: { tables: Record<string, { columns: string[]; rows: unknown[][] }> };
      facts_csv: string;
      perfect_customer: AnalysisSection;
      key_drivers: AnalysisSection;
      fit: AnalysisSection;
      ideal_profile: AnalysisSection;
      referrals: AnalysisSection;
      bad_revenue: AnalysisSection;
      fee_aftermath: AnalysisSection;
      quarter_end: AnalysisSection;
      value_balance: AnalysisSection;
      scorecard: AnalysisSection;
      comments: AnalysisSection;
      changes: AnalysisSection;
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
    // The right-customer analyses: a lift of the fit score past the regression tolerance, a same-value share past the double one; a weight within it.
    const [, , rule] = nudge(doc.ideal_profile, 'ideal_rules', 0, 'held_out_fit_lift', 1 + 1e-5);
    const [attribute] = nudge(doc.referrals, 'referral_homophily', 0, 'same_share', 1 + 1e-8);
    nudge(doc.fit, 'fit_components', 0, 'fitted_weight_per_sd', 1 + 1e-8);
    // The fairness analyses: a Fieller bound past the closed-form tolerance (1e-9), a deviation from the fair-value line past the
    // regression one, a matched count off by one; a hazard ratio within the regression tolerance (1e-8), not reported.
    const [, , lineKey] = nudge(doc.bad_revenue, 'bad_revenue_detractors', 0, 'lower', 1 + 1e-8);
    const [, attributeKey, level] = nudge(doc.value_balance, 'value_balance_segments', 0, 'deviation', 1 + 1e-5);
    const fee = doc.fee_aftermath.tables['fee_aftermath'];
    const feeRow = fee?.rows[0];
    if (fee === undefined || feeRow === undefined) throw new Error('no fee_aftermath row');
    feeRow[fee.columns.indexOf('matched')] = Number(feeRow[fee.columns.indexOf('matched')]) + 1;
    nudge(doc.quarter_end, 'quarter_end_hazard', 0, 'hazard_ratio', 1 + 1e-8);
    // The scorecard: an area's upper bound past the closed-form tolerance; a control limit within it (1e-11), not reported.
    const [area] = nudge(doc.scorecard, 'scorecard_areas', 1, 'upper', 1 + 1e-8);
    nudge(doc.scorecard, 'satisfaction_over_time', 10, 'upper_limit', 1 + 1e-11);
    // Comments: a theme's NPS gap past the closed-form tolerance. Changes: an arm's mean past it; a fitted effect within the regression one (1e-8), not reported.
    const [, theme] = nudge(doc.comments, 'comment_themes', 0, 'nps_difference', 1 + 1e-8);
    const [experiment, measure] = nudge(doc.changes, 'experiment_effects', 0, 'treatment', 1 + 1e-8);
    nudge(doc.changes, 'change_effects', 0, 'effect', 1 + 1e-8);
    const lines = readFileSync(best.factsCsv, 'utf8').split('\n');
    const header = (lines[0] ?? '').split(',');
    const revenue = header.indexOf('revenue');
    const cells = (lines[1] ?? '').split(',');
    cells[revenue] = String(Number(cells[revenue]) + 1);
    lines[1] = cells.join(',');
    const changed = join(out, 'changed.json');
    writeFileSync(join(out, 'changed.facts.csv'), lines.join('\n'));
    writeFileSync(changed, JSON.stringify({ ...doc, facts_csv: 'changed.facts.csv' }));

    const c = await compareWithReference(changed, workspace, { results });
    expect(c.agree).toBe(false);
    const differing = Object.fromEntries(c.checks.filter((x) => x.differing > 0).map((x) => [x.figure, x]));
    expect(Object.keys(differing).sort()).toEqual([
      'bad-revenue bad_revenue_detractors',
      'changes experiment_effects',
      'comments comment_themes',
      'facts revenue',
      'fee-aftermath fee_aftermath',
      'ideal-profile ideal_rules',
      'key-drivers satisfaction_drivers',
      'ledger unified_payments.csv',
      'perfect-customer value_components',
      'profile tenure',
      'referrals referral_homophily',
      'scorecard scorecard_areas',
      'value-balance value_balance_segments',
    ]);
    expect(differing['scorecard scorecard_areas']?.examples.map((e) => e.where)).toEqual([`${String(area)}: upper`]);
    expect(differing['comments comment_themes']?.examples.map((e) => e.where)).toEqual([`${String(theme)}: nps_difference`]);
    expect(differing['changes experiment_effects']?.examples.map((e) => e.where)).toEqual([`${String(experiment)} | ${String(measure)}: treatment`]);
    expect(differing['bad-revenue bad_revenue_detractors']?.examples[0]?.where).toBe(`${String(lineKey)}: lower`);
    expect(differing['value-balance value_balance_segments']?.examples.map((e) => e.where)).toEqual([
      `${String(attributeKey)} | ${String(level)}: deviation`,
    ]);
    expect(differing['fee-aftermath fee_aftermath']?.examples[0]?.where).toBe(`${String(feeRow[0])} | ${String(feeRow[1])}: matched`);
    expect(differing['ideal-profile ideal_rules']?.examples[0]?.where).toBe(`${String(rule)}: held_out_fit_lift`);
    expect(differing['referrals referral_homophily']?.examples[0]?.where).toBe(`${String(attribute)}: same_share`);
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
