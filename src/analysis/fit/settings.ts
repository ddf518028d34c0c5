import type { AnalysisContext } from '../types.js';

/** The components of the fit score, in the order they are shown. */
export const COMPONENT_KEYS = ['value', 'satisfaction', 'cost_to_serve', 'retention', 'referrals'] as const;

export type ComponentKey = (typeof COMPONENT_KEYS)[number];

export interface FitSettings {
  /** Months between the calibration date and the end of the history (default 12). */
  calibrationMonths: number;
  /** Importance per component when weights are configured, not fitted (default 1 each). */
  weights: Record<ComponentKey, number>;
  /** `configured`: never fit the weights, use `weights`. */
  weightsSource: 'fitted' | 'configured';
  /** Attributes the ideal profile's rules may use; null: every one known at acquisition but a price tier. */
  ruleAttributes: string[] | null;
}

/** cxray.yaml `fit` with its defaults. */
export function fitSettings(ctx: Pick<AnalysisContext, 'config'>): FitSettings {
  const declared = ctx.config.fit ?? {};
  const w = declared.weights ?? {};
  return {
    calibrationMonths: declared.calibration_months ?? 12,
    weights: {
      value: w.value ?? 1,
      satisfaction: w.satisfaction ?? 1,
      cost_to_serve: w.cost_to_serve ?? 1,
      retention: w.retention ?? 1,
      referrals: w.referrals ?? 1,
    },
    weightsSource: declared.weights_source ?? 'fitted',
    ruleAttributes: declared.rule_attributes ?? null,
  };
}

/** The first instant of the UTC day `months` calendar months before `end` (day of month clamped to the month's last). */
export function monthsBefore(end: Date, months: number): Date {
  const y = end.getUTCFullYear();
  const m = end.getUTCMonth() - months;
  const first = new Date(Date.UTC(y, m, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(end.getUTCDate(), last)));
}
