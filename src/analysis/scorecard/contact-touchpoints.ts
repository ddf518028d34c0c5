import { blockKeySql, type BlockSums } from '../block-bootstrap.js';
import { hasRows } from '../needs.js';
import { perCustomerJoin } from '../per-customer-join.js';
import { periodConditions } from '../period-sql.js';
import type { Interval } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { trendOf, type Trend } from './area-scores.js';
import { clusteredMean } from './clustered-mean.js';
import { exposureMonthsSql } from './exposure-months.js';
import { addMeasureParts, MEASURE_PARTS, measureNames, measureRange, measureSums, partName, resummedSums } from './measure-sums.js';

/** What a contact touchpoint is: every contact, one channel, or the contact reasons cxray.yaml maps to an experience area. */
export type ContactKind = 'all' | 'channel' | 'area';

export type ContactMeasure = 'resolution' | 'interaction_satisfaction' | 'contact_rate';

/** One measure of one contact touchpoint. */
export interface ContactValue {
  measure: ContactMeasure;
  /** Resolution and satisfaction on 0-100 (share resolved, mean satisfaction); the contact rate in contacts per 100 customer-months. */
  value: number;
  interval: Interval;
  /** Contacts observed (resolution, satisfaction), or customers observed for any time (contact rate). */
  n: number;
  /** Bootstrap blocks of customers observed (the interval's independent units). */
  clusters: number;
  trend: Trend | null;
}

export interface ContactTouchpoint {
  kind: ContactKind;
  /** `all`, the channel, or the experience_areas key. */
  key: string;
  label: string;
  contacts: number;
  values: ContactValue[];
}

/**
 * The sums a touchpoint keeps per block, in this order: resolution's parts
 * (suffix `r`), satisfaction's (`s`), its contacts `_n` and the contacts of
 * customers with a known exposure `_ky`.
 */
const LAYOUT: readonly string[] = [...MEASURE_PARTS.map((p) => partName(p, 'r')), ...MEASURE_PARTS.map((p) => partName(p, 's')), '_n', '_ky'];
const [RESOLUTION_AT, SATISFACTION_AT, CONTACTS_AT, EXPOSED_CONTACTS_AT] = [0, MEASURE_PARTS.length, 2 * MEASURE_PARTS.length, 2 * MEASURE_PARTS.length + 1];

interface Gathered {
  kind: ContactKind;
  key: string;
  label: string;
  /** By block number, laid out as LAYOUT. */
  blocks: Map<number, Float64Array>;
}

type Ctx = AnalysisContext;

/** Per-customer sums of the contacts meeting `condition`: count, resolution (`r`) and satisfaction (`s`) measure sums under `_i`. */
function contactItems(ctx: Ctx, values: SqlValues, condition: string, suffix: string): string[] {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const day = d.toDouble(d.dateDiff('day', values.bind(new Date(`${ctx.asOf}T00:00:00Z`)), q('at')));
  const when = (c: string, value: string): string => `CASE WHEN ${c} THEN ${value} ELSE NULL END`;
  return [
    `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS ${q(`_ic${suffix}`)}`,
    ...measureSums(ctx, when(`${condition} AND ${q('resolved')} IS NOT NULL`, d.toDouble(d.boolToInt(q('resolved')))), day, `r${suffix}`, '_i'),
    ...measureSums(ctx, when(condition, d.toDouble(q('satisfaction'))), day, `s${suffix}`, '_i'),
  ];
}

/** The per-block sums of those items, renamed to the suffix-free names a Gathered block holds. */
function blockItems(ctx: Ctx, months: string | null, suffix: string): string[] {
  const q = ctx.engine.dialect.quoteIdent;
  return [
    ...resummedSums(ctx, `r${suffix}`, '_i'),
    ...resummedSums(ctx, `s${suffix}`, '_i'),
    `sum(COALESCE(${q(`_ic${suffix}`)}, 0)) AS ${q(`_n${suffix}`)}`,
    `sum(CASE WHEN ${months ?? 'NULL'} IS NULL THEN 0 ELSE COALESCE(${q(`_ic${suffix}`)}, 0) END) AS ${q(`_ky${suffix}`)}`,
  ];
}

/** A row's sums laid out as LAYOUT, its names carrying `suffix`. */
function laidOut(row: Record<string, unknown>, suffix: string): Float64Array {
  return Float64Array.from(LAYOUT, (name) => numberOf(row[`${name}${suffix}`]) ?? 0);
}

/**
 * The contact touchpoints: every contact, each channel and each experience
 * area's mapped contact reasons (experience_areas.interaction_reasons),
 * each with the share of its contacts resolved and their mean
 * satisfaction (0..1 as imported, shown on 0-100) where the help desk
 * records them, both with clustered intervals and a trend, and its contacts
 * per 100 customer-months of exposure (in the period, when one is given).
 * Per-customer sums (co-located join), summed per bootstrap block: one
 * GROUP BY by block and channel (all contacts are the channels together),
 * one by block for the areas' reasons, one by block for the exposure. The
 * blocks are the units of every interval, so a customer's many contacts
 * are one customer's evidence. Empty without interactions.
 */
