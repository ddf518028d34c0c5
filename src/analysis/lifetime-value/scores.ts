import { bgNbdExpectedPurchases, bgNbdProbabilityAlive, discountedExpectedPurchases } from '../../stats/index.js';
import type { AnalysisContext } from '../types.js';
import { historySql, type HistorySql } from './histories.js';
import { fitModels, type FittedModels } from './models.js';
import { buildScoreGrid, gridFunctions, type ScoreGrid } from './score-grid.js';
import { lifetimeScoreSql, type ScoreSql } from './score-sql.js';
import { chooseTimeUnit, DAYS_PER_MONTH, lifetimeSettings, type LifetimeSettings } from './settings.js';
import { countSummaries, medianAgeDays, type HistoryRow, type Summaries } from './summaries.js';

/** One unique history (whole days) with its multiplicity and the BG/NBD expectations every customer with it shares. */
export interface ScoredHistory {
  x: number;
  txDays: number;
  TDays: number;
  count: number;
  pAlive: number;
  /** Expected repeat purchases over the horizon. */
  expectedPurchases: number;
  /** Their discounted monthly sum: the lifetime value per unit of spend per purchase. */
  discountedPurchases: number;
}

/**
 * Everything the lifetime-value models give for the customers in scope:
 * the fits, the compressed table of expectations (one row per unique
 * (x, tₓ, T)), and the same per customer as SQL (`sql`), to be joined to
 * customer_facts so that per-customer values are aggregated, ranked or
 * exported in the engine (`fit`, `export scores`).
 *
 * @example
 * const model = await lifetimeValueModel(ctx);
 * if (model !== null) {
 *   const sql = scopeSelect(ctx, { items: [`avg(_lv) AS _mean`], join: model.sql.join, where: [model.sql.scored] });
 *   await scopeQuery(ctx, sql, model.histories.values);
 * }
 */
export interface LifetimeValueModel {
  settings: LifetimeSettings;
  histories: HistorySql;
  summaries: Summaries;
  models: FittedModels;
  grid: ScoreGrid;
  table: ScoredHistory[];
  sql: ScoreSql;
}

/** The expectations of each unique history, exactly (no grid). */
export function scoreHistories(models: Pick<FittedModels, 'bgNbd' | 'unitDays'>, rows: readonly Omit<HistoryRow, 'holdout'>[], settings: Pick<LifetimeSettings, 'horizonMonths' | 'monthlyDiscountRate'>): ScoredHistory[] {
  const { unitDays } = models;
  const params = models.bgNbd.params;
  const t = (settings.horizonMonths * DAYS_PER_MONTH) / unitDays;
  const horizon = { months: settings.horizonMonths, monthlyDiscountRate: settings.monthlyDiscountRate, periodsPerMonth: DAYS_PER_MONTH / unitDays };
  return rows.map((row) => {
    const history = { x: row.x, tx: row.txDays / unitDays, T: row.TDays / unitDays };
    return {
      x: row.x,
      txDays: row.txDays,
      TDays: row.TDays,
      count: row.count,
      pAlive: bgNbdProbabilityAlive(params, history),
      expectedPurchases: bgNbdExpectedPurchases(params, t, history),
      discountedPurchases: discountedExpectedPurchases((s) => bgNbdExpectedPurchases(params, s, history), horizon),
    };
  });
}

/** Merges histories that differ only in holdout purchases. */
function withoutHoldout(rows: readonly HistoryRow[]): Omit<HistoryRow, 'holdout'>[] {
  const merged = new Map<string, Omit<HistoryRow, 'holdout'>>();
  for (const { x, txDays, TDays, count } of rows) {
    const key = `${x}|${txDays}|${TDays}`;
    const row = merged.get(key);
    if (row === undefined) merged.set(key, { x, txDays, TDays, count });
    else row.count += count;
  }
  return [...merged.values()];
}

/**
 * Counts the summaries for the customers in scope, fits the models, and
 * builds the per-customer SQL; null when no customer in scope has a purchase
 * history to fit (no purchase by the end of calibration, or only on its last day).
 * `check: false` skips the Pareto/NBD check (seconds of numerical gradients
 * on a few thousand histories), for callers that only use the scores.
 */
export async function lifetimeValueModel(ctx: AnalysisContext, settings: LifetimeSettings = lifetimeSettings(ctx), options: { check?: boolean } = {}): Promise<LifetimeValueModel | null> {
  const histories = historySql(ctx, settings);
  const summaries = await countSummaries(ctx, histories, settings.holdout);
  if (summaries.histories.length === 0) return null;
  const unit = chooseTimeUnit(settings, medianAgeDays(summaries.histories));
  const models = fitModels(summaries.histories, summaries.spend, unit, settings.horizonMonths, options.check ?? true);
  const unique = withoutHoldout(summaries.histories);
  const table = scoreHistories(models, unique, settings);
  const functions = gridFunctions(models.bgNbd.params, models.unitDays, { months: settings.horizonMonths, monthlyDiscountRate: settings.monthlyDiscountRate, daysPerMonth: DAYS_PER_MONTH });
  const pairs = [...new Map(unique.map((row) => [`${row.x}|${row.TDays}`, { x: row.x, TDays: row.TDays }])).values()];
  const grid = buildScoreGrid(functions, models.bgNbd.params.alpha * models.unitDays, pairs);
  const gg = models.gammaGamma === null ? null : models.gammaGamma.params;
  const sql = lifetimeScoreSql(ctx, histories, { bgNbd: models.bgNbd.params, gammaGamma: gg, grid });
  return { settings, histories, summaries, models, grid, table, sql };
}
