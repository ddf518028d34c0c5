import type { Analysis } from '../types.js';
import { runLifetimeValue } from './run-lifetime-value.js';

export { runLifetimeValue } from './run-lifetime-value.js';
export { lifetimeValueModel, scoreHistories, type LifetimeValueModel, type ScoredHistory } from './scores.js';
export { lifetimeScoreSql, S as SCORE_COLUMNS, type ScoreSql } from './score-sql.js';
export { historySql, type HistorySql } from './histories.js';
export { lifetimeSettings, type LifetimeSettings } from './settings.js';

/** `lifetime-value`: BG/NBD, Pareto/NBD and Gamma-Gamma on the purchase histories, a holdout check, and sBG for subscriptions. */
export const lifetimeValueAnalysis: Analysis = {
  name: 'lifetime-value',
  title: 'Lifetime value',
  description: 'Predicted purchases, P(alive) and discounted lifetime value per customer (BG/NBD, Gamma-Gamma), a holdout check, and subscription survival (sBG).',
  needs: ['customers', 'transactions'],
  needsColumns: ['customer_id', 'first_purchase_at', 'frequency', 'recency_days', 'age_days'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runLifetimeValue(ctx, lifetimeValueAnalysis),
};
