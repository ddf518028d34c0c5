import type { Analysis } from '../types.js';
import { runFeeAftermath } from './run-fee-aftermath.js';

/** `fee-aftermath`: churn and satisfaction in the 90 days after a first fee, against comparable customers without it at that date. */
export const feeAftermathAnalysis: Analysis = {
  name: 'fee-aftermath',
  title: 'Fee aftermath',
  description: 'What follows a first fee: churn and satisfaction in the next 90 days against comparable customers still without it (risk-set matching by week, segment, tenure and value).',
  needs: ['customers', 'transactions', 'status_changes'],
  needsColumns: ['customer_id'],
  dependsOn: ['bad-revenue'],
  implemented: true,
  revision: 1,
  run: (ctx) => runFeeAftermath(ctx, feeAftermathAnalysis),
};
