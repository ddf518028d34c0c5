import type { Result } from '../api-types.js';
import { h } from '../dom.js';
import { findingList } from '../findings-view.js';
import { formatNumber, valueWithUnit } from '../format.js';
import { loadResults, okResult, type PageContext } from '../page-context.js';
import { block, filterProblem, pageHeader } from '../page-frame.js';
import { resultSection } from '../result-section.js';
import { rowsOf, tableOf, type Row } from '../table-rows.js';

/** The first effect the Result lists for each change or experiment (its first measure, NPS when measured), as a card with its interval. */
function effectCards(result: Result | null): HTMLElement | null {
  const cards: HTMLElement[] = [];
  for (const [table, nameColumn] of [['change_effects', 'change'], ['experiment_effects', 'experiment']] as const) {
    const seen = new Set<string>();
    for (const row of rowsOf(tableOf(result, table))) {
      const name = row[nameColumn];
      if (typeof name !== 'string' || seen.has(name)) continue;
      seen.add(name);
      cards.push(effectCard(name, row));
    }
  }
  return cards.length === 0 ? null : h('div', { class: 'kpis' }, cards);
}

function effectCard(name: string, row: Row): HTMLElement {
  const unit = typeof row['unit'] === 'string' ? row['unit'] : null;
  const effect = typeof row['effect'] === 'number' ? row['effect'] : null;
  const lower = typeof row['lower'] === 'number' ? row['lower'] : null;
  const upper = typeof row['upper'] === 'number' ? row['upper'] : null;
  const measure = String(row['measure'] ?? '').replaceAll('_', ' ');
  const p = typeof row['p_value'] === 'number' ? row['p_value'] : null;
  return h(
    'div',
    { class: `kpi ${row['claimed'] === true ? 'severity-medium' : 'severity-info'}`, 'data-headline': `${name}: ${measure}` },
    h('div', { class: 'kpi-label' }, `${name}: ${measure}`),
    h('div', { class: 'kpi-value', 'data-value': '' }, valueWithUnit(effect, unit)),
    h('div', { class: 'kpi-note' }, `${lower === null || upper === null ? 'no interval' : `95% CI ${formatNumber(lower, unit)} to ${formatNumber(upper, unit)}`}${p === null ? '' : `; p = ${formatNumber(p, 'probability')}`}; ${row['claimed'] === true ? 'a clear effect' : 'not a clear effect'}`),
  );
}

/** Changes: the measured effect of each recorded change (before/after against a comparison group) and of each A/B test. */
export async function renderChanges(ctx: PageContext): Promise<Node[]> {
  const loaded = await loadResults(ctx, ['changes'] as const);
  const header = pageHeader(ctx, 'Changes', 'What each recorded change and each A/B test did to satisfaction, churn, revenue and behaviours.');
  const empty = filterProblem(loaded);
  if (empty !== null) return [header, empty];
  const result = okResult(loaded.changes);
  const cards = effectCards(result);
  return [
    header,
    cards ?? h('p', { class: 'state', 'data-kind': 'empty' }, 'No change or experiment has a measured effect for this filter.'),
    result === null || result.findings.length === 0 ? null : block('Clear effects', findingList(result.findings)),
    resultSection(ctx, 'changes', loaded.changes, { title: 'Every measured effect', open: ['change_effects', 'experiment_effects'], findings: false }),
  ].filter((n): n is HTMLElement => n !== null);
}