export async function contactTouchpoints(ctx: AnalysisContext): Promise<ContactTouchpoint[]> {
  if (!hasRows(ctx, 'interactions')) return [];
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'tp');
  const block = blockKeySql(d, q('customer_id'));
  const months = exposureMonthsSql(ctx, values);
  const during = periodConditions(ctx, values, q('at'));

  // By block and channel.
  const channelJoin = perCustomerJoin(ctx, 'interactions', [`${q('channel')} AS ${q('_ch')}`, ...contactItems(ctx, values, '1 = 1', '')], during, '_ix', [q('channel')]);
  const byChannel = await scopeQuery(
    ctx,
    scopeSelect(ctx, { items: [`${block} AS ${q('_u')}`, `${q('_ch')} AS ${q('_g')}`, ...blockItems(ctx, months, '')], join: channelJoin, where: [`${q('_ic')} IS NOT NULL`], groupBy: [block, q('_ch')] }),
    values,
  );
  const gathered = new Map<string, Gathered>();
  const add = (g: Omit<Gathered, 'blocks'>, blockNumber: number, sums: Float64Array): void => {
    const into = gathered.get(g.key) ?? { ...g, blocks: new Map() };
    gathered.set(g.key, into);
    const had = into.blocks.get(blockNumber) ?? new Float64Array(LAYOUT.length);
    addMeasureParts(had, sums, RESOLUTION_AT);
    addMeasureParts(had, sums, SATISFACTION_AT);
    had[CONTACTS_AT] = (had[CONTACTS_AT] ?? 0) + (sums[CONTACTS_AT] ?? 0);
    had[EXPOSED_CONTACTS_AT] = (had[EXPOSED_CONTACTS_AT] ?? 0) + (sums[EXPOSED_CONTACTS_AT] ?? 0);
    into.blocks.set(blockNumber, had);
  };
  gathered.set('all', { kind: 'all', key: 'all', label: 'all contacts', blocks: new Map() });
  // In a fixed order (channel, then block), so every engine adds the same numbers in the same order.
  const ordered = byChannel.map((row) => ({ channel: String(row['_g']), block: numberOf(row['_u']) ?? 0, sums: laidOut(row, '') }));
  ordered.sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : a.block - b.block));
  for (const { channel, block: b, sums } of ordered) {
    add({ kind: 'all', key: 'all', label: 'all contacts' }, b, sums);
    add({ kind: 'channel', key: channel, label: `${channel} contacts` }, b, sums);
  }

  // By block, for each experience area's contact reasons.
  const areas = Object.entries(ctx.config.experience_areas).filter(([, spec]) => (spec.interaction_reasons ?? []).length > 0);
  if (areas.length > 0) {
    const conditions = areas.map(([, spec]) => `${q('reason')} IN (${(spec.interaction_reasons ?? []).map((r) => values.bind(r)).join(', ')})`);
    const join = perCustomerJoin(ctx, 'interactions', conditions.flatMap((c, i) => contactItems(ctx, values, c, `a${i}`)), during, '_ix');
    const rows = await scopeQuery(ctx, scopeSelect(ctx, { items: [`${block} AS ${q('_u')}`, ...areas.flatMap((_, i) => blockItems(ctx, months, `a${i}`))], join, groupBy: [block] }), values);
    areas.forEach(([key, spec], i) => {
      const g = { kind: 'area' as const, key, label: `contacts about ${(spec.label ?? key.replaceAll('_', ' ')).toLowerCase()}` };
      gathered.set(key, { ...g, blocks: new Map() });
      for (const row of rows) {
        const sums = laidOut(row, `a${i}`);
        if ((sums[CONTACTS_AT] ?? 0) > 0) add(g, numberOf(row['_u']) ?? 0, sums);
      }
    });
  }

  // Exposure per block: the contact rate's denominator, every customer in scope counted.
  const exposure =
    months === null
      ? []
      : await scopeQuery(ctx, scopeSelect(ctx, { items: [`${block} AS ${q('_u')}`, `sum(COALESCE(${months}, 0)) AS ${q('_km')}`, `sum(CASE WHEN ${months} IS NULL THEN 0 ELSE 1 END) AS ${q('_ke')}`], groupBy: [block] }), values);
  const exposed = exposure.reduce((s, r) => s + (numberOf(r['_ke']) ?? 0), 0);

  return [...gathered.values()]
    .map((g): ContactTouchpoint => {
      const blocks: BlockSums[] = [...g.blocks.entries()].map(([b, sums]) => ({ block: b, sums: Object.fromEntries(LAYOUT.map((name, i) => [name, sums[i] ?? 0])) }));
      const measured: ContactValue[] = [];
      const share = (measure: 'resolution' | 'interaction_satisfaction', suffix: string): void => {
        const mean = clusteredMean(blocks, measureNames(suffix));
        const range = measureRange(blocks, suffix);
        if (mean === null || range === null) return;
        const trend = trendOf(blocks, measureNames(suffix), range.lastDay - range.firstDay, 100);
        measured.push({ measure, value: 100 * mean.estimate, interval: { lower: 100 * mean.interval.lower, upper: 100 * mean.interval.upper, level: mean.interval.level }, n: mean.n, clusters: mean.clusters, trend });
      };
      share('resolution', 'r');
      share('interaction_satisfaction', 's');
      const contacts = blocks.reduce((s, b) => s + (b.sums['_n'] ?? 0), 0);
      if (exposure.length > 0 && contacts > 0) {
        const rateBlocks: BlockSums[] = exposure.map((r) => {
          const b = numberOf(r['_u']) ?? 0;
          return { block: b, sums: { m: numberOf(r['_km']) ?? 0, y: g.blocks.get(b)?.[EXPOSED_CONTACTS_AT] ?? 0 } };
        });
        const rate = clusteredMean(rateBlocks, { m: 'm', y: 'y' });
        if (rate !== null) {
          measured.push({
            measure: 'contact_rate',
            value: 100 * rate.estimate,
            interval: { lower: Math.max(0, 100 * rate.interval.lower), upper: 100 * rate.interval.upper, level: rate.interval.level },
            n: exposed,
            clusters: rate.clusters,
            trend: null,
          });
        }
      }
      return { kind: g.kind, key: g.key, label: g.label, contacts, values: measured };
    })
    .filter((t) => t.contacts > 0 || t.kind === 'area');
}
