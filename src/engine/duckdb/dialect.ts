import { assertRenderableText, type SqlDialect, type TimeUnit } from '../dialect.js';
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

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** UTC timestamp literal text with microsecond-free millisecond precision. */
function timestampText(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError('Invalid Date cannot be rendered in SQL');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',

  quoteIdent(name: string): string {
    assertRenderableText(name, 'Identifier');
    if (name.length === 0) throw new TypeError('Empty identifier');
    return `"${name.replaceAll('"', '""')}"`;
  },

  qualify(...parts: string[]): string {
    return parts.map((p) => duckdbDialect.quoteIdent(p)).join('.');
  },

  literal(value: SqlValue): string {
    if (value === null) return 'NULL';
    switch (typeof value) {
      case 'boolean':
        return value ? 'TRUE' : 'FALSE';
      case 'bigint':
        return `${value.toString()}::HUGEINT`;
      case 'number':
        if (!Number.isFinite(value)) throw new TypeError(`Non-finite number ${value} cannot be rendered in SQL`);
        return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : `${value.toExponential()}::DOUBLE`;
      case 'string':
        assertRenderableText(value, 'String value');
        // Standard SQL strings: only the single quote is special (no backslash escapes in DuckDB).
        return `'${value.replaceAll("'", "''")}'`;
      default:
        if (value instanceof Date) return `TIMESTAMP '${timestampText(value)}'`;
        throw new TypeError(`Unsupported SQL value of type ${typeof value}`);
    }
  },

  columnType(type: CanonicalType): string {
    return TYPES[type];
  },

  dateTrunc(unit: TimeUnit, expr: string): string {
    return `date_trunc('${unit}', ${expr})`;
  },

  dateDiff(unit: 'second' | 'day', start: string, end: string): string {
    // date_diff counts boundaries crossed; for days we want whole elapsed days.
    return unit === 'second'
      ? `(epoch(${end}) - epoch(${start}))::BIGINT`
      : `CAST(floor((epoch(${end}) - epoch(${start})) / 86400) AS BIGINT)`;
  },

  addDays(expr: string, days: string | number): string {
    return `(${expr} + to_days(CAST(${days} AS INTEGER)))`;
  },

  quantileExact(expr: string, p: number): string {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Quantile ${p} outside [0, 1]`);
    return `quantile_disc(${expr}, ${p})`;
  },

  toDouble(expr: string): string {
    return `CAST(${expr} AS DOUBLE)`;
  },

  toMoney(expr: string): string {
    return `CAST(${expr} AS DECIMAL(18,4))`;
  },

  toString(expr: string): string {
    return `CAST(${expr} AS VARCHAR)`;
  },

  hashString(expr: string): string {
    // FNV-1a would need a loop; DuckDB's hash() differs from ClickHouse's. A
    // portable definition is built in the engine-neutral stats layer when needed.
    return `hash(${expr})`;
  },

  fromEpochSeconds(expr: string): string {
    return `make_timestamp(CAST(${expr} AS BIGINT) * 1000000)`;
  },

  epochSeconds(expr: string): string {
    return `epoch(${expr})`;
  },

  countDistinct(expr: string): string {
    return `count(DISTINCT ${expr})`;
  },

  ifThen(cond: string, then: string, otherwise: string): string {
    return `CASE WHEN ${cond} THEN ${then} ELSE ${otherwise} END`;
  },

  boolToInt(expr: string): string {
    return `CAST(${expr} AS INTEGER)`;
  },
};
