import type { CxrayConfig } from '../../config/schema.js';

/** Defaults of cxray.yaml `quarter_end` (the schema says why each). */
export const QUARTER_END_DEFAULTS = { windowDays: 14, refundDays: 60, horizonMonths: 12 } as const;

/** An average month, in days (the one every analysis counts exposure in): tenure is counted in these from acquisition. */
export { DAYS_PER_MONTH } from '../perfect-customer/behaviours.js';

export interface QuarterEndSettings {
  /** The push: the last this many days of each fiscal quarter. */
  windowDays: number;
  /** A refund within this many days of the first purchase is early. */
  refundDays: number;
  /** Months of each customer's life over which churn's lost value is counted. */
  horizonMonths: number;
  /** First month of the fiscal year (1-12). */
  fiscalYearStartMonth: number;
}

export function quarterEndSettings(config: Pick<CxrayConfig, 'quarter_end' | 'fiscal_year_start_month'>): QuarterEndSettings {
  const q = config.quarter_end ?? {};
  return {
    windowDays: q.window_days ?? QUARTER_END_DEFAULTS.windowDays,
    refundDays: q.refund_days ?? QUARTER_END_DEFAULTS.refundDays,
    horizonMonths: q.horizon_months ?? QUARTER_END_DEFAULTS.horizonMonths,
    fiscalYearStartMonth: config.fiscal_year_start_month,
  };
}
