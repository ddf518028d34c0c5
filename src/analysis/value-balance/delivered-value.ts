import { SourceTables } from '../../facts/source-tables.js';
import { hasRows } from '../needs.js';
import { perCustomerJoin } from '../per-customer-join.js';
import { periodConditions } from '../period-sql.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';

/** Where the satisfaction axis of the value map comes from, in order of preference. */
export type SatisfactionSource = 'value_area' | 'nps' | 'csat';

/** A survey scale mapped onto 0-100: (score − bottom) / (top − bottom) × 100. */
export interface SurveyScale {
  bottom: number;
  top: number;
}

/** The satisfaction axis: which answers, on which scale, and how many customers in scope gave one. */
export interface SatisfactionAxis {
  source: SatisfactionSource;
  /** For sentences: "satisfaction with price and value", "NPS score", "CSAT". */
  label: string;
  /** survey_responses.area values read (value_area only). */
  areas: string[];
  /** survey_responses.instrument values read. */
  instruments: string[];
  scale: SurveyScale;
  /** Customers in scope with at least one such answer (in the period, when one is given). */
  respondents: number;
}

/** What the data let the value map measure as value delivered. */
export interface DeliveredValue {
  satisfaction: SatisfactionAxis | null;
  /** Behaviour events per customer-month as a (further) axis; false when no customer in scope has enough events. */
  usage: boolean;
  /** Customers in scope with at least one behaviour event (in the period). */
  usageCustomers: number;
  /** Why a preferred measure was passed over, for the method. */
  notes: string[];
}

/** A measure is used when at least this many customers in scope have it: a line through fewer says little. */
export const MINIMUM_CUSTOMERS = 30;

/**
 * Words that mark an experience area as satisfaction with price or value for
 * money (Gale's "perceived price"): its key, label or survey area text.
 */
const VALUE_AREA = /\b(price|prices|pricing|value|money|cost|costs|worth|afford|affordability|fair)\b/i;

/** Instruments whose area-tagged answers rate the value area (CES measures effort, not value). */
const AREA_INSTRUMENTS = ['rating', 'csat'] as const;

/**
 * A standard scale holding the answers: top 5, 7, 10 or 100 (else the largest
 * answer), bottom 1 for 5- and 7-point scales (Likert), else 0, lower when an
 * answer is lower. As perfect-customer/screening.ts reads CSAT scales.
 */
export function surveyScale(smallest: number, largest: number): SurveyScale {
  const top = [5, 7, 10, 100].find((t) => largest <= t) ?? Math.ceil(largest);
  const bottom = Math.min(top === 5 || top === 7 ? 1 : 0, Math.floor(smallest));
  return { bottom, top: top > bottom ? top : bottom + 1 };
}

interface AreaCandidate {
  label: string;
  areas: string[];
}

/** Experience areas about price or value, those cxray.yaml names first (in its order), then survey areas it does not claim. */
function valueAreaCandidates(ctx: AnalysisContext, present: ReadonlySet<string>): AreaCandidate[] {
  const out: AreaCandidate[] = [];
  const claimed = new Set<string>();
  for (const [key, spec] of Object.entries(ctx.config.experience_areas)) {
    const areas = (spec.survey_areas ?? []).filter((a) => present.has(a));
    areas.forEach((a) => claimed.add(a));
    const label = spec.label ?? key.replaceAll('_', ' ');
    if (areas.length > 0 && (VALUE_AREA.test(key.replaceAll('_', ' ')) || VALUE_AREA.test(label) || areas.some((a) => VALUE_AREA.test(a)))) out.push({ label, areas });
  }
  for (const area of [...present].sort()) if (!claimed.has(area) && VALUE_AREA.test(area)) out.push({ label: area, areas: [area] });
  return out;
}

/**
 * Chooses what stands for value delivered: satisfaction with price or value
 * where a survey area measures it, else overall satisfaction (the NPS score,
 * else CSAT), each on 0-100; and usage (behaviour events per customer-month)
 * wherever customers in scope have events. Scales are read from every answer
 * in the store, so a segment rule never changes them.
 */
