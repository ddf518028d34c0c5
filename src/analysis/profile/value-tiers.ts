import { isSuppressed, meanInterval, wilsonInterval } from '../../stats/index.js';
import type { AttributeInfo } from '../facts-catalogue.js';
import { hasRows } from '../needs.js';
import { groupTable, SHARE_WITH_INTERVAL_COLUMNS } from '../result-builder.js';
import type { Cell, Finding } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, requiredNumber, SqlValues } from '../sql-values.js';
import { meanSummaryFromSums } from '../standardised-difference.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { isCategorical, MAX_LEVELS, MISSING_LEVEL } from './attributes.js';
import type { SectionOutput } from './section.js';
import { tierVariables, type TierVariable } from './tier-variables.js';
import { topTierSection } from './top-tier.js';

export const TIER_NAMES = ['bottom quarter', 'second quarter', 'third quarter', 'top quarter'] as const;

/** Per tier and variable: count of known values, sum, sum of squares. */
export interface TierAggregates {
  /** Customers per tier (index 0 = bottom). */
  customers: number[];
  /** Net value bounds of each tier: (previous cut, cut]. */
  cuts: number[];
  variables: { variable: TierVariable; byTier: { n: number; sum: number; sumSquares: number }[] }[];
  /** Per categorical attribute, level counts per tier. */
  levels: { attribute: AttributeInfo; byLevel: Map<string, number[]> }[];
}

/** Attributes whose levels describe a tier: those known at acquisition, else every categorical one. */
function describingAttributes(ctx: AnalysisContext): AttributeInfo[] {
  const categorical = ctx.facts.attributes.filter(isCategorical);
  const flagged = categorical.filter((a) => a.atAcquisition);
  return flagged.length > 0 ? flagged : categorical;
}

