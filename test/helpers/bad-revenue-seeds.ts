import { expect } from 'vitest';
import type { Result } from '../../src/analysis/result.js';
import type { Truth } from '../../src/simulate/truth.js';

// Issue 7's bad-revenue check over 10 seeds of a 20k-customer simulated
// company (imported once per seed with the other issues' checks). Planted
// (truth.json fees): overage_fee falls on unhappy customers (concentration
// 1.5); late_fee and paper_bill_fee are charged independently of
// satisfaction (1.0). Each criterion must hold in at least 9 of the 10 seeds:
// - unfair: the overage_fee line alerts (its one-sided test passes the
//   false discovery rate across lines and its 95% lower bound is above the
//   1.2 threshold);
// - fair: neither late_fee nor paper_bill_fee alerts;
// - realised: every fee's ratio is the truth's realised one within 0.005
//   (the same definition: fee revenue by the customer's latest NPS class,
//   over the detractors' share of customers whose class is known; only a
//   quarantined payment row could separate them), so the analysis measures
//   what was planted, not something near it.
// Each seed's ratios, intervals and verdicts are printed.

/** The analysis this check reads, run with the others in one analyze call. */
export const BAD_REVENUE_ANALYSIS = 'bad-revenue' as const;

const REALISED_TOLERANCE = 0.005;

export interface BadRevenueOutcome {
  seed: number;
  unfair: boolean;
  fair: boolean;
  realised: boolean;
  fees: { fee: string; ratio: number | null; lower: number | null; upper: number | null; status: string; realised: number; planted: number }[];
  detail: string[];
}

export function badRevenueOutcome(seed: number, truth: Truth, result: Result | undefined): BadRevenueOutcome {
  const detail: string[] = [];
  if (result?.status !== 'ok') detail.push(`bad-revenue ${result?.status ?? 'missing'}: ${result?.reason ?? ''}`);
  const table = result?.tables.find((t) => t.name === 'bad_revenue_detractors');
  const rows = (table?.rows ?? []).map((r) => Object.fromEntries((table?.columns ?? []).map((c, i) => [c.name, r[i]])));
  const num = (x: unknown): number | null => (typeof x === 'number' ? x : null);
  const fees = truth.fees.map((f) => {
    const row = rows.find((r) => r['key'] === `fee:${f.chargeType}`);
    return {
      fee: f.chargeType,
      ratio: num(row?.['ratio']),
      lower: num(row?.['lower']),
      upper: num(row?.['upper']),
      status: String(row?.['status'] ?? 'missing'),
      realised: f.realised.concentrationRatio,
      planted: f.planted.concentrationRatio,
    };
  });
  const unfair = fees.filter((f) => f.planted > 1).every((f) => f.status === 'alert') && fees.some((f) => f.planted > 1);
  const fair = fees.filter((f) => f.planted === 1).every((f) => f.status !== 'alert' && f.status !== 'missing');
  const realised = fees.every((f) => f.ratio !== null && Math.abs(f.ratio - f.realised) <= REALISED_TOLERANCE);
  if (!unfair) detail.push('the planted unfair fee is not flagged');
  if (!fair) detail.push(`a fair fee is flagged or missing: ${fees.filter((f) => f.planted === 1).map((f) => `${f.fee} ${f.status}`).join(', ')}`);
  if (!realised) detail.push('a ratio differs from the realised one');
  return { seed, unfair, fair, realised, fees, detail };
}

/** Issue 7's bad-revenue criteria over all seeds' outcomes. */
export function checkBadRevenueOutcomes(outcomes: readonly BadRevenueOutcome[]): void {
  const f = (x: number | null): string => (x === null ? 'none' : x.toFixed(3));
  const report = outcomes
    .map((o) => `seed ${o.seed}: unfair ${o.unfair}, fair ${o.fair}, realised ${o.realised}${o.detail.length === 0 ? '' : ` (${o.detail.join('; ')})`}\n  ${o.fees.map((x) => `${x.fee} ${f(x.ratio)} [${f(x.lower)}, ${f(x.upper)}] ${x.status} (realised ${x.realised}, planted ${x.planted})`).join('\n  ')}`)
    .join('\n');
  process.stderr.write(`${report}\n`);
  for (const criterion of ['unfair', 'fair', 'realised'] as const) {
    expect(outcomes.filter((o) => o[criterion]).length, `${criterion}\n${report}`).toBeGreaterThanOrEqual(9);
  }
}
