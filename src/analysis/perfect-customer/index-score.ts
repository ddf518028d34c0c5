import type { RowValue } from '../../engine/types.js';
import { isSuppressed, wilsonInterval } from '../../stats/index.js';
import { shareBarChart } from '../charts.js';
import { readNumericSummary, numericSummaryItems } from '../profile/numeric-summary.js';
import { groupTable, SHARE_WITH_INTERVAL_COLUMNS } from '../result-builder.js';
import type { Cell, Finding } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import type { SectionOutput } from '../profile/section.js';
import type { Behaviour } from './behaviours.js';

export interface IndexWeight {
  behaviour: Behaviour;
  weight: number;
  /** Where the weight comes from, in words. */
  source: 'declared' | 'estimated' | 'equal';
}

/**
 * The weights of the Perfect Customer Index: a behaviour's declared value per
 * month when cxray.yaml gives one, else its estimated value from the data
 * (none below 0: a behaviour that costs money adds nothing to the index).
 * When no behaviour has a positive value, every behaviour weighs the same.
 */
export function indexWeights(behaviours: readonly Behaviour[], estimated: ReadonlyMap<string, number>): IndexWeight[] {
  const weights = behaviours.map((b): IndexWeight =>
    b.declaredPerMonth !== null ? { behaviour: b, weight: Math.max(0, b.declaredPerMonth), source: 'declared' } : { behaviour: b, weight: Math.max(0, estimated.get(b.key) ?? 0), source: 'estimated' },
  );
  if (weights.every((w) => w.weight === 0)) return behaviours.map((b) => ({ behaviour: b, weight: 1, source: 'equal' }));
  return weights;
}

/** The index per customer as SQL (0 to 100): the weighted share of the behaviours adopted. */
export function indexSql(ctx: AnalysisContext, weights: readonly IndexWeight[]): string {
  const d = ctx.engine.dialect;
  const total = weights.reduce((s, w) => s + w.weight, 0);
  return `(100.0 * (${weights.map((w) => `${d.literal(w.weight / total)} * ${w.behaviour.adopted}`).join(' + ')}))`;
}

/**
 * The Perfect Customer Index: its distribution (mean with interval,
 * quartiles, ten bands), its mean by segment, and each behaviour's adoption
 * by segment and by signup year.
 */
