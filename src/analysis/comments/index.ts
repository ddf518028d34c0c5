import type { Analysis } from '../types.js';
import { runComments } from './run-comments.js';

/** `comments`: the language, sentiment and themes of free-text comments, and each theme's impact on NPS. */
export const commentsAnalysis: Analysis = {
  name: 'comments',
  title: 'Comments',
  description: 'Themes and sentiment of free-text comments: each theme with its volume, sentiment, sample comments, experience area and impact on NPS; comments not in English counted, not scored.',
  needs: ['customers', 'survey_responses'],
  needsColumns: ['customer_id'],
  dependsOn: [],
  implemented: true,
  revision: 1,
  run: (ctx) => runComments(ctx, commentsAnalysis),
};
