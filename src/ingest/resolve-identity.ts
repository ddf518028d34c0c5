import type { Engine } from '../engine/types.js';
import { UserError } from '../errors.js';
import { CANONICAL_TABLES, CANONICAL_TABLE_NAMES, CUSTOMER_KEY_COLUMNS, type CanonicalTableName } from '../model/tables.js';
import type { StagedSource } from './stage-source.js';

export const IDENTITY_TABLE = '_identity';

export interface IdentityOutcome {
  /** A customers source exists: unmatched references are quarantined; else customers are derived from the keys seen. */
  hasCustomersSource: boolean;
  derivedCustomers: number;
  ambiguousKeys: number;
}

const inserted = (outcomes: string, q: (s: string) => string): string =>
  `EXISTS (SELECT 1 FROM ${q(outcomes)} o WHERE o._file = f._file AND o._unit = f._unit AND o.status = 'inserted')`;

/**
 * Build the identity map from the customers feeds and resolve every customer
 * reference through it. Unmatched references quarantine their record
 * (`unknown_customer`) when a customers source is declared; without one,
 * customers are derived from the keys seen.
 */
export async function resolveIdentity(engine: Engine, sources: StagedSource[]): Promise<IdentityOutcome> {
  const d = engine.dialect;
  const q = (s: string): string => d.quoteIdent(s);
  const customerFeeds = sources.flatMap((s) => s.feeds.filter((f) => f.feed.table === 'customers').map((f) => ({ source: s, ...f })));
  const hasCustomersSource = customerFeeds.length > 0;

  // A customer id defined twice across sources: the first source wins, later copies are quarantined.
  const seen: string[] = [];
  for (const cf of customerFeeds) {
    if (seen.length > 0) {
      await engine.exec(
        `UPDATE ${q(cf.source.outcomes)} SET status = 'quarantined', reason = 'conflicting_duplicate', reason_column = 'customer_id',
           detail = 'this customer id is already defined by an earlier customers source'
         WHERE status = 'inserted' AND (_file, _unit) IN (
           SELECT f._file, f._unit FROM ${q(cf.table)} f WHERE f._applies AND f.customer_id IN (${seen.map((t) => `SELECT customer_id FROM ${q(t)}`).join(' UNION ALL ')}))`,
      );
    }
    const kept = `${cf.table}_kept`;
    await engine.exec(`CREATE OR REPLACE TEMP TABLE ${q(kept)} AS SELECT f.* FROM ${q(cf.table)} f WHERE f._applies AND ${inserted(cf.source.outcomes, q)}`);
    seen.push(kept);
  }

  const keyRows = customerFeeds.flatMap((cf, i) => [
    `SELECT 'id' AS key, customer_id AS value, customer_id FROM ${q(seen[i] as string)}`,
    ...cf.feed.identityKeys.map((k) => `SELECT ${d.literal(k.key)} AS key, ${q(`_key_${k.key}`)} AS value, customer_id FROM ${q(seen[i] as string)} WHERE ${q(`_key_${k.key}`)} IS NOT NULL`),
  ]);
  await engine.exec(
    keyRows.length === 0
      ? `CREATE OR REPLACE TABLE ${q(IDENTITY_TABLE)} (key VARCHAR, value VARCHAR, customer_id VARCHAR)`
      : // A key shared by several customers (a family e-mail) resolves to the smallest id; counted as ambiguous.
        `CREATE OR REPLACE TABLE ${q(IDENTITY_TABLE)} AS SELECT key, value, min(customer_id) AS customer_id, count(DISTINCT customer_id) AS owners FROM (${keyRows.join(' UNION ALL ')}) GROUP BY key, value`,
  );
  const ambiguousKeys =
    keyRows.length === 0 ? 0 : Number((await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${q(IDENTITY_TABLE)} WHERE owners > 1`))[0]?.n ?? 0n);

  let derivedCustomers = 0;
  for (const source of sources) {
    for (const staged of source.feeds) {
      for (const ref of staged.feed.references) {
        const resolvedColumn = `_resolved_${ref.column}`;
        await engine.exec(`ALTER TABLE ${q(staged.table)} ADD COLUMN ${q(resolvedColumn)} VARCHAR`);
        await engine.exec(
          `UPDATE ${q(staged.table)} AS f SET ${q(resolvedColumn)} = i.customer_id FROM ${q(IDENTITY_TABLE)} i
           WHERE i.key = ${d.literal(ref.key)} AND i.value = f.${q(ref.column)}`,
        );
        if (hasCustomersSource) {
          await engine.exec(
            `UPDATE ${q(source.outcomes)} SET status = 'quarantined', reason = 'unknown_customer', reason_column = ${d.literal(ref.column)},
               detail = ${d.literal(`${ref.column}: no customer has this ${ref.key === 'id' ? 'id' : ref.key}`)}
             WHERE status = 'inserted' AND (_file, _unit) IN (
               SELECT _file, _unit FROM ${q(staged.table)} WHERE _applies AND ${q(ref.column)} IS NOT NULL AND ${q(resolvedColumn)} IS NULL)`,
          );
        } else {
          // Without a customers source, every key seen is a customer.
          await engine.exec(`UPDATE ${q(staged.table)} SET ${q(resolvedColumn)} = ${q(ref.column)} WHERE ${q(resolvedColumn)} IS NULL`);
        }
      }
    }
  }
  if (!hasCustomersSource) {
    const derived = sources.flatMap((s) =>
      s.feeds.flatMap((f) =>
        f.feed.references.map(
          (ref) =>
            `SELECT ${q(`_resolved_${ref.column}`)} AS customer_id, ${f.feed.columns.some((c) => c.name === 'at') ? 'f."at"' : 'CAST(NULL AS TIMESTAMP)'} AS at, f._file, f._line, ${d.literal(s.name)} AS _source
             FROM ${q(f.table)} f WHERE f._applies AND ${inserted(s.outcomes, q)} AND ${q(`_resolved_${ref.column}`)} IS NOT NULL`,
        ),
      ),
    );
    await engine.exec(
      derived.length === 0
        ? `CREATE OR REPLACE TABLE _derived_customers (customer_id VARCHAR, signup_at TIMESTAMP, _source VARCHAR, _file VARCHAR, _line BIGINT)`
        : `CREATE OR REPLACE TABLE _derived_customers AS SELECT customer_id, min("at") AS signup_at, arg_min(_source, _line) AS _source, arg_min(_file, _line) AS _file, min(_line) AS _line
           FROM (${derived.join(' UNION ALL ')}) GROUP BY customer_id`,
    );
    derivedCustomers = Number((await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM _derived_customers`))[0]?.n ?? 0n);
  }
  for (const t of seen) await engine.exec(`DROP TABLE IF EXISTS ${q(t)}`);
  return { hasCustomersSource, derivedCustomers, ambiguousKeys };
}