export async function indexSection(ctx: AnalysisContext, values: SqlValues, weights: readonly IndexWeight[]): Promise<SectionOutput> {
  const d = ctx.engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  const pci = indexSql(ctx, weights);
  const findings: Finding[] = [];
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: numericSummaryItems(d, pci, 'pci') }), values);
  const s = row === undefined ? null : readNumericSummary(row, 'pci');
  const band = `floor(${d.ifThen(`${pci} >= 100`, '99.999', pci)} / 10)`;
  const bands = await scopeQuery<{ _b: RowValue; _n: RowValue }>(ctx, scopeSelect(ctx, { items: [`${band} AS ${q('_b')}`, `count(*) AS ${q('_n')}`], groupBy: [band] }), values);
  const total = ctx.scope.customers;
  const bandRows: Cell[][] = [];
  for (let b = 0; b < 10; b += 1) {
    const n = numberOf(bands.find((r) => numberOf(r._b) === b)?._n) ?? 0;
    const w = isSuppressed(n) || total === 0 ? null : wilsonInterval({ count: n, n: total });
    bandRows.push([`${b * 10}-${b === 9 ? 100 : b * 10 + 9}`, n, w?.estimate ?? null, w?.interval.lower ?? null, w?.interval.upper ?? null]);
  }
  const summary: string[] = [];
  if (s?.mean !== null && s !== null && s.mean !== undefined) {
    const weighting = weights.map((w) => `${w.behaviour.label} ${Math.round((100 * w.weight) / weights.reduce((t, x) => t + x.weight, 0))}%`).join(', ');
    const sentence = `The average customer scores ${words.number(s.mean.estimate, 1)} of 100 on the Perfect Customer Index (${words.interval(s.mean.interval, (x) => words.number(x, 1))}; n = ${words.count(s.n)}), weighting ${weighting}.`;
    summary.push(sentence);
    findings.push({ code: 'perfect_customer.index_mean', text: sentence, estimate: s.mean.estimate, unit: 'index 0-100', interval: s.mean.interval, n: s.n, severity: 'info' });
  }

  // Mean index and adoption by segment: one query per segment attribute.
  const segmentRows: Cell[][] = [];
  for (const [name, segment] of Object.entries(ctx.config.segments)) {
    const attribute = ctx.facts.attributes.find((a) => a.source === segment.attribute && (a.type === 'string' || a.type === 'boolean'));
    if (attribute === undefined) continue;
    const level = d.toString(q(attribute.name));
    const rows = await scopeQuery<Record<string, RowValue>>(
      ctx,
      scopeSelect(ctx, {
        items: [`${level} AS ${q('_level')}`, `count(*) AS ${q('_n')}`, `avg(${pci}) AS ${q('_pci')}`, ...weights.map((w, i) => `sum(${w.behaviour.adopted}) AS ${q(`_a${i}`)}`)],
        groupBy: [level],
      }),
      values,
    );
    for (const r of rows) {
      const n = numberOf(r['_n']) ?? 0;
      segmentRows.push([name, (r['_level'] as string | null) ?? '(missing)', n, numberOf(r['_pci']), ...weights.map((_, i) => (n === 0 ? null : (numberOf(r[`_a${i}`]) ?? 0) / n))]);
    }
  }
  const cohort = d.toString(d.dateTrunc('year', q('signup_at')));
  const cohortRows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, { items: [`${cohort} AS ${q('_year')}`, `count(*) AS ${q('_n')}`, ...weights.map((w, i) => `sum(${w.behaviour.adopted}) AS ${q(`_a${i}`)}`)], where: [`${q('signup_at')} IS NOT NULL`], groupBy: [cohort] }),
    values,
  );
  const adoptionColumns = weights.map((w) => ({ name: `adoption_${w.behaviour.key}`, type: 'number' as const, unit: 'share' }));
  return {
    summary,
    findings,
    tables: [
      groupTable('index_weights', [{ name: 'behaviour', type: 'string' }, { name: 'weight', type: 'number', unit: 'share' }, { name: 'source', type: 'string' }, { name: 'n', type: 'integer', unit: 'customers' }], weights.map((w) => [w.behaviour.key, w.weight / weights.reduce((t, x) => t + x.weight, 0), w.source, total]), { countColumn: 'n', keyColumns: ['behaviour'] }),
      groupTable('index_distribution', [{ name: 'band', type: 'string' }, { name: 'n', type: 'integer', unit: 'customers' }, ...SHARE_WITH_INTERVAL_COLUMNS], bandRows, { countColumn: 'n', keyColumns: ['band'] }),
      groupTable(
        'index_by_segment',
        [{ name: 'segment', type: 'string' }, { name: 'level', type: 'string' }, { name: 'n', type: 'integer', unit: 'customers' }, { name: 'mean_index', type: 'number', unit: 'index 0-100' }, ...adoptionColumns],
        segmentRows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
        { countColumn: 'n', keyColumns: ['segment', 'level'] },
      ),
      groupTable(
        'adoption_by_signup_year',
        [{ name: 'signup_year', type: 'string' }, { name: 'n', type: 'integer', unit: 'customers' }, ...adoptionColumns],
        cohortRows
          .map((r): Cell[] => {
            const n = numberOf(r['_n']) ?? 0;
            return [String(r['_year']).slice(0, 4), n, ...weights.map((_, i) => (n === 0 ? null : (numberOf(r[`_a${i}`]) ?? 0) / n))];
          })
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        { countColumn: 'n', keyColumns: ['signup_year'] },
      ),
    ],
    charts: [
      shareBarChart(
        'Customers by Perfect Customer Index band',
        'index band',
        bandRows.map((r) => ({ category: r[0] as string, share: r[2] ?? null, lower: r[3] ?? null, upper: r[4] ?? null, n: r[1] ?? null })),
      ),
    ],
  };
}
