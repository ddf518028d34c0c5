import type { Interval } from '../result.js';
import type { AnalysisContext } from '../types.js';
import type { ComponentSpec } from './components.js';
import type { Measured } from './measured.js';
import type { ComponentKey } from './settings.js';

/** How a component enters the score, and what the calibration said of it. */
export interface ComponentWeight {
  spec: ComponentSpec;
  /** Used in the score (weight not zero). */
  used: boolean;
  /** Why not used: not measured, no spread, against its expected direction; null when used. */
  leftOut: string | null;
  /** Mean and standard deviation of the component among the customers scored now. */
  centre: number;
  sd: number;
  /** Money (fitted) or score units (configured) per unit of the component; 0 when not used. */
  perUnit: number;
  /**
   * Per standard deviation of the component at the calibration date, as fitted
   * (before any sign check); null for configured weights or a component not fitted.
   */
  fitted: { estimate: number; interval: Interval; pValue: number; sdAtCalibration: number } | null;
}

/**
 * A fit score: the predicted value of a customer is `base + Σ perUnit_k ·
 * (x_k − centre_k)`, a component not measured for the customer counting at
 * its centre (as an average customer); the score maps that prediction
 * linearly onto 0-100, `low` (the 1st percentile among the customers scored)
 * to 0 and `high` (the 99th) to 100, clipped. Each component's points are
 * its term × 100 / (high − low), so the points add up to the score (before
 * clipping) with the base: the score of a customer average on everything.
 */
export interface FitModel {
  source: 'fitted' | 'configured';
  components: ComponentWeight[];
  /** Prediction for a customer at every centre: money over the calibration months (fitted) or 0 (configured). */
  base: number;
  low: number;
  high: number;
  /** Customers scored (started by the score's date, in scope). */
  scored: number;
  /** Units of the prediction: the currency over the next N months, or `standard deviations`. */
  unit: string;
}

/** The per-customer SQL of a fit model over measured components. */
export interface FitScoreExpressions {
  /** The score 0-100 (DOUBLE); only for rows meeting the measured `where`. */
  score: string;
  /** Points each used component adds (DOUBLE, may be negative). */
  points: Partial<Record<ComponentKey, string>>;
  /** The base: points of a customer average on every component. */
  basePoints: number;
  /** The unclipped sum of base and points. */
  raw: string;
}

/** Points per unit of prediction. */
export function pointsPerUnit(model: Pick<FitModel, 'low' | 'high'>): number {
  return 100 / (model.high - model.low);
}

/** The score of a customer whose unclipped points are `raw`. */
export function clipScore(raw: number): number {
  return Math.min(100, Math.max(0, raw));
}

/** SQL of the prediction `base + Σ perUnit_k · (x_k − centre_k)` (a component not measured for the customer at its centre). */
export function predictionSql(ctx: Pick<AnalysisContext, 'engine'>, model: Pick<FitModel, 'components' | 'base'>, m: Pick<Measured, 'x'>): string {
  const d = ctx.engine.dialect;
  const terms = model.components
    .filter((c) => c.used)
    .map((c) => `${d.literal(c.perUnit)} * (COALESCE(${m.x[c.spec.key]}, ${d.literal(c.centre)}) - ${d.literal(c.centre)})`);
  return `(${d.toDouble(d.literal(model.base))}${terms.map((t) => ` + ${t}`).join('')})`;
}

/** SQL of the score and its parts for the customers measured by `m`. */
export function fitScoreExpressions(ctx: Pick<AnalysisContext, 'engine'>, model: FitModel, m: Pick<Measured, 'x'>): FitScoreExpressions {
  const d = ctx.engine.dialect;
  const scale = pointsPerUnit(model);
  const points: Partial<Record<ComponentKey, string>> = {};
  for (const c of model.components.filter((x) => x.used)) {
    const factor = d.literal(c.perUnit * scale);
    const centre = d.literal(c.centre);
    points[c.spec.key] = `(${factor} * (COALESCE(${m.x[c.spec.key]}, ${centre}) - ${centre}))`;
  }
  const basePoints = (model.base - model.low) * scale;
  const terms = Object.values(points);
  const raw = `(${d.toDouble(d.literal(basePoints))}${terms.map((t) => ` + ${t}`).join('')})`;
  return { score: `least(greatest(${raw}, ${d.toDouble('0')}), ${d.toDouble('100')})`, points, basePoints, raw };
}
