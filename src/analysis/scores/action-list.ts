import type { ColumnSpec } from '../../engine/dialect.js';
import { numberOf } from '../sql-values.js';
import { words } from '../wording.js';

/** High fit, lifetime value or churn risk: at or above this quantile (the top quarter), among the customers scored (churn risk: those not recorded as churned). */
export const HIGH_QUANTILE = 0.75;

/** Who makes the action list, with the thresholds found in this import. */
export interface ActionCriteria {
  fitThreshold: number | null;
  lifetimeValueThreshold: number | null;
  churnRisk: number | null;
  /** In words, for --json and the summary. */
  text: string;
}

export function actionCriteria(fitThreshold: number | null, lifetimeValueThreshold: number | null, churnRisk: number | null, currency: string): ActionCriteria {
  const value = [
    fitThreshold === null ? null : `a fit score of ${words.number(fitThreshold, 1)} or more`,
    lifetimeValueThreshold === null ? null : `a lifetime value of ${words.money(lifetimeValueThreshold, currency, 2)} or more`,
  ].filter((x) => x !== null);
  return {
    fitThreshold,
    lifetimeValueThreshold,
    churnRisk,
    text:
      `Customers not recorded as churned with a churn risk of ${churnRisk === null ? '(none computed)' : words.percent(churnRisk)} or more (the top quarter of those not churned) and ${value.length === 0 ? 'no measure of value' : `${words.list(value).replace(' and ', ' or ')} (the top quarter of customers)`}, ` +
      'ranked by value at stake: churn risk × the value if retained (the discounted value of the next months of purchases if the customer is still buying: lifetime value / P(alive)).',
  };
}

/** One valuable customer at risk, as the action file lists them. */
export interface ActionRow {
  customerId: string;
  fitScore: number | null;
  lifetimeValue: number | null;
  pAlive: number | null;
  churnRisk: number;
  valueAtStake: number;
  /** Lifetime value if still buying (lifetime value / P(alive)). */
  valueIfActive: number | null;
  daysSinceLastPurchase: number | null;
  reason: string;
}

/** The action file's columns, in order (the in-memory table it is written from). */
export const ACTION_COLUMNS: ColumnSpec[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'fit_score', type: 'double' },
  { name: 'lifetime_value', type: 'double' },
  { name: 'p_alive', type: 'double' },
  { name: 'churn_risk', type: 'double' },
  { name: 'value_at_stake', type: 'double' },
  { name: 'value_if_retained', type: 'double' },
  { name: 'days_since_last_purchase', type: 'int64' },
  { name: 'reason', type: 'string' },
];

/** Why a customer is on the list, in words a customer-success lead can act on. */
export function actionReason(row: Omit<ActionRow, 'reason'>, criteria: ActionCriteria, currency: string): string {
  const by: string[] = [];
  if (row.fitScore !== null && criteria.fitThreshold !== null && row.fitScore >= criteria.fitThreshold) by.push(`fit score (${words.number(row.fitScore, 0)})`);
  if (row.lifetimeValue !== null && criteria.lifetimeValueThreshold !== null && row.lifetimeValue >= criteria.lifetimeValueThreshold) by.push(`lifetime value (${words.money(row.lifetimeValue, currency)})`);
  const last = row.daysSinceLastPurchase === null ? '' : `; last purchase ${words.count(row.daysSinceLastPurchase)} day${row.daysSinceLastPurchase === 1 ? '' : 's'} ago`;
  const retained = row.valueIfActive === null ? '' : `: the churn risk times the ${words.money(row.valueIfActive, currency)} the customer would bring over the coming months if retained`;
  return (
    `Top quarter of customers by ${by.join(' and by ')}, and a churn risk of ${words.percent(row.churnRisk, 0)} (top quarter)${last}. ` +
    `${words.money(row.valueAtStake, currency)} at stake${retained}.`
  );
}

/** A streamed store row (aliases `_a_*`) as an action row, reason included. */
export function actionRow(row: Record<string, unknown>, criteria: ActionCriteria, currency: string): ActionRow {
  const base = {
    customerId: String(row['_a_id']),
    fitScore: numberOf(row['_a_fit']),
    lifetimeValue: numberOf(row['_a_lv']),
    pAlive: numberOf(row['_a_pa']),
    churnRisk: numberOf(row['_a_cr']) ?? 1,
    valueAtStake: numberOf(row['_a_vs']) ?? 0,
    valueIfActive: numberOf(row['_a_va']),
    daysSinceLastPurchase: numberOf(row['_a_ds']),
  };
  return { ...base, reason: actionReason(base, criteria, currency) };
}
