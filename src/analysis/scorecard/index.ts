import type { Analysis } from '../types.js';
import { runScorecard } from './run-scorecard.js';

/** `scorecard`: experience areas and touchpoints rated strong, average or weak, with trends; importance x performance; NPS, CSAT and effort over time. */
export const scorecardAnalysis: Analysis = {
  name: 'scorecard',
  title: 'Experience scorecard',
  description: 'Experience areas and touchpoints rated strong, average or weak, with trends; importance x performance; NPS, CSAT and effort over time with control limits.',
  needs: ['customers', 'survey_responses'],
  needsColumns: ['customer_id'],
  dependsOn: ['key-drivers'],
  implemented: true,
  revision: 3,
  run: (ctx) => runScorecard(ctx, scorecardAnalysis),
};
