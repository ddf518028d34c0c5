import type { Analysis } from '../types.js';
import { runReferrals } from './run-referrals.js';

/** `referrals`: who refers, whether customers refer people like themselves, who brings whom, referred customers against the others, and the referral multiplier. */
export const referralsAnalysis: Analysis = {
  name: 'referrals',
  title: 'Referral multiplier',
  description: 'Who refers, whether customers refer people like themselves (homophily, assortativity), who brings whom, referred customers against the others, and the value referrers bring.',
  needs: ['customers', 'referrals'],
  needsColumns: ['customer_id', 'referrals_made', 'referred_by', 'is_referred'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runReferrals(ctx, referralsAnalysis),
};