export async function deliveredValue(ctx: AnalysisContext, values: SqlValues): Promise<DeliveredValue> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const notes: string[] = [];
  let satisfaction: SatisfactionAxis | null = null;
  if (hasRows(ctx, 'survey_responses')) {
    const tables = await SourceTables.discover(ctx.engine);
    const area = tables.column('survey_responses', 'area');
    const answered = await ctx.engine.query(
      `SELECT ${q('instrument')} AS ${q('_i')}, ${area} AS ${q('_a')}, min(${q('score')}) AS ${q('_lo')}, max(${q('score')}) AS ${q('_hi')} ` +
        `FROM ${q('survey_responses')} WHERE ${q('score')} IS NOT NULL GROUP BY ${q('instrument')}, ${area}`,
      {},
      ctx.signal === undefined ? {} : { signal: ctx.signal },
    );
    const kinds = answered.map((r) => ({ instrument: String(r['_i']), area: r['_a'] === null ? null : String(r['_a']), lo: numberOf(r['_lo']) ?? 0, hi: numberOf(r['_hi']) ?? 0 }));
    const rated = kinds.filter((k) => k.area !== null && (AREA_INSTRUMENTS as readonly string[]).includes(k.instrument));
    const candidates = valueAreaCandidates(ctx, new Set(rated.map((k) => k.area as string)));
    const overall = (instrument: string): (typeof kinds)[number] | undefined => kinds.find((k) => k.instrument === instrument && k.area === null);
    const specs: { axis: Omit<SatisfactionAxis, 'respondents'>; condition: string }[] = [];
    for (const c of candidates) {
      const of = rated.filter((k) => c.areas.includes(k.area as string));
      specs.push({
        axis: { source: 'value_area', label: `satisfaction with ${c.label.toLowerCase()}`, areas: c.areas, instruments: [...new Set(of.map((k) => k.instrument))].sort(), scale: surveyScale(Math.min(...of.map((k) => k.lo)), Math.max(...of.map((k) => k.hi))) },
        condition: `${area} IN (${c.areas.map((a) => values.bind(a)).join(', ')}) AND ${q('instrument')} IN (${AREA_INSTRUMENTS.map((i) => values.bind(i)).join(', ')})`,
      });
    }
    const nps = overall('nps');
    if (nps !== undefined) specs.push({ axis: { source: 'nps', label: 'NPS score', areas: [], instruments: ['nps'], scale: { bottom: 0, top: 10 } }, condition: `${q('instrument')} = ${values.bind('nps')} AND ${area} IS NULL` });
    const csat = overall('csat');
    if (csat !== undefined) specs.push({ axis: { source: 'csat', label: 'CSAT', areas: [], instruments: ['csat'], scale: surveyScale(csat.lo, csat.hi) }, condition: `${q('instrument')} = ${values.bind('csat')} AND ${area} IS NULL` });
    if (specs.length > 0) {
      const join = perCustomerJoin(
        ctx,
        'survey_responses',
        specs.map((s, i) => `sum(CASE WHEN ${s.condition} THEN 1 ELSE 0 END) AS ${q(`_vk${i}`)}`),
        [`${q('score')} IS NOT NULL`, ...periodConditions(ctx, values, q('at'))],
        '_vd',
      );
      const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: specs.map((_, i) => `sum(CASE WHEN ${q(`_vk${i}`)} > 0 THEN 1 ELSE 0 END) AS ${q(`_vr${i}`)}`), join }), values);
      for (const [i, s] of specs.entries()) {
        const respondents = numberOf(row?.[`_vr${i}`]) ?? 0;
        if (respondents >= MINIMUM_CUSTOMERS) {
          satisfaction = { ...s.axis, respondents };
          break;
        }
        notes.push(`${s.axis.label} was not used: ${respondents} customer(s) in scope answered it, under ${MINIMUM_CUSTOMERS}.`);
      }
    }
    if (candidates.length === 0) notes.push('No survey area is about price or value (an experience area whose name or survey area mentions price, value, money, cost, worth or fairness), so overall satisfaction stands for value delivered.');
  }
  let usageCustomers = 0;
  if (hasRows(ctx, 'behaviour_events')) {
    const join = perCustomerJoin(ctx, 'behaviour_events', [`count(*) AS ${q('_ve')}`], periodConditions(ctx, values, q('at')), '_vu');
    const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`sum(CASE WHEN ${q('_ve')} > 0 THEN 1 ELSE 0 END) AS ${q('_vc')}`], join }), values);
    usageCustomers = numberOf(row?.['_vc']) ?? 0;
    if (usageCustomers < MINIMUM_CUSTOMERS) notes.push(`Usage was not used: ${usageCustomers} customer(s) in scope have a behaviour event, under ${MINIMUM_CUSTOMERS}.`);
  }
  return { satisfaction, usage: usageCustomers >= MINIMUM_CUSTOMERS, usageCustomers, notes };
}
