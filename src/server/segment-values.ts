import { MISSING_LEVEL } from '../analysis/profile/attributes.js';
import { profileGroupings, type Grouping } from '../analysis/profile/groupings.js';
import { formatSegment, parseSegment, resolveSegment, segmentCondition } from '../analysis/segment/index.js';
import { numberOf, SqlValues } from '../analysis/sql-values.js';
import type { AnalysisContext } from '../analysis/types.js';
import type { Engine, SqlParams } from '../engine/types.js';

/** One value of a segment, with its customers and the rule that selects them (for `?segment=`). */
export interface SegmentLevel {
  value: string;
  customers: number;
  rule: string;
}

/** A segment of cxray.yaml (or, without any, an attribute known at acquisition) and its values. */
export interface SegmentInfo {
  key: string;
  label: string;
  /** The customer_facts column the rules name. */
  column: string;
  kind: 'values' | 'bands';
  levels: SegmentLevel[];
}

const quoted = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The rule selecting one level of a grouping: its value, or its band's bounds, or no value. */
function levelRule(ctx: AnalysisContext, grouping: Grouping, level: string): string {
  const column = grouping.attribute.name;
  if (level === MISSING_LEVEL) return `${column} IS NULL`;
  const bands = ctx.config.segments[grouping.key]?.bands;
  if (bands !== undefined && bands.length > 0) {
    const sorted = [...new Set(bands)].sort((a, b) => a - b);
    const i = grouping.order.indexOf(level);
    if (i === 0) return `${column} < ${sorted[0] ?? 0}`;
    if (i === sorted.length) return `${column} >= ${sorted[sorted.length - 1] ?? 0}`;
    return `${column} >= ${sorted[i - 1] ?? 0} AND ${column} < ${sorted[i] ?? 0}`;
  }
  return grouping.attribute.type === 'boolean' && (level === 'true' || level === 'false') ? `${column} = ${level}` : `${column} = ${quoted(level)}`;
}

/**
 * Each segment's values with their customer counts (within `segment` when
 * given), largest first (bands in order), each with the rule that selects
 * it, in the normal form analyses store: what a filter needs to offer.
 */
export async function segmentValues(engine: Engine, ctx: AnalysisContext, segment?: string): Promise<{ segment: string | null; customers: number; segments: SegmentInfo[] }> {
  const d = engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(engine, 'api');
  const { groupings } = profileGroupings(ctx, values);
  const condition = segment === undefined ? null : segmentCondition(segment, ctx.facts.columns, engine);
  const where = condition?.sql ?? '1 = 1';
  const params: SqlParams = { ...(condition?.params ?? {}), ...values.params };
  const [counted] = await engine.query(`SELECT count(*) AS ${q('_n')} FROM ${ctx.scope.table} WHERE ${where}`, condition?.params ?? {});
  const segments: SegmentInfo[] = [];
  for (const g of groupings) {
    const rows = await engine.query(`SELECT ${q('_g')}, count(*) AS ${q('_n')} FROM (SELECT ${g.expr} AS ${q('_g')} FROM ${ctx.scope.table} WHERE ${where}) AS ${q('_l')} GROUP BY ${q('_g')}`, params);
    const levels = rows.map((r) => {
      const value = String(r['_g']);
      const rule = levelRule(ctx, g, value);
      return { value, customers: numberOf(r['_n']) ?? 0, rule: formatSegment(resolveSegment(parseSegment(rule), ctx.facts.columns)) };
    });
    const bands = g.order.length > 0;
    levels.sort((a, b) => (bands ? g.order.indexOf(a.value) - g.order.indexOf(b.value) : b.customers - a.customers || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)));
    segments.push({ key: g.key, label: g.label, column: g.attribute.name, kind: bands ? 'bands' : 'values', levels });
  }
  return { segment: condition?.rule ?? null, customers: numberOf(counted?.['_n']) ?? 0, segments };
}
