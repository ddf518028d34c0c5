import type { CxrayConfig } from '../config/schema.js';
import { MINIMUM_CELL_COUNT } from '../stats/index.js';

/** Units a finding that claims a difference may be in; each has a practical threshold. */
export const DIFFERENCE_UNITS = {
  points: 'points',
  percentagePoints: 'percentage_points',
  standardisedDifference: 'standardised_difference',
} as const;

/** Defaults of `thresholds` in cxray.yaml. */
export const DEFAULT_THRESHOLDS = { points: 2, percentage_points: 1, money: 1, standardised_difference: 0.1 } as const;

/** False discovery rate controlled across each family of findings screened together. */
export const DEFAULT_FDR = 0.05;

export interface PracticalThresholds {
  fdr: number;
  /** Smallest reportable difference per unit; money is keyed by the workspace currency code. */
  byUnit: Record<string, number>;
  currency: string;
  minimumCellCount: number;
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
      [config.currency]: t.money ?? DEFAULT_THRESHOLDS.money,
    },
    currency: config.currency,
    minimumCellCount: MINIMUM_CELL_COUNT,
  };
}
