import { groupTable } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import { CHARACTERISTIC_LABELS } from './characteristics.js';
import type { SeriesPlan } from './satisfaction-series.js';
import type { Rating, Scorecard } from './scorecard-model.js';

const statusCell = (rating: Rating | null): Cell => rating?.status ?? null;
const whyCell = (rating: Rating | null): Cell => (rating === null || rating.status !== null ? null : rating.why);

/** One row per experience area: score with interval, the overall, status, trend, importance and quadrant. */
export function areasTable(card: Scorecard): ResultTable {
  const overall = card.overall?.score ?? null;
  const rows: Cell[][] = card.areas.map((a) => [
    a.area.name,
    a.area.label,
    a.characteristic.characteristic,
    a.characteristic.source,
    a.n,
    a.meanRating,
    a.score?.score ?? null,
    a.score?.interval.lower ?? null,
    a.score?.interval.upper ?? null,
    overall,
    a.score === null || overall === null ? null : a.score.score - overall,
    statusCell(a.rating),
    whyCell(a.rating),
    a.trend.perQuarter,
    a.trend.perQuarter === null ? null : a.trend.interval.lower,
    a.trend.perQuarter === null ? null : a.trend.interval.upper,
    a.trend.perQuarter === null ? a.trend.why : null,
    a.importance?.share ?? null,
    a.importance?.interval.lower ?? null,
    a.importance?.interval.upper ?? null,
    a.importance?.rank ?? null,
    a.quadrant,
  ]);
  return groupTable(
    'scorecard_areas',
    [
      { name: 'area', type: 'string' },
      { name: 'label', type: 'string' },
      { name: 'characteristic', type: 'string' },
      { name: 'characteristic_from', type: 'string' },
      { name: 'responses', type: 'integer', unit: 'responses' },
      { name: 'mean_rating', type: 'number', unit: card.scale === null ? null : `rating ${card.scale.low}-${card.scale.high}` },
      { name: 'score', type: 'number', unit: 'score 0-100' },
      { name: 'lower', type: 'number', unit: 'score 0-100' },
      { name: 'upper', type: 'number', unit: 'score 0-100' },
      { name: 'overall', type: 'number', unit: 'score 0-100' },
      { name: 'difference', type: 'number', unit: 'points' },
      { name: 'status', type: 'string' },
      { name: 'not_rated_because', type: 'string' },
      { name: 'trend_per_quarter', type: 'number', unit: 'points' },
      { name: 'trend_lower', type: 'number', unit: 'points' },
      { name: 'trend_upper', type: 'number', unit: 'points' },
      { name: 'no_trend_because', type: 'string' },
      { name: 'importance', type: 'number', unit: 'share' },
      { name: 'importance_lower', type: 'number', unit: 'share' },
      { name: 'importance_upper', type: 'number', unit: 'share' },
      { name: 'importance_rank', type: 'integer' },
      { name: 'quadrant', type: 'string' },
    ],
    rows,
    { countColumn: 'responses', keyColumns: ['area', 'label', 'characteristic', 'characteristic_from'] },
  );
}

/** One row per characteristic of an outstanding experience, measured or not. */
export function characteristicsTable(card: Scorecard): ResultTable {
  const rows: Cell[][] = card.characteristics.map((c) => [
    c.characteristic,
    CHARACTERISTIC_LABELS[c.characteristic],
    c.measured ? 'measured' : 'not measured',
    c.areas.map((a) => a.area.label).join('; ') || null,
    [...c.contacts.map((t) => t.label), ...c.behaviours.map((b) => b.label)].join('; ') || null,
    c.areas.reduce((s, a) => s + a.n, 0),
    c.score?.score ?? null,
    c.score?.interval.lower ?? null,
    c.score?.interval.upper ?? null,
    statusCell(c.rating),
  ]);
  return {
    name: 'scorecard_characteristics',
    columns: [
      { name: 'characteristic', type: 'string', unit: null },
      { name: 'label', type: 'string', unit: null },
      { name: 'measured', type: 'string', unit: null },
      { name: 'areas', type: 'string', unit: null },
      { name: 'touchpoints', type: 'string', unit: null },
      { name: 'responses', type: 'integer', unit: 'responses' },
      { name: 'score', type: 'number', unit: 'score 0-100' },
      { name: 'lower', type: 'number', unit: 'score 0-100' },
      { name: 'upper', type: 'number', unit: 'score 0-100' },
      { name: 'status', type: 'string', unit: null },
    ],
    // Rows with responses under 5 keep their names: a characteristic's score rests on its areas, each suppressed alike.
    rows: rows.map((r) => (typeof r[5] === 'number' && r[5] > 0 && r[5] < 5 ? r.map((cell, i) => (i <= 4 ? cell : null)) : r)),
  };
}

