import type { Analysis } from '../types.js';
import { runValueBalance } from './run-value-balance.js';

/** `value-balance`: per segment, the price customers pay against the value they get; over-charged and over-served segments with their money. */
export const valueBalanceAnalysis: Analysis = {
  name: 'value-balance',
  title: 'Value balance',
  description: 'Value delivered against value captured, per segment: a customer value map with its fair-value line, over-charged and over-served segments, and their money.',
  needs: ['customers', 'transactions'],
  needsColumns: ['customer_id', 'exposure_days', 'revenue', 'fees', 'refunds', 'credits'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runValueBalance(ctx, valueBalanceAnalysis),
};
