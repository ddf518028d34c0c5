import type { SqlValues } from './sql-values.js';

/**
 * A transaction's amount signed by its kind, as net value counts it:
 * purchases and fees add, refunds and credits subtract, anything else is
 * `zero` (the dialect's money zero). `kind` and `amount` are column
 * expressions of the transactions table; the kinds are bound as parameters.
 */
export function signedAmountSql(values: SqlValues, kind: string, amount: string, zero: string): string {
  return (
    `CASE WHEN ${kind} IN (${values.bind('purchase')}, ${values.bind('fee')}) THEN ${amount} ` +
    `WHEN ${kind} IN (${values.bind('refund')}, ${values.bind('credit')}) THEN -${amount} ELSE ${zero} END`
  );
}
