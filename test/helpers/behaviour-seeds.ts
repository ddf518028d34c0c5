import { expect } from 'vitest';
import type { Result } from '../../src/analysis/result.js';
import type { Truth } from '../../src/simulate/truth.js';

// Issue 5 over 10 seeds of a 20k-customer simulated company, each imported
// from the config `init` wrote plus the company's cost of an agent-minute.
// Each criterion must hold in at least 9 of the 10 seeds (a 95% interval
// misses its target in 1 of 20 by design):
// - savings: for autopay, paperless billing and self-service, the 95%
//   interval of the handling cost saved per customer-month (adopters against
//   comparable non-adopters) covers the planted saving (truth.json
//   behaviours[].planted.savingPerCustomerMonth: the model's expected saving,
//   not a figure of these data);
// - satisfaction links: self-service (planted shift 0.3) is reported as a
//   satisfaction difference past FDR and the practical threshold, autopay and
//   paperless billing (planted shift 0) are not;
// - driver weights: the 95% intervals of the areas' shares of explained
//   variance cover the shares truth.json derives from the planted covariance
//   on the scales the survey records (drivers.planted.observedScale: rounding
//   ratings to 1-5 and NPS to 0-10 weakens correlations unevenly, so the
//   latent model's own weights are out of any estimator's reach), at most one
//   of the 8 missing per seed (with 8 intervals at 95%, two or more miss in
//   5.7% of seeds), and at least 70 of all 80 covering (expected 76; 70 is
//   3 binomial standard errors below).
// Each seed's outcome is printed, so a miss says which seed and which number.

export interface BehaviourOutcome {
  seed: number;
  savings: boolean;
  links: boolean;
  weights: boolean;
  /** Areas whose interval covers the observed-scale planted share. */
  covered: number;
  detail: string[];
}

function rows(result: Result | undefined, table: string): Record<string, unknown>[] {
  const t = result?.tables.find((x) => x.name === table);
  return (t?.rows ?? []).map((r) => Object.fromEntries((t?.columns ?? []).map((c, i) => [c.name, r[i]])));
}

export function behaviourOutcome(seed: number, truth: Truth, pc: Result | undefined, kd: Result | undefined): BehaviourOutcome {
  const detail: string[] = [];
  const components = rows(pc, 'value_components');
  let savings = true;
  for (const b of truth.behaviours) {
    const row = components.find((r) => r['behaviour'] === b.name && r['component'] === 'handling');
    const lower = -(row?.['upper'] as number);
    const upper = -(row?.['lower'] as number);
    const covered = lower <= b.planted.savingPerCustomerMonth && b.planted.savingPerCustomerMonth <= upper;
    if (!covered) detail.push(`${b.name} saving ${b.planted.savingPerCustomerMonth} outside [${lower.toFixed(3)}, ${upper.toFixed(3)}]`);
    savings &&= covered;
  }
  const passing = new Set(pc?.findings.filter((f) => f.code.startsWith('perfect_customer.satisfaction.') && f.severity === 'medium').map((f) => f.code.split('.')[2]));
  let links = true;
  for (const b of truth.behaviours) {
    const expected = b.planted.satisfactionShift !== 0;
    if (passing.has(b.name) !== expected) {
      links = false;
      detail.push(`${b.name}: satisfaction link ${passing.has(b.name) ? 'reported' : 'missed'} (planted shift ${b.planted.satisfactionShift})`);
    }
  }
  const drivers = rows(kd, 'satisfaction_drivers');
  let covered = 0;
  for (const area of truth.drivers.areas) {
    const row = drivers.find((r) => r['label'] === area.label);
    const planted = truth.drivers.planted.observedScale.relativeWeightShares[area.key] ?? Number.NaN;
    const inside = (row?.['share_lower'] as number) <= planted && planted <= (row?.['share_upper'] as number);
    if (inside) covered += 1;
    else detail.push(`${area.key} share ${planted} outside [${(row?.['share_lower'] as number)?.toFixed(4)}, ${(row?.['share_upper'] as number)?.toFixed(4)}]`);
  }
  const weights = drivers.length === truth.drivers.areas.length && covered >= truth.drivers.areas.length - 1;
  return { seed, savings, links, weights, covered, detail };
}


/** Issue 5's criteria over all seeds' outcomes. */
export function checkBehaviourOutcomes(outcomes: readonly BehaviourOutcome[]): void {
  const report = outcomes.map((o) => `seed ${o.seed}: savings ${o.savings}, links ${o.links}, weights ${o.weights} (${o.covered}/8)${o.detail.length === 0 ? '' : ` (${o.detail.join('; ')})`}`).join('\n');
  process.stderr.write(`${report}\n`);
  for (const criterion of ['savings', 'links', 'weights'] as const) {
    expect(outcomes.filter((o) => o[criterion]).length, `${criterion}\n${report}`).toBeGreaterThanOrEqual(9);
  }
  expect(outcomes.reduce((s, o) => s + o.covered, 0), `area intervals covering\n${report}`).toBeGreaterThanOrEqual(70);
}
