import { normalCritical } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import { groupTable, type ResultParts } from '../result-builder.js';
import { plainTable } from './fit-section.js';
import type { Cell, Chart, Finding, Interval, ResultTable } from '../result.js';
import { words } from '../wording.js';
import type { Bins, Distributions, GroupValue, MeasureTotals, TopCustomer } from './distributions.js';

/** Mean of a per-customer measure with a normal interval from its spread across customers. */
export function meanWithInterval(t: MeasureTotals, level = 0.95): { mean: number; interval: Interval } {
  const mean = t.sum / t.n;
  const variance = t.n > 1 ? Math.max(0, (t.sumSquares - t.n * mean * mean) / (t.n - 1)) : 0;
  const half = normalCritical(level) * Math.sqrt(variance / t.n);
  return { mean, interval: { lower: mean - half, upper: mean + half, level } };
}

function binLabel(bins: Bins, i: number, format: (x: number) => string): string {
  const lower = bins.edges[i] ?? 0;
  const upper = bins.edges[i + 1];
  return upper === undefined ? `${format(lower)} and over` : `${format(lower)} to under ${format(upper)}`;
}

function histogram(name: string, measure: string, bins: Bins, format: (x: number) => string, unit: string | null): { table: ReturnType<typeof groupTable>; chart: Chart } {
  const total = bins.counts.reduce((s, c) => s + c, 0);
  const rows: Cell[][] = bins.counts.map((count, i) => [binLabel(bins, i, format), bins.edges[i] ?? 0, count, total > 0 ? count / total : null]);
  const table = groupTable(
    name,
    [
      { name: 'bin', type: 'string' },
      { name: 'lower_edge', type: 'number', unit },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'share', type: 'number', unit: 'share' },
    ],
    rows,
    { countColumn: 'customers', keyColumns: ['bin', 'lower_edge'] },
  );
  const chart: Chart = {
    $schema: VEGA_LITE_SCHEMA,
    title: `Customers by ${measure}`,
    data: { values: table.rows.map((row) => ({ bin: row[0] ?? null, customers: row[2] ?? null, share: row[3] ?? null })) },
    mark: 'bar',
    encoding: {
      x: { field: 'bin', type: 'ordinal', sort: null, title: measure },
      y: { field: 'customers', type: 'quantitative', title: 'customers' },
      tooltip: [
        { field: 'bin', type: 'ordinal' },
        { field: 'customers', type: 'quantitative' },
        { field: 'share', type: 'quantitative', format: '.1%' },
      ],
    },
  };
  return { table, chart };
}

export interface ValueSectionInput {
  distributions: Distributions;
  groups: GroupValue[];
  top: TopCustomer[];
  currency: string;
  horizonMonths: number;
  /** False when the signal check found no signal: the numbers are shown as diagnostics, without findings. */
  reliable: boolean;
}

