import { wilsonInterval } from '../../stats/index.js';
import type { Interval } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/** A behaviour an experience area lists (experience_areas.behaviours), with its adoption among the customers in scope. */
export interface BehaviourTouchpoint {
  /** The experience_areas key. */
  area: string;
  /** The behaviours key. */
  key: string;
  label: string;
  adopters: number;
  customers: number;
  /** Share adopted, 0-100, with its Wilson interval. */
  adoption: number;
  interval: Interval;
}

/**
 * Adoption of each behaviour an experience area lists: the share of the
 * customers in scope who adopted it (customer_facts.adopted_<behaviour>),
 * by the end of the period when one is given (a behaviour adopted at an
 * unknown time, from an attribute, counts). One customer is one
 * observation, so the Wilson interval needs no clustering. A behaviour
 * cxray.yaml does not declare, or this import has no column for, is left
 * out and named in `unknown`.
 */
export async function behaviourTouchpoints(ctx: AnalysisContext): Promise<{ touchpoints: BehaviourTouchpoint[]; unknown: string[] }> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const values = new SqlValues(ctx.engine, 'bt');
  const listed: { area: string; key: string; label: string }[] = [];
  const unknown: string[] = [];
  for (const [area, spec] of Object.entries(ctx.config.experience_areas)) {
    for (const key of spec.behaviours ?? []) {
      if (Object.hasOwn(ctx.config.behaviours, key) && stored.has(`adopted_${key}`)) listed.push({ area, key, label: ctx.config.behaviours[key]?.label ?? key.replaceAll('_', ' ') });
      else unknown.push(key);
    }
  }
  if (listed.length === 0) return { touchpoints: [], unknown };
  const end = ctx.period?.end;
  const adopted = (key: string): string => {
    const flag = `${d.boolToInt(q(`adopted_${key}`))} = 1`;
    const at = `adopted_${key}_at`;
    return end === undefined || !stored.has(at) ? flag : `${flag} AND (${q(at)} IS NULL OR ${q(at)} < ${values.bind(end)})`;
  };
  const keys = [...new Set(listed.map((b) => b.key))];
  const items = [`count(*) AS ${q('_n')}`, ...keys.map((key, i) => `sum(CASE WHEN ${adopted(key)} THEN 1 ELSE 0 END) AS ${q(`_b${i}`)}`)];
  const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items }), values);
  const customers = numberOf(row?.['_n']) ?? 0;
  if (customers === 0) return { touchpoints: [], unknown };
  return {
    touchpoints: listed.map((b) => {
      const adopters = numberOf(row?.[`_b${keys.indexOf(b.key)}`]) ?? 0;
      const share = wilsonInterval({ count: adopters, n: customers });
      return { ...b, adopters, customers, adoption: 100 * share.estimate, interval: { lower: 100 * share.interval.lower, upper: 100 * share.interval.upper, level: share.interval.level } };
    }),
    unknown,
  };
}
