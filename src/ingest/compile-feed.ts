import type { AttributeSpec, ColumnSpec, Feed, Where } from '../config/schema.js';
import type { SqlDialect } from '../engine/dialect.js';
import type { CanonicalType } from '../engine/types.js';
import { UserError } from '../errors.js';
import { CANONICAL_TABLES, CUSTOMER_KEY_COLUMNS, type CanonicalTableName } from '../model/tables.js';
import { nearest } from '../config/suggest.js';
import { setLevels, shareTrims, type FeedLet } from './feed-lets.js';
import { normaliseHeader } from './header.js';
import { foldedLiteral, foldedText, isBlank, parseNumber, trimmed, type Bind } from './expressions.js';
import { constant, rawColumn, specObject, typedColumn, valueRef, type CoercionCount, type FeedContext, type RowCheck } from './feed-column.js';

export { valueRef, type CoercionCount, type FeedContext, type RowCheck };

/** One typed output column of a feed. */
export interface CompiledColumn {
  name: string;
  type: CanonicalType;
  sql: string;
}


/** A column that names a customer, resolved later through the identity map. */
export interface CustomerReference {
  column: string;
  key: string;
}

export interface CompiledFeed {
  table: CanonicalTableName;
  /** Predicate over the raw row: the feed applies. */
  applies: string;
  /** Label of the where rule, for the ledger's excluded counts. */
  whereLabel: string | null;
  columns: CompiledColumn[];
  checks: RowCheck[];
  coercions: CoercionCount[];
  references: CustomerReference[];
  /** survey unpivot: one output row per (answer column) with its own columns and presence test. */
  answers: { present: string; columns: CompiledColumn[]; checks: RowCheck[] }[] | null;
  /** customers: identity keys (name -> SQL) and attribute columns. */
  identityKeys: { key: string; sql: string }[];
  attributes: { name: string; type: CanonicalType }[];
  /**
   * Intermediate values (`_l<n>`) the columns reference, each computed once
   * per row in an inner projection: `level` 1 reads only raw cells, level k
   * reads values of lower levels.
   */
  lets: FeedLet[];
}



const ATTRIBUTE_TYPES: Record<NonNullable<Exclude<AttributeSpec, string>['type']>, CanonicalType> = {
  string: 'string',
  integer: 'int64',
  number: 'double',
  boolean: 'boolean',
  date: 'timestamp',
  money: 'money',
  age: 'int32',
  days_since: 'int32',
};

/**
 * Whole years (birthdays passed) or whole days from a calendar date to as_of;
 * negative when the date is after as_of. Someone born on 29 February has a
 * birthday on 1 March in other years.
 */
function sinceAsOf(d: SqlDialect, timestamp: string, unit: 'age' | 'days_since', asOf: string): string {
  const day = `CAST(${timestamp} AS DATE)`;
  const asOfDay = `CAST(${d.literal(asOf)} AS DATE)`;
  if (unit === 'days_since') return `CAST(date_diff('day', ${day}, ${asOfDay}) AS INTEGER)`;
  const monthDay = (x: string): string => `(month(${x}) * 100 + day(${x}))`;
  return `CAST(year(${asOfDay}) - year(${day}) - CASE WHEN ${monthDay(day)} > ${monthDay(asOfDay)} THEN 1 ELSE 0 END AS INTEGER)`;
}

/** Columns derived by the importer, never mapped. */
const DERIVED = new Set(['original_amount', 'original_currency']);








/**
 * A where rule as a predicate on the raw row, and the checks it needs: a
 * `gt`/`lt` rule on text that is no number cannot say whether the feed
 * applies, so the feed applies and the row is quarantined (a refund of
 * "1.234,56" is not silently left out). Numbers are read with the decimal
 * separator the feed declares for that column.
 */