/** Distributions, findings, the breakdown by segment and the top customers. */
export function valueSection(input: ValueSectionInput): Partial<ResultParts> {
  const { distributions, groups, top, currency, horizonMonths, reliable } = input;
  const money = (x: number): string => words.money(x, currency, x !== 0 && Math.abs(x) < 10 ? 2 : 0);
  const number = (x: number): string => (x === 0 ? '0' : x < 1 ? x.toFixed(2) : x.toLocaleString('en-US', { maximumSignificantDigits: 3 }));
  const tables: ResultTable[] = [];
  const charts: Chart[] = [];
  const pAlive = histogram('p_alive_distribution', 'probability still active', distributions.pAlive, (x) => words.percent(x, 0), 'share');
  const purchases = histogram('expected_purchases_distribution', `expected purchases, next ${horizonMonths} months`, distributions.expectedPurchases, number, 'purchases');
  tables.push(pAlive.table, purchases.table);
  charts.push(pAlive.chart, purchases.chart);
  if (distributions.lifetimeValue !== null) {
    const value = histogram('lifetime_value_distribution', `lifetime value, next ${horizonMonths} months (${currency})`, distributions.lifetimeValue, money, currency);
    tables.push(value.table);
    charts.push(value.chart);
  }
  const findings: Finding[] = [];
  const summary: string[] = [];
  const alive = meanWithInterval(distributions.totals.pAlive);
  const expected = meanWithInterval(distributions.totals.expectedPurchases);
  const n = distributions.totals.pAlive.n;
  const horizon = `the next ${horizonMonths} months`;
  const lifetime = distributions.totals.lifetimeValue === null ? null : meanWithInterval(distributions.totals.lifetimeValue);
  if (reliable) {
    findings.push(
      {
        code: 'lifetime-value.p_alive',
        text: `The average customer is ${words.percent(alive.mean)} likely to be still buying (${words.interval(alive.interval, (x) => words.percent(x))}; n = ${words.count(n)}).`,
        estimate: alive.mean,
        unit: 'share',
        interval: alive.interval,
        n,
        severity: 'info',
      },
      {
        code: 'lifetime-value.expected_purchases',
        text: `Customers are expected to make ${expected.mean.toFixed(2)} purchases each in ${horizon} (${words.interval(expected.interval, (x) => x.toFixed(2))}; n = ${words.count(n)}).`,
        estimate: expected.mean,
        unit: 'purchases',
        interval: expected.interval,
        n,
        severity: 'info',
      },
    );
    if (lifetime !== null && distributions.totals.lifetimeValue !== null) {
      const total = distributions.totals.lifetimeValue.sum;
      findings.push({
        code: 'lifetime-value.mean_value',
        text: `The discounted value of ${horizon} of purchases is ${words.money(lifetime.mean, currency, 2)} per customer (${words.interval(lifetime.interval, (x) => words.money(x, currency, 2))}; n = ${words.count(n)}), ${words.money(total, currency)} for the ${words.count(n)} customers.`,
        estimate: lifetime.mean,
        unit: currency,
        interval: lifetime.interval,
        n,
        moneyAtStake: { amount: total, currency, period: 'total' },
        severity: 'medium',
      });
      summary.push(findings[findings.length - 1]?.text ?? '');
    }
  }
  const segmentRows: Cell[][] = groups.map((g) => {
    const value = g.lifetimeValue === null ? null : meanWithInterval(g.lifetimeValue);
    return [g.grouping, g.level, g.n, value?.mean ?? null, value?.interval.lower ?? null, value?.interval.upper ?? null, g.pAliveSum / g.n, g.expectedPurchasesSum / g.n, g.lifetimeValue?.sum ?? null];
  });
  tables.push(
    groupTable(
      'value_by_segment',
      [
        { name: 'grouping', type: 'string' },
        { name: 'level', type: 'string' },
        { name: 'n', type: 'integer', unit: 'customers' },
        { name: 'mean_lifetime_value', type: 'number', unit: currency },
        { name: 'lower', type: 'number', unit: currency },
        { name: 'upper', type: 'number', unit: currency },
        { name: 'mean_p_alive', type: 'number', unit: 'share' },
        { name: 'mean_expected_purchases', type: 'number', unit: 'purchases' },
        { name: 'total_lifetime_value', type: 'number', unit: currency },
      ],
      segmentRows,
      { countColumn: 'n', keyColumns: ['grouping', 'level'] },
    ),
  );
  tables.push(
    plainTable(
      'top_customers',
      [
        { name: 'customer_id', type: 'string' },
        { name: 'repeat_purchase_days', type: 'integer', unit: 'count' },
        { name: 'recency_days', type: 'integer', unit: 'days' },
        { name: 'age_days', type: 'integer', unit: 'days' },
        { name: 'p_alive', type: 'number', unit: 'share' },
        { name: 'expected_purchases', type: 'number', unit: 'purchases' },
        { name: 'lifetime_value', type: 'number', unit: currency },
      ],
      top.map((c) => [c.customerId, c.x, c.txDays, c.TDays, c.pAlive, c.expectedPurchases, c.lifetimeValue]),
    ),
  );
  return { findings, summary, tables, charts };
}
