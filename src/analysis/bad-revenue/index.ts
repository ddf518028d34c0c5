import type { Analysis } from '../types.js';
import { runBadRevenue } from './run-bad-revenue.js';

/** `bad-revenue`: revenue lines that come disproportionately from dissatisfied customers, with the money above their share. */
export const badRevenueAnalysis: Analysis = {
  name: 'bad-revenue',
  title: 'Bad revenue',
  description: 'Fees, penalties and products whose revenue comes disproportionately from dissatisfied customers, with the money above their share.',
  needs: ['customers', 'transactions'],
  needsColumns: ['customer_id'],
  dependsOn: [],
  implemented: true,
  revision: 2,
  run: (ctx) => runBadRevenue(ctx, badRevenueAnalysis),
};
