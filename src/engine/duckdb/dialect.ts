import { assertRenderableText, type ColumnSpec, type RunningTotalNames, type SqlDialect, type TimeUnit } from '../dialect.js';
import type { CanonicalType, SqlValue } from '../types.js';

const TYPES: Record<CanonicalType, string> = {
  string: 'VARCHAR',
  int32: 'INTEGER',
  int64: 'BIGINT',
  double: 'DOUBLE',
  money: 'DECIMAL(18,4)',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  'string[]': 'VARCHAR[]',
};

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT128_MIN = -(2n ** 127n);
const INT128_MAX = 2n ** 127n - 1n;
const UINT64_MASK = '18446744073709551615';

/** Whether a JS number travels as INTEGER (else DOUBLE): the same rule for bound and literal values. */
export function isInt32Number(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0);
}

/** Whether a bigint fits BIGINT (else HUGEINT). */
export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

export function assertHugeint(value: bigint): void {
  if (value < INT128_MIN || value > INT128_MAX) throw new TypeError(`Integer ${value} is outside the 128-bit range and cannot be rendered in SQL`);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dateLiteral(d: Date): string {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new TypeError('Invalid Date cannot be rendered in SQL');
  const year = d.getUTCFullYear();
  // Text literals only for years 1..9999: outside that a padded year is not a
  // valid timestamp literal, so go through the exact microsecond count instead.
  if (year < 1 || year > 9999) return `make_timestamp(CAST(${BigInt(ms) * 1000n} AS BIGINT))`;
  const text = `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return `TIMESTAMP '${text}'`;
}

function stringLiteral(value: string): string {
  assertRenderableText(value, 'String value');
  // Standard SQL strings: only the quote is special; DuckDB never reads
  // backslash escapes in '...' (only in E'...', which this never emits).
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Every rendering is an atom (a quoted string, a keyword, digits, or a CAST
 * or call in parentheses), so it is safe after any operator: `1-${literal(-1)}`
 * is `1-(-1)`, never the comment `1--1`.
 */
function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'bigint':
      if (isInt64(value)) return `CAST(${value.toString()} AS BIGINT)`;
      assertHugeint(value);
      return `CAST(${value.toString()} AS HUGEINT)`;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Non-finite number ${value} cannot be rendered in SQL`);
      if (isInt32Number(value)) return value < 0 ? `(${value})` : String(value);
      // Through a string: a numeric literal would be read as DECIMAL and lose
      // the last bit on division; the string cast is exact (shortest round trip).
      return `CAST('${Object.is(value, -0) ? '-0' : String(value)}' AS DOUBLE)`;
    case 'string':
      return stringLiteral(value);
    case 'object':
      if (value instanceof Date) return dateLiteral(value);
      if (Array.isArray(value)) {
        const items = value.map((item: unknown) => {
          if (typeof item !== 'string') throw new TypeError('Only arrays of strings can be rendered in SQL');
          return stringLiteral(item);
        });
        return `CAST([${items.join(', ')}] AS VARCHAR[])`;
      }
      throw new TypeError('Unsupported SQL value of type object');
    default:
      throw new TypeError(`Unsupported SQL value of type ${typeof value}`);
  }
}

function quoteIdent(name: string): string {
  if (typeof name !== 'string') throw new TypeError('Identifier must be a string');
  assertRenderableText(name, 'Identifier');
  if (name.length === 0) throw new TypeError('Empty identifier');
  return `"${name.replaceAll('"', '""')}"`;
}

