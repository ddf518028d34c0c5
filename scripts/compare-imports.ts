/**
 * Compare two import stores row for row: every canonical table, the
 * quarantine and customer_facts with EXCEPT ALL both ways (so duplicates
 * count), and the two ledgers (minus createdAt). Used to prove an importer
 * change leaves results byte-identical.
 *
 *   npx tsx scripts/compare-imports.ts <before.duckdb> <after.duckdb>
 *
 * Exits 0 when identical, 1 when anything differs (each difference printed).
 */
import { DuckDbEngine } from '../src/engine/duckdb/engine.js';
import { CANONICAL_TABLE_NAMES } from '../src/model/tables.js';

const TABLES = [...CANONICAL_TABLE_NAMES, '_quarantine', 'customer_facts'];

interface Difference {
  what: string;
  detail: string;
}

async function compareTables(engine: DuckDbEngine, dbA: string, table: string): Promise<Difference[]> {
  const q = (s: string): string => engine.dialect.quoteIdent(s);
  const a = `${q(dbA)}.main.${q(table)}`;
  const b = `b.main.${q(table)}`;
  const exists = async (db: string): Promise<boolean> =>
    (await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = $db AND schema_name = 'main' AND table_name = $t`, { db, t: table }))[0]?.n === 1n;
  const [inA, inB] = [await exists(dbA), await exists('b')];
  if (!inA || !inB) return inA === inB ? [] : [{ what: table, detail: `present only in ${inA ? 'before' : 'after'}` }];
  const columns = async (db: string): Promise<string> =>
    (await engine.query<{ c: string; t: string }>(
      `SELECT column_name AS c, data_type AS t FROM duckdb_columns() WHERE database_name = $db AND schema_name = 'main' AND table_name = $t ORDER BY column_index`,
      { db, t: table },
    ))
      .map((r) => `${r.c} ${r.t}`)
      .join(', ');
  const [colsA, colsB] = [await columns(dbA), await columns('b')];
  if (colsA !== colsB) return [{ what: table, detail: `columns differ:\n  before: ${colsA}\n  after:  ${colsB}` }];
  const count = async (sql: string): Promise<bigint> => (await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM (${sql})`))[0]?.n ?? 0n;
  const [rowsA, rowsB] = [await count(`SELECT * FROM ${a}`), await count(`SELECT * FROM ${b}`)];
  const onlyA = await count(`SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}`);
  const onlyB = await count(`SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a}`);
  const out: Difference[] = [];
  if (rowsA !== rowsB || onlyA > 0n || onlyB > 0n) {
    const sample = await engine.query(`SELECT * FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}) LIMIT 3`);
    out.push({ what: table, detail: `rows ${rowsA} before, ${rowsB} after; ${onlyA} only before, ${onlyB} only after; e.g. ${JSON.stringify(sample, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}` });
  }
  process.stdout.write(`${table}: ${rowsA} rows before, ${rowsB} after, ${onlyA} only before, ${onlyB} only after\n`);
  return out;
}

/** JSON with object keys sorted: the ledger's key order follows query row order, which carries no meaning. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

async function ledgerOf(engine: DuckDbEngine, db: string): Promise<Record<string, unknown>> {
  const rows = await engine.query<{ ledger: string }>(`SELECT ledger FROM ${engine.dialect.quoteIdent(db)}.main._ledger`);
  const ledger = JSON.parse(rows[0]?.ledger ?? '{}') as Record<string, unknown>;
  delete ledger['createdAt'];
  return ledger;
}

export async function compareImports(before: string, after: string): Promise<Difference[]> {
  // One read-only connection on the "before" store, the "after" store attached read-only beside it.
  const engine = await DuckDbEngine.open(before, { readOnly: true });
  try {
    await engine.exec(`ATTACH ${engine.dialect.literal(after)} AS b (READ_ONLY)`);
    const a = (await engine.query<{ db: string }>(`SELECT current_database() AS db`))[0]?.db ?? 'main';
    const differences: Difference[] = [];
    for (const table of TABLES) differences.push(...(await compareTables(engine, a, table)));
    const [la, lb] = [await ledgerOf(engine, a), await ledgerOf(engine, 'b')];
    if (canonicalJson(la) !== canonicalJson(lb)) differences.push({ what: 'ledger', detail: `before ${JSON.stringify(la)}\nafter  ${JSON.stringify(lb)}` });
    else process.stdout.write('ledger: identical (createdAt aside, keys compared in sorted order)\n');
    return differences;
  } finally {
    await engine.close();
  }
}

const [before, after] = process.argv.slice(2);
if (before === undefined || after === undefined) {
  process.stderr.write('usage: npx tsx scripts/compare-imports.ts <before.duckdb> <after.duckdb>\n');
  process.exitCode = 2;
} else {
  const differences = await compareImports(before, after);
  for (const d of differences) process.stdout.write(`DIFFERENT ${d.what}: ${d.detail}\n`);
  process.stdout.write(differences.length === 0 ? 'identical\n' : `${differences.length} difference(s)\n`);
  process.exitCode = differences.length === 0 ? 0 : 1;
}
