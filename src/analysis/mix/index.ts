import type { Analysis } from '../types.js';
import { runMix } from './run-mix.js';

export { shareTrend, type CohortCount, type ShareTrend } from './share-trend.js';
export { parseKey, type MixSeries, type SeriesKind } from './profile-series.js';

/** `mix`: whether each new cohort drifts away from the ideal profile, and toward the misaligned segments. */
export const mixAnalysis: Analysis = {
  name: 'mix',
  title: 'Customer mix against the ideal',
  description: 'Whether each new cohort drifts away from the ideal profile: the share of each signup cohort matching its rules and the misaligned segments, the trend with its test, and the cohorts compared at equal tenure.',
  needs: ['customers', 'transactions'],
  needsColumns: ['customer_id', 'signup_at', 'cohort_quarter', 'cohort_month'],
  dependsOn: ['ideal-profile', 'misaligned'],
  implemented: true,
  revision: 1,
  run: (ctx) => runMix(ctx, mixAnalysis),
};
