import { isSuppressed } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Chart } from '../result.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { measuresQuery, type CustomerMeasures } from './measures.js';

/** Bins between the 1st and 99th percentiles; the tails go to one open bin each. */
const BINS = 24;

export interface HistogramBin {
  /** Lower edge, or null for the open bin below the 1st percentile. */
  from: number | null;
  /** Upper edge, or null for the open bin above the 99th percentile. */
  to: number | null;
  /** Customers in the bin; null when under the minimum cell count (suppressed). */
  customers: number | null;
}

/** A width of 1, 2 or 5 times a power of ten, at least `raw`: edges a reader can name. */
function niceWidth(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

/**
 * Customers by net value: equal bins of a round width over the 1st to 99th
 * percentile (exact, type 1), the tails in an open bin at each end (so one
 * very large customer does not flatten the chart), counted in one GROUP BY.
 */
export async function netValueHistogram(ctx: AnalysisContext, measures: CustomerMeasures): Promise<HistogramBin[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const x = d.toDouble(measures.net);
  const base = { ...(measures.join === undefined ? {} : { join: measures.join }), where: measures.where };
  const [row] = await measuresQuery(ctx, measures, scopeSelect(ctx, { ...base, items: [`${d.quantileExact(x, 0.01)} AS ${q('_lo')}`, `${d.quantileExact(x, 0.99)} AS ${q('_hi')}`] }));
  const lo = numberOf(row?.['_lo']);
  const hi = numberOf(row?.['_hi']);
  if (lo === null || hi === null) return [];
  const width = niceWidth((hi - lo) / BINS);
  const start = Math.floor(lo / width) * width;
  const count = Math.max(1, Math.ceil((hi - start) / width));
  const edges = Array.from({ length: count + 1 }, (_, i) => Number((start + i * width).toPrecision(12)));
  const values = new SqlValues(ctx.engine, 'h');
  // Bin k holds [edge k−1, edge k); bin 0 everything below the first edge, bin count + 1 everything from the last.
  const bin = `(CASE ${edges.map((e, i) => `WHEN ${x} < ${values.bind(e)} THEN ${i}`).join(' ')} ELSE ${edges.length} END)`;
  const rows = await measuresQuery(ctx, measures, scopeSelect(ctx, { ...base, items: [`${bin} AS ${q('_b')}`, `count(*) AS ${q('_n')}`], groupBy: [bin] }), values);
  const counts = new Map(rows.map((r) => [numberOf(r['_b']) ?? -1, numberOf(r['_n']) ?? 0]));
  const bins: HistogramBin[] = [];
  for (let k = 0; k <= edges.length; k += 1) {
    const n = counts.get(k) ?? 0;
    if ((k === 0 || k === edges.length) && n === 0) continue;
    bins.push({ from: k === 0 ? null : (edges[k - 1] ?? null), to: k === edges.length ? null : (edges[k] ?? null), customers: isSuppressed(n) && n > 0 ? null : n });
  }
  return bins;
}

/** The histogram as bars; the open tail bins are drawn one width wide, labelled as open. */
export function histogramChart(bins: readonly HistogramBin[], currency: string): Chart {
  const inner = bins.filter((b) => b.from !== null && b.to !== null);
  const width = inner.length > 0 ? (inner[0]?.to ?? 1) - (inner[0]?.from ?? 0) : 1;
  const values = bins.map((b) => {
    const from = b.from ?? (b.to ?? 0) - width;
    const to = b.to ?? (b.from ?? 0) + width;
    const label = b.from === null ? `below ${b.to}` : b.to === null ? `${b.from} and above` : `${b.from} to ${b.to}`;
    return { from, to, customers: b.customers, range: label };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Customers by net value to date',
    data: { values },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'from', type: 'quantitative', bin: { binned: true }, title: `net value per customer (${currency})` },
          x2: { field: 'to' },
          y: { field: 'customers', type: 'quantitative', title: 'customers' },
          tooltip: [
            { field: 'range', type: 'nominal', title: 'net value' },
            { field: 'customers', type: 'quantitative' },
          ],
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4] }, data: { values: [{ zero: 0 }] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
    ],
  };
}
