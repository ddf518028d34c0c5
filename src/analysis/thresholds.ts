import type { CxrayConfig } from '../config/schema.js';
import { MINIMUM_CELL_COUNT } from '../stats/index.js';

/** Units a finding that claims a difference may be in; each has a practical threshold. */
export const DIFFERENCE_UNITS = {
  points: 'points',
  percentagePoints: 'percentage_points',
  standardisedDifference: 'standardised_difference',
  /** A ratio of shares (bad-revenue): its threshold is a minimum the interval's lower bound must clear, not a difference from zero. */
  concentrationRatio: 'concentration_ratio',
} as const;

/** Defaults of `thresholds` in cxray.yaml. */
export const DEFAULT_THRESHOLDS = { points: 2, percentage_points: 1, money: 1, standardised_difference: 0.1, concentration_ratio: 1.2 } as const;

/**
 * A ratio of rates (sales per day, churn hazards) is worth claiming when it
 * is at least this far from 1 either way (×1.1 or ÷1.1); checked on the log
 * scale, so more and less are treated alike. Stated in each Result's method.
 */
export const PRACTICAL_RATIO = 1.1;

/**
 * A segment's price stands off the fair-value line (value-balance) when its
 * deviation is at least this share of the overall mean price per
 * customer-month (and at least the money threshold): 10%, a gap a customer
 * notices on a bill and a price change a company would debate.
 */
export const PRACTICAL_PRICE_SHARE = 0.1;

/**
 * A comment theme is worth an alert (comments) only when it is common
 * enough to matter and costs enough NPS: mentioned in at least 2% of the
 * English comments (one comment in fifty; below that a theme is anecdote,
 * and its NPS gap moves the overall NPS by well under a point), and with
 * its whole 95% interval at least 5 NPS points below the other commenters'
 * (5 points is one respondent in twenty turning from promoter to passive
 * or passive to detractor, the least a quarter-on-quarter NPS report calls
 * a change).
 */
export const COMMENT_THEME_MIN_SHARE = 0.02;
export const COMMENT_THEME_NPS_MARGIN = 5;

/**
 * An A/B test's arm sizes are flagged as a sample ratio mismatch when the
 * χ² test of them against the planned split has p below this: 0.001, not
 * 0.05, because a real mismatch (a broken assignment, a leaking filter)
 * voids the whole readout, and the check runs on every experiment every
 * time; large tests flag even a slight real imbalance at this level
 * (Fabijan et al., KDD 2019, "Diagnosing sample ratio mismatch").
 */
export const SAMPLE_RATIO_MISMATCH_ALPHA = 0.001;

/**
 * The scorecard's margin (cxray.yaml `thresholds.scorecard_margin`): an
 * area is weak or strong only when its whole 95% interval lies at least
 * this many points (of its 0-100 score) beyond the overall. 5 points is a
 * fifth of a step on a 1-5 rating scale (one customer in five answering a
 * step lower), about a fifth of the spread of ratings between customers:
 * a small difference in Cohen's terms, and the least a manager would act on.
 */
export const DEFAULT_SCORECARD_MARGIN = 5;

/** False discovery rate controlled across each family of findings screened together. */
export const DEFAULT_FDR = 0.05;

export interface PracticalThresholds {
  fdr: number;
  /** Smallest reportable difference per unit; money is keyed by the workspace currency code. */
  byUnit: Record<string, number>;
  currency: string;
  minimumCellCount: number;
  /** Points of a 0-100 score an interval must clear beyond the overall for the scorecard to call it weak or strong. */
  scorecardMargin: number;
}

/**
 * The practical thresholds in force: cxray.yaml `thresholds`, else the
 * defaults. At a million customers every difference is "significant"; these
 * keep trivial ones out of findings (DESIGN.md, statistics rules).
 */
export function practicalThresholds(config: Pick<CxrayConfig, 'thresholds' | 'currency'>): PracticalThresholds {
  const t = config.thresholds ?? {};
  return {
    fdr: DEFAULT_FDR,
    byUnit: {
      [DIFFERENCE_UNITS.points]: t.points ?? DEFAULT_THRESHOLDS.points,
      [DIFFERENCE_UNITS.percentagePoints]: t.percentage_points ?? DEFAULT_THRESHOLDS.percentage_points,
      [DIFFERENCE_UNITS.standardisedDifference]: t.standardised_difference ?? DEFAULT_THRESHOLDS.standardised_difference,
      [DIFFERENCE_UNITS.concentrationRatio]: t.concentration_ratio ?? DEFAULT_THRESHOLDS.concentration_ratio,
      [config.currency]: t.money ?? DEFAULT_THRESHOLDS.money,
    },
    currency: config.currency,
    minimumCellCount: MINIMUM_CELL_COUNT,
    scorecardMargin: t.scorecard_margin ?? DEFAULT_SCORECARD_MARGIN,
  };
}
