import type { Analysis } from '../types.js';
import { runValue } from './run-value.js';

/** `value`: net value per customer and per customer-month, every part shown, by segment, and who costs more than they bring. */
export const valueAnalysis: Analysis = {
  name: 'value',
  title: 'Value per customer',
  description: 'Net value per customer and per customer-month (revenue, fees, refunds, credits, cost of goods, cost to serve by channel), by segment, and the customers who cost more than they bring.',
  needs: ['customers', 'transactions'],
  needsColumns: ['customer_id', 'net_value', 'exposure_days'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runValue(ctx, valueAnalysis),
};
