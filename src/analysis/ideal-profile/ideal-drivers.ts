import { normalCritical } from '../../stats/index.js';
import { keyDriversAnalysis } from '../key-drivers/index.js';
import { runKeyDrivers } from '../key-drivers/run-key-drivers.js';
import type { Interval, Result } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { ruleSql, type Rule } from './rule.js';

/** One experience area's share of the explained satisfaction, within the ideal profile and among the other customers. */
export interface AreaComparison {
  driver: string;
  label: string;
  inside: { share: number; interval: Interval; n: number };
  outside: { share: number; interval: Interval; n: number };
  /** Inside minus outside, with an interval from the two bootstrap intervals (independent groups of customers). */
  difference: { estimate: number; interval: Interval };
}

export interface IdealDrivers {
  areas: AreaComparison[];
  /** Why there is no comparison (no survey with areas, too few answers on one side), or null. */
  missing: string | null;
}

function restricted(ctx: AnalysisContext, condition: string, values: readonly SqlValues[], customers: number): AnalysisContext {
  return { ...ctx, scope: { ...ctx.scope, where: `(${ctx.scope.where}) AND ${condition}`, params: Object.assign({}, ctx.scope.params, ...values.map((v) => v.params)) as typeof ctx.scope.params, customers } };
}

function satisfactionShares(result: Result): Map<string, { label: string; share: number; lower: number; upper: number; n: number }> {
  const table = result.tables.find((t) => t.name === 'satisfaction_drivers');
  const out = new Map<string, { label: string; share: number; lower: number; upper: number; n: number }>();
  if (table === undefined) return out;
  const at = (name: string): number => table.columns.findIndex((c) => c.name === name);
  for (const row of table.rows) {
    const share = numberOf(row[at('share')]);
    const lower = numberOf(row[at('share_lower')]);
    const upper = numberOf(row[at('share_upper')]);
    if (share === null || lower === null || upper === null) continue;
    out.set(String(row[at('driver')]), { label: String(row[at('label')]), share, lower, upper, n: numberOf(row[at('n')]) ?? 0 });
  }
  return out;
}

/**
 * What the ideal customers value: the key drivers of satisfaction (relative
 * weights of the experience areas, key-drivers' own analysis) computed within
 * the ideal profile and among the other customers in scope, side by side.
 */
/** `groupingValues`: the parameters the rule's attribute expressions were built with. */
export async function idealDrivers(ctx: AnalysisContext, rule: Rule, groupingValues: SqlValues): Promise<IdealDrivers> {
  const values = new SqlValues(ctx.engine, 'ipk');
  const inRule = ruleSql(rule, values);
  const q = ctx.engine.dialect.quoteIdent;
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`sum(CASE WHEN ${inRule} THEN 1 ELSE 0 END) AS ${q('_in')}`, `count(*) AS ${q('_n')}`] }), values, groupingValues);
  const inside = numberOf(row?.['_in']) ?? 0;
  const all = numberOf(row?.['_n']) ?? 0;
  const runs = [
    await runKeyDrivers(restricted(ctx, inRule, [values, groupingValues], inside), keyDriversAnalysis),
    await runKeyDrivers(restricted(ctx, `NOT ${inRule}`, [values, groupingValues], all - inside), keyDriversAnalysis),
  ];
  const [a, b] = runs as [Result, Result];
  for (const [r, who] of [
    [a, 'the ideal customers'],
    [b, 'the other customers'],
  ] as const) {
    if (r.status !== 'ok') return { areas: [], missing: `key drivers among ${who}: ${(r.reason ?? 'not computed').replace(/\.$/, '')}` };
  }
  const inShares = satisfactionShares(a);
  const outShares = satisfactionShares(b);
  if (inShares.size === 0 || outShares.size === 0) {
    const withheld = [a, b].flatMap((r) => r.warnings.filter((w) => w.startsWith('Satisfaction drivers:')))[0];
    return { areas: [], missing: `no satisfaction driver weights on both sides${withheld === undefined ? '' : ` (${withheld})`}` };
  }
  const z = normalCritical(0.95);
  const areas: AreaComparison[] = [];
  for (const [driver, x] of inShares) {
    const y = outShares.get(driver);
    if (y === undefined) continue;
    const se = Math.hypot((x.upper - x.lower) / (2 * z), (y.upper - y.lower) / (2 * z));
    const estimate = x.share - y.share;
    areas.push({
      driver,
      label: x.label,
      inside: { share: x.share, interval: { lower: x.lower, upper: x.upper, level: 0.95 }, n: x.n },
      outside: { share: y.share, interval: { lower: y.lower, upper: y.upper, level: 0.95 }, n: y.n },
      difference: { estimate, interval: { lower: estimate - z * se, upper: estimate + z * se, level: 0.95 } },
    });
  }
  areas.sort((p, q2) => q2.inside.share - p.inside.share || (p.driver < q2.driver ? -1 : 1));
  return { areas, missing: null };
}
