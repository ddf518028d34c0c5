import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import { initWorkspace } from '../../init/index.js';
import { companyCostsYaml } from '../../simulate/index.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import { Workspace } from '../../workspace/workspace.js';
import { resultRows } from '../result-rows.case.js';
import { resultSchema, type Result } from '../result.js';
import { importCached } from '../../../test/helpers/import-cache.js';

// The changes analysis on the standard simulated company (20,000 customers,
// seed 1), whose simulator plants (truth.json):
// - an intervention: +3 NPS points for Region = North from its date
//   (src/simulate/simulate-company.ts INTERVENTION; exactly 3% of North's
//   answers after the date move one class up), stored here as a change
//   through the Workspace API, as `cxray changes add` does;
// - an A/B test: the Experiment Group attribute, the treatment arm churning
//   at 0.8 times the control's hazard (truth.experiment), declared under
//   `experiments` in cxray.yaml.
// Checked: the +3 lies in the 95% interval (default windows); with windows
// spanning the whole history the difference-in-differences is truth.json's
// realised one (the same answers: equal to its 4-decimal rounding) with a
// clustered standard error at least the truth's independent-answers one;
// and the experiment's hazard ratio interval covers the planted 0.8.

let ws: Workspace;
let truth: Truth;
let result: Result;
let ms: number;

const EXPERIMENT_YAML = `
# the simulator's A/B test: proactive retention outreach, assigned at signup
experiments:
  retention_outreach: {label: Proactive retention outreach, attribute: experiment_group, control: control, treatment: treatment}
`;

beforeAll(async () => {
  const company = standardCompany();
  truth = await readTruth(join(company, 'truth.json'));
  const dir = mkdtempSync(join(tmpdir(), 'cxray-changes-company-'));
  await initWorkspace({ dir, from: readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f)), force: false });
  appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml() + EXPERIMENT_YAML);
  ws = new Workspace(dir);
  await importCached(ws);
  const iv = truth.intervention;
  await ws.addChange({ name: iv.name, date: iv.date, segment: `${iv.segment.column.toLowerCase()} = '${iv.segment.value}'`, description: 'the planted intervention' });
  await ws.addChange({ name: `${iv.name}, whole history`, date: iv.date, segment: `region = ${iv.segment.value}`, before_months: 60, after_months: 60 });
  const started = Date.now();
  const { results } = await ws.analyze(['changes'], {}, { fresh: true });
  ms = Date.now() - started;
  result = results.find((r) => r.name === 'changes') as Result;
}, 300_000);

const effect = (change: string, measure: string): Record<string, unknown> => resultRows(result, 'change_effects').find((r) => r['change'] === change && r['measure'] === measure) ?? {};

describe('changes on the standard simulated company (20,000 customers)', () => {
  it('measures the stored changes and the experiment, and says so in sentences', () => {
    resultSchema.parse(result);
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    process.stderr.write(`changes on the standard company (${ms} ms):\n${result.summary.map((s) => `  ${s}`).join('\n')}\n`);
    expect(result.summary[0]).toMatch(/^North network upgrade \(2025-10-01, region = 'North'\): NPS [+−]\d+\.\d points against the customers whose region is not 'North' \(95% CI [+−]\d+\.\d to [+−]\d+\.\d; before-trends (NOT )?parallel, p [=<] [\d.]+\)\.$/);
    const rows = resultRows(result, 'changes');
    expect(rows.map((r) => [r['change'], r['after_to']])).toEqual([
      ['North network upgrade', '2026-03-31'],
      ['North network upgrade, whole history', '2026-06-30'],
    ]);
    // The whole history's before window starts with the first customer, 60 months asked: its placebo date falls where there are answers.
    expect(rows[0]?.['before_from']).toBe('2025-04-01');
    expect(String(rows[1]?.['before_from']) >= truth.startDate && String(rows[1]?.['before_from']) < '2023-08-01').toBe(true);
    expect(rows[1]?.['note']).toMatch(/^the before window starts with the first customer \(\d{4}-\d\d-\d\d\); the after window ends at as_of \(2026-06-30\)$/);
    expect(result.charts.length).toBeGreaterThanOrEqual(2);
  });

  it('puts the planted +3 NPS points inside the interval', () => {
    const nps = effect('North network upgrade', 'nps');
    process.stderr.write(`NPS DiD ${String(nps['effect'])} [${String(nps['lower'])}, ${String(nps['upper'])}] (SE ${String(nps['standard_error'])}), pre-trend ${String(nps['pre_trend'])} p ${String(nps['pre_trend_p'])}\n`);
    expect(nps['lower'] as number).toBeLessThanOrEqual(truth.intervention.effectNpsPoints);
    expect(nps['upper'] as number).toBeGreaterThanOrEqual(truth.intervention.effectNpsPoints);
  });

  it("reproduces truth.json's realised difference-in-differences over the whole history", () => {
    const r = truth.intervention.realised;
    const nps = effect('North network upgrade, whole history', 'nps');
    process.stderr.write(`whole history: DiD ${String(nps['effect'])} (truth ${r.differenceInDifferences}), SE ${String(nps['standard_error'])} clustered (truth ${r.standardError} with answers independent)\n`);
    expect(nps['effect'] as number).toBeCloseTo(r.differenceInDifferences, 3);
    expect(nps['segment_before'] as number).toBeCloseTo(r.npsSegmentBefore, 3);
    expect(nps['segment_after'] as number).toBeCloseTo(r.npsSegmentAfter, 3);
    expect(nps['comparison_before'] as number).toBeCloseTo(r.npsOthersBefore, 3);
    expect(nps['comparison_after'] as number).toBeCloseTo(r.npsOthersAfter, 3);
    expect(nps['observations']).toBe(r.cells.segmentBefore + r.cells.segmentAfter + r.cells.othersBefore + r.cells.othersAfter);
    // Answers of one customer are positively correlated: clustering widens the error, a little (few customers answer often).
    expect(nps['standard_error'] as number).toBeGreaterThanOrEqual(0.98 * r.standardError);
    expect(nps['standard_error'] as number).toBeLessThan(1.3 * r.standardError);
    expect(nps['lower'] as number).toBeLessThanOrEqual(truth.intervention.effectNpsPoints);
  });

  it("reads out the experiment: the arms as planned, the hazard ratio's interval covering the planted 0.8", () => {
    const arms = resultRows(result, 'experiment_arms');
    expect(arms.map((r) => [r['arm'], r['customers'], r['mismatch']])).toEqual([
      ['treatment', truth.experiment.realised.treatment, false],
      ['control', truth.experiment.realised.control, false],
    ]);
    const churn = resultRows(result, 'experiment_effects').find((r) => r['measure'] === 'churn') ?? {};
    process.stderr.write(`experiment hazard ratio ${String(churn['effect'])} [${String(churn['lower'])}, ${String(churn['upper'])}] (planted ${truth.experiment.planted.churnHazardRatio}, realised rate ratio ${truth.experiment.realised.churnHazardRatio}); monthly churn ${String(churn['treatment'])} against ${String(churn['control'])}\n`);
    expect(churn['lower'] as number).toBeLessThanOrEqual(truth.experiment.planted.churnHazardRatio);
    expect(churn['upper'] as number).toBeGreaterThanOrEqual(truth.experiment.planted.churnHazardRatio);
    expect(Math.abs((churn['effect'] as number) - truth.experiment.realised.churnHazardRatio)).toBeLessThan(0.05);
    expect(result.findings.map((f) => f.code)).toContain('changes.experiment_retention_outreach.churn');
  });
});
