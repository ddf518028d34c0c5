import { screen } from '../../stats/index.js';
import type { Grouping } from '../profile/groupings.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { assortativity, type Assortativity, type ReferrerLevelSums } from './mixing-math.js';
import { broughtJoin, referredConditions } from './pairs-sql.js';

/**
 * Attributes with more values than this among referred customers are not
 * tested: the query carries a count per value and a moment per pair of
 * values, and a mixing matrix that large says little pair by pair.
 */
export const MAX_MIXING_LEVELS = 25;

/** How referrers and the customers they brought mix on one attribute known at acquisition. */
export interface AttributeMixing {
  grouping: Grouping;
  /** The referred customers' values (columns of the matrix), most common first. */
  referredLevels: string[];
  /** One row per referrer value: the matrix row and its moments. */
  rows: ReferrerLevelSums[];
  result: Assortativity | null;
  qValue: number | null;
  /** Homophily (or heterophily) claimed: passed Benjamini-Hochberg and the percentage-point threshold. */
  passes: boolean;
}

/**
 * The mixing matrix of one attribute in one GROUP BY: each referrer's row
 * meets one narrow row of what it brought (broughtJoin: how many customers
 * of each value), grouped by the referrer's own value, with Σ c_j and
 * Σ c_j·c_k for the variance clustered by referrer. Null when the referred
 * customers hold more than MAX_MIXING_LEVELS values.
 */
export async function attributeMixing(ctx: AnalysisContext, values: SqlValues, grouping: Grouping): Promise<AttributeMixing | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const levelRows = await scopeQuery(
    ctx,
    `SELECT ${grouping.expr} AS ${q('_g')}, count(*) AS ${q('_n')} FROM ${ctx.scope.table} WHERE ${referredConditions(ctx, values).join(' AND ')} GROUP BY ${grouping.expr} LIMIT ${MAX_MIXING_LEVELS + 1}`,
    values,
  );
  if (levelRows.length > MAX_MIXING_LEVELS) return null;
  const referredLevels = levelRows
    .map((r) => ({ level: String(r['_g']), n: numberOf(r['_n']) ?? 0 }))
    .sort((a, b) => b.n - a.n || (a.level < b.level ? -1 : 1))
    .map((l) => l.level);
  const count = (j: number): string => q(`_bc${j}`);
  const brought = [`count(*) AS ${q('_bn')}`, ...referredLevels.map((level, j) => `sum(${d.ifThen(`${grouping.expr} = ${values.bind(level)}`, '1', '0')}) AS ${count(j)}`)];
  const items = [`${grouping.expr} AS ${q('_g')}`, `count(*) AS ${q('_r')}`, `sum(${q('_bn')}) AS ${q('_p')}`];
  referredLevels.forEach((_, j) => {
    items.push(`sum(${count(j)}) AS ${q(`_e${j}`)}`);
    for (let k = j; k < referredLevels.length; k += 1) items.push(`sum(${count(j)} * ${count(k)}) AS ${q(`_m${j}_${k}`)}`);
  });
  const rows = await scopeQuery(ctx, scopeSelect(ctx, { items, join: broughtJoin(ctx, values, brought, 'INNER'), groupBy: [grouping.expr] }), values);
  const get = (row: Record<string, unknown>, name: string): number => numberOf(row[name]) ?? 0;
  const sums: ReferrerLevelSums[] = rows
    .map((row) => ({
      level: String(row['_g']),
      referrers: get(row, '_r'),
      pairs: get(row, '_p'),
      counts: referredLevels.map((_, j) => get(row, `_e${j}`)),
      moments: referredLevels.map((_, j) => referredLevels.map((__, k) => get(row, j <= k ? `_m${j}_${k}` : `_m${k}_${j}`))),
    }))
    .sort((a, b) => b.pairs - a.pairs || (a.level < b.level ? -1 : 1));
  // One value on either side (every referred customer acquired by "referral"; every referrer in a segment
  // rule's one value): the same-value share then equals chance exactly, so there is nothing to test.
  const result = referredLevels.length < 2 || sums.length < 2 ? null : assortativity(referredLevels, sums);
  return { grouping, referredLevels, rows: sums, result, qValue: null, passes: false };
}

/**
 * Every attribute's mixing, screened together: each attribute's same-value
 * share against chance is one test (two-sided), the family controlled by
 * Benjamini-Hochberg at the workspace FDR, a claim also needing the
 * difference to reach the percentage-point threshold.
 */
export async function mixingScan(ctx: AnalysisContext, values: SqlValues, groupings: readonly Grouping[]): Promise<{ mixings: AttributeMixing[]; warnings: string[] }> {
  const mixings: AttributeMixing[] = [];
  const skipped: string[] = [];
  for (const grouping of groupings) {
    const mixing = await attributeMixing(ctx, values, grouping);
    if (mixing === null) skipped.push(grouping.label);
    else mixings.push(mixing);
  }
  const unit = 'percentage_points';
  const tested = mixings.filter((m) => m.result !== null);
  const verdicts = screen(
    tested.map((m) => ({ estimate: 100 * (m.result?.difference.estimate ?? 0), unit, pValue: m.result?.difference.pValue ?? 1 })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: { [unit]: ctx.thresholds.byUnit[unit] ?? 1 } },
  );
  tested.forEach((m, i) => {
    m.qValue = verdicts[i]?.qValue ?? null;
    m.passes = verdicts[i]?.passes ?? false;
  });
  const warnings = skipped.length === 0 ? [] : [`Not tested for referral homophily, having more than ${MAX_MIXING_LEVELS} values among referred customers: ${skipped.join(', ')}.`];
  return { mixings, warnings };
}
