import { isSuppressed } from '../../stats/index.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import type { Chart } from '../result.js';
import { linePrice, type FairValueLine } from './balance-math.js';
import type { SegmentBalance } from './balance-scan.js';
import { describeSegment, type AxisWords } from './balance-words.js';

/**
 * The customer value map (Gale 1994): each segment a point at its value
 * delivered (x, the first axis) and its price per customer-month (y), sized
 * by customers, with the deviation's interval as a vertical rule; the
 * fair-value line drawn at the overall mean of any further axis (usage), so a
 * point's height above it is its deviation only when its usage is average
 * (the table gives each segment's own line price).
 */
export function valueMapChart(segments: readonly SegmentBalance[], line: FairValueLine, axes: AxisWords, currency: string): Chart {
  const points = segments.filter((s) => s.deviation !== null && !isSuppressed(s.deviation.n));
  const values = points.map((s) => {
    const d = s.deviation as NonNullable<SegmentBalance['deviation']>;
    return {
      segment: describeSegment(s),
      value: d.means[1] ?? null,
      price: d.meanPrice,
      fair_price: d.fairPrice,
      price_lower: d.meanPrice - (d.estimate - d.interval.lower),
      price_upper: d.meanPrice + (d.interval.upper - d.estimate),
      deviation: d.estimate,
      customers: s.customers,
      verdict: s.verdict,
    };
  });
  const xs = values.map((v) => v.value).filter((x): x is number => x !== null);
  const low = xs.length === 0 ? 0 : Math.min(...xs);
  const high = xs.length === 0 ? 100 : Math.max(...xs);
  const at = (x: number): number => linePrice(line, line.means.map((m, j) => (j === 1 ? x : m)));
  const ends = [
    { value: low, price: at(low) },
    { value: high, price: at(high) },
  ];
  const xTitle = axes.titles[0] ?? 'value delivered';
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Customer value map: price per customer-month against value delivered, by segment',
    data: { values },
    layer: [
      {
        mark: { type: 'line', strokeDash: [4, 4], color: 'gray' },
        data: { values: ends },
        encoding: { x: { field: 'value', type: 'quantitative' }, y: { field: 'price', type: 'quantitative' } },
      },
      {
        mark: { type: 'rule' },
        encoding: {
          x: { field: 'value', type: 'quantitative' },
          y: { field: 'price_lower', type: 'quantitative' },
          y2: { field: 'price_upper' },
          color: { field: 'verdict', type: 'nominal' },
        },
      },
      {
        mark: { type: 'point', filled: true, opacity: 0.7 },
        encoding: {
          x: { field: 'value', type: 'quantitative', title: xTitle, scale: { zero: false } },
          y: { field: 'price', type: 'quantitative', title: `price per customer-month (${currency})`, scale: { zero: false } },
          size: { field: 'customers', type: 'quantitative' },
          color: { field: 'verdict', type: 'nominal', scale: { domain: ['over-charged', 'over-served', 'on the line', 'not tested'] } },
          tooltip: [
            { field: 'segment', type: 'nominal' },
            { field: 'price', type: 'quantitative', format: ',.2f' },
            { field: 'fair_price', type: 'quantitative', format: ',.2f' },
            { field: 'deviation', type: 'quantitative', format: '+,.2f' },
            { field: 'value', type: 'quantitative', format: '.1f' },
            { field: 'customers', type: 'quantitative' },
          ],
        },
      },
    ],
  };
}
