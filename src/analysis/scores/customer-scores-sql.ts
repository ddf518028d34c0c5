import type { CanonicalType } from '../../engine/types.js';
import { fitAnalysis } from '../fit/index.js';
import { fitScoreSql } from '../fit/fit-score.js';
import { lifetimeValueAnalysis } from '../lifetime-value/index.js';
import { unmetNeeds } from '../needs.js';
import { S } from '../lifetime-value/score-sql.js';
import { declaredBehaviours } from '../perfect-customer/behaviours.js';
import { profileGroupings } from '../profile/groupings.js';
import type { Cell, Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import { churnRiskModel, type ChurnRiskModel } from './churn-risk.js';
import { lifetimeScores } from './lifetime-scores.js';
import type { AnalysisContext } from '../types.js';

/** One column of the export: how the store computes it (under `alias`) and how the file shows it. */
export interface ExportColumn {
  name: string;
  /** Its name in the store's SELECT (every alias beside customer_facts starts with `_`). */
  alias: string;
  /** The portable type the store's value is read as. */
  type: CanonicalType;
  /** SQL over customer_facts (and the lifetime-value join). */
  sql: string;
  /** Decimals the file keeps; null to keep the value as it is. */
  digits: number | null;
  /** `flag`: a 0/1 integer in the store, true/false in the file. */
  shape?: 'flag';
  /** What it is, for --json and the Parquet metadata. */
  description: string;
}

/** Per-customer scores as SQL, and what could not be computed. */
export interface CustomerScoresSql {
  columns: ExportColumn[];
  /** The lifetime-value join for scopeSelect; null without a model. */
  join: string | null;
  /** Parameters of the SQL (lifetime-value histories, segments). */
  values: SqlValues[];
  /** Columns left empty for every customer, and why. */
  notes: string[];
  /** Per-customer SQL the action list reads (DOUBLE; NULL where unknown). */
  parts: { fit: string; lifetimeValue: string; pAlive: string; churnRisk: string; churned: string; valueIfActive: string; daysSinceLastPurchase: string };
  /** How churn risk is computed (its definition, and the model's odds ratios). */
  churnRisk: ChurnRiskModel;
}

const FIXED = new Set(['customer_id', 'fit_score', 'perfect_customer_index', 'lifetime_value', 'p_alive', 'churn_risk', 'churned']);

function tableRows(result: Result, name: string): Record<string, Cell>[] {
  const table = result.tables.find((t) => t.name === name);
  return table === undefined ? [] : table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] ?? null])));
}

/**
 * Each customer's fit score (fit analysis), Perfect Customer Index (with the
 * weights the perfect-customer Result states), discounted lifetime value and
 * P(alive) (BG/NBD and Gamma-Gamma, lifetime-value analysis), churn risk,
 * recorded churn, and segment levels (cxray.yaml segments), as SQL over
 * customer_facts with one join: computed in the engine, joined by customer_id.
 * The models are those of `ctx` (the whole base, as `cxray analyze` gives them).
 */