/**
 * Write the canonical tables from the staged feeds: only records whose outcome
 * is `inserted`, customer references replaced by resolved ids, money converted
 * to the workspace currency.
 */
export async function writeCanonicalTables(
  engine: Engine,
  sources: StagedSource[],
  options: { currency: string; exchangeRates: Record<string, number>; identity: IdentityOutcome },
): Promise<Record<CanonicalTableName, number>> {
  const d = engine.dialect;
  const q = (s: string): string => d.quoteIdent(s);
  const attributes = new Map<string, string>();
  for (const s of sources) for (const f of s.feeds) for (const a of f.feed.attributes) if (!attributes.has(a.name)) attributes.set(a.name, d.columnType(a.type));

  // Mixed currencies need declared rates: converting at a guessed rate would be a silent error.
  const currencyQueries = sources.flatMap((s) =>
    s.feeds
      .filter((f) => f.feed.table === 'transactions')
      .map((f) => `SELECT currency, _file, _line FROM ${q(f.table)} f WHERE f._applies AND ${inserted(s.outcomes, q)}`),
  );
  if (currencyQueries.length > 0) {
    // Each currency with the first place it is seen, so the error can point at a row.
    const seen = await engine.query<{ currency: string | null; file: string; line: bigint }>(
      `SELECT currency, arg_min(_file, (_file, _line)) AS file, arg_min(_line, (_file, _line)) AS line FROM (${currencyQueries.join(' UNION ALL ')}) GROUP BY currency ORDER BY currency`,
    );
    const found = seen.map((r) => r.currency ?? '(blank)');
    const unknown = seen.filter((r) => r.currency === null || (r.currency !== options.currency && options.exchangeRates[r.currency] === undefined));
    const first = unknown[0];
    if (first !== undefined) {
      const names = unknown.map((r) => r.currency ?? '(blank)');
      throw new UserError(
        'mixed_currencies',
        `The transactions are in ${found.join(', ')}, but the workspace currency is ${options.currency} and no exchange rate is declared for ${names.join(', ')} (first seen in ${first.file}, line ${first.line}).`,
        {
          hint: `Add exchange_rates to cxray.yaml, e.g. exchange_rates: {${names.map((c) => `${c}: 1.0`).join(', ')}} (1 unit of each = that many ${options.currency}), or set currency: to the one currency used.`,
          file: first.file,
          line: Number(first.line),
        },
      );
    }
  }
  // DECIMAL(38,8), not (18,8): DuckDB types DECIMAL(18,4) x DECIMAL(18,8) as
  // DECIMAL(18,12), which overflows from an amount of 1,000,000 on.
  const rate = (column: string): string =>
    Object.keys(options.exchangeRates).length === 0
      ? 'CAST(1 AS DECIMAL(38,8))'
      : `CASE ${column} ${Object.entries(options.exchangeRates)
      .map(([c, r]) => `WHEN ${d.literal(c)} THEN CAST(${d.literal(String(r))} AS DECIMAL(38,8))`)
      .join(' ')} ELSE CAST(1 AS DECIMAL(38,8)) END`;

  const counts = {} as Record<CanonicalTableName, number>;
  for (const table of CANONICAL_TABLE_NAMES) {
    const columns = CANONICAL_TABLES[table].map((c) => ({ name: c.name, type: d.columnType(c.type) }));
    if (table === 'customers') for (const [name, type] of attributes) columns.push({ name, type });
    const provenance = [
      { name: '_source', type: 'VARCHAR' },
      { name: '_file', type: 'VARCHAR' },
      { name: '_line', type: 'BIGINT' },
    ];
    const all = [...columns, ...provenance];
    await engine.exec(`CREATE OR REPLACE TABLE ${q(table)} (${all.map((c) => `${q(c.name)} ${c.type}`).join(', ')})`);
    const parts: string[] = [];
    for (const s of sources) {
      for (const f of s.feeds) {
        if (f.feed.table !== table) continue;
        const have = new Set([...f.feed.columns.map((c) => c.name), ...(f.feed.answers?.[0]?.columns.map((c) => c.name) ?? [])]);
        const refs = new Set(f.feed.references.map((r) => r.column));
        const select = all.map((c) => {
          if (c.name === '_source') return d.literal(s.name);
          if (c.name === '_file' || c.name === '_line') return `f.${q(c.name)}`;
          if (refs.has(c.name)) return `f.${q(`_resolved_${c.name}`)}`;
          if (table === 'transactions' && c.name === 'original_amount') return 'f."amount"';
          if (table === 'transactions' && c.name === 'original_currency') return 'f."currency"';
          if (table === 'transactions' && c.name === 'currency') return d.literal(options.currency);
          if (table === 'transactions' && (c.name === 'amount' || c.name === 'cost')) return `CAST(f.${q(c.name)} * ${rate('f."currency"')} AS DECIMAL(18,4))`;
          return have.has(c.name) ? `CAST(f.${q(c.name)} AS ${c.type})` : `CAST(NULL AS ${c.type})`;
        });
        parts.push(`SELECT ${select.map((expr, i) => `${expr} AS ${q(all[i]?.name ?? '')}`).join(', ')} FROM ${q(f.table)} f WHERE f._applies AND ${inserted(s.outcomes, q)}`);
      }
    }
    if (table === 'customers' && !options.identity.hasCustomersSource) {
      parts.push(
        `SELECT ${all.map((c) => `${['customer_id', 'signup_at', '_source', '_file', '_line'].includes(c.name) ? q(c.name) : `CAST(NULL AS ${c.type})`} AS ${q(c.name)}`).join(', ')} FROM _derived_customers`,
      );
    }
    // In customer order (then where each row came from): a customer's rows are then found by the
    // row groups' min/max (DuckDB skips the others) rather than by reading every row, as the API's
    // customer page does; and a store's row order no longer depends on the order of the sources.
    const order = [...CUSTOMER_KEY_COLUMNS[table], '_source', '_file', '_line'].map((c) => q(c)).join(', ');
    if (parts.length > 0) await engine.exec(`INSERT INTO ${q(table)} SELECT * FROM (${parts.join(' UNION ALL ')}) AS ${q('_all')} ORDER BY ${order}`);
    counts[table] = Number((await engine.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${q(table)}`))[0]?.n ?? 0n);
  }
  return counts;
}
