import { screen } from '../../stats/index.js';
import { PRACTICAL_RATIO, DIFFERENCE_UNITS, type PracticalThresholds } from '../thresholds.js';
import type { HazardModel } from './hazard-model.js';
import type { IntakeComparison } from './intake-model.js';
import type { RefundComparison, SatisfactionComparison } from './outcome-comparisons.js';

export type ClaimKey = 'intake' | 'revenue' | 'refunds' | 'nps' | 'csat' | 'churn';

/** One difference the analysis may claim, screened with the others. */
export interface Claim {
  key: ClaimKey;
  pValue: number;
  qValue: number;
  passes: boolean;
}

const LOG_RATIO = 'log_ratio';

/**
 * The claims of one run, screened together (Benjamini-Hochberg at the FDR
 * over the six, then the practical threshold of each one's unit): sales
 * per day (new customers, revenue) and the hazard ratio on the log scale
 * against log 1.1 (a ratio of at least 1.1 or at most 1/1.1), the refund
 * difference in percentage points, NPS in points, CSAT as a standardised
 * difference (its scales vary, 1-5 or 1-7, so points do not compare).
 */
export function screenClaims(
  parts: { intake: IntakeComparison | null; revenue: IntakeComparison | null; refunds: RefundComparison | null; satisfaction: readonly SatisfactionComparison[]; hazard: HazardModel | null },
  thresholds: PracticalThresholds,
): Map<ClaimKey, Claim> {
  const items: { key: ClaimKey; estimate: number; unit: string; pValue: number }[] = [];
  if (parts.intake !== null) items.push({ key: 'intake', estimate: parts.intake.ratio.estimate, unit: LOG_RATIO, pValue: parts.intake.ratio.pValue });
  if (parts.revenue !== null) items.push({ key: 'revenue', estimate: parts.revenue.ratio.estimate, unit: LOG_RATIO, pValue: parts.revenue.ratio.pValue });
  if (parts.refunds !== null) items.push({ key: 'refunds', estimate: parts.refunds.difference.estimate * 100, unit: DIFFERENCE_UNITS.percentagePoints, pValue: parts.refunds.difference.pValue });
  for (const s of parts.satisfaction) {
    items.push(
      s.instrument === 'nps'
        ? { key: 'nps', estimate: s.difference.estimate, unit: DIFFERENCE_UNITS.points, pValue: s.difference.pValue }
        : { key: 'csat', estimate: s.standardised, unit: DIFFERENCE_UNITS.standardisedDifference, pValue: s.difference.pValue },
    );
  }
  if (parts.hazard !== null) items.push({ key: 'churn', estimate: parts.hazard.adjusted.estimate, unit: LOG_RATIO, pValue: parts.hazard.adjusted.pValue });
  const screened = screen(items, {
    alpha: thresholds.fdr,
    practicalThreshold: { ...thresholds.byUnit, [LOG_RATIO]: Math.log(PRACTICAL_RATIO) },
  });
  return new Map(screened.map((s) => [s.key, { key: s.key, pValue: s.pValue, qValue: s.qValue, passes: s.passes }]));
}
