import { wilsonInterval } from '../../stats/index.js';
import { hasRows, missingTableSentence } from '../needs.js';
import { describePeriod } from '../period.js';
import type { Finding } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { requiredNumber } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { SectionOutput } from './section.js';

/** How many customers, what share of all a segment is, and how many have left. */
export async function headcountSection(ctx: AnalysisContext): Promise<SectionOutput> {
  const d = ctx.engine.dialect;
  const n = ctx.scope.customers;
  const summary: string[] = [];
  const findings: Finding[] = [];
  const gaps: string[] = [];
  const segment = ctx.scope.segment;

  findings.push({
    code: 'profile.customers',
    text: `${words.count(n)} customers${segment === null ? '' : ` in the segment ${segment.rule}`} as of ${ctx.asOf}.`,
    estimate: n,
    unit: 'customers',
    interval: { lower: n, upper: n, level: 0.95 },
    n,
    severity: 'info',
  });
  if (segment === null) {
    summary.push(`${words.count(n)} customers as of ${ctx.asOf}.`);
  } else {
    const share = wilsonInterval({ count: n, n: ctx.scope.allCustomers });
    summary.push(`${words.count(n)} customers as of ${ctx.asOf} in the segment ${segment.rule}: ${words.percent(share.estimate)} of all ${words.count(ctx.scope.allCustomers)}.`);
    findings.push({
      code: 'profile.segment_share',
      text: `The segment ${segment.rule} holds ${words.percent(share.estimate)} of all customers (${words.interval(share.interval, (x) => words.percent(x))}; n = ${words.count(ctx.scope.allCustomers)}).`,
      estimate: share.estimate,
      unit: 'share',
      interval: share.interval,
      n: ctx.scope.allCustomers,
      severity: 'info',
    });
  }
  if (ctx.period !== null) summary.push(`Events (contacts, survey answers, payments, signups) are counted ${describePeriod(ctx.period)}; attributes and tenure are as of ${ctx.asOf}.`);

  if (hasRows(ctx, 'status_changes')) {
    const churned = d.boolToInt(d.quoteIdent('churned'));
    const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`sum(CASE WHEN ${churned} = 1 THEN 1 ELSE 0 END) AS ${d.quoteIdent('_churned')}`] }));
    const count = requiredNumber(row?.['_churned'] ?? 0, 'churned customers');
    if (n > 0) {
      const w = wilsonInterval({ count, n });
      const text = `${words.percent(w.estimate)} of these customers had left by ${ctx.asOf} (${words.interval(w.interval, (x) => words.percent(x))}; n = ${words.count(n)}).`;
      summary.push(text);
      findings.push({ code: 'profile.churned_share', text, estimate: w.estimate, unit: 'share', interval: w.interval, n, severity: 'info' });
    }
  } else {
    gaps.push(`Who stays is unknown: ${missingTableSentence('status_changes')}`);
  }
  return { summary, findings, gaps };
}
