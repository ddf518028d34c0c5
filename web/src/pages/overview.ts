import { h } from '../dom.js';
import { bySeverity, findingList, findingOf, headlineCards } from '../findings-view.js';
import { loadResults, okResult, type PageContext } from '../page-context.js';
import { block, filterProblem, pageHeader } from '../page-frame.js';
import { resultSection } from '../result-section.js';
import { PAGES, routeHash } from '../router.js';

const NAMES = ['profile', 'scorecard', 'key-drivers'] as const;

/** Overview: the headline numbers and findings, NPS and CSAT over time with their intervals, and how concentrated value is. */
export async function renderOverview(ctx: PageContext): Promise<Node[]> {
  const loaded = await loadResults(ctx, NAMES);
  const header = pageHeader(ctx, 'Overview', 'Who the customers are, how satisfied they are over time, and how concentrated their value is.');
  const empty = filterProblem(loaded);
  if (empty !== null) return [header, empty];
  const profile = okResult(loaded.profile);
  const scorecard = okResult(loaded.scorecard);
  const drivers = okResult(loaded['key-drivers']);
  const cards = headlineCards([
    { label: 'Customers', finding: findingOf(profile, 'profile.customers') },
    { label: 'Share who left', finding: findingOf(profile, 'profile.churned_share') },
    { label: 'Revenue from the top 10%', finding: findingOf(profile, 'profile.top10_share') },
    { label: 'Experience score', finding: findingOf(scorecard, 'scorecard.overall') },
    { label: 'NPS, last quarter', finding: findingOf(scorecard, 'scorecard.latest_nps') },
    { label: 'CSAT, last quarter', finding: findingOf(scorecard, 'scorecard.latest_csat') },
  ]);
  const headline = bySeverity([...(profile?.findings ?? []), ...(scorecard?.findings ?? []), ...(drivers?.findings ?? [])].filter((f) => f.severity === 'high' || f.severity === 'medium')).slice(0, 8);
  return [
    header,
    cards,
    block('Headline findings', headline.length === 0 ? h('p', { class: 'state', 'data-kind': 'empty' }, 'No finding of medium or high severity for this filter.') : findingList(headline)),
    resultSection(ctx, 'scorecard', loaded.scorecard, { title: 'Satisfaction over time', charts: /by quarter/i, tables: ['satisfaction_over_time'], findings: false, summary: false }),
    resultSection(ctx, 'profile', loaded.profile, { title: 'Value concentration', charts: /concentrated|lorenz/i, tables: ['value_concentration'], open: ['value_concentration'], findings: false, summary: false }),
    resultSection(ctx, 'key-drivers', loaded['key-drivers'], { title: 'What drives satisfaction', charts: 'none', tables: 'none', findings: false }),
    block('Every page', h('ul', { class: 'page-links' }, PAGES.filter((p) => p.key !== 'overview').map((p) => h('li', {}, h('a', { href: routeHash({ page: p.key }, ctx.filter) }, p.label))))),
  ];
}