async function tierAggregates(ctx: AnalysisContext): Promise<TierAggregates | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const nv = d.toDouble(q('net_value'));
  // The cuts decide who is in which tier: exact quantiles (type 1), the same values on every engine.
  const [quartiles] = await scopeQuery(ctx, scopeSelect(ctx, { items: [0.25, 0.5, 0.75].map((p, i) => `${d.quantileExact(nv, p)} AS ${q(`_q${i}`)}`) }));
  const cuts = [0, 1, 2].map((i) => requiredNumber(quartiles?.[`_q${i}`], 'net value quartile'));
  const values = new SqlValues(ctx.engine, 'q');
  const tier = `(CASE WHEN ${nv} <= ${values.bind(cuts[0] ?? 0)} THEN 0 WHEN ${nv} <= ${values.bind(cuts[1] ?? 0)} THEN 1 WHEN ${nv} <= ${values.bind(cuts[2] ?? 0)} THEN 2 ELSE 3 END)`;
  const variables = tierVariables(ctx);
  const items = variables.flatMap((v, i) => {
    const x = d.toDouble(v.expr);
    return [`count(${v.expr}) AS ${q(`_n${i}`)}`, `sum(${v.exactSum ? v.expr : x}) AS ${q(`_s${i}`)}`, `sum(${x} * ${x}) AS ${q(`_ss${i}`)}`];
  });
  const rows = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${tier} AS ${q('_tier')}`, `count(*) AS ${q('_n')}`, ...items], groupBy: [tier] }), values);
  const byTier = new Map(rows.map((r) => [Number(numberOf(r['_tier'])), r]));
  const customers = [0, 1, 2, 3].map((t) => numberOf(byTier.get(t)?.['_n']) ?? 0);
  if (customers.filter((n) => n > 0).length < 2) return null;

  const levels: TierAggregates['levels'] = [];
  for (const attribute of describingAttributes(ctx)) {
    const level = `COALESCE(${d.toString(q(attribute.name))}, ${values.bind(MISSING_LEVEL)})`;
    const counts = await scopeQuery(
      ctx,
      scopeSelect(ctx, { items: [`${tier} AS ${q('_tier')}`, `${level} AS ${q('_level')}`, `count(*) AS ${q('_n')}`], groupBy: [tier, level] }),
      values,
    );
    // Levels in code-unit order, so ties between levels (typicalLevels) break the same way on every engine.
    const byLevel = new Map<string, number[]>();
    for (const r of counts.map((c) => ({ level: String(c['_level']), tier: Number(numberOf(c['_tier'])), n: numberOf(c['_n']) ?? 0 })).sort((a, b) => (a.level < b.level ? -1 : a.level > b.level ? 1 : 0))) {
      const arr = byLevel.get(r.level) ?? [0, 0, 0, 0];
      arr[r.tier] = r.n;
      byLevel.set(r.level, arr);
    }
    if (byLevel.size <= MAX_LEVELS) levels.push({ attribute, byLevel });
  }
  return {
    customers,
    cuts,
    variables: variables.map((variable, i) => ({
      variable,
      byTier: [0, 1, 2, 3].map((t) => {
        const r = byTier.get(t);
        return { n: numberOf(r?.[`_n${i}`]) ?? 0, sum: numberOf(r?.[`_s${i}`]) ?? 0, sumSquares: numberOf(r?.[`_ss${i}`]) ?? 0 };
      }),
    })),
    levels,
  };
}

function tierRange(t: number, cuts: readonly number[], money: (x: number) => string): string {
  if (t === 0) return `net value up to ${money(cuts[0] ?? 0)}`;
  if (t === 3) return `net value above ${money(cuts[2] ?? 0)}`;
  return `net value ${money(cuts[t - 1] ?? 0)} to ${money(cuts[t] ?? 0)}`;
}

/** The typical customer of a tier: its most common level of each describing attribute. */
function typicalLevels(agg: TierAggregates, t: number): string[] {
  const n = agg.customers[t] ?? 0;
  return agg.levels.flatMap(({ attribute, byLevel }) => {
    const ranked = [...byLevel.entries()].filter(([l]) => l !== MISSING_LEVEL).sort((a, b) => (b[1][t] ?? 0) - (a[1][t] ?? 0));
    const top = ranked[0];
    if (top === undefined || isSuppressed(top[1][t] ?? 0) || n === 0) return [];
    return [`${attribute.source} ${top[0]} (${words.percent((top[1][t] ?? 0) / n, 0)})`];
  });
}

/**
 * Customers in quarters of net value: the typical customer of each (most
 * common attribute levels, mean value and tenure), and what sets the top
 * quarter apart.
 */
export async function valueTiersSection(ctx: AnalysisContext): Promise<SectionOutput> {
  if (!hasRows(ctx, 'transactions') || isSuppressed(ctx.scope.customers)) return {};
  const agg = await tierAggregates(ctx);
  if (agg === null) return { gaps: ['Value tiers are not shown: net value hardly varies between these customers.'] };
  const currency = ctx.config.currency;
  const money = (x: number): string => words.money(x, currency);
  const findings: Finding[] = [];
  const summary: string[] = [];
  const profileRows: Cell[][] = [];
  const levelRows: Cell[][] = [];

  TIER_NAMES.forEach((name, t) => {
    const n = agg.customers[t] ?? 0;
    for (const { variable, byTier } of agg.variables) {
      const s = byTier[t] ?? { n: 0, sum: 0, sumSquares: 0 };
      const summaryT = meanSummaryFromSums(s.n, s.sum, s.sumSquares);
      const interval = s.n < 2 ? null : variable.kind === 'share' ? wilsonInterval({ count: Math.round(s.sum), n: s.n }).interval : meanInterval(summaryT).interval;
      profileRows.push([name, variable.key, variable.kind, s.n, s.n > 0 ? summaryT.mean : null, interval?.lower ?? null, interval?.upper ?? null]);
    }
    for (const { attribute, byLevel } of agg.levels) {
      for (const [level, counts] of byLevel) {
        const c = counts[t] ?? 0;
        const w = n > 0 && !isSuppressed(c) ? wilsonInterval({ count: c, n }) : null;
        levelRows.push([name, attribute.source, level, c, w?.estimate ?? null, w?.interval.lower ?? null, w?.interval.upper ?? null]);
      }
    }
    const value = agg.variables[0]?.byTier[t];
    if (value === undefined || isSuppressed(n) || value.n < 2) return;
    const mean = meanInterval(meanSummaryFromSums(value.n, value.sum, value.sumSquares));
    const typical = typicalLevels(agg, t);
    const tenure = agg.variables.find((v) => v.variable.key === 'tenure_days')?.byTier[t];
    const tenureText = tenure !== undefined && tenure.n > 0 ? `; mean tenure ${words.months(tenure.sum / tenure.n)}` : '';
    const text =
      `The ${name} by net value (${words.count(n)} customers, ${tierRange(t, agg.cuts, money)}): mean net value ${money(mean.estimate)} (${words.interval(mean.interval, money)})` +
      `${typical.length > 0 ? `; typically ${words.list(typical.slice(0, 4))}` : ''}${tenureText}.`;
    findings.push({ code: 'profile.tier_net_value', text, estimate: mean.estimate, unit: currency, interval: mean.interval, n, severity: 'info' });
    if (t === 3) summary.push(text);
  });

  const top = topTierSection(ctx, agg);
  return {
    summary: [...summary, ...(top.summary ?? [])],
    findings: [...findings, ...(top.findings ?? [])],
    warnings: top.warnings ?? [],
    tables: [
      groupTable(
        'value_tiers',
        [
          { name: 'tier', type: 'string' },
          { name: 'variable', type: 'string' },
          { name: 'kind', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'mean', type: 'number' },
          { name: 'lower', type: 'number' },
          { name: 'upper', type: 'number' },
        ],
        profileRows,
        { countColumn: 'n', keyColumns: ['tier', 'variable', 'kind'] },
      ),
      groupTable(
        'value_tier_levels',
        [
          { name: 'tier', type: 'string' },
          { name: 'attribute', type: 'string' },
          { name: 'level', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          ...SHARE_WITH_INTERVAL_COLUMNS,
        ],
        levelRows,
        { countColumn: 'n', keyColumns: ['tier', 'attribute', 'level'] },
      ),
      ...(top.tables ?? []),
    ],
    assumptions: [
      'Value tiers are quarters of net value (net revenue − cost to serve, to as_of; not restricted by --from/--to), cut at its exact quartiles; tied values share a tier.',
      ...(top.assumptions ?? []),
    ],
  };
}
