import type { Analysis } from '../types.js';
import { runQuarterEnd } from './run-quarter-end.js';

export { quarterEndSettings, QUARTER_END_DEFAULTS, type QuarterEndSettings } from './settings.js';

/** `quarter-end`: end-of-quarter sales pushes, and the refunds and churn that follow them. */
export const quarterEndAnalysis: Analysis = {
  name: 'quarter-end',
  title: 'Quarter-end pushes',
  description: 'End-of-quarter sales pushes followed by refunds and churn: sales per day in the last days of each fiscal quarter, the early refunds, satisfaction and survival of the customers acquired then against the others, a hazard ratio, and whether the push pays.',
  needs: ['customers', 'transactions', 'status_changes'],
  needsColumns: ['customer_id', 'signup_at', 'exposure_days', 'churned'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runQuarterEnd(ctx, quarterEndAnalysis),
};
