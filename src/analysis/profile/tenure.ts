import { isSuppressed } from '../../stats/index.js';
import { groupTable } from '../result-builder.js';
import type { Finding } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { numericSummaryItems, readNumericSummary } from './numeric-summary.js';
import type { SectionOutput } from './section.js';

/** How long customers have been customers: tenure_days to as_of, mean with interval and quartiles. */
export async function tenureSection(ctx: AnalysisContext): Promise<SectionOutput> {
  const d = ctx.engine.dialect;
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: numericSummaryItems(d, d.quoteIdent('tenure_days'), 't') }));
  if (row === undefined) return {};
  const s = readNumericSummary(row, 't');
  if (s.mean === null || isSuppressed(s.n)) {
    return {
      gaps: [
        s.n === 0
          ? 'Tenure is unknown: the customers have no signup date (map signup_at in cxray.yaml).'
          : `Tenure is not shown: fewer than ${ctx.thresholds.minimumCellCount} customers have a signup date.`,
      ],
    };
  }
  const ci = words.interval(s.mean.interval, words.months);
  const sentence =
    s.median === null
      ? `Customers have been with the company ${words.months(s.mean.estimate)} on average (${ci}; n = ${words.count(s.n)}).`
      : `Half of the customers have been with the company for ${words.months(s.median)} or more; the mean is ${words.months(s.mean.estimate)} (${ci}; n = ${words.count(s.n)}).`;
  const findings: Finding[] = [{ code: 'profile.tenure', text: sentence, estimate: s.mean.estimate, unit: 'days', interval: s.mean.interval, n: s.n, severity: 'info' }];
  return {
    summary: [sentence],
    findings,
    tables: [
      groupTable(
        'tenure',
        [
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'mean_days', type: 'number', unit: 'days' },
          { name: 'lower', type: 'number', unit: 'days' },
          { name: 'upper', type: 'number', unit: 'days' },
          { name: 'q1_days', type: 'number', unit: 'days' },
          { name: 'median_days', type: 'number', unit: 'days' },
          { name: 'q3_days', type: 'number', unit: 'days' },
        ],
        [[s.n, s.mean.estimate, s.mean.interval.lower, s.mean.interval.upper, s.q1, s.median, s.q3]],
        { countColumn: 'n', keyColumns: [] },
      ),
    ],
    warnings: s.n < ctx.scope.customers ? [`${words.count(ctx.scope.customers - s.n)} customers have no signup date; tenure describes the others.`] : [],
    assumptions: ['Tenure: whole days from the signup day to as_of (customer_facts.tenure_days); a month is 30.44 days.'],
  };
}
