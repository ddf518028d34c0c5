/**
 * SQL generation for ClickHouse, from 18.16 (Debian's) on: pure, no I/O.
 * Values and names go through literal.ts; this file holds the semantics
 * (types, time, quantiles, hashes) and the table layout (layout.ts).
 *
 * 18.16 limits that shape what is emitted here: no window functions, no
 * `WITH name AS (subquery)`, one JOIN per SELECT, DateTime in whole seconds
 * from 1970, no boolean type, no Nullable(Array), `numbers(0)` is endless.
 */
import type { ColumnSpec, RunningTotalNames, SqlDialect, TimeUnit } from '../dialect.js';
import type { CanonicalType } from '../types.js';
import { assertStorableName, SHARDING_COLUMN, type ClickHouseLayout } from './layout.js';
import { BOOLEAN_TYPE, literal, MAX_DATETIME_SECONDS, quoteIdent, stringLiteral } from './literal.js';

const TYPES: Record<CanonicalType, string> = {
  string: 'String',
  int32: 'Int32',
  int64: 'Int64',
  double: 'Float64',
  money: 'Decimal(18, 4)',
  boolean: BOOLEAN_TYPE,
  // Pinned to UTC, so reading and truncating never depends on the server's zone.
  timestamp: "DateTime('UTC')",
  date: 'Date',
  'string[]': 'Array(String)',
};

/**
 * The capitals whose lower case (Unicode's simple mapping, which DuckDB's
 * lower follows) takes another number of UTF-8 bytes: İ to i, the Kelvin
 * sign to k, ẞ to ß, ... ClickHouse's lowerUTF8 maps bytes in place and
 * leaves these as they are, so `dialect.lower` maps them after it. The two
 * Unicode 16 letters DuckDB does not lower yet are left out, to agree with it.
 */
const WIDTH_CHANGING_CAPITALS: readonly (readonly [string, string])[] = [['\u{130}', '\u{69}'], ['\u{23A}', '\u{2C65}'], ['\u{23E}', '\u{2C66}'], ['\u{1E9E}', '\u{DF}'], ['\u{2126}', '\u{3C9}'], ['\u{212A}', '\u{6B}'], ['\u{212B}', '\u{E5}'], ['\u{2C62}', '\u{26B}'], ['\u{2C64}', '\u{27D}'], ['\u{2C6D}', '\u{251}'], ['\u{2C6E}', '\u{271}'], ['\u{2C6F}', '\u{250}'], ['\u{2C70}', '\u{252}'], ['\u{2C7E}', '\u{23F}'], ['\u{2C7F}', '\u{240}'], ['\u{A78D}', '\u{265}'], ['\u{A7AA}', '\u{266}'], ['\u{A7AB}', '\u{25C}'], ['\u{A7AC}', '\u{261}'], ['\u{A7AD}', '\u{26C}'], ['\u{A7AE}', '\u{26A}'], ['\u{A7B0}', '\u{29E}'], ['\u{A7B1}', '\u{287}'], ['\u{A7B2}', '\u{29D}'], ['\u{A7C5}', '\u{282}']];

/** The splitmix64 constants (see portable-hash.ts), as UInt64 so products wrap modulo 2^64. */
const GOLDEN = 'toUInt64(11400714819323198485)';
const MIX1 = 'toUInt64(13787848793156543929)';
const MIX2 = 'toUInt64(10723151780598845931)';

function mixStep(z: string, shift: number, multiplier: string): string {
  return `(bitXor(${z}, bitShiftRight(${z}, ${shift})) * ${multiplier})`;
}

export interface ClickHouseDialect extends SqlDialect {
  readonly layout: ClickHouseLayout;
}

