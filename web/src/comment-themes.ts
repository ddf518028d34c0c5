import type { Result } from './api-types.js';
import { h } from './dom.js';
import { formatNumber } from './format.js';
import { rowsOf, tableOf, type Row } from './table-rows.js';

const num = (row: Row, name: string): number | null => (typeof row[name] === 'number' ? (row[name] as number) : null);
const text = (row: Row, name: string): string | null => (typeof row[name] === 'string' ? (row[name] as string) : null);

function interval(row: Row, lower: string, upper: string, unit: string): string {
  const a = num(row, lower);
  const b = num(row, upper);
  return a === null || b === null ? '' : ` (95% CI ${formatNumber(a, unit)} to ${formatNumber(b, unit)})`;
}

/**
 * The comment themes as a reader wants them: each theme with its share of
 * comments and the NPS gap of those who mention it (each with its interval,
 * as the comments Result gives them), and the sample comments the Result
 * keeps for it.
 */
export function commentThemes(result: Result): HTMLElement | null {
  const themes = rowsOf(tableOf(result, 'comment_themes'));
  if (themes.length === 0) return null;
  const samples = rowsOf(tableOf(result, 'comment_theme_samples'));
  return h(
    'div',
    { class: 'themes' },
    themes.map((t) => {
      const key = text(t, 'key');
      const share = num(t, 'share');
      const gap = num(t, 'nps_difference');
      const mentioning = num(t, 'nps_mentioning');
      const others = num(t, 'nps_others');
      const facts = [
        share === null ? null : `${formatNumber(share, 'share')} of comments${interval(t, 'lower', 'upper', 'share')}`,
        gap === null || mentioning === null || others === null ? null : `NPS ${formatNumber(mentioning, 'points')} among those who mention it against ${formatNumber(others, 'points')}: ${formatNumber(gap, 'points')} points${interval(t, 'difference_lower', 'difference_upper', 'points')}`,
        text(t, 'status'),
      ].filter((f): f is string => f !== null);
      const quotes = samples.filter((s) => s['key'] === key && typeof s['comment'] === 'string');
      return h(
        'article',
        { class: `theme polarity-${text(t, 'polarity') ?? 'neutral'}`, 'data-theme': key ?? '' },
        h('h3', {}, text(t, 'theme') ?? key ?? 'theme'),
        h('p', { class: 'theme-facts' }, facts.join('; ')),
        quotes.length === 0 ? h('p', { class: 'hint' }, 'No sample comment is kept for this theme.') : h('ul', { class: 'quotes' }, quotes.map((q) => h('li', {}, h('q', {}, String(q['comment']))))),
      );
    }),
  );
}
