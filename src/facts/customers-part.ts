import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { out } from './facts-part.js';

export const CU = {
  signupAt: '_c_signup_at',
  attribute: (i: number): string => `_a${i}`,
} as const;

/** The base of the facts: one row per customer, attributes under internal names. */
export function customersPart(ctx: FactsSqlContext): FactsPart & { sql: string } {
  const { d, layout } = ctx;
  const q = (name: string): string => d.quoteIdent(name);
  const outputs = [out(CU.signupAt, 'timestamp'), ...layout.attributes.map((a, i) => out(CU.attribute(i), a.type))];
  const select = [
    q('customer_id'),
    `${ctx.tables.column('customers', 'signup_at')} AS ${q(CU.signupAt)}`,
    ...layout.attributes.map((a, i) => `${q(a.source)} AS ${q(CU.attribute(i))}`),
  ];
  return { table: 'customers', outputs, sql: `SELECT ${select.join(', ')} FROM ${ctx.source('customers')}` };
}
