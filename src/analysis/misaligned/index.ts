import type { Analysis } from '../types.js';
import { runMisaligned } from './run-misaligned.js';

/** `misaligned`: segments known at acquisition that cost more than they bring and are less satisfied, with the money at stake. */
export const misalignedAnalysis: Analysis = {
  name: 'misaligned',
  title: 'Misaligned segments',
  description: 'Segments that cost more than they bring and are less satisfied than the overall, with the money and customers at stake.',
  needs: ['customers', 'transactions', 'survey_responses'],
  needsColumns: ['customer_id', 'net_value', 'exposure_days'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runMisaligned(ctx, misalignedAnalysis),
};