export async function customerScoresSql(ctx: AnalysisContext, perfectCustomer: Result): Promise<CustomerScoresSql> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const nullDouble = `CAST(NULL AS ${d.columnType('double', true)})`;
  const notes: string[] = [];
  const values = new SqlValues(ctx.engine, 'xs');

  const fitMissing = unmetNeeds(fitAnalysis, ctx);
  const fit = fitMissing === null ? await fitScoreSql(ctx) : null;
  if (fitMissing !== null) notes.push(`fit_score is empty: ${fitMissing}`);
  const fitScore = fit === null ? nullDouble : `(CASE WHEN ${fit.measured.where.join(' AND ')} THEN ${fit.expressions.score} ELSE ${nullDouble} END)`;

  const behaviours = new Map(declaredBehaviours(ctx).map((b) => [b.key, b]));
  const weights = perfectCustomer.status === 'ok' ? tableRows(perfectCustomer, 'index_weights').map((r) => ({ behaviour: behaviours.get(String(r['behaviour'])), weight: Number(r['weight']) })) : [];
  const usable = weights.filter((w): w is { behaviour: NonNullable<typeof w.behaviour>; weight: number } => w.behaviour !== undefined && Number.isFinite(w.weight));
  const total = usable.reduce((s, w) => s + w.weight, 0);
  let index = nullDouble;
  if (usable.length > 0 && total > 0) index = `(100.0 * (${usable.map((w) => `${d.literal(w.weight / total)} * ${w.behaviour.adopted}`).join(' + ')}))`;
  else notes.push(`perfect_customer_index is empty: ${perfectCustomer.status === 'ok' ? 'no behaviour has a weight' : `the perfect-customer analysis is ${perfectCustomer.status} (${perfectCustomer.reason ?? 'no reason given'})`}.`);

  const lifetimeMissing = unmetNeeds(lifetimeValueAnalysis, ctx);
  const model = lifetimeMissing === null ? await lifetimeScores(ctx) : null;
  if (model === null) notes.push(`lifetime_value and p_alive are empty: ${lifetimeMissing ?? 'no customer has a purchase history to fit the lifetime-value models on.'}`);
  const pAlive = model === null ? nullDouble : d.toDouble(q(S.pAlive));
  const lifetimeValue = model === null ? nullDouble : `(CASE WHEN ${q(S.lifetimeValue)} IS NULL THEN ${nullDouble} ELSE ${d.toDouble(q(S.lifetimeValue))} END)`;
  if (model !== null && model.gammaGamma === null) notes.push('lifetime_value is empty: too few repeat buyers to fit the spend model (Gamma-Gamma).');
  const churned = stored.has('churned') ? `(CASE WHEN ${d.boolToInt(q('churned'))} = 1 THEN 1 ELSE 0 END)` : '0';
  const risk = await churnRiskModel(ctx, values, model === null ? null : pAlive);
  notes.push(...risk.notes.map((n) => `churn model: ${n}`));
  const churnRisk = `(CASE WHEN ${churned} = 1 THEN ${d.toDouble('1')} ELSE ${d.toDouble(risk.sql)} END)`;
  const valueIfActive = model === null ? nullDouble : `(CASE WHEN ${pAlive} > 0 THEN ${lifetimeValue} / ${pAlive} ELSE ${nullDouble} END)`;
  const daysSince = stored.has('age_days') && stored.has('recency_days') ? d.toDouble(`(${q('age_days')} - ${q('recency_days')})`) : nullDouble;

  const columns: ExportColumn[] = [
    { name: 'customer_id', alias: '_x_id', type: 'string', sql: d.toString(q('customer_id')), digits: null, description: 'the customer id, as in the customers export' },
    { name: 'fit_score', alias: '_x_fit', type: 'double', sql: d.toDouble(fitScore), digits: 2, description: `fit score 0-100 (fit analysis${fit === null ? '' : `, ${fit.model.source} weights`}); empty without a start date` },
    { name: 'perfect_customer_index', alias: '_x_pci', type: 'double', sql: d.toDouble(index), digits: 2, description: 'Perfect Customer Index 0-100: the weighted share of the valued behaviours adopted (perfect-customer analysis)' },
    { name: 'lifetime_value', alias: '_x_lv', type: 'double', sql: lifetimeValue, digits: 2, description: `discounted value of the next ${model?.settings.horizonMonths ?? 12} months of purchases in ${ctx.config.currency} (BG/NBD and Gamma-Gamma, lifetime-value analysis); empty without a purchase history` },
    { name: 'p_alive', alias: '_x_pa', type: 'double', sql: pAlive, digits: 4, description: 'probability the customer is still buying (BG/NBD P(alive), lifetime-value analysis)' },
    { name: 'churn_risk', alias: '_x_cr', type: 'double', sql: churnRisk, digits: 4, description: `churn risk: ${risk.definition}` },
    { name: 'churned', alias: '_x_ch', type: 'int32', sql: churned, digits: null, shape: 'flag', description: 'recorded as churned (status changes)' },
  ];
  const segments = profileGroupings(ctx, values).groupings;
  segments.forEach((g, i) => {
    const name = FIXED.has(g.key) ? `segment_${g.key}` : g.key;
    columns.push({ name, alias: `_x_s${i}`, type: 'string', sql: g.expr, digits: null, description: `segment: ${g.label} (cxray.yaml segments)` });
  });
  return {
    columns,
    join: model === null ? null : model.sql.join,
    values: [values, ...(fit === null ? [] : [fit.measured.values]), ...(model === null ? [] : [model.histories.values])],
    notes,
    parts: { fit: fitScore, lifetimeValue, pAlive, churnRisk, churned, valueIfActive, daysSinceLastPurchase: daysSince },
    churnRisk: risk,
  };
}

/** The file's projection of the store's columns (`relation` has them under their aliases): rounded, flags as booleans, in customer order. */
export function exportProjection(d: AnalysisContext['engine']['dialect'], columns: readonly ExportColumn[], relation: string): string {
  const q = d.quoteIdent;
  const items = columns.map((c) => {
    const ref = q(c.alias);
    const value = c.shape === 'flag' ? `(${ref} = 1)` : c.digits === null ? ref : `round(${ref}, ${c.digits})`;
    return `${value} AS ${q(c.name)}`;
  });
  return `SELECT ${items.join(', ')} FROM ${relation} ORDER BY ${q(columns[0]?.alias ?? '_x_id')}`;
}
