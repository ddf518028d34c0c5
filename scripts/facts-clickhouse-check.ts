/**
 * customer_facts on the ClickHouse cluster against a DuckDB store, at bench
 * scale: copies the store's canonical tables to the cluster, builds the facts
 * there with the entry-server plan and with the shard-local plan, times both,
 * and compares every row with the store's own customer_facts (built by the
 * same code on DuckDB). Too slow for the test suite, hence a script:
 *
 *   npx tsx scripts/facts-clickhouse-check.ts [--workspace DIR] [--database NAME] [--reuse] [--keep]
 *
 * --workspace  a bench workspace with cxray.yaml and store/ (default bench/out/workspace-100000)
 * --database   the cluster database to copy into (default facts_check; its shard parts in NAME_local)
 * --reuse      skip copying a table the cluster already holds with the same row count
 * --keep       leave the databases on the cluster (default: drop both on every shard)
 *
 * Needs the local cluster (scripts/clickhouse-cluster.sh start). Timestamps
 * are compared to the second: the cluster stores them floored to the second
 * (subsecondTimestamps: false). Exits 1 when any row differs.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { ClickHouseEngine } from '../src/engine/clickhouse/engine.js';
import { clusterOptions } from '../src/engine/clickhouse/test-cluster.js';
import { copyTable } from '../src/engine/copy-table.js';
import { DuckDbEngine } from '../src/engine/duckdb/engine.js';
import type { Engine, Row } from '../src/engine/types.js';
import { factsDifferences } from '../src/facts/facts-differences.js';
import { buildCustomerFacts, CUSTOMER_FACTS_TABLE, type FactsColumn, type FactsPlanKind } from '../src/facts/index.js';
import { CANONICAL_TABLE_NAMES } from '../src/model/tables.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}
const flag = (name: string): boolean => process.argv.includes(name);

const workspace = resolve(option('--workspace') ?? 'bench/out/workspace-100000');
const database = option('--database') ?? 'facts_check';
const { version } = JSON.parse(readFileSync(join(workspace, 'store', 'current.json'), 'utf8')) as { version: number };
const stem = join(workspace, 'store', `v${String(version).padStart(6, '0')}`);
const { asOf } = JSON.parse(readFileSync(`${stem}.ledger.json`, 'utf8')) as { asOf: string };
const { config } = await loadConfig(workspace);

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(1);

/** Rows of a query one at a time, read in batches. */
async function* rowsOf(engine: Engine, sql: string): AsyncGenerator<Row> {
  for await (const batch of engine.stream(sql, {}, { batchSize: 10_000 })) yield* batch;
}

/** Both customer_facts tables by customer, compared in chunks; the differences found (the first 20 kept). */
async function compare(store: Engine, cluster: Engine, columns: FactsColumn[]): Promise<{ rows: number; differing: number; examples: string[] }> {
  const sql = (e: Engine): string => `SELECT * FROM ${e.dialect.quoteIdent(CUSTOMER_FACTS_TABLE)} ORDER BY ${e.dialect.quoteIdent('customer_id')}`;
  const expected = rowsOf(store, sql(store));
  const actual = rowsOf(cluster, sql(cluster));
  const options = { timestampsToTheSecond: !cluster.capabilities.subsecondTimestamps };
  let rows = 0;
  let differing = 0;
  const examples: string[] = [];
  for (;;) {
    const want: Row[] = [];
    const got: Row[] = [];
    for (let i = 0; i < 5000; i += 1) {
      const [a, b] = await Promise.all([expected.next(), actual.next()]);
      if (!a.done) want.push(a.value);
      if (!b.done) got.push(b.value);
      if (a.done && b.done) break;
    }
    if (want.length === 0 && got.length === 0) break;
    rows += want.length;
    const found = factsDifferences(columns, want, got, options);
    differing += found.length;
    examples.push(...found.slice(0, Math.max(0, 20 - examples.length)));
  }
  return { rows, differing, examples };
}

const store = await DuckDbEngine.open(`${stem}.duckdb`, { readOnly: true });
const cluster = await ClickHouseEngine.open(clusterOptions(database));
let failed = false;
try {
  console.log(`store ${stem}.duckdb, as_of ${asOf}; cluster database ${database} on ${clusterOptions(database).shards?.length ?? 1} shards`);
  const started = performance.now();
  for (const table of CANONICAL_TABLE_NAMES) {
    if (!(await store.hasTable(table))) continue;
    const [{ n } = { n: 0n }] = await store.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${store.dialect.quoteIdent(table)}`);
    if (flag('--reuse') && (await cluster.hasTable(table))) {
      const [{ m } = { m: -1n }] = await cluster.query<{ m: bigint }>(`SELECT count() AS m FROM ${cluster.dialect.quoteIdent(table)}`);
      if (m === n) {
        console.log(`  ${table}: ${n} rows already there`);
        continue;
      }
    }
    const t = performance.now();
    const copied = await copyTable(store, cluster, table, { batchSize: 100_000 });
    console.log(`  copied ${table}: ${copied} rows in ${seconds(t)} s`);
  }
  console.log(`copy: ${seconds(started)} s`);

  for (const plan of ['entry', 'shard-local'] as FactsPlanKind[]) {
    const t = performance.now();
    const summary = await buildCustomerFacts(cluster, { asOf, config, plan });
    const built = seconds(t);
    const c = performance.now();
    const result = await compare(store, cluster, summary.columns);
    console.log(
      `${plan.padEnd(11)} build ${built} s (${summary.rows} rows, ${summary.columns.length} columns); ` +
        `compared ${result.rows} rows in ${seconds(c)} s: ${result.differing} differences`,
    );
    for (const line of result.examples) console.log(`    ${line}`);
    if (result.differing > 0) failed = true;
  }
} finally {
  if (!flag('--keep')) {
    // exec sends DDL to every shard (statement-plan.ts); the shard parts' database first.
    await cluster.exec(`DROP DATABASE IF EXISTS ${cluster.dialect.quoteIdent(`${database}_local`)}`);
    await cluster.exec(`DROP DATABASE IF EXISTS ${cluster.dialect.quoteIdent(database)}`);
  }
  await cluster.close();
  await store.close();
}
process.exitCode = failed ? 1 : 0;
