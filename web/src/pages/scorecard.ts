import { commentThemes } from '../comment-themes.js';
import { findingOf, headlineCards } from '../findings-view.js';
import { loadResults, okResult, type PageContext } from '../page-context.js';
import { filterProblem, pageHeader } from '../page-frame.js';
import { resultSection } from '../result-section.js';

const NAMES = ['scorecard', 'key-drivers', 'comments'] as const;

/** Scorecard: the experience areas (strong, average, weak, with trends), importance × performance, and comment themes with sample comments. */
export async function renderScorecard(ctx: PageContext): Promise<Node[]> {
  const loaded = await loadResults(ctx, NAMES);
  const header = pageHeader(ctx, 'Scorecard', 'Where the experience is strong or weak, what matters most, and what customers say in their own words.');
  const empty = filterProblem(loaded);
  if (empty !== null) return [header, empty];
  const scorecard = okResult(loaded.scorecard);
  return [
    header,
    headlineCards([
      { label: 'Experience score', finding: findingOf(scorecard, 'scorecard.overall') },
      { label: 'Weakest area against the overall', finding: findingOf(scorecard, 'scorecard.weak_area') },
      { label: 'NPS, last quarter', finding: findingOf(scorecard, 'scorecard.latest_nps') },
      { label: 'CSAT, last quarter', finding: findingOf(scorecard, 'scorecard.latest_csat') },
      { label: 'Comments that read positive', finding: findingOf(okResult(loaded.comments), 'comments.positive_share') },
    ]),
    resultSection(ctx, 'scorecard', loaded.scorecard, { title: 'Experience areas', open: ['scorecard_areas'] }),
    resultSection(ctx, 'key-drivers', loaded['key-drivers'], { title: 'Importance × performance: what drives satisfaction', open: ['importance_performance'] }),
    resultSection(ctx, 'comments', loaded.comments, { title: 'Comment themes', before: (result) => [commentThemes(result)], tables: ['comment_themes', 'comment_sentiment', 'comment_sentiment_by_nps', 'comment_sentiment_trend', 'comment_languages', 'comment_theme_samples'] }),
  ];
}
