import { isSuppressed, proportionDifference, screen, wilsonInterval } from '../../stats/index.js';
import { shareLineChart } from '../charts.js';
import type { AttributeInfo } from '../facts-catalogue.js';
import { describePeriod } from '../period.js';
import { periodConditions } from '../period-sql.js';
import { groupTable, SHARE_WITH_INTERVAL_COLUMNS } from '../result-builder.js';
import type { Cell, Chart, Finding } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { SqlValues } from '../sql-values.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { scaleInterval, words } from '../wording.js';
import { isCategorical, MISSING_LEVEL } from './attributes.js';
import type { SectionOutput } from './section.js';

/** Levels followed per attribute over cohorts; smaller ones are pooled. */
const MAX_SERIES = 8;
const OTHER = 'other values';

interface CohortCell {
  cohort: string;
  level: string;
  n: number;
}

/** "2024Q3" for calendar quarters, else the first day of the fiscal quarter. */
export function cohortLabel(quarterStart: string, fiscalYearStartMonth: number): string {
  if (fiscalYearStartMonth !== 1) return `quarter from ${quarterStart}`;
  const month = Number(quarterStart.slice(5, 7));
  return `${quarterStart.slice(0, 4)}Q${Math.floor((month - 1) / 3) + 1}`;
}

/** Attributes whose mix over cohorts is shown: those known at acquisition, else the categorical segments. */
function mixAttributes(ctx: AnalysisContext): AttributeInfo[] {
  const flagged = ctx.facts.attributes.filter((a) => a.atAcquisition && isCategorical(a));
  if (flagged.length > 0) return flagged;
  const segmentSources = new Set(Object.values(ctx.config.segments).filter((s) => s.bands === undefined).map((s) => s.attribute));
  return ctx.facts.attributes.filter((a) => segmentSources.has(a.source) && isCategorical(a));
}

/** The attribute a reader means by "acquisition mix": a channel or source, else the first. */
function primaryAttribute(attributes: readonly AttributeInfo[]): AttributeInfo | undefined {
  return attributes.find((a) => /channel|source|acquisition|referr/i.test(a.source)) ?? attributes[0];
}

/** By cohort, then level in code-unit order: a fixed order, whatever order the engine returns groups in. */
function byCohortAndLevel(a: CohortCell, b: CohortCell): number {
  if (a.cohort !== b.cohort) return a.cohort < b.cohort ? -1 : 1;
  return a.level < b.level ? -1 : a.level > b.level ? 1 : 0;
}

async function cohortCells(ctx: AnalysisContext, attribute: AttributeInfo): Promise<CohortCell[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'p');
  const level = `COALESCE(${d.toString(q(attribute.name))}, ${values.bind(MISSING_LEVEL)})`;
  const cohort = d.toString(q('cohort_quarter'));
  const conditions = [`${q('cohort_quarter')} IS NOT NULL`];
  if (ctx.period !== null) conditions.push(...periodConditions(ctx, values, q('signup_at')));
  const rows = await scopeQuery<{ _cohort: string; _level: string; _n: bigint }>(
    ctx,
    scopeSelect(ctx, { items: [`${cohort} AS ${q('_cohort')}`, `${level} AS ${q('_level')}`, `count(*) AS ${q('_n')}`], where: conditions, groupBy: [cohort, level] }),
    values,
  );
  const cells = rows.map((r) => ({ cohort: r._cohort.slice(0, 10), level: r._level, n: Number(r._n) })).sort(byCohortAndLevel);
  const totals = new Map<string, number>();
  for (const c of cells) totals.set(c.level, (totals.get(c.level) ?? 0) + c.n);
  const kept = new Set([...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_SERIES).map(([l]) => l));
  if (kept.size === totals.size) return cells;
  const pooled = new Map<string, CohortCell>();
  for (const c of cells) {
    const key = kept.has(c.level) ? `${c.cohort}\u0000${c.level}` : `${c.cohort}\u0000${OTHER}`;
    const cell = pooled.get(key) ?? { cohort: c.cohort, level: kept.has(c.level) ? c.level : OTHER, n: 0 };
    cell.n += c.n;
    pooled.set(key, cell);
  }
  return [...pooled.values()];
}

interface Drift {
  attribute: AttributeInfo;
  level: string;
  early: { label: string; count: number; n: number };
  late: { label: string; count: number; n: number };
  estimate: number;
  interval: { lower: number; upper: number; level: number };
  pValue: number;
}

/** First year against last year of cohorts (or first half against second half when shorter). */
function drifts(attribute: AttributeInfo, cells: readonly CohortCell[], cohorts: readonly string[], label: (c: string) => string): Drift[] {
  if (cohorts.length < 2) return [];
  const span = cohorts.length >= 8 ? 4 : Math.floor(cohorts.length / 2);
  const early = new Set(cohorts.slice(0, span));
  const late = new Set(cohorts.slice(-span));
  const sum = (set: Set<string>, level?: string): number => cells.filter((c) => set.has(c.cohort) && (level === undefined || c.level === level)).reduce((s, c) => s + c.n, 0);
  const range = (list: string[]): string => (list.length === 1 ? label(list[0] ?? '') : `${label(list[0] ?? '')}-${label(list[list.length - 1] ?? '')}`);
  const earlyN = sum(early);
  const lateN = sum(late);
  if (earlyN === 0 || lateN === 0) return [];
  // A yes/no attribute is one comparison (its true share), not two mirror images.
  const levels = [...new Set(cells.map((c) => c.level))].filter((l) => l !== MISSING_LEVEL && (attribute.type !== 'boolean' || l === 'true'));
  return levels.map((level) => {
    const a = { count: sum(late, level), n: lateN };
    const b = { count: sum(early, level), n: earlyN };
    const diff = proportionDifference(a, b);
    return {
      attribute,
      level,
      early: { label: range(cohorts.slice(0, span)), ...b },
      late: { label: range(cohorts.slice(-span)), ...a },
      estimate: diff.estimate * 100,
      interval: scaleInterval(diff.interval, 100),
      pValue: diff.pValue,
    };
  });
}

