import type { Finding, Result } from './api-types.js';
import { h } from './dom.js';
import { countText, estimateParts, findingDetail, formatMoneyAtStake } from './format.js';

/** A headline number: a label, and the finding it shows (or null when the Result has none). */
export interface Headline {
  label: string;
  finding: Finding | null;
  /** Said instead of a number when there is no finding. */
  missing?: string;
}

const SEVERITY_ORDER = ['high', 'medium', 'low', 'info'];

/** Findings most severe first, the Result's order kept within a severity. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

/** The first finding of a Result with this code (or code prefix ending in a dot). */
export function findingOf(result: Result | null, code: string): Finding | null {
  if (result === null) return null;
  return result.findings.find((f) => (code.endsWith('.') ? f.code.startsWith(code) : f.code === code)) ?? null;
}

/**
 * Headline numbers as cards: the estimate with its unit, its interval and
 * n underneath, the finding's sentence as the card's title. Each card is
 * marked `data-headline` with its label, for the page's readers and tests.
 */
export function headlineCards(items: readonly Headline[]): HTMLElement {
  return h(
    'div',
    { class: 'kpis' },
    items.map((item) => {
      if (item.finding === null) {
        return h('div', { class: 'kpi kpi-missing', 'data-headline': item.label }, h('div', { class: 'kpi-label' }, item.label), h('div', { class: 'kpi-note' }, item.missing ?? 'Not available for this filter.'));
      }
      const f = item.finding;
      const { value, interval } = estimateParts(f);
      return h(
        'div',
        { class: `kpi severity-${f.severity}`, 'data-headline': item.label, title: f.text },
        h('div', { class: 'kpi-label' }, item.label),
        h('div', { class: 'kpi-value', 'data-value': '' }, value),
        h('div', { class: 'kpi-note' }, `${interval}${interval === '' ? '' : '; '}n = ${countText(f.n)}`),
        f.moneyAtStake === undefined ? null : h('div', { class: 'kpi-note' }, `${formatMoneyAtStake(f.moneyAtStake)} at stake`),
      );
    }),
  );
}

/** One finding: its sentence, then its numbers (estimate with interval, n, money at stake). */
export function findingItem(finding: Finding): HTMLElement {
  return h('li', { class: `finding severity-${finding.severity}`, 'data-code': finding.code }, h('span', { class: 'finding-text' }, finding.text), h('span', { class: 'finding-detail' }, findingDetail(finding)));
}

export function findingList(findings: readonly Finding[]): HTMLElement {
  return h('ul', { class: 'findings' }, findings.map(findingItem));
}
