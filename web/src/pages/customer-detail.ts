import type { CustomerDetail } from '../api-types.js';
import { h } from '../dom.js';
import { countText, currencyOf, formatNumber, valueWithUnit } from '../format.js';
import type { PageContext } from '../page-context.js';
import { block } from '../page-frame.js';
import { routeHash } from '../router.js';
import { emptyState, errorState } from '../states.js';

function simpleTable(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h('table', {}, h('thead', {}, h('tr', {}, headers.map((x, i) => h('th', { scope: 'col', class: numeric[i] === true ? 'num' : null }, x)))), h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: numeric[i] === true ? 'num' : null }, c)))))),
  );
}

function fitBlock(detail: CustomerDetail): HTMLElement {
  const fit = detail.fit;
  if (fit.status === 'not_scored') return block('Fit score, taken apart', h('p', { class: 'state', 'data-kind': 'empty' }, fit.reason));
  return block(
    'Fit score, taken apart',
    h('p', { 'data-fit': String(fit.score) }, fit.sentence),
    simpleTable(
      ['component', 'value', 'points'],
      [['base (a customer average on everything)', '—', formatNumber(fit.base, null)], ...fit.parts.map((p) => [p.label, valueWithUnit(p.value, p.unit === '' ? null : p.unit), `${p.points >= 0 ? '+' : '−'}${Math.abs(p.points).toFixed(2)}`])],
      [false, true, true],
    ),
    h('p', { class: 'hint' }, `Weights ${fit.source === 'fitted' ? 'fitted to what predicted the next 12 months of net value' : 'as configured in cxray.yaml'}; the score is clipped to 0-100${fit.unclipped === fit.score ? '' : ` (${formatNumber(fit.unclipped, null)} before clipping)`}.`),
  );
}

function historyBlock(detail: CustomerDetail, currency: string | null): HTMLElement {
  if (detail.history.length === 0) return block('History by month', emptyState('No purchases, contacts or survey answers are recorded for this customer.'));
  const money = (x: number): string => valueWithUnit(x, currency);
  return block(
    'History by month',
    simpleTable(
      ['month', 'purchases', `revenue${currency === null ? '' : ` (${currency})`}`, 'fees', 'refunds', 'credits', 'contacts', 'survey answers', 'mean NPS (0-10)'],
      detail.history.map((m) => [m.month, countText(m.purchases), money(m.revenue), money(m.fees), money(m.refunds), money(m.credits), countText(m.interactions), countText(m.surveyAnswers), m.meanNps === null ? '—' : formatNumber(m.meanNps, null)]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );
}

function surveyBlock(detail: CustomerDetail): HTMLElement {
  const { survey } = detail;
  if (survey.total === 0) return block('Survey answers and comments', emptyState('This customer answered no survey.'));
  const comments = survey.answers.filter((a) => a.comment !== null || a.commentHidden !== null);
  return block(
    'Survey answers and comments',
    h('p', {}, `${countText(survey.total)} answers${survey.shown < survey.total ? `, the newest ${countText(survey.shown)} shown` : ''}; ${countText(comments.length)} with a comment.`),
    comments.length === 0 ? null : h('ul', { class: 'quotes', 'data-comments': String(comments.length) }, comments.map((a) => h('li', {}, a.comment === null ? h('em', {}, 'A comment hashed on import (its words are not stored).') : h('q', {}, a.comment), h('span', { class: 'hint' }, ` ${a.at.slice(0, 10)}${a.question === null ? '' : `, “${a.question}”`}`)))),
    simpleTable(
      ['date', 'instrument', 'question or area', 'score'],
      survey.answers.filter((a) => a.score !== null).map((a) => [a.at.slice(0, 10), a.instrument, a.area ?? a.question ?? '—', formatNumber(a.score ?? 0, null)]),
      [false, false, false, true],
    ),
  );
}

/** One customer: their scores, fit score taken apart, history by month, survey answers and comments, the changes that touched them, and their facts. */
export async function renderCustomer(ctx: PageContext, id: string): Promise<Node[]> {
  const back = h('p', { class: 'back' }, h('a', { href: routeHash({ page: 'customers' }, ctx.filter) }, '← The customers'));
  let detail: CustomerDetail;
  try {
    detail = await ctx.client.customer(id);
  } catch (error) {
    return [back, h('h1', {}, `Customer ${id}`), errorState(error, 'this customer')];
  }
  const currency = currencyOf(...detail.facts.filter((f) => f.name === 'net_value').map((f) => f.unit));
  const s = detail.scores;
  const score = (label: string, value: string): HTMLElement => h('div', { class: 'kpi', 'data-headline': label }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value' }, value));
  return [
    back,
    h('header', { class: 'page-head', 'data-customer': detail.id }, h('h1', {}, `Customer ${detail.id}`), h('p', { class: 'lead' }, `${Object.entries(s.segments).map(([k, v]) => `${k.replaceAll('_', ' ')} ${v ?? '—'}`).join(' · ')}; data as of ${detail.asOf}.`)),
    h(
      'div',
      { class: 'kpis' },
      score('Net value to date', valueWithUnit(s.netValue, currency)),
      score('Fit score (0-100)', valueWithUnit(s.fitScore, null)),
      score('Perfect Customer Index (0-100)', valueWithUnit(s.perfectCustomerIndex, null)),
      score('Lifetime value, next 12 months', valueWithUnit(s.lifetimeValue, currency)),
      score('P(still buying)', valueWithUnit(s.pAlive, 'share')),
      score('Churn risk', valueWithUnit(s.churnRisk, 'share')),
      score('Churned', s.churned === null ? '—' : s.churned ? 'yes' : 'no'),
    ),
    fitBlock(detail),
    historyBlock(detail, currency),
    surveyBlock(detail),
    block('Changes that touched this customer', detail.changes.length === 0 ? emptyState('No recorded change touched this customer.') : h('ul', {}, detail.changes.map((c) => h('li', {}, `${c.name} (${c.date}${c.segment === null ? ', every customer' : `, ${c.segment}`})${c.description === null ? '' : `: ${c.description}`}`)))),
    detail.notes.length === 0 ? null : h('ul', { class: 'warnings' }, detail.notes.map((n) => h('li', {}, n))),
    h('details', { class: 'block' }, h('summary', {}, `Every fact about this customer (${detail.facts.length})`), simpleTable(['fact', 'value', 'what it is'], detail.facts.map((f) => [f.name.replaceAll('_', ' '), f.hidden === 'pii' ? 'hidden (personal data)' : f.value === null ? '—' : typeof f.value === 'number' ? valueWithUnit(f.value, f.unit) : String(f.value), f.description]), [false, true, false])),
  ].filter((n): n is HTMLElement => n !== null);
}
