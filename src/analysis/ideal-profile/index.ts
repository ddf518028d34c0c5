import type { Analysis } from '../types.js';
import { runIdealProfile } from './run-ideal-profile.js';

export { searchRules, halfSql, type ScoreSource, type SearchOptions, type FoundRule } from './search.js';
export { validateRules, type ValidatedRule } from './holdout.js';
export { ruleSql, ruleText, type Rule } from './rule.js';

/** `ideal-profile`: the ideal customer as readable rules over attributes known at acquisition, checked on held-out customers. */
export const idealProfileAnalysis: Analysis = {
  name: 'ideal-profile',
  title: 'Ideal customer profile',
  description: 'The ideal customer as a short list of rules on attributes known at acquisition, found on the fit score and checked on held-out customers, with what those customers value.',
  needs: ['customers', 'transactions'],
  needsColumns: ['customer_id', 'net_value', 'exposure_days'],
  dependsOn: ['fit'],
  implemented: true,
  revision: 1,
  run: (ctx) => runIdealProfile(ctx, idealProfileAnalysis),
};
