import { expect } from 'vitest';
import type { AnalysisName } from '../../src/analysis/names.js';
import type { Result } from '../../src/analysis/result.js';
import { simulatedChange } from '../../src/simulate/index.js';
import type { Truth } from '../../src/simulate/truth.js';
import type { Workspace } from '../../src/workspace/workspace.js';

// Issue 8's criterion for the measured effect of a change, over 10 seeds of
// a 20k-customer simulated company: in at least 9 of the 10, the planted
// intervention's +3 NPS points (truth.json intervention.effectNpsPoints:
// src/simulate/simulate-company.ts INTERVENTION, exactly 3% of North's
// answers after the date moved one class up) lie inside the 95% interval of
// the changes analysis's difference-in-differences, the change stored
// through the Workspace API as `cxray changes add` does (seed-company.ts
// recordSeedChange), with the default windows (6 months either side).
// No tolerance is added to the interval: it covers +3 in about 95% of seeds,
// so 9 of 10 fails by chance in about 9% of runs when the estimator is right.
// Also recorded, for the report only: the realised whole-history DiD of
// truth.json against the planted +3, and the A/B test's hazard ratio
// against the planted 0.8.

/** The analysis issue 8's changes seed check reads, run with the others in one analyze call. */
export const CHANGES_ANALYSIS: AnalysisName = 'changes';

/** The simulator's A/B test, declared in the seed companies' cxray.yaml (seed-company.ts appends it). */
export const EXPERIMENT_SEED_YAML = '\n# the simulator\'s A/B test (truth.json experiment)\nexperiments:\n  retention_outreach: {label: Proactive retention outreach, attribute: experiment_group, control: control, treatment: treatment, metrics: [churn]}\n';

/** Stores the planted intervention as a change, through the Workspace API (as `cxray changes add` does). */
export async function recordSeedChange(ws: Workspace, truth: Truth): Promise<void> {
  const { name, date, segment } = simulatedChange(truth);
  await ws.addChange({ name, date, segment });
}

export interface ChangesOutcome {
  seed: number;
  /** The planted +3 lies in the 95% interval. */
  covered: boolean;
  numbers: string;
  detail: string[];
}

function rows(result: Result | undefined, table: string): Record<string, unknown>[] {
  const t = result?.tables.find((x) => x.name === table);
  return (t?.rows ?? []).map((r) => Object.fromEntries((t?.columns ?? []).map((c, i) => [c.name, r[i]])));
}

const fmt = (x: unknown, digits = 2): string => (typeof x === 'number' ? x.toFixed(digits) : String(x));

export function changesOutcome(seed: number, truth: Truth, result: Result | undefined): ChangesOutcome {
  const detail: string[] = [];
  if (result?.status !== 'ok') detail.push(`changes ${result?.status ?? 'missing'}: ${result?.reason ?? ''}`);
  const iv = truth.intervention;
  const nps = rows(result, 'change_effects').find((r) => r['change'] === iv.name && r['measure'] === 'nps') ?? {};
  const lower = nps['lower'];
  const upper = nps['upper'];
  const covered = typeof lower === 'number' && typeof upper === 'number' && lower <= iv.effectNpsPoints && iv.effectNpsPoints <= upper;
  if (!covered) detail.push(`NPS DiD ${fmt(nps['effect'])} [${fmt(lower)}, ${fmt(upper)}] misses the planted +${iv.effectNpsPoints}`);
  const hazard = rows(result, 'experiment_effects').find((r) => r['measure'] === 'churn') ?? {};
  const numbers =
    `NPS DiD ${fmt(nps['effect'])} [${fmt(lower)}, ${fmt(upper)}] (pre-trend p ${fmt(nps['pre_trend_p'])}; realised whole-history ${iv.realised.differenceInDifferences.toFixed(2)} ± ${iv.realised.standardError.toFixed(2)}), ` +
    `A/B hazard ratio ${fmt(hazard['effect'], 3)} [${fmt(hazard['lower'], 3)}, ${fmt(hazard['upper'], 3)}] (planted ${truth.experiment.planted.churnHazardRatio})`;
  return { seed, covered, numbers, detail };
}

/** Issue 8's changes criterion over all seeds' outcomes. */
export function checkChangesOutcomes(outcomes: readonly ChangesOutcome[]): void {
  const report = outcomes.map((o) => `seed ${o.seed}: covered ${o.covered}: ${o.numbers}${o.detail.length === 0 ? '' : ` (${o.detail.join('; ')})`}`).join('\n');
  process.stderr.write(`changes over the seeds:\n${report}\n`);
  expect(outcomes.filter((o) => o.covered).length, `the intervention's +3 NPS points inside the interval\n${report}`).toBeGreaterThanOrEqual(9);
}