/** Contact touchpoints and behaviours: one row per measure. */
export function touchpointsTable(card: Scorecard): ResultTable {
  const rows: Cell[][] = [
    ...card.contacts.flatMap((t) =>
      t.values.map((v): Cell[] => [
        t.kind,
        t.key,
        t.label,
        t.characteristic,
        v.measure,
        v.n,
        v.value,
        v.interval.lower,
        v.interval.upper,
        v.overall,
        statusCell(v.rating),
        whyCell(v.rating),
        v.trend?.perQuarter ?? null,
        v.trend === null || v.trend.perQuarter === null ? null : v.trend.interval.lower,
        v.trend === null || v.trend.perQuarter === null ? null : v.trend.interval.upper,
      ]),
    ),
    ...card.behaviours.map((b): Cell[] => [
      'behaviour',
      b.key,
      b.label,
      card.characteristics.find((c) => c.behaviours.includes(b))?.characteristic ?? null,
      'adoption',
      b.customers,
      b.adoption,
      b.interval.lower,
      b.interval.upper,
      null,
      null,
      'adoption of different behaviours is not comparable',
      null,
      null,
      null,
    ]),
  ];
  return groupTable(
    'scorecard_touchpoints',
    [
      { name: 'kind', type: 'string' },
      { name: 'key', type: 'string' },
      { name: 'label', type: 'string' },
      { name: 'characteristic', type: 'string' },
      { name: 'measure', type: 'string' },
      { name: 'n', type: 'integer' },
      { name: 'value', type: 'number' },
      { name: 'lower', type: 'number' },
      { name: 'upper', type: 'number' },
      { name: 'overall', type: 'number' },
      { name: 'status', type: 'string' },
      { name: 'not_rated_because', type: 'string' },
      { name: 'trend_per_quarter', type: 'number', unit: 'points' },
      { name: 'trend_lower', type: 'number', unit: 'points' },
      { name: 'trend_upper', type: 'number', unit: 'points' },
    ],
    rows,
    { countColumn: 'n', keyColumns: ['kind', 'key', 'label', 'characteristic', 'measure'] },
  );
}

/** NPS, CSAT and CES per period with intervals, control limits and signals. */
export function seriesTable(plan: SeriesPlan): ResultTable {
  const rows: Cell[][] = plan.series.flatMap((s) =>
    s.points.map((p): Cell[] => [
      s.instrument,
      plan.unit,
      p.period,
      p.start,
      p.point.n,
      p.customers,
      p.meanAnswer,
      p.point.estimate,
      p.point.interval.lower,
      p.point.interval.upper,
      p.point.centre,
      p.point.lowerLimit,
      p.point.upperLimit,
      p.point.signal,
    ]),
  );
  return groupTable(
    'satisfaction_over_time',
    [
      { name: 'instrument', type: 'string' },
      { name: 'period_unit', type: 'string' },
      { name: 'period', type: 'string' },
      { name: 'start', type: 'date' },
      { name: 'answers', type: 'integer', unit: 'answers' },
      { name: 'customer_months', type: 'integer', unit: 'customers' },
      { name: 'mean_answer', type: 'number' },
      { name: 'value', type: 'number' },
      { name: 'lower', type: 'number' },
      { name: 'upper', type: 'number' },
      { name: 'centre', type: 'number' },
      { name: 'lower_limit', type: 'number' },
      { name: 'upper_limit', type: 'number' },
      { name: 'signal', type: 'string' },
    ],
    rows,
    { countColumn: 'answers', keyColumns: ['instrument', 'period_unit', 'period', 'start'] },
  );
}
