import type { Engine } from '../engine/types.js';
import { FACTS_BUCKET_PARAM, planCustomerFacts, type CustomerFactsPlan } from './plan-customer-facts.js';
import type { FactsOptions, FactsSummary } from './types.js';

export const CUSTOMER_FACTS_TABLE = 'customer_facts';

/**
 * (Re)creates `customer_facts`: one row per customer, measured at as_of, all
 * in SQL. Where the engine has transactions the old table stays until the new
 * one is complete. On shards, each shard builds its own customers' rows in
 * parallel unless `options.plan` says `entry` (plan-customer-facts.ts says
 * how data moves either way).
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
    await fill(engine, plan);
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

async function fill(engine: Engine, plan: CustomerFactsPlan): Promise<void> {
  const d = engine.dialect;
  const names = plan.columns.map((c) => d.quoteIdent(c.name)).join(', ');
  if (plan.kind === 'entry') {
    // Stored in customer order: one customer's row is then found by the row groups' min/max
    // (DuckDB skips the others) rather than by reading every row: the API's customer pages.
    const q = d.quoteIdent;
    await engine.exec(`INSERT INTO ${q(CUSTOMER_FACTS_TABLE)} (${names}) SELECT * FROM (${plan.select}) AS ${q('_cf')} ORDER BY ${q('customer_id')}`, plan.params);
    return;
  }
  const execOnEachShard = engine.execOnEachShard?.bind(engine);
  if (execOnEachShard === undefined) throw new Error('facts: a shard-local plan on an engine that cannot run a statement on each shard');
  const drops = plan.staged.map((s) => `DROP TABLE IF EXISTS ${d.quoteIdent(s.table)}`);
  try {
    for (const [i, staged] of plan.staged.entries()) {
      await engine.exec(drops[i] as string);
      await engine.exec(d.createTable(staged.table, staged.columns));
      // At the entry server: the aggregate over every shard, each row then sent to its customer's shard.
      const columns = staged.columns.map((c) => d.quoteIdent(c.name)).join(', ');
      await engine.exec(`INSERT INTO ${d.quoteIdent(staged.table)} (${columns}) ${staged.select}`, plan.params);
    }
    // Each shard fills its own part of customer_facts from its own parts: its rows are its customers',
    // one bucket of them per pass (plan-customer-facts.ts).
    for (let bucket = 0; bucket < plan.buckets; bucket += 1) {
      await execOnEachShard(`INSERT INTO ${d.shardLocalTable(CUSTOMER_FACTS_TABLE)} (${names}) ${plan.select}`, { ...plan.params, [FACTS_BUCKET_PARAM]: bucket });
    }
  } finally {
    for (const drop of drops) await engine.exec(drop);
  }
}
