import type { GammaGammaFit } from '../../stats/index.js';
import type { HistorySql } from '../lifetime-value/histories.js';
import type { ScoreSql } from '../lifetime-value/score-sql.js';
import { lifetimeValueModel } from '../lifetime-value/scores.js';
import { lifetimeSettings, type LifetimeSettings } from '../lifetime-value/settings.js';
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
 * analysis computes them (lifetimeValueModel), without the Pareto/NBD check
 * it also fits: the scores do not use it, and it takes longer than the
 * whole export. Null when no customer has a purchase history to fit.
 */
export async function lifetimeScores(ctx: AnalysisContext): Promise<LifetimeScores | null> {
  const model = await lifetimeValueModel(ctx, lifetimeSettings(ctx), { check: false });
  if (model === null) return null;
  return { settings: model.settings, histories: model.histories, gammaGamma: model.models.gammaGamma, sql: model.sql };
}
