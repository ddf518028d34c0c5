import { satisfactionMeasure, type SatisfactionMeasure } from '../perfect-customer/satisfaction.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { valueKnowledge } from '../value/knowledge.js';
import { words } from '../wording.js';
import { calibrateWeights, componentMoments, CUSTOMERS_PER_WEIGHT, MINIMUM_CALIBRATION_CUSTOMERS, type Calibration, type Moments } from './calibrate.js';
import { componentSpecs, type ComponentSpec } from './components.js';
import { fitScoreExpressions, predictionSql, type ComponentWeight, type FitModel, type FitScoreExpressions } from './fit-model.js';
import { measuredAt, measuredQuery, type MeasureDate, type Measured } from './measured.js';
import { fitSettings, monthsBefore, type FitSettings } from './settings.js';

/**
 * Everything the fit score of the customers in scope is made of: the model
 * (components, weights, scale), the per-customer SQL (`expressions` over
 * `measured`, for scopeSelect with `measured.join` and `measured.where`), and
 * the calibration behind the weights when they were fitted.
 *
 * @example
 * const fit = await fitScoreSql(ctx);
 * const sql = scopeSelect(ctx, { items: [`avg(${fit.expressions.score}) AS _mean`], ...(fit.measured.join === null ? {} : { join: fit.measured.join }), where: fit.measured.where });
 * await measuredQuery(ctx, fit.measured, sql);
 */
export interface FitScore {
  settings: FitSettings;
  measure: SatisfactionMeasure | null;
  specs: ComponentSpec[];
  model: FitModel;
  measured: Measured;
  expressions: FitScoreExpressions;
  /** The score's date: null for as_of (customer_facts), else the period's end. */
  scoredAt: Date | null;
  /** The calibration date and what was fitted there; null when the weights are configured. */
  calibration: { at: Date; measured: Measured; result: Calibration } | null;
  /** Why the weights are configured rather than fitted, in words; null when fitted. */
  configuredBecause: string | null;
  momentsNow: Moments;
}

/** The instant after as_of, or the period's end when earlier. */
function historyEnd(ctx: AnalysisContext): Date {
  const asOfEnd = new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000);
  const end = ctx.period?.end;
  return end !== undefined && end.getTime() < asOfEnd.getTime() ? end : asOfEnd;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first instant of the day before `date`, as a YYYY-MM-DD (the last day counted before it). */
export function lastDayBefore(date: Date): string {
  return day(new Date(date.getTime() - 86_400_000));
}

async function scale(ctx: AnalysisContext, measured: Measured, model: Pick<FitModel, 'components' | 'base'>): Promise<{ low: number; high: number }> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const prediction = predictionSql(ctx, model, measured);
  const sql = scopeSelect(ctx, {
    items: [`${d.quantileExact(prediction, 0.01)} AS ${q('_lo')}`, `${d.quantileExact(prediction, 0.99)} AS ${q('_hi')}`],
    ...(measured.join === null ? {} : { join: measured.join }),
    where: measured.where,
  });
  const [row] = await measuredQuery(ctx, measured, sql);
  const low = numberOf(row?.['_lo']) ?? 0;
  const high = numberOf(row?.['_hi']) ?? 0;
  // Everyone predicted alike (no component varies): a unit-wide scale keeps the score defined (everyone at the base).
  return high - low > 1e-9 * Math.max(1, Math.abs(low)) ? { low, high } : { low: low - 0.5, high: low + 0.5 };
}

function configuredWeights(specs: readonly ComponentSpec[], now: Moments, settings: FitSettings): { components: ComponentWeight[]; base: number } {
  const components = specs.map((spec): ComponentWeight => {
    const m = now.byComponent[spec.key];
    const importance = settings.weights[spec.key];
    const leftOut = spec.missing !== null ? `not measured: ${spec.missing}` : m.sd === 0 ? 'the same for every customer scored' : importance === 0 ? 'given no weight in cxray.yaml' : null;
    return { spec, used: leftOut === null, leftOut, centre: m.mean, sd: m.sd, perUnit: leftOut === null ? (spec.expectedSign * importance) / m.sd : 0, fitted: null };
  });
  return { components, base: 0 };
}