export function createClickHouseDialect(layout: ClickHouseLayout): ClickHouseDialect {
  const qualify = (...parts: string[]): string => {
    if (parts.length === 0) throw new TypeError('qualify needs at least one name');
    return parts.map(quoteIdent).join('.');
  };

  // Nullable by default, so CAST(NULL AS ...) works. A trap of 18.16: casting
  // malformed text gives NULL (Nullable targets) or a partial parse ('12x' ->
  // 12.0000) instead of an error; validate text first (insertRows does).
  const columnType = (type: CanonicalType, nullable = true): string => {
    const t = TYPES[type];
    if (t === undefined) throw new TypeError(`Unknown column type ${String(type)}`);
    // Arrays cannot be Nullable in ClickHouse: a NULL list is stored as [] (capability nullableLists: false).
    return nullable && type !== 'string[]' ? `Nullable(${t})` : t;
  };

  const hashString = (expr: string): string =>
    // The portable hash: the first 8 bytes of MD5, big-endian (reverse, then read little-endian).
    `reinterpretAsUInt64(reverse(substring(MD5(toString(${expr})), 1, 8)))`;

  const hashInteger = (expr: string): string => {
    // UInt64 arithmetic wraps modulo 2^64, as splitmix64 needs; the key is taken modulo 2^64 by toUInt64(toInt64(...)).
    const z1 = `(toUInt64(toInt64(${expr})) + ${GOLDEN})`;
    const z3 = mixStep(mixStep(z1, 30, MIX1), 27, MIX2);
    return `bitXor(${z3}, bitShiftRight(${z3}, 31))`;
  };

  /** Where a row of a new table goes: by customer when the table has a customer, anywhere otherwise. */
  const shardingKey = (columns: readonly ColumnSpec[]): string => {
    const customer = columns.find((c) => c.name === SHARDING_COLUMN);
    if (customer === undefined) return 'rand()';
    const id = quoteIdent(customer.name);
    // The portable hash, not cityHash64: a customer's shard is then computable
    // anywhere (md5Hash64(id) % shards with equal weights), e.g. to load shards directly.
    const hash = customer.type === 'int32' || customer.type === 'int64' ? hashInteger(id) : hashString(id);
    return customer.nullable === false ? hash : `ifNull(${hash}, toUInt64(0))`;
  };

  const createTable = (table: string, columns: readonly ColumnSpec[]): string => {
    if (columns.length === 0) throw new TypeError('A table needs at least one column');
    assertStorableName(table, 'table');
    for (const c of columns) assertStorableName(c.name, 'column');
    const defs = columns.map((c) => `${quoteIdent(c.name)} ${columnType(c.type, c.nullable !== false)}`).join(', ');
    // A sorting key cannot be Nullable on 18.16; a non-null customer id keeps a customer's rows together.
    const customer = columns.find((c) => c.name === SHARDING_COLUMN && c.nullable === false);
    const orderBy = customer === undefined ? 'tuple()' : quoteIdent(customer.name);
    const mergeTree = `ENGINE = MergeTree() ORDER BY ${orderBy}`;
    const cluster = layout.cluster;
    if (cluster === undefined) return `CREATE TABLE ${qualify(layout.database, table)} (${defs}) ${mergeTree}`;
    // Two statements, each run on every shard by the engine: the shard's part, then the Distributed table over all parts.
    const distributed = `Distributed(${stringLiteral(cluster.name)}, ${stringLiteral(cluster.localDatabase)}, ${stringLiteral(table)}, ${shardingKey(columns)})`;
    return [
      `CREATE TABLE ${qualify(cluster.localDatabase, table)} (${defs}) ${mergeTree}`,
      `CREATE TABLE ${qualify(layout.database, table)} (${defs}) ENGINE = ${distributed}`,
    ].join(';\n');
  };

  const utc = (expr: string): string => `toDateTime(${expr}, 'UTC')`;

  const dialect: ClickHouseDialect = {
    name: 'clickhouse',
    layout,
    quoteIdent,
    qualify,
    literal,
    columnType,
    createTable,

    integerSeries(count: number, column: string): string {
      if (!Number.isSafeInteger(count) || count < 0) throw new TypeError(`Series length ${count} must be a non-negative integer`);
      // Not numbers(count): on 18.16 numbers(0) never ends.
      return `(SELECT number AS ${quoteIdent(column)} FROM system.numbers LIMIT ${count})`;
    },

    dateTrunc(unit: TimeUnit, expr: string): string {
      const t = utc(expr);
      switch (unit) {
        case 'second':
          return t;
        case 'minute':
          return `toStartOfMinute(${t})`;
        case 'hour':
          return `toStartOfHour(${t})`;
        case 'day':
          return `toStartOfDay(${t})`;
        // These return a Date: back to a UTC timestamp at midnight. toMonday: weeks start on Monday.
        case 'week':
          return utc(`toMonday(${t})`);
        case 'month':
          return utc(`toStartOfMonth(${t})`);
        case 'quarter':
          return utc(`toStartOfQuarter(${t})`);
        case 'year':
          return utc(`toStartOfYear(${t})`);
      }
    },

    dateDiff(unit: 'second' | 'day', start: string, end: string): string {
      const seconds = `(toInt64(${utc(end)}) - toInt64(${utc(start)}))`;
      // intDiv truncates toward zero, as the contract asks.
      return unit === 'second' ? seconds : `intDiv(${seconds}, 86400)`;
    },

    addDays(expr: string, days: string | number): string {
      return `addDays(${utc(expr)}, toInt64(${days}))`;
    },

    quantileExact(expr: string, p: number): string {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`Quantile ${p} outside [0, 1]`);
      // Type 1 (inverse empirical CDF): the value of rank ceil(n p), at least 1.
      // quantileExact(p) picks rank floor(n p) + 1, which differs whenever n p
      // is a whole number, so the rank is taken from the sorted values here
      // (the same memory as quantileExact: both hold the group's values).
      const n = `count(${expr})`;
      return `if(${n} = 0, NULL, arrayElement(arraySort(groupArray(${expr})), toUInt64(greatest(1, ceil(${n} * ${literal(p)})))))`;
    },

    runningTotals(select: string, column: string, names: RunningTotalNames): string {
      // No window functions before 21.9: the values are gathered into one
      // sorted array (a groupArray: on a cluster each shard sends its values
      // and the server running this subquery merges them, as for
      // quantileExact), then unrolled with their positions and running sums.
      // Ties need no order: position and running sum come from the same array.
      const sorted = quoteIdent('__cx_sorted');
      const [v, i, c] = ['__cx_value', '__cx_position', '__cx_running'].map(quoteIdent) as [string, string, string];
      const gathered = `(SELECT arraySort(groupArray(toFloat64(${quoteIdent(column)}))) AS ${sorted} FROM (${select}))`;
      return (
        `(SELECT ${v} AS ${quoteIdent(names.value)}, toFloat64(${i}) AS ${quoteIdent(names.position)}, ${c} - ${v} AS ${quoteIdent(names.before)} ` +
        `FROM ${gathered} ARRAY JOIN ${sorted} AS ${v}, arrayEnumerate(${sorted}) AS ${i}, arrayCumSum(${sorted}) AS ${c})`
      );
    },

    toDouble(expr: string): string {
      return `toFloat64(${expr})`;
    },

    naturalLog(expr: string): string {
      return `log(${expr})`;
    },

    assumeNotNull(expr: string): string {
      return `assumeNotNull(${expr})`;
    },

    sumOfProducts(pairs: readonly (readonly [string, string])[], weight: string): string {
      // The lambda's parameters shadow columns of the same name; customer_facts has none starting with _.
      return `sumForEach(arrayMap((_pa, _pb) -> _pa * _pb * ${weight}, [${pairs.map(([a]) => a).join(', ')}], [${pairs.map(([, b]) => b).join(', ')}]))`;
    },

    toMoney(expr: string): string {
      return `toDecimal64(${expr}, 4)`;
    },

    toString(expr: string): string {
      return `toString(${expr})`;
    },

    // lower() is ASCII only here, and lowerUTF8 leaves the capitals whose lower case is another number of bytes.
    lower(expr: string): string {
      return WIDTH_CHANGING_CAPITALS.reduce((text, [upper, lower]) => `replaceAll(${text}, ${stringLiteral(upper)}, ${stringLiteral(lower)})`, `lowerUTF8(${expr})`);
    },

    // No contains() on 18.16; position() counts bytes, which is all containment needs in UTF-8.
    contains(haystack: string, needle: string): string {
      return `(position(${haystack}, ${needle}) > 0)`;
    },

    hashString,
    hashInteger,

    fromEpochSeconds(expr: string): string {
      // Floored to the second (no sub-second DateTime); outside 1970..2105 the
      // server would wrap the value, so it raises an error instead.
      const inRange = `ifNull(NOT (${expr} >= 0 AND ${expr} < ${MAX_DATETIME_SECONDS + 1}), 0)`;
      return utc(`toUInt32(floor(${expr}) + throwIf(${inRange}))`);
    },

    epochSeconds(expr: string): string {
      return `toFloat64(toUInt32(${expr}))`;
    },

    countDistinct(expr: string): string {
      // On 18.16 uniqExact over a Nullable column whose values are all NULL
      // (or over no rows) is NULL, not 0.
      return `ifNull(uniqExact(${expr}), toUInt64(0))`;
    },

    globalJoin(kind: 'INNER' | 'LEFT'): string {
      return layout.cluster === undefined ? `${kind} JOIN` : `GLOBAL ${kind} JOIN`;
    },

    shardLocalTable(table: string): string {
      // The shard's MergeTree part (layout.ts); on a single server the table itself.
      return qualify(layout.cluster?.localDatabase ?? layout.database, table);
    },

    ifThen(cond: string, then: string, otherwise: string): string {
      return `(CASE WHEN ${cond} THEN ${then} ELSE ${otherwise} END)`;
    },

    boolToInt(expr: string): string {
      // Accepts a boolean column (the enum), a boolean literal ('true') and a comparison (UInt8 0/1).
      return `toInt32(CAST(${expr} AS Nullable(${BOOLEAN_TYPE})))`;
    },
  };
  return dialect;
}
