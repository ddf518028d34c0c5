import { isCategorical } from '../profile/attributes.js';
import { declaredBehaviours } from '../perfect-customer/behaviours.js';
import { buildDesign, fitDroppingCollinear, type DesignColumn } from '../regression/design.js';
import { fitLogisticInEngine } from '../regression/sql-fit.js';
import { retentionWindow } from '../retention/window.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';

/** Churners and stayers the window needs, each, for a model of churn risk. */
export const MIN_WINDOW_OUTCOMES = 20;
/** A behaviour enters the model when at least this many customers in the window had, and had not, adopted it by the window's start. */
const MIN_ADOPTERS = 10;

const YEAR_SECONDS = 365.25 * 86_400;

/**
 * How each customer's churn risk is computed, as SQL over customer_facts
 * (and the lifetime-value join for P(alive)): a DOUBLE from 0 to 1, NULL
 * where it cannot be said.
 */
export interface ChurnRiskModel {
  method: 'retention_window' | 'p_alive' | 'none';
  /** The risk of a customer not recorded as churned. */
  sql: string;
  definition: string;
  /** The logistic model's odds ratios, when the method is `retention_window`. */
  oddsRatios: { name: string; label: string; oddsRatio: number; lower: number; upper: number }[];
  /** Customers and churners the model was fitted on. */
  fittedOn: { customers: number; churners: number } | null;
  notes: string[];
}

/**
 * Churn risk over the next retention window: a logistic regression, in the
 * engine, of churning within the last window (customers active at its start)
 * on the attributes known at acquisition, the behaviours adopted by the
 * window's start and tenure at its start; applied to each customer with the
 * behaviours and tenure they have at as_of. It says how likely a customer
 * like this one is to leave in the coming window, if it goes as the last
 * one went. Without a dated churn history (no window, or too few churners
 * or stayers in it), 1 − P(alive) from the lifetime-value models.
 */
export async function churnRiskModel(ctx: AnalysisContext, values: SqlValues, pAlive: string | null): Promise<ChurnRiskModel> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const notes: string[] = [];
  const fallback = (why: string): ChurnRiskModel =>
    pAlive === null
      ? { method: 'none', sql: `CAST(NULL AS ${d.columnType('double', true)})`, definition: `not computed: ${why}, and no purchase history for P(alive)`, oddsRatios: [], fittedOn: null, notes }
      : { method: 'p_alive', sql: `(1 - ${pAlive})`, definition: `1 − P(alive) (BG/NBD, lifetime-value analysis), the chance the customer has stopped buying, because ${why}`, oddsRatios: [], fittedOn: null, notes };
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const window = await retentionWindow(ctx, values);
  if (window === null) return fallback('there are no status changes (no recorded churn) to learn churn from');
  if (window.kind !== 'window' || window.start === null || !stored.has('signup_at')) return fallback('churn is recorded without dates, so no window of churn can be drawn');
  if (window.churners < MIN_WINDOW_OUTCOMES || window.customers - window.churners < MIN_WINDOW_OUTCOMES) {
    return fallback(`the retention window holds ${words.count(window.churners)} churners of ${words.count(window.customers)} customers, too few to fit a model`);
  }
  const start = new Date(`${window.start}T00:00:00Z`);
  const end = new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000);
  const signup = d.epochSeconds(q('signup_at'));
  const tenureAt = (at: Date): string => `((${d.toDouble(values.bind(at.getTime() / 1000))} - ${signup}) / ${d.literal(YEAR_SECONDS)})`;
  const terms: { column: Omit<DesignColumn, 'covariate'>; now: string }[] = [{ column: { name: 'tenure_years', label: 'tenure (years)', sql: tenureAt(start) }, now: tenureAt(end) }];
  for (const b of declaredBehaviours(ctx)) {
    const at = `${b.flag}_at`;
    if (!stored.has(at)) continue;
    const byStart = `(CASE WHEN ${q(at)} IS NOT NULL AND ${q(at)} < ${values.bind(start)} THEN 1 ELSE 0 END)`;
    const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items: [`count(*) AS ${q('_n')}`, `sum(${byStart}) AS ${q('_a')}`], where: [window.eligible] }), values);
    const adopters = numberOf(row?.['_a']) ?? 0;
    if (adopters < MIN_ADOPTERS || (numberOf(row?.['_n']) ?? 0) - adopters < MIN_ADOPTERS) continue;
    terms.push({ column: { name: `adopted:${b.key}`, label: b.label, sql: byStart }, now: b.adopted });
  }
  const attributes = ctx.facts.attributes.filter((a) => a.atAcquisition && isCategorical(a)).map((a) => a.name);
  const design = await buildDesign(ctx, values, terms.map((t) => t.column), attributes, [window.eligible]);
  let fitted;
  try {
    fitted = await fitDroppingCollinear(design, (x) => fitLogisticInEngine(ctx, values, x, window.churned));
  } catch (error) {
    return fallback(`the churn model could not be fitted (${error instanceof Error ? error.message : String(error)})`);
  }
  const { result: fit, design: used } = fitted;
  if (!fit.converged) return fallback('the churn model did not converge');
  notes.push(...used.notes, ...fit.warnings);
  const now = new Map(terms.map((t) => [t.column.name, t.now]));
  const eta = used.columns.map((c, i) => `${d.literal(fit.coefficients[i]?.estimate ?? 0)} * ${now.get(c.name) ?? `(${c.sql})`}`).join(' + ');
  const sql = `(CASE WHEN ${q('signup_at')} IS NULL THEN CAST(NULL AS ${d.columnType('double', true)}) ELSE 1 / (1 + exp(-(${eta}))) END)`;
  return {
    method: 'retention_window',
    sql,
    definition:
      `the chance of churning within the next ${window.months} months: a logistic regression of churn from ${window.start} to ${ctx.asOf} (${words.count(window.customers)} customers active at its start, ${words.count(window.churners)} churned) ` +
      `on attributes known at acquisition, behaviours adopted by ${window.start} and tenure then, applied to each customer's behaviours and tenure at ${ctx.asOf}; 1 where the churn is recorded (status changes)`,
    oddsRatios: fit.coefficients
      .filter((c) => c.name !== 'intercept')
      .map((c) => ({ name: c.name, label: used.columns.find((x) => x.name === c.name)?.label ?? c.name, oddsRatio: c.oddsRatio, lower: c.oddsRatioInterval.lower, upper: c.oddsRatioInterval.upper })),
    fittedOn: { customers: window.customers, churners: window.churners },
    notes,
  };
}
