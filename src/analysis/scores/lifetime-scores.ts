import { fitBgNbd, fitGammaGamma, type GammaGammaFit } from '../../stats/index.js';
import { historySql, type HistorySql } from '../lifetime-value/histories.js';
import { frequencyRows, spendRows } from '../lifetime-value/models.js';
import { buildScoreGrid, gridFunctions } from '../lifetime-value/score-grid.js';
import { lifetimeScoreSql, type ScoreSql } from '../lifetime-value/score-sql.js';
import { chooseTimeUnit, DAYS_PER_MONTH, lifetimeSettings, UNIT_DAYS, type LifetimeSettings } from '../lifetime-value/settings.js';
import { countSummaries, medianAgeDays } from '../lifetime-value/summaries.js';
import type { AnalysisContext } from '../types.js';

/** The per-customer lifetime-value SQL and what it rests on. */
export interface LifetimeScores {
  settings: LifetimeSettings;
  histories: HistorySql;
  sql: ScoreSql;
  /** Null when the spend model could not be fitted: lifetime values are then empty. */
  gammaGamma: GammaGammaFit | null;
}

/**
 * Per-customer P(alive) and lifetime value exactly as the lifetime-value
 * analysis computes them (lifetimeValueModel: the same summaries, unit,
 * BG/NBD and Gamma-Gamma fits, score grid and SQL), without the Pareto/NBD
 * check it also fits: the scores do not use it, and on up to 2,500 distinct
 * histories it takes seconds (central-difference gradients), longer than
 * the whole export. Null when no customer has a purchase history to fit.
 */
export async function lifetimeScores(ctx: AnalysisContext): Promise<LifetimeScores | null> {
  const settings = lifetimeSettings(ctx);
  const histories = historySql(ctx, settings);
  const summaries = await countSummaries(ctx, histories, settings.holdout);
  if (summaries.histories.length === 0) return null;
  const unitDays = UNIT_DAYS[chooseTimeUnit(settings, medianAgeDays(summaries.histories))];
  const bgNbd = fitBgNbd(frequencyRows(summaries.histories, unitDays));
  const spend = spendRows(summaries.spend);
  let gammaGamma: GammaGammaFit | null = null;
  try {
    gammaGamma = spend.length === 0 ? null : fitGammaGamma(spend);
  } catch {
    // As the analysis does: no spend model, so no lifetime value (P(alive) still stands).
    gammaGamma = null;
  }
  const functions = gridFunctions(bgNbd.params, unitDays, { months: settings.horizonMonths, monthlyDiscountRate: settings.monthlyDiscountRate, daysPerMonth: DAYS_PER_MONTH });
  const pairs = [...new Map(summaries.histories.map((row) => [`${row.x}|${row.TDays}`, { x: row.x, TDays: row.TDays }])).values()];
  const grid = buildScoreGrid(functions, bgNbd.params.alpha * unitDays, pairs);
  return { settings, histories, gammaGamma, sql: lifetimeScoreSql(ctx, histories, { bgNbd: bgNbd.params, gammaGamma: gammaGamma?.params ?? null, grid }) };
}