function wherePredicate(ctx: FeedContext, where: Where, path: string, decimal: '.' | ','): { sql: string; checks: RowCheck[] } {
  const d = ctx.dialect;
  const raw = rawColumn(ctx, where.column, `${path}.column`);
  const parts: string[] = [];
  const checks: RowCheck[] = [];
  const key = foldedText(raw);
  const set = (values: unknown[]): string => values.map((v) => foldedLiteral(d, String(v))).join(', ');
  if (where.in !== undefined) parts.push(where.in.length === 0 ? 'FALSE' : `COALESCE(${key} IN (${set(where.in)}), FALSE)`);
  if (where.not_in !== undefined && where.not_in.length > 0) parts.push(`COALESCE(${key} NOT IN (${set(where.not_in)}), TRUE)`);
  if (where.gt !== undefined || where.lt !== undefined) {
    const number = parseNumber(d, raw, { decimal });
    const unreadable = `(NOT ${isBlank(raw)} AND ${number.value} IS NULL)`;
    if (where.gt !== undefined) parts.push(`COALESCE(${number.value} > ${d.literal(where.gt)}, ${unreadable})`);
    if (where.lt !== undefined) parts.push(`COALESCE(${number.value} < ${d.literal(where.lt)}, ${unreadable})`);
    checks.push({ when: unreadable, reason: 'not_a_number', column: where.column, detail: `${where.column}: the value cannot be read as a number (where rule)` });
  }
  if (where.nonblank === true) parts.push(`NOT ${isBlank(raw)}`);
  return { sql: parts.length === 0 ? 'TRUE' : `(${parts.join(' AND ')})`, checks };
}

/** The decimal separator the feed declares for a source column, where it reads it as a number. */
function declaredDecimal(feed: Feed, column: string): '.' | ',' {
  const specs = [...Object.values(feed.columns), ...Object.values(feed.attributes ?? {})];
  for (const spec of specs) {
    if (typeof spec === 'object' && spec.column !== undefined && normaliseHeader(spec.column) === normaliseHeader(column) && spec.decimal !== undefined) return spec.decimal;
  }
  return '.';
}

function whereLabel(where: Where[]): string {
  return where
    .map((w) =>
      [
        w.in !== undefined ? `${w.column} in [${w.in.join(', ')}]` : null,
        w.not_in !== undefined ? `${w.column} not in [${w.not_in.join(', ')}]` : null,
        w.gt !== undefined ? `${w.column} > ${w.gt}` : null,
        w.lt !== undefined ? `${w.column} < ${w.lt}` : null,
        w.nonblank === true ? `${w.column} not blank` : null,
      ]
        .filter((x) => x !== null)
        .join(' and '),
    )
    .join(' and ');
}

/** How a customer reference column is normalised before matching. */
function referenceSql(ctx: FeedContext, spec: ColumnSpec, path: string): { sql: string; key: string; raw: string | null } {
  const s = specObject(spec);
  const key = s.via ?? 'id';
  if (s.column === undefined) return { sql: constant(ctx.dialect, s.value, 'string', ctx.asOf), key, raw: null };
  const raw = rawColumn(ctx, s.column, path);
  const text = customerIdText(raw);
  return { sql: key === 'email' ? `lower(${text})` : text, key, raw };
}

/**
 * A customer id as cxray keeps it, in the customers feed and in every
 * reference to it alike (else an id would not find its own customer): trimmed,
 * and without the apostrophe Shopify and Excel put before ids to keep them as text.
 */
function customerIdText(raw: string): string {
  return `regexp_replace(${trimmed(raw)}, '^''', '')`;
}

