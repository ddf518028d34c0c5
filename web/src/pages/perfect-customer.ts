import { h } from '../dom.js';
import { findingOf, headlineCards, type Headline } from '../findings-view.js';
import { loadResults, okResult, type PageContext } from '../page-context.js';
import { block, filterProblem, pageHeader } from '../page-frame.js';
import { resultSection } from '../result-section.js';
import { rowsOf, tableOf } from '../table-rows.js';
import { whatIfPanel, type WhatIfBehaviour } from '../what-if.js';

/** Perfect customer: the index, each behaviour with its value and its links (experience → behaviour → revenue), and a what-if. */
export async function renderPerfectCustomer(ctx: PageContext): Promise<Node[]> {
  const loaded = await loadResults(ctx, ['perfect-customer'] as const);
  const header = pageHeader(ctx, 'Perfect customer', 'What the best customers do, what each behaviour is worth, and what more adoption would bring.');
  const empty = filterProblem(loaded);
  if (empty !== null) return [header, empty];
  const result = okResult(loaded['perfect-customer']);
  const behaviours: WhatIfBehaviour[] = rowsOf(tableOf(result, 'adoption')).flatMap((r) => (typeof r['behaviour'] === 'string' ? [{ key: r['behaviour'], label: typeof r['label'] === 'string' ? r['label'] : r['behaviour'] }] : []));
  const cards: Headline[] = [
    { label: 'Perfect Customer Index, mean', finding: findingOf(result, 'perfect_customer.index_mean') },
    ...behaviours.map((b) => ({ label: `${b.label}: value per customer-month`, finding: findingOf(result, `perfect_customer.value.${b.key}`) })),
  ];
  return [
    header,
    headlineCards(cards),
    block('What if adoption rose?', result === null ? h('p', { class: 'state' }, 'The what-if needs the perfect-customer analysis, which did not run for this filter.') : whatIfPanel(ctx, behaviours)),
    resultSection(ctx, 'perfect-customer', loaded['perfect-customer'], {
      title: 'Behaviours, their value and their links',
      tables: ['adoption', 'value_components', 'cascade', 'satisfaction', 'retention', 'what_if'],
      open: ['adoption', 'cascade'],
      charts: /money|behaviour/i,
    }),
    resultSection(ctx, 'perfect-customer', loaded['perfect-customer'], {
      title: 'The Perfect Customer Index',
      summary: false,
      findings: false,
      tables: ['index_weights', 'index_distribution', 'index_by_segment', 'adoption_by_signup_year', 'behaviour_screening'],
      open: ['index_weights'],
      charts: /index/i,
    }),
  ];
}
