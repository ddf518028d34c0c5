import type { Engine } from '../engine/types.js';
import { planCustomerFacts } from './plan-customer-facts.js';
import type { FactsOptions, FactsSummary } from './types.js';

export const CUSTOMER_FACTS_TABLE = 'customer_facts';

/**
 * (Re)creates `customer_facts`: one row per customer, measured at as_of, all
 * in SQL. Where the engine has transactions the old table stays until the new
 * one is complete.
 *
 * @example
 * const summary = await buildCustomerFacts(engine, { asOf: '2024-06-30', config });
 * summary.tablesMissing; // e.g. ['referrals'] -> referrals_made is 0 for everyone
 */
export async function buildCustomerFacts(engine: Engine, options: FactsOptions): Promise<FactsSummary> {
  const started = performance.now();
  const plan = await planCustomerFacts(engine, options);
  const d = engine.dialect;
  const table = d.quoteIdent(CUSTOMER_FACTS_TABLE);
  const transactional = engine.capabilities.transactions;
  if (transactional) await engine.exec('BEGIN TRANSACTION');
  try {
    await engine.exec(`DROP TABLE IF EXISTS ${table}`);
    // Created from the catalogue, then filled: the table's types (and NOT NULLs)
    // are the documented ones, whatever types the expressions happen to infer.
    await engine.exec(d.createTable(CUSTOMER_FACTS_TABLE, plan.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }))));
    const names = plan.columns.map((c) => d.quoteIdent(c.name)).join(', ');
    await engine.exec(`INSERT INTO ${table} (${names}) ${plan.select}`, plan.params);
    if (transactional) await engine.exec('COMMIT');
  } catch (error) {
    if (transactional) await engine.exec('ROLLBACK');
    throw error;
  }
  const counted = await engine.query<{ n: bigint }>(`SELECT count(*) AS ${d.quoteIdent('n')} FROM ${table}`);
  return {
    rows: Number(counted[0]?.n ?? 0n),
    columns: plan.columns,
    tablesUsed: plan.tablesUsed,
    tablesMissing: plan.tablesMissing,
    seconds: (performance.now() - started) / 1000,
  };
}
