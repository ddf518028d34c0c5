import { periodConditions } from '../period-sql.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { perCustomerJoin } from '../per-customer-join.js';

/** The overall question a survey is explained by, in order of preference. */
export const OUTCOME_INSTRUMENTS = ['nps', 'csat', 'rating'] as const;
export type OutcomeInstrument = (typeof OUTCOME_INSTRUMENTS)[number];

/** Instruments whose area-tagged answers rate an experience area. */
export const AREA_INSTRUMENTS = ['rating', 'csat', 'ces'] as const;

/** An experience area: one or more survey_responses.area values. */
export interface SurveyArea {
  /** The experience_areas key, else the area text itself. */
  name: string;
  label: string;
  /** survey_responses.area values that measure it. */
  values: string[];
  /** Answers in scope. */
  answers: number;
}

export interface SurveyLayout {
  instrument: OutcomeInstrument;
  /** Overall answers of that instrument in scope. */
  outcomeAnswers: number;
  areas: SurveyArea[];
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Answers with a score in scope (and the period), per instrument and area (null: an overall question). */
export interface SurveyCount {
  instrument: string | null;
  area: string | null;
  n: number;
}

/** How many answers with a score the customers in scope gave (in the period), per instrument and area: one GROUP BY. */
export async function surveyCounts(ctx: AnalysisContext): Promise<SurveyCount[]> {
  const q = ctx.engine.dialect.quoteIdent;
  const values = new SqlValues(ctx.engine, 'l');
  const join = perCustomerJoin(
    ctx,
    'survey_responses',
    [`${q('instrument')} AS ${q('_ins')}`, `${q('area')} AS ${q('_area')}`, `count(*) AS ${q('_k')}`],
    [`${q('score')} IS NOT NULL`, ...periodConditions(ctx, values, q('at'))],
    '_l',
    [q('instrument'), q('area')],
  );
  const rows = await scopeQuery(
    ctx,
    scopeSelect(ctx, { items: [`${q('_ins')} AS ${q('_i')}`, `${q('_area')} AS ${q('_a')}`, `sum(${q('_k')}) AS ${q('_n')}`], join, where: [`${q('_k')} IS NOT NULL`], groupBy: [q('_ins'), q('_area')] }),
    values,
  );
  return rows.map((r) => ({ instrument: r['_i'] === null ? null : String(r['_i']), area: r['_a'] === null ? null : String(r['_a']), n: numberOf(r['_n']) ?? 0 }));
}

/**
 * The experience areas the area-tagged ratings (rating, CSAT or CES) of
 * `counts` measure, grouped by cxray.yaml's experience_areas
 * (`survey_areas`) in its order, then each area the config does not name
 * standing for itself (in code-unit order).
 */
export function surveyAreas(ctx: Pick<AnalysisContext, 'config'>, counts: readonly SurveyCount[]): SurveyArea[] {
  const rated = new Map<string, number>();
  for (const c of counts) {
    if (c.area === null || !(AREA_INSTRUMENTS as readonly string[]).includes(c.instrument ?? '')) continue;
    rated.set(c.area, (rated.get(c.area) ?? 0) + c.n);
  }
  const areas: SurveyArea[] = [];
  const claimed = new Set<string>();
  for (const [key, spec] of Object.entries(ctx.config.experience_areas)) {
    const mine = (spec.survey_areas ?? []).filter((v) => rated.has(v) && !claimed.has(v));
    if (mine.length === 0) continue;
    mine.forEach((v) => claimed.add(v));
    areas.push({ name: key, label: spec.label ?? key, values: mine, answers: mine.reduce((s, v) => s + (rated.get(v) ?? 0), 0) });
  }
  const names = new Set(areas.map((a) => a.name));
  for (const value of [...rated.keys()].filter((v) => !claimed.has(v)).sort(byCodeUnits)) {
    let name = value;
    while (names.has(name)) name = `${name} (survey)`;
    names.add(name);
    areas.push({ name, label: value, values: [value], answers: rated.get(value) ?? 0 });
  }
  return areas;
}

/**
 * What the survey holds for the customers in scope (and the period): answer
 * counts per instrument and area. The outcome is the overall answer (no
 * area) of NPS, else CSAT, else a rating; the areas are the area-tagged
 * ratings (rating, CSAT or CES), grouped by cxray.yaml's experience_areas
 * (`survey_areas`), an area the config does not name standing for itself.
 * A string when key drivers cannot run, saying why and what to do.
 */
export async function surveyLayout(ctx: AnalysisContext): Promise<SurveyLayout | string> {
  const counts = await surveyCounts(ctx);
  if (counts.length === 0) return 'No customer in scope answered a survey question with a score (in the period, when one is given), so there is nothing to explain.';
  const overall = (instrument: string): number => counts.filter((c) => c.instrument === instrument && c.area === null).reduce((s, c) => s + c.n, 0);
  const instrument = OUTCOME_INSTRUMENTS.find((i) => overall(i) > 0);
  if (instrument === undefined) {
    return 'The survey has no overall question to explain: an NPS, CSAT or rating answer without an area. Map the overall question in cxray.yaml (unpivot, with no area) and run `cxray import`.';
  }
  const areas = surveyAreas(ctx, counts);
  if (areas.length < 2) {
    return `Key drivers need a survey that rates at least two experience areas (answers with an area); this one rates ${areas.length === 0 ? 'none' : `only ${areas[0]?.label ?? ''}`}. Map each rating's area in cxray.yaml (the unpivot's \`area\`) and run \`cxray import\`.`;
  }
  return { instrument, outcomeAnswers: overall(instrument), areas };
}
