import type { Analysis } from '../types.js';
import { runPerfectCustomer } from './run-perfect-customer.js';

/** `perfect-customer`: behaviours that save or earn money, their links to satisfaction and retention, and the Perfect Customer Index. */
export const perfectCustomerAnalysis: Analysis = {
  name: 'perfect-customer',
  title: 'The perfect customer',
  description: 'Behaviours that save or earn money, whether adopters are more satisfied and stay longer, a Perfect Customer Index, and the money at stake if adoption rose.',
  needs: ['customers'],
  needsColumns: ['customer_id', 'exposure_days'],
  dependsOn: [],
  implemented: true,
  revision: 5,
  run: (ctx) => runPerfectCustomer(ctx, perfectCustomerAnalysis),
};