/** splitmix64 finaliser step with UHUGEINT arithmetic: products of two values below 2^64 fit, then wrap to 64 bits. */
function mixStep(z: string, shift: number, multiplier: string): string {
  return `((xor(${z}, ${z} >> ${shift}) * CAST(${multiplier} AS UHUGEINT)) & CAST(${UINT64_MASK} AS UHUGEINT))`;
}

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',

  quoteIdent,

  qualify(...parts: string[]): string {
    if (parts.length === 0) throw new TypeError('qualify needs at least one name');
    return parts.map(quoteIdent).join('.');
  },

  literal,

  columnType(type: CanonicalType): string {
    const t = TYPES[type];
    if (t === undefined) throw new TypeError(`Unknown column type ${String(type)}`);
    // DuckDB types are all nullable; NOT NULL is a constraint (see createTable),
    // so the type stays usable in CAST.
    return t;
  },

  createTable(table: string, columns: readonly ColumnSpec[]): string {
    if (columns.length === 0) throw new TypeError('A table needs at least one column');
    const defs = columns.map(
      (c) => `${quoteIdent(c.name)} ${duckdbDialect.columnType(c.type)}${c.nullable === false ? ' NOT NULL' : ''}`,
    );
    return `CREATE TABLE ${quoteIdent(table)} (${defs.join(', ')})`;
  },

  integerSeries(count: number, column: string): string {
    if (!Number.isSafeInteger(count) || count < 0) throw new TypeError(`Series length ${count} must be a non-negative integer`);
    return `(SELECT range AS ${quoteIdent(column)} FROM range(CAST(${count} AS BIGINT)))`;
  },

  dateTrunc(unit: TimeUnit, expr: string): string {
    // DuckDB weeks are ISO weeks: they start on Monday, as the contract says.
    return `date_trunc('${unit}', ${expr})`;
  },

  dateDiff(unit: 'second' | 'day', start: string, end: string): string {
    // Exact integer microseconds, then `//`, which truncates toward zero
    // (date_diff counts boundaries crossed; CAST(double AS BIGINT) rounds).
    const per = unit === 'second' ? '1000000' : '86400000000';
    return `(date_diff('microsecond', ${start}, ${end}) // ${per})`;
  },

  addDays(expr: string, days: string | number): string {
    return `(${expr} + to_days(CAST(${days} AS INTEGER)))`;
  },

  quantileExact(expr: string, p: number): string {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Quantile ${p} outside [0, 1]`);
    // quantile_disc is the inverse empirical CDF (Hyndman & Fan type 1), checked by the conformance suite.
    return `quantile_disc(${expr}, ${literal(p)})`;
  },

  runningTotals(select: string, column: string, names: RunningTotalNames): string {
    const x = quoteIdent('__cx_value');
    const w = quoteIdent('__cx_order');
    // `before` from the peer-inclusive running sum and count (RANGE frame):
    // S(<= x) - (C(<= x) - position + 1) * x. Both are the same for every
    // member of a tie, so position and before stay paired whichever order the
    // engine gives tied rows, even if its windows sorted them differently.
    const position = `row_number() OVER ${w}`;
    const before = `sum(${x}) OVER ${w} - CAST(count(*) OVER ${w} - ${position} + 1 AS DOUBLE) * ${x}`;
    const values = `(SELECT CAST(${quoteIdent(column)} AS DOUBLE) AS ${x} FROM (${select}) AS ${quoteIdent('__cx_rows')} WHERE ${quoteIdent(column)} IS NOT NULL)`;
    return (
      `(SELECT ${x} AS ${quoteIdent(names.value)}, CAST(${position} AS DOUBLE) AS ${quoteIdent(names.position)}, ${before} AS ${quoteIdent(names.before)} ` +
      `FROM ${values} AS ${quoteIdent('__cx_values')} WINDOW ${w} AS (ORDER BY ${x}))`
    );
  },

  toDouble(expr: string): string {
    return `CAST(${expr} AS DOUBLE)`;
  },

  naturalLog(expr: string): string {
    return `ln(${expr})`;
  },

  assumeNotNull(expr: string): string {
    return expr;
  },

  toMoney(expr: string): string {
    return `CAST(${expr} AS DECIMAL(18,4))`;
  },

  toString(expr: string): string {
    return `CAST(${expr} AS VARCHAR)`;
  },

  lower(expr: string): string {
    return `lower(${expr})`;
  },

  contains(haystack: string, needle: string): string {
    return `contains(${haystack}, ${needle})`;
  },

  hashString(expr: string): string {
    // FNV-1a needs a fold over bytes: DuckDB could (list_reduce) but ClickHouse
    // 18.16 cannot (no arrayFold), so the portable hash is MD5, which both have.
    // ClickHouse: reinterpretAsUInt64(reverse(substring(MD5(s), 1, 8))).
    return `CAST('0x' || substr(md5(CAST(${expr} AS VARCHAR)), 1, 16) AS UBIGINT)`;
  },

  hashInteger(expr: string): string {
    // The key modulo 2^64 (two's complement), then the splitmix64 finaliser.
    // ClickHouse (UInt64 wraps): z = toUInt64(k) + 0x9E3779B97F4A7C15;
    // z = bitXor(z, bitShiftRight(z, 30)) * 0xBF58476D1CE4E5B9;
    // z = bitXor(z, bitShiftRight(z, 27)) * 0x94D049BB133111EB; bitXor(z, bitShiftRight(z, 31)).
    const key = `CAST(CAST(CAST(${expr} AS BIGINT) AS HUGEINT) & CAST(${UINT64_MASK} AS HUGEINT) AS UHUGEINT)`;
    const z1 = `((${key} + CAST(11400714819323198485 AS UHUGEINT)) & CAST(${UINT64_MASK} AS UHUGEINT))`;
    const z2 = mixStep(z1, 30, '13787848793156543929');
    const z3 = mixStep(z2, 27, '10723151780598845931');
    return `CAST(xor(${z3}, ${z3} >> 31) AS UBIGINT)`;
  },

  fromEpochSeconds(expr: string): string {
    // Fractional seconds kept to the microsecond (CAST(double AS BIGINT) would round to the second).
    return `make_timestamp(CAST(round(CAST(${expr} AS DOUBLE) * 1000000) AS BIGINT))`;
  },

  epochSeconds(expr: string): string {
    return `epoch(${expr})`;
  },

  countDistinct(expr: string): string {
    return `count(DISTINCT ${expr})`;
  },

  globalJoin(kind: 'INNER' | 'LEFT'): string {
    return `${kind} JOIN`;
  },

  shardLocalTable(table: string): string {
    // One database file, no shards: the table is its own only part.
    return quoteIdent(table);
  },

  ifThen(cond: string, then: string, otherwise: string): string {
    return `(CASE WHEN ${cond} THEN ${then} ELSE ${otherwise} END)`;
  },

  boolToInt(expr: string): string {
    return `CAST(${expr} AS INTEGER)`;
  },
};
