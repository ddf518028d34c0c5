import type { Engine } from '../engine/types.js';
import { CUSTOMER_FACTS_TABLE } from '../facts/index.js';
import { ABSOLUTE, CheckBuilder, DOUBLE_TOLERANCE, EXAMPLES, RELATIVE, type FigureCheck } from './reference-compare-checks.js';

/** The reference's facts CSV, loaded into a temporary table of the (read-only) store. */
const REFERENCE_TABLE = '_reference_facts';

interface ColumnRule {
  /** SQL that is true when cxray's value `f` and the reference's text `r` agree. */
  agree: (f: string, r: string) => string;
  /** The reference's text as cxray's unit, for examples. */
  shown: (r: string) => string;
  tolerance: string;
}

const double = (r: string): string => `TRY_CAST(${r} AS DOUBLE)`;

function ruleFor(type: string, money: boolean): ColumnRule {
  if (money) {
    // The reference writes whole cents; cxray's money is DECIMAL(18,4): equal to the cent means equal exactly.
    return {
      agree: (f, r) => `(${f} * 100) IS NOT DISTINCT FROM TRY_CAST(${r} AS DECIMAL(38,4))`,
      shown: (r) => `CAST(TRY_CAST(${r} AS DECIMAL(38,4)) / 100 AS VARCHAR)`,
      tolerance: 'exact (to the cent)',
    };
  }
  switch (type) {
    case 'int32':
    case 'int64':
      return { agree: (f, r) => `${f} IS NOT DISTINCT FROM TRY_CAST(${r} AS BIGINT)`, shown: (r) => r, tolerance: 'exact' };
    case 'double':
      return {
        agree: (f, r) =>
          `((${f} IS NULL AND ${r} IS NULL) OR abs(${f} - ${double(r)}) <= greatest(${RELATIVE} * greatest(abs(${f}), abs(${double(r)})), ${ABSOLUTE}))`,
        shown: (r) => r,
        tolerance: DOUBLE_TOLERANCE,
      };
    case 'timestamp':
      return { agree: (f, r) => `${f} IS NOT DISTINCT FROM TRY_CAST(${r} AS TIMESTAMP)`, shown: (r) => r, tolerance: 'exact (microseconds)' };
    case 'date':
      return { agree: (f, r) => `${f} IS NOT DISTINCT FROM CAST(TRY_CAST(${r} AS TIMESTAMP) AS DATE)`, shown: (r) => r, tolerance: 'exact' };
    case 'boolean':
      return { agree: (f, r) => `${f} IS NOT DISTINCT FROM (CASE lower(${r}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END)`, shown: (r) => r, tolerance: 'exact' };
    default:
      return { agree: (f, r) => `CAST(${f} AS VARCHAR) IS NOT DISTINCT FROM ${r}`, shown: (r) => r, tolerance: 'exact' };
  }
}

/**
 * customer_facts against the reference's per-customer CSV: which customers
 * each side has, then every column both have, customer by customer (one scan
 * for the counts, one more per column that differs for its first examples).
 */
export async function compareFacts(engine: Engine, csvPath: string, moneyColumns: readonly string[]): Promise<FigureCheck[]> {
  const d = engine.dialect;
  const q = (name: string): string => d.quoteIdent(name);
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${q(REFERENCE_TABLE)} AS SELECT * FROM read_csv(${d.literal(csvPath)}, header = true, all_varchar = true)`);
  try {
    const cxrayColumns = await engine.describe(CUSTOMER_FACTS_TABLE);
    // A temporary table is not in the store's catalogue: ask DuckDB directly (the store is always DuckDB).
    const referenceNames = new Set((await engine.query<{ column_name: string }>(`DESCRIBE ${q(REFERENCE_TABLE)}`)).map((c) => c.column_name));
    const checks: FigureCheck[] = [];

    const columnSet = new CheckBuilder('facts column set', 'every customer_facts column is in the reference');
    for (const c of cxrayColumns) {
      if (referenceNames.has(c.name)) columnSet.add(c.name, c.name, c.name);
      else columnSet.missing(c.name, null, c.name);
    }
    checks.push(columnSet.build());

    const customers = new CheckBuilder('facts customers', 'exact (the same customer ids)');
    const id = q('customer_id');
    const onlyOne = await engine.query<{ side: string; customer_id: string }>(
      `SELECT 'cxray' AS side, f.${id} AS customer_id FROM ${q(CUSTOMER_FACTS_TABLE)} f ANTI JOIN ${q(REFERENCE_TABLE)} r ON f.${id} = r.${id}
       UNION ALL SELECT 'reference' AS side, r.${id} FROM ${q(REFERENCE_TABLE)} r ANTI JOIN ${q(CUSTOMER_FACTS_TABLE)} f ON f.${id} = r.${id}
       ORDER BY 2 LIMIT 1000`,
    );
    const [counts] = await engine.query<{ f: bigint; r: bigint }>(`SELECT (SELECT count(*) FROM ${q(CUSTOMER_FACTS_TABLE)}) AS f, (SELECT count(*) FROM ${q(REFERENCE_TABLE)}) AS r`);
    customers.add('count', Number(counts?.r ?? 0n), Number(counts?.f ?? 0n));
    for (const row of onlyOne) customers.missing(row.customer_id, row.side === 'reference' ? 'present' : null, row.side === 'cxray' ? 'present' : null);
    checks.push(customers.build());

    const compared = cxrayColumns.filter((c) => c.name !== 'customer_id' && referenceNames.has(c.name));
    const money = new Set(moneyColumns);
    const rules = compared.map((c) => ({ column: c.name, rule: ruleFor(c.type, money.has(c.name)) }));
    const join = `FROM ${q(CUSTOMER_FACTS_TABLE)} f JOIN ${q(REFERENCE_TABLE)} r ON f.${id} = r.${id}`;
    const agree = (i: number): string => {
      const entry = rules[i];
      if (entry === undefined) throw new Error(`no rule ${i}`);
      return entry.rule.agree(`f.${q(entry.column)}`, `r.${q(entry.column)}`);
    };
    const sums = rules.map((_, i) => `sum(CASE WHEN ${agree(i)} THEN 0 ELSE 1 END) AS ${q(`d${i}`)}`);
    const [row] = await engine.query(`SELECT count(*) AS ${q('n')}, ${sums.join(', ')} ${join}`);
    const n = Number(row?.['n'] ?? 0);
    for (const [i, { column, rule }] of rules.entries()) {
      const differing = Number(row?.[`d${i}`] ?? 0);
      const examples =
        differing === 0
          ? []
          : await engine.query<{ customer_id: string; reference: string | null; cxray: string | null }>(
              `SELECT f.${id} AS customer_id, ${rule.shown(`r.${q(column)}`)} AS reference, CAST(f.${q(column)} AS VARCHAR) AS cxray ${join}
               WHERE NOT (${agree(i)}) ORDER BY f.${id} LIMIT ${EXAMPLES}`,
            );
      checks.push({
        figure: `facts ${column}`,
        compared: n,
        differing,
        tolerance: rule.tolerance,
        examples: examples.map((e) => ({ where: `customer ${e.customer_id}`, reference: e.reference, cxray: e.cxray })),
      });
    }
    return checks;
  } finally {
    await engine.exec(`DROP TABLE IF EXISTS ${q(REFERENCE_TABLE)}`);
  }
}