export function compileFeed(feedContext: FeedContext, feed: Feed): CompiledFeed {
  const d = feedContext.dialect;
  const lets: FeedLet[] = [];
  const bind: Bind = (sql) => {
    const name = `_l${lets.length + 1}`;
    lets.push({ name, sql, level: 0 });
    return `r.${d.quoteIdent(name)}`;
  };
  const ctx: FeedContext = { ...feedContext, bind };
  const table = feed.table as CanonicalTableName;
  const base = `sources.${ctx.sourceName}.feeds[${ctx.feedIndex}]`;
  const canonical = CANONICAL_TABLES[table];
  const refColumns = new Set(table === 'customers' ? [] : CUSTOMER_KEY_COLUMNS[table]);
  const columns: CompiledColumn[] = [];
  const checks: RowCheck[] = [];
  const coercions: CoercionCount[] = [];
  const references: CustomerReference[] = [];

  for (const name of Object.keys(feed.columns)) {
    if (!canonical.some((c) => c.name === name) || DERIVED.has(name)) {
      const near = nearest(
        name,
        canonical.map((c) => c.name).filter((n) => !DERIVED.has(n)),
      );
      throw new UserError('config_invalid', `cxray.yaml: ${base}.columns.${name}: ${table} has no column "${name}".${near === undefined ? '' : ` Did you mean "${near}"?`}`, {
        hint: `Columns of ${table}: ${canonical.map((c) => c.name).filter((n) => !DERIVED.has(n)).join(', ')}.`,
      });
    }
  }
  const unpivot = feed.unpivot;
  const fromAnswer = new Set(unpivot === undefined ? [] : ['instrument', 'question', 'area', 'score', 'comment']);
  for (const column of canonical) {
    if (DERIVED.has(column.name)) continue;
    const spec = feed.columns[column.name];
    if (spec === undefined) {
      if (column.required && !fromAnswer.has(column.name) && !(table === 'transactions' && column.name === 'currency')) {
        throw new UserError('config_invalid', `cxray.yaml: ${base}.columns: ${table} needs "${column.name}" (${column.description}).`, {
          hint: `Add ${column.name}: <source column> under ${base}.columns.`,
        });
      }
      if (fromAnswer.has(column.name)) continue;
      // An unmapped currency is the workspace currency, added below: a NULL column here too would shadow it.
      if (table === 'transactions' && column.name === 'currency') continue;
      columns.push({ name: column.name, type: column.type, sql: `CAST(NULL AS ${d.columnType(column.type)})` });
      continue;
    }
    const path = `${base}.columns.${column.name}`;
    if (refColumns.has(column.name)) {
      const ref = referenceSql(ctx, spec, path);
      columns.push({ name: column.name, type: 'string', sql: ref.sql });
      references.push({ column: column.name, key: ref.key });
      if (ref.raw !== null) checks.push({ when: isBlank(ref.raw), reason: 'missing_value', column: specObject(spec).column ?? null, detail: `${specObject(spec).column ?? column.name}: blank customer` });
      continue;
    }
    if (column.name === 'currency') {
      const s = specObject(spec);
      // A blank currency cell means the workspace currency (exports often leave it empty).
      const sql =
        s.column === undefined
          ? constant(d, s.value, 'string', ctx.asOf)
          : `COALESCE(upper(${trimmed(rawColumn(ctx, s.column, path))}), ${d.literal(ctx.config.currency)})`;
      columns.push({ name: 'currency', type: 'string', sql });
      continue;
    }
    const typed = typedColumn(ctx, spec, column.type, column.values, path, column.name);
    if (table === 'customers' && column.name === 'customer_id' && typed.raw !== null) {
      const id = customerIdText(typed.raw);
      columns.push({ name: column.name, type: column.type, sql: `NULLIF(${id}, '')` });
      const sourceColumn = specObject(spec).column ?? column.name;
      checks.push({ when: `(NOT ${isBlank(typed.raw)} AND ${id} = '')`, reason: 'missing_value', column: sourceColumn, detail: `${sourceColumn}: the id is only an apostrophe` });
    } else {
      columns.push({ name: column.name, type: column.type, sql: typed.sql });
    }
    checks.push(...typed.checks);
    coercions.push(...typed.coercions);
    if (typed.raw !== null) {
      const sourceColumn = specObject(spec).column ?? column.name;
      if (column.required) checks.push({ when: isBlank(typed.raw), reason: 'missing_value', column: sourceColumn, detail: `${sourceColumn}: required value is blank` });
      else coercions.push({ column: column.name, reason: 'blank_to_null', when: `(${isBlank(typed.raw)})` });
    }
  }
  if (table === 'transactions') {
    if (feed.columns['currency'] === undefined) columns.push({ name: 'currency', type: 'string', sql: d.literal(ctx.config.currency) });
    if (feed.allow_negative === true) {
      // Negative amounts mark the direction (a refund written as -20): the kind carries it, the amount is stored positive.
      const amount = columns.find((c) => c.name === 'amount');
      if (amount !== undefined) amount.sql = `abs(${amount.sql})`;
    } else {
      const amount = columns.find((c) => c.name === 'amount');
      const amountColumn = specObject(feed.columns['amount'] ?? 'amount').column ?? 'amount';
      if (amount !== undefined) checks.push({ when: `COALESCE(${valueRef(d, 'amount')} < 0, FALSE)`, reason: 'negative_amount', column: amountColumn, detail: `${amountColumn}: negative amount` });
    }
  }
  if (table === 'survey_responses' && unpivot === undefined) {
    for (const required of ['instrument'] as const) {
      if (feed.columns[required] === undefined) {
        throw new UserError('config_invalid', `cxray.yaml: ${base}: survey_responses needs "${required}" in columns, or an unpivot of answer columns.`, {
          hint: 'Map the instrument (nps, csat, ces, rating, comment), or list answer columns under unpivot.',
        });
      }
    }
  }

  let answers: CompiledFeed['answers'] = null;
  if (unpivot !== undefined) {
    answers = Object.entries(unpivot).map(([column, answer]) => {
      const raw = rawColumn(ctx, column, `${base}.unpivot`);
      const isComment = answer.instrument === 'comment';
      const score = parseNumber(d, raw, { decimal: '.' });
      const scoreRef = valueRef(d, 'score');
      const answerChecks: RowCheck[] = isComment ? [] : [{ when: `(NOT ${isBlank(raw)} AND ${scoreRef} IS NULL)`, reason: 'not_a_number', column, detail: `${column}: the answer is not a number` }];
      if (answer.instrument === 'nps') {
        answerChecks.push({ when: `COALESCE(${scoreRef} NOT BETWEEN 0 AND 10 OR ${scoreRef} <> trunc(${scoreRef}), FALSE)`, reason: 'invalid_value', column, detail: `${column}: NPS answers are whole numbers from 0 to 10` });
      }
      return {
        present: `NOT ${isBlank(raw)}`,
        checks: answerChecks,
        columns: [
          { name: 'instrument', type: 'string', sql: d.literal(answer.instrument) },
          { name: 'question', type: 'string', sql: d.literal(answer.question ?? column) },
          { name: 'area', type: 'string', sql: answer.area === undefined ? 'CAST(NULL AS VARCHAR)' : d.literal(answer.area) },
          { name: 'score', type: 'double', sql: isComment ? 'CAST(NULL AS DOUBLE)' : score.value },
          { name: 'comment', type: 'string', sql: isComment ? trimmed(raw) : 'CAST(NULL AS VARCHAR)' },
        ],
      };
    });
  }

  const identityKeys: CompiledFeed['identityKeys'] = [];
  const attributes: CompiledFeed['attributes'] = [];
  if (table === 'customers') {
    for (const [key, spec] of Object.entries(feed.keys ?? {})) {
      const ref = referenceSql(ctx, spec, `${base}.keys.${key}`);
      identityKeys.push({ key, sql: key === 'email' ? ref.sql : ref.sql });
    }
    const reserved = new Set([...canonical.map((c) => c.name), '_source', '_file', '_line']);
    for (const [name, spec] of Object.entries(feed.attributes ?? {})) {
      if (reserved.has(name)) {
        throw new UserError('config_invalid', `cxray.yaml: ${base}.attributes.${name}: "${name}" is a reserved column name.`, { hint: 'Rename the attribute.' });
      }
      const s = specObject(spec);
      const declared = (s.type ?? 'string') as keyof typeof ATTRIBUTE_TYPES;
      const type = ATTRIBUTE_TYPES[declared] ?? 'string';
      const counted = declared === 'age' || declared === 'days_since';
      // A counted date is read as a calendar date (in UTC, so no time zone moves its day), then counted to as_of.
      const readCtx = counted ? { ...ctx, config: { ...ctx.config, timezone: 'UTC' } } : ctx;
      const typed = typedColumn(readCtx, spec, counted ? 'timestamp' : type, undefined, `${base}.attributes.${name}`, name);
      columns.push({ name, type, sql: counted ? sinceAsOf(d, typed.sql, declared, ctx.asOf) : typed.sql });
      attributes.push({ name, type });
      checks.push(...typed.checks);
      coercions.push(...typed.coercions);
      if (typed.raw !== null) coercions.push({ column: name, reason: 'blank_to_null', when: `(${isBlank(typed.raw)})` });
    }
  }

  const where = feed.where ?? [];
  const rules = where.map((w, i) => wherePredicate(ctx, w, `${base}.where[${i}]`, declaredDecimal(feed, w.column)));
  checks.unshift(...rules.flatMap((r) => r.checks));
  shareTrims(d, lets, columns, checks, coercions, identityKeys, answers);
  setLevels(lets);
  return {
    table,
    applies: rules.length === 0 ? 'TRUE' : rules.map((r) => r.sql).join(' AND '),
    whereLabel: where.length === 0 ? null : whereLabel(where),
    columns,
    checks,
    coercions,
    references,
    answers,
    identityKeys,
    attributes,
    lets,
  };
}