function driftSentence(d: Drift): string {
  const more = d.estimate > 0;
  const what = d.attribute.type === 'boolean' ? d.attribute.source : `${d.attribute.source} ${d.level}`;
  const lead = `${more ? 'More' : 'Fewer'} new customers have ${what}`;
  return (
    `${lead}: ${words.percent(d.late.count / d.late.n)} of those acquired in ${d.late.label} against ${words.percent(d.early.count / d.early.n)} in ${d.early.label} ` +
    `(${d.estimate >= 0 ? '+' : '−'}${Math.abs(d.estimate).toFixed(1)} points, ${words.interval(d.interval, (x) => x.toFixed(1))}; n = ${words.count(d.late.n)} and ${words.count(d.early.n)}).`
  );
}

/** The acquisition mix of each signup cohort (quarter), and how it drifted from the first year to the last. */
export async function cohortMixSection(ctx: AnalysisContext): Promise<SectionOutput> {
  const attributes = mixAttributes(ctx);
  if (attributes.length === 0) {
    return { gaps: ['The mix of new customers over time is not shown: no categorical attribute is marked `at_acquisition: true` or listed under `segments` in cxray.yaml.'] };
  }
  const label = (c: string): string => cohortLabel(c, ctx.config.fiscal_year_start_month);
  const rows: Cell[][] = [];
  const all: Drift[] = [];
  const charts: Chart[] = [];
  const primary = primaryAttribute(attributes);
  for (const attribute of attributes) {
    const cells = await cohortCells(ctx, attribute);
    const cohorts = [...new Set(cells.map((c) => c.cohort))].sort();
    const totals = new Map<string, number>();
    for (const c of cells) totals.set(c.cohort, (totals.get(c.cohort) ?? 0) + c.n);
    const chartValues: Record<string, Cell>[] = [];
    for (const c of [...cells].sort((a, b) => (a.cohort === b.cohort ? a.level.localeCompare(b.level) : a.cohort < b.cohort ? -1 : 1))) {
      const total = totals.get(c.cohort) ?? 0;
      const w = isSuppressed(c.n) ? null : wilsonInterval({ count: c.n, n: total });
      rows.push([attribute.source, label(c.cohort), c.level, c.n, total, w?.estimate ?? null, w?.interval.lower ?? null, w?.interval.upper ?? null]);
      if (w !== null) chartValues.push({ period: label(c.cohort), series: c.level, share: w.estimate, lower: w.interval.lower, upper: w.interval.upper, n: c.n });
    }
    all.push(...drifts(attribute, cells, cohorts, label));
    if (attribute === primary && chartValues.length > 0) {
      charts.push(shareLineChart(`New customers by ${attribute.source}, per signup quarter`, 'signup quarter', attribute.source, chartValues));
    }
  }
  const screened = screen(
    all.map((d) => ({ ...d, unit: DIFFERENCE_UNITS.percentagePoints })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit },
  );
  const passing = screened.filter((d) => d.passes).sort((a, b) => Math.abs(b.estimate) - Math.abs(a.estimate));
  const findings: Finding[] = passing.map((d) => ({
    code: 'profile.mix_drift',
    text: driftSentence(d),
    estimate: d.estimate,
    unit: DIFFERENCE_UNITS.percentagePoints,
    interval: d.interval,
    n: d.early.n + d.late.n,
    pValue: d.pValue,
    qValue: d.qValue,
    severity: Math.abs(d.estimate) >= 5 ? 'medium' : 'low',
  }));
  const summary: string[] = [];
  const lead = passing.find((d) => d.attribute === primary);
  if (lead !== undefined) summary.push(driftSentence(lead));
  else if (primary !== undefined && all.some((d) => d.attribute === primary)) {
    const any = all.find((d) => d.attribute === primary);
    summary.push(`The mix of new customers by ${primary.source} did not change materially between ${any?.early.label ?? ''} and ${any?.late.label ?? ''} (no shift of ${ctx.thresholds.byUnit[DIFFERENCE_UNITS.percentagePoints]} point or more passed the false discovery rate).`);
  }
  return {
    summary,
    findings,
    charts,
    tables: [
      groupTable(
        'cohort_mix',
        [
          { name: 'attribute', type: 'string' },
          { name: 'cohort', type: 'string' },
          { name: 'level', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'cohort_customers', type: 'integer', unit: 'customers' },
          ...SHARE_WITH_INTERVAL_COLUMNS,
        ],
        rows,
        { countColumn: 'n', keyColumns: ['attribute', 'cohort', 'level'] },
      ),
    ],
    assumptions: [
      `Cohorts are signup quarters${ctx.period === null ? '' : ` (signups ${describePeriod(ctx.period)})`}; drift compares the first four cohorts with the last four (first half with second half when there are fewer than eight), a difference of proportions with Newcombe's interval, screened by Benjamini-Hochberg and the percentage-point threshold.`,
      'Cohorts are counted among the customers in the store: if the exports hold only current customers, older cohorts are the survivors, and their mix reflects retention as well as acquisition.',
    ],
  };
}
