import { isSuppressed } from '../../stats/index.js';
import { lorenzChart } from '../charts.js';
import { hasRows, missingTableSentence } from '../needs.js';
import { describePeriod } from '../period.js';
import { groupTable } from '../result-builder.js';
import type { Finding } from '../result.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { exactGini, topShare } from './concentration-math.js';
import { rankedSums, revenueSource, topShareAggregates, valueTotals } from './concentration-sql.js';
import type { SectionOutput } from './section.js';

/** Points of the Lorenz curve drawn (every 5% of customers). */
const CHART_STEPS = 20;

function missingValueGap(ctx: AnalysisContext): string {
  const money = ctx.facts.attributes.filter((a) => a.type === 'money').map((a) => a.source);
  const note =
    money.length === 0
      ? ''
      : ` The money attributes (${money.join(', ')}) are not taken as revenue: whether they are billed or paid, per month or in total, is not known.`;
  return `Value concentration and value tiers are not shown: ${missingTableSentence('transactions')}${note}`;
}

/**
 * How concentrated revenue is: the share from the top 10% and 20% of
 * customers and the Gini coefficient, computed in SQL (exact, ties
 * included), with influence-function intervals; the Lorenz curve as a chart.
 */
export async function concentrationSection(ctx: AnalysisContext): Promise<SectionOutput> {
  if (!hasRows(ctx, 'transactions')) return { gaps: [missingValueGap(ctx)] };
  const source = revenueSource(ctx);
  const totals = await valueTotals(ctx, source);
  if (isSuppressed(totals.n)) return {};
  if (!(totals.total > 0)) {
    return { gaps: [`Value concentration is not shown: these customers have no revenue${ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`}.`] };
  }
  const currency = ctx.config.currency;
  const [top10, top20] = (await topShareAggregates(ctx, source, totals, [0.1, 0.2])).map((a) => topShare(a));
  if (top10 === undefined || top20 === undefined) return {};

  const warnings: string[] = [];
  const cuts = Array.from({ length: CHART_STEPS - 1 }, (_, k) => Math.round((totals.n * (k + 1)) / CHART_STEPS));
  const ranked = await rankedSums(ctx, source, cuts);
  const gini = exactGini(ranked.sums);
  const points = [{ customers: 0, value: 0 }, ...cuts.map((m, j) => ({ customers: m / totals.n, value: (ranked.bottomSums[j] ?? 0) / totals.total })), { customers: 1, value: 1 }];
  if (totals.negatives > 0) {
    warnings.push(`${words.count(totals.negatives)} customers have more refunds than revenue (negative value); shares and the Gini include them as they are.`);
  }

  const what = `revenue after refunds${ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`}`;
  const pct = (x: number): string => words.percent(x);
  const findings: Finding[] = [
    {
      code: 'profile.top10_share',
      text: `The top 10% of customers (${words.count(Math.round(totals.n * 0.1))}) bring ${pct(top10.estimate)} of ${what} (${words.interval(top10.interval, pct)}; n = ${words.count(totals.n)}).`,
      estimate: top10.estimate,
      unit: 'share',
      interval: top10.interval,
      n: totals.n,
      severity: 'info',
    },
    {
      code: 'profile.top20_share',
      text: `The top 20% of customers bring ${pct(top20.estimate)} of ${what} (${words.interval(top20.interval, pct)}; n = ${words.count(totals.n)}).`,
      estimate: top20.estimate,
      unit: 'share',
      interval: top20.interval,
      n: totals.n,
      severity: 'info',
    },
    {
      code: 'profile.gini',
      text: `The Gini coefficient of ${what} per customer is ${gini.estimate.toFixed(3)} (${words.interval(gini.interval, (x) => x.toFixed(3))}; n = ${words.count(totals.n)}; 0 = all equal, 1 = one customer has everything).`,
      estimate: gini.estimate,
      unit: 'gini',
      interval: gini.interval,
      n: totals.n,
      severity: 'info',
    },
  ];
  return {
    summary: [
      `The top 10% of customers bring ${pct(top10.estimate)} of ${what} (${words.interval(top10.interval, pct)}) and the top 20% bring ${pct(top20.estimate)}; Gini ${gini.estimate.toFixed(2)} (n = ${words.count(totals.n)}, total ${words.money(totals.total, currency)}).`,
    ],
    findings,
    warnings,
    charts: [lorenzChart(`How concentrated ${what} is (Lorenz curve)`, `share of ${what}`, points)],
    tables: [
      groupTable(
        'value_concentration',
        [
          { name: 'measure', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'estimate', type: 'number' },
          { name: 'lower', type: 'number' },
          { name: 'upper', type: 'number' },
        ],
        [
          ['top10_share', totals.n, top10.estimate, top10.interval.lower, top10.interval.upper],
          ['top20_share', totals.n, top20.estimate, top20.interval.lower, top20.interval.upper],
          ['gini', totals.n, gini.estimate, gini.interval.lower, gini.interval.upper],
        ],
        { countColumn: 'n', keyColumns: ['measure'] },
      ),
      {
        name: 'lorenz_curve',
        columns: [
          { name: 'customers_share', type: 'number', unit: 'share' },
          { name: 'value_share', type: 'number', unit: 'share' },
        ],
        rows: points.map((p) => [p.customers, p.value]),
      },
    ],
    assumptions: [
      `Value concentration uses ${what} per customer (purchases + fees − refunds; credits and costs left out), every customer in scope counted, those without payments as 0.`,
      'Top shares: the top round(10% × n) and round(20% × n) customers, exact with ties; intervals from the influence function of a Lorenz ordinate. Gini: 2·Σ i·x_(i)/(n·Σx) − (n+1)/n with an influence-function interval.',
    ],
  };
}
