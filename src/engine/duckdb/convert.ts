// DuckDB values -> the engine-neutral RowValue conventions of engine/types.ts.
import {
  DuckDBDateValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  arrayFromArrayValue,
  arrayFromListValue,
  bigintFromBigIntValue,
  booleanFromValue,
  createDuckDBValueConverter,
  nullConverter,
  numberFromValue,
  stringFromValue,
  type DuckDBDataChunk,
  type DuckDBValue,
  type DuckDBValueConverter,
} from '@duckdb/node-api';
import { CxrayError } from '../../errors.js';
import type { Row, RowValue } from '../types.js';

// JS Date's range: ±8.64e15 ms around 1970.
const MAX_MS = 8_640_000_000_000_000n;

/** Floor division: pre-1970 instants with sub-millisecond parts must round toward the past, not toward 1970. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function isoFromMillis(ms: bigint): string {
  if (ms > MAX_MS || ms < -MAX_MS) {
    throw new CxrayError('value_out_of_range', `A timestamp (${ms} ms from 1970) is outside the range a JS Date can hold.`, {
      hint: 'Filter or cast such timestamps in SQL (e.g. infinity) before reading them.',
    });
  }
  return new Date(Number(ms)).toISOString();
}

function timestampIso(value: DuckDBValue): string {
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return isoFromMillis(floorDiv(value.micros, 1000n));
  }
  if (value instanceof DuckDBTimestampNanosecondsValue) return isoFromMillis(floorDiv(value.nanos, 1_000_000n));
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoFromMillis(value.millis);
  if (value instanceof DuckDBTimestampSecondsValue) return isoFromMillis(value.seconds * 1000n);
  throw new TypeError(`Expected a timestamp value, got ${String(value)}`);
}

function dateText(value: DuckDBValue): string {
  if (value instanceof DuckDBDateValue) return value.toString();
  throw new TypeError(`Expected a date value, got ${String(value)}`);
}

const converters: Partial<Record<DuckDBTypeId, DuckDBValueConverter<RowValue>>> = {
  [DuckDBTypeId.SQLNULL]: nullConverter,
  [DuckDBTypeId.BOOLEAN]: booleanFromValue,
  [DuckDBTypeId.TINYINT]: numberFromValue,
  [DuckDBTypeId.SMALLINT]: numberFromValue,
  [DuckDBTypeId.INTEGER]: numberFromValue,
  [DuckDBTypeId.UTINYINT]: numberFromValue,
  [DuckDBTypeId.USMALLINT]: numberFromValue,
  [DuckDBTypeId.UINTEGER]: numberFromValue,
  [DuckDBTypeId.FLOAT]: numberFromValue,
  [DuckDBTypeId.DOUBLE]: numberFromValue,
  [DuckDBTypeId.BIGINT]: bigintFromBigIntValue,
  [DuckDBTypeId.UBIGINT]: bigintFromBigIntValue,
  [DuckDBTypeId.HUGEINT]: bigintFromBigIntValue,
  [DuckDBTypeId.UHUGEINT]: bigintFromBigIntValue,
  [DuckDBTypeId.VARCHAR]: stringFromValue,
  [DuckDBTypeId.UUID]: stringFromValue,
  [DuckDBTypeId.ENUM]: stringFromValue,
  // Exact: "12.3400", never a double.
  [DuckDBTypeId.DECIMAL]: stringFromValue,
  [DuckDBTypeId.DATE]: dateText,
  [DuckDBTypeId.TIMESTAMP]: timestampIso,
  [DuckDBTypeId.TIMESTAMP_S]: timestampIso,
  [DuckDBTypeId.TIMESTAMP_MS]: timestampIso,
  [DuckDBTypeId.TIMESTAMP_NS]: timestampIso,
  [DuckDBTypeId.TIMESTAMP_TZ]: timestampIso,
  [DuckDBTypeId.LIST]: arrayFromListValue as DuckDBValueConverter<RowValue>,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue as DuckDBValueConverter<RowValue>,
  [DuckDBTypeId.INTERVAL]: stringFromValue,
  [DuckDBTypeId.TIME]: stringFromValue,
};

export const rowValueConverter = createDuckDBValueConverter<RowValue>(
  converters as Record<DuckDBTypeId, DuckDBValueConverter<RowValue> | undefined>,
);

/**
 * Row objects from a chunk. Plain assignment would turn a column named
 * `__proto__` into a prototype change and drop the value, so such a name
 * is defined as an own property instead.
 */
export function appendRowObjects(chunk: DuckDBDataChunk, names: readonly string[], out: Row[]): void {
  const rows = chunk.convertRows(rowValueConverter);
  const plain = !names.includes('__proto__');
  for (const values of rows) {
    const row: Row = {};
    for (let c = 0; c < names.length; c += 1) {
      const name = names[c] as string;
      const value = values[c] ?? null;
      if (plain || name !== '__proto__') row[name] = value;
      else Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
    }
    out.push(row);
  }
}
