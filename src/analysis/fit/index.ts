import type { Analysis } from '../types.js';
import { runFit } from './run-fit.js';

export { fitScoreSql, type FitScore } from './fit-score.js';
export { explainFit, type FitExplanation } from './explain.js';
export { measuredQuery, type Measured } from './measured.js';
export { fitScoreExpressions, type FitModel, type ComponentWeight } from './fit-model.js';
export { COMPONENT_KEYS, type ComponentKey } from './settings.js';

/** `fit`: a glass-box fit score per customer (0-100), its weights, decomposition, distribution and calibration. */
export const fitAnalysis: Analysis = {
  name: 'fit',
  title: 'Customer fit',
  description: 'A fit score 0-100 per customer from value, satisfaction, cost to serve, retention and referrals, weighted by what predicted later net value; each score taken apart, calibrated.',
  needs: ['customers', 'transactions'],
  needsColumns: ['customer_id', 'net_value', 'exposure_days'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runFit(ctx, fitAnalysis),
};
