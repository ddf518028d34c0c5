import type { Analysis } from '../types.js';
import { runProfile } from './run-profile.js';

/** `profile`: know the customer. Needs only customers; every other table adds a section. */
export const profileAnalysis: Analysis = {
  name: 'profile',
  title: 'Know the customer',
  description: 'Who the customers are, how they reach you, how concentrated value is, what sets the best apart, and whom the survey speaks for.',
  needs: ['customers'],
  needsColumns: ['customer_id', 'tenure_days', 'cohort_quarter', 'net_value'],
  dependsOn: [],
  implemented: true,
  revision: 2,
  run: (ctx) => runProfile(ctx, profileAnalysis),
};