function fittedWeights(calibration: Calibration, now: Moments): { components: ComponentWeight[]; base: number } {
  let base = calibration.intercept;
  const components = calibration.components.map((c): ComponentWeight => {
    const m = now.byComponent[c.spec.key];
    const perUnit = c.leftOut === null && c.moments.sd > 0 ? c.perSd / c.moments.sd : 0;
    base += perUnit * (m.mean - c.moments.mean);
    const u = c.unconstrained;
    return {
      spec: c.spec,
      used: c.leftOut === null && perUnit !== 0,
      leftOut: c.leftOut,
      centre: m.mean,
      sd: m.sd,
      perUnit,
      fitted: u === null ? null : { estimate: u.estimate, interval: u.interval, pValue: u.pValue, sdAtCalibration: c.moments.sd },
    };
  });
  return { components, base };
}

/**
 * The fit score of the customers in scope as SQL (see FitScore). Weights are
 * fitted to the net value customers brought over the `calibration_months`
 * after a calibration date that many months before the end of the history
 * (as_of, or the period's end), when enough customers had started by then;
 * else the configured importances of cxray.yaml `fit.weights` (default 1
 * each, per standard deviation), said in `configuredBecause`. With a period,
 * components count only the events inside it.
 */
export async function fitScoreSql(ctx: AnalysisContext): Promise<FitScore> {
  const settings = fitSettings(ctx);
  const measure = await satisfactionMeasure(ctx, new SqlValues(ctx.engine, 'fs'));
  const knowledge = await valueKnowledge(ctx);
  const specs = componentSpecs(ctx, measure, knowledge);
  const end = historyEnd(ctx);
  const historyStart = ctx.period?.start ?? null;
  const scoreDate: MeasureDate = ctx.period === null ? { kind: 'now' } : { kind: 'date', at: end, historyStart, forwardEnd: null };
  const measured = await measuredAt(ctx, measure, scoreDate, 'fn');
  const momentsNow = await componentMoments(ctx, measured, specs);

  const at = monthsBefore(end, settings.calibrationMonths);
  const available = specs.filter((s) => s.missing === null).length;
  const needed = Math.max(MINIMUM_CALIBRATION_CUSTOMERS, CUSTOMERS_PER_WEIGHT * (available + 1));
  let calibration: FitScore['calibration'] = null;
  let configuredBecause: string | null = null;
  if (settings.weightsSource === 'configured') configuredBecause = 'cxray.yaml sets fit.weights_source: configured';
  else if (historyStart !== null && at.getTime() <= historyStart.getTime()) {
    configuredBecause = `the period starts after the calibration date (${day(at)}, ${settings.calibrationMonths} months before its end), so no customer has history before it and a following ${settings.calibrationMonths} months inside it`;
  } else {
    const calMeasured = await measuredAt(ctx, measure, { kind: 'date', at, historyStart, forwardEnd: end }, 'fc');
    const calMoments = await componentMoments(ctx, calMeasured, specs);
    if (calMoments.customers < needed) {
      configuredBecause = `only ${words.count(calMoments.customers)} customers in scope had started by ${lastDayBefore(at)} (${settings.calibrationMonths} months before the end of the history); fitting ${available} weights needs at least ${words.count(needed)}`;
    } else {
      const result = await calibrateWeights(ctx, calMeasured, specs, calMoments);
      if (result.components.every((c) => c.leftOut !== null)) {
        configuredBecause = `no component predicted the following ${settings.calibrationMonths} months' net value in its expected direction`;
      } else {
        calibration = { at, measured: calMeasured, result };
      }
    }
  }
  const weights = calibration === null ? configuredWeights(specs, momentsNow, settings) : fittedWeights(calibration.result, momentsNow);
  const range = await scale(ctx, measured, weights);
  const model: FitModel = {
    source: calibration === null ? 'configured' : 'fitted',
    components: weights.components,
    base: weights.base,
    low: range.low,
    high: range.high,
    scored: momentsNow.customers,
    unit: calibration === null ? 'standard deviations' : `${ctx.config.currency} over ${settings.calibrationMonths} months`,
  };
  return {
    settings,
    measure,
    specs,
    model,
    measured,
    expressions: fitScoreExpressions(ctx, model, measured),
    scoredAt: ctx.period === null ? null : end,
    calibration,
    configuredBecause,
    momentsNow,
  };
}
