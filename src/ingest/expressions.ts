import type { SqlDialect } from '../engine/dialect.js';
import type { QuarantineReason } from '../model/ledger.js';

/**
 * SQL that reads one raw text value into a typed value, run by DuckDB (the
 * SourceReader always is). Each parser returns the typed expression and a
 * predicate that is true when a non-blank value could not be read, so the
 * row is quarantined with a reason instead of loading a silent NULL.
 */
export interface ParsedValue {
  value: string;
  /** True when the raw text is present but unreadable. */
  invalid: string;
  reason: QuarantineReason;
  /**
   * The value is NULL exactly when a present raw text was unreadable, so the
   * check can test the computed column instead of parsing again (parsing is
   * the costly part of an import).
   */
  nullIsInvalid?: boolean;
}

/**
 * Names an intermediate value so a caller can compute it once per row (in an
 * inner projection) and reference it from every place that reads it; the
 * default inlines it. DuckDB does not share a subexpression that sits inside
 * a CASE branch, so without this a parsed date is parsed once for its range
 * check and again for its value.
 */
export type Bind = (sql: string) => string;
export const inline: Bind = (sql) => `(${sql})`;

export const trimmed = (raw: string): string => `NULLIF(trim(${raw}), '')`;
export const isBlank = (raw: string): string => `(${raw} IS NULL OR trim(${raw}) = '')`;

const NAIVE_ISO = [
  '%Y-%m-%d %H:%M:%S',
  '%Y-%m-%d %H:%M:%S.%f',
  '%Y-%m-%d %H:%M',
  '%Y-%m-%d',
  '%Y-%m-%dT%H:%M:%S',
  '%Y-%m-%dT%H:%M:%S.%f',
  '%Y-%m-%dT%H:%M',
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d %H:%M',
  '%Y/%m/%d',
];
const ZONED_ISO = [
  '%Y-%m-%dT%H:%M:%S%z',
  '%Y-%m-%dT%H:%M:%S.%f%z',
  '%Y-%m-%dT%H:%M%z',
  '%Y-%m-%d %H:%M:%S %z',
  '%Y-%m-%d %H:%M:%S%z',
  '%Y-%m-%d %H:%M:%S.%f%z',
  '%Y-%m-%d %H:%M %z',
];

function slashed(order: 'mdy' | 'dmy' | 'ymd'): string[] {
  const dates =
    order === 'mdy'
      ? ['%m/%d/%Y', '%m-%d-%Y', '%m.%d.%Y', '%m/%d/%y']
      : order === 'dmy'
        ? ['%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%d/%m/%y']
        : ['%Y/%m/%d', '%Y.%m.%d', '%y/%m/%d'];
  const times = ['', ' %H:%M:%S', ' %H:%M', ' %I:%M:%S %p', ' %I:%M %p', ' %H:%M:%S.%f'];
  return dates.flatMap((d) => times.map((t) => d + t));
}

const SPECIFIERS: Record<string, string> = {
  Y: '\\d{4}',
  y: '\\d{2}',
  m: '\\d{1,2}',
  d: '\\d{1,2}',
  H: '\\d{1,2}',
  I: '\\d{1,2}',
  M: '\\d{1,2}',
  S: '\\d{1,2}',
  f: '\\d{1,9}',
  p: '[AaPp][Mm]',
  z: '(?:[+-]\\d{2}:?\\d{2}|[Zz])',
  '%': '%',
};

/** A regular expression for the exact shape a strptime format reads, or null for specifiers it does not know. */
export function formatShape(format: string): string | null {
  let out = '';
  for (let i = 0; i < format.length; i += 1) {
    const ch = format[i] as string;
    if (ch === '%') {
      const spec = SPECIFIERS[format[i + 1] ?? ''];
      if (spec === undefined) return null;
      out += spec;
      i += 1;
    } else out += /[A-Za-z0-9 ]/.test(ch) ? ch : `\\${ch}`;
  }
  return out;
}

/**
 * The first format that reads the text. Each format runs only on text of its
 * exact shape: DuckDB 1.5.6 crashed (SIGSEGV in StrpTimeFormat::Parse, about
 * one import in ten) when a format was tried on text of another shape.
 */
function firstFormat(d: SqlDialect, text: string, formats: string[]): string {
  // A CASE chain, not COALESCE: each WHEN runs only on the rows no earlier
  // shape matched, so a value costs one or two regular expressions, not forty.
  const guarded: string[] = [];
  const unguarded: string[] = [];
  for (const f of formats) {
    const shape = formatShape(f);
    const parse = `try_strptime(${text}, ${d.literal(f)})`;
    if (shape === null) unguarded.push(parse);
    else guarded.push(`WHEN regexp_full_match(${text}, ${d.literal(shape)}) THEN ${parse}`);
  }
  const fallback = unguarded.length === 0 ? '' : ` ELSE ${unguarded.length === 1 ? unguarded[0] : `COALESCE(${unguarded.join(', ')})`}`;
  return guarded.length === 0 ? (unguarded.length === 1 ? (unguarded[0] as string) : `COALESCE(${unguarded.join(', ')})`) : `CASE ${guarded.join(' ')}${fallback} END`;
}

export interface TimestampOptions {
  /** auto | iso | mdy | dmy | ymd | yyyymmdd | epoch_s | epoch_ms | epoch_us | excel | a strptime pattern */
  format: string;
  /** Zone of timestamps written without an offset. */
  timezone: string;
  /** Order used by `auto` for slashed dates. */
  dateOrder: 'mdy' | 'dmy' | 'ymd';
}

/**
 * A timestamp as a UTC TIMESTAMP, floored to the second. Values with an
 * offset (or `Z`) keep their instant; values without are read in the
 * workspace time zone. Years outside
 * 1800..2200 are treated as unreadable (a typo, not a customer).
 */
export function parseTimestamp(d: SqlDialect, raw: string, options: TimestampOptions, bind: Bind = inline): ParsedValue {
  const t = bind(trimmed(raw));
  // %z does not accept a bare Z: spell it as an offset.
  const tz = `regexp_replace(${t}, '[Zz]$', '+00:00')`;
  // Naive text read in UTC is already UTC: the two conversions would be the
  // identity, at the cost of two calendar computations per value.
  const local = (naive: string): string => (options.timezone === 'UTC' ? naive : `timezone('UTC', timezone(${d.literal(options.timezone)}, ${naive}))`);
  const zoned = (expr: string): string => `timezone('UTC', ${expr})`;
  const digits = `TRY_CAST(${t} AS DOUBLE)`;
  let value: string;
  switch (options.format) {
    case 'epoch_s':
      value = `make_timestamp(CAST(round(${digits} * 1000000) AS BIGINT))`;
      break;
    case 'epoch_ms':
      value = `make_timestamp(CAST(round(${digits} * 1000) AS BIGINT))`;
      break;
    case 'epoch_us':
      value = `make_timestamp(TRY_CAST(${t} AS BIGINT))`;
      break;
    case 'excel':
      value = `(TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(${digits} * 86400000000) AS BIGINT)))`;
      break;
    case 'yyyymmdd':
      value = local(firstFormat(d, t, ['%Y%m%d']));
      break;
    case 'mdy':
    case 'dmy':
    case 'ymd':
      value = `COALESCE(${local(firstFormat(d, t, [...slashed(options.format), ...NAIVE_ISO]))}, ${zoned(firstFormat(d, tz, ZONED_ISO))})`;
      break;
    case 'auto':
    case 'iso':
      value = `COALESCE(${local(firstFormat(d, t, options.format === 'auto' ? [...NAIVE_ISO, ...slashed(options.dateOrder)] : NAIVE_ISO))}, ${zoned(firstFormat(d, tz, ZONED_ISO))})`;
      break;
    default:
      value = options.format.includes('%z') ? zoned(firstFormat(d, tz, [options.format])) : local(firstFormat(d, t, [options.format]));
  }
  value = bind(value);
  const inRange = `(year(${value}) BETWEEN 1800 AND 2200)`;
  // Stored to the whole second (floored) whatever the store: ClickHouse's
  // DateTime holds seconds, and the same files must give the same facts on
  // every engine (ties in "latest", day and tenure boundaries).
  const guarded = `CASE WHEN ${inRange} THEN date_trunc('second', ${value}) END`;
  return { value: `CAST(${guarded} AS TIMESTAMP)`, invalid: `(NOT ${isBlank(raw)} AND ${guarded} IS NULL)`, reason: 'bad_date', nullIsInvalid: true };
}

/**
 * A number written by a person or a tool: currency symbols and codes,
 * thousands separators, parentheses or a leading minus for negatives, a
 * decimal comma when declared. Returns normalised text `-1234.56`, or NULL.
 */
export function normaliseNumberText(d: SqlDialect, raw: string, decimal: '.' | ','): string {
  const t = trimmed(raw);
  // (12.50) -> -12.50 ; strip currency symbols, ISO codes and spaces (incl. no-break and thin spaces).
  const negParen = `regexp_replace(${t}, '^\\((.*)\\)$', '-\\1')`;
  const stripped = `regexp_replace(regexp_replace(regexp_replace(${negParen}, '^[A-Za-z]{3}\\s*', ''), '\\s*[A-Za-z]{3}$', ''), '[\\s\\x{00A0}\\x{202F}$€£¥₹]', '', 'g')`;
  const signFixed = stripped;
  const grouping =
    decimal === '.'
      ? `CASE WHEN regexp_full_match(${signFixed}, '-?\\d{1,3}(,\\d{3})+(\\.\\d+)?') THEN replace(${signFixed}, ',', '') ELSE ${signFixed} END`
      : `CASE WHEN regexp_full_match(${signFixed}, '-?\\d{1,3}(\\.\\d{3})+(,\\d+)?') THEN replace(replace(${signFixed}, '.', ''), ',', '.') ELSE replace(${signFixed}, ',', '.') END`;
  void d;
  return `CASE WHEN regexp_full_match(${grouping}, '-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?') THEN ${grouping} END`;
}

/**
 * Most cells are plain numbers: try the direct cast first and run the
 * normaliser (regular expressions, the costly part of an import) only on the
 * rest. Only with a decimal point: with a decimal comma, `1.234` means 1234.
 */
function fastNumber(raw: string, decimal: '.' | ',', slow: string, type: string, bind: Bind, directType = type): string {
  if (decimal !== '.') return bind(`TRY_CAST(${slow} AS ${type})`);
  const direct = bind(`TRY_CAST(trim(${raw}) AS ${directType})`);
  return bind(`CASE WHEN ${direct} IS NOT NULL THEN ${direct} ELSE TRY_CAST(${slow} AS ${type}) END`);
}

export function parseMoney(d: SqlDialect, raw: string, options: { decimal: '.' | ','; unit: 'major' | 'minor' }, bind: Bind = inline): ParsedValue {
  const text = normaliseNumberText(d, raw, options.decimal);
  // Text to DECIMAL(38,4) (a 128-bit decimal) is about a hundred times slower
  // than to DECIMAL(18,4) in DuckDB 1.5.6. Major units are stored as
  // DECIMAL(18,4), so they are read as that directly (the same value, and
  // NULL for the same texts). Minor units are divided by 100 afterwards, so
  // the wide type stays for texts the narrow one cannot hold.
  const parsed =
    options.unit === 'major'
      ? fastNumber(raw, options.decimal, text, 'DECIMAL(18,4)', bind)
      : fastNumber(raw, options.decimal, text, 'DECIMAL(38,4)', bind, 'DECIMAL(18,4)');
  const major = options.unit === 'minor' ? `(${parsed} / 100)` : parsed;
  const value = `TRY_CAST(${major} AS DECIMAL(18,4))`;
  return { value, invalid: `(NOT ${isBlank(raw)} AND ${value} IS NULL)`, reason: 'not_a_number', nullIsInvalid: true };
}

export function parseNumber(d: SqlDialect, raw: string, options: { decimal: '.' | ',' }, bind: Bind = inline): ParsedValue {
  const text = normaliseNumberText(d, raw, options.decimal);
  const number = fastNumber(raw, options.decimal, text, 'DOUBLE', bind);
  const value = `CASE WHEN isfinite(${number}) THEN ${number} END`;
  return { value, invalid: `(NOT ${isBlank(raw)} AND ${value} IS NULL)`, reason: 'not_a_number', nullIsInvalid: true };
}

export function parseInteger(d: SqlDialect, raw: string, options: { decimal: '.' | ',' }, bind: Bind = inline): ParsedValue {
  const number = bind(parseNumber(d, raw, options, bind).value);
  const value = `CASE WHEN ${number} = trunc(${number}) AND abs(${number}) < 9.0e15 THEN CAST(${number} AS BIGINT) END`;
  return { value, invalid: `(NOT ${isBlank(raw)} AND ${value} IS NULL)`, reason: 'not_a_number', nullIsInvalid: true };
}

const TRUE_WORDS = ['true', 't', 'yes', 'y', '1', 'on', 'x', 'checked'];
const FALSE_WORDS = ['false', 'f', 'no', 'n', '0', 'off', 'unchecked'];

/**
 * Text as cells and listed values are compared, case-insensitive and
 * trimmed: through the engine's own trim and lower, for a cell and for a value
 * from cxray.yaml alike (JavaScript's differ on some letters and spaces).
 */
export function foldedText(sql: string): string {
  return `lower(trim(${sql}))`;
}

/** A value from cxray.yaml folded as cells are (`foldedText`), bound as a literal. */
export function foldedLiteral(d: SqlDialect, value: string): string {
  return foldedText(d.literal(value));
}

/**
 * A value looked up in a map (case-insensitive, trimmed). Text not in the map
 * takes the default when one is declared, else the row is quarantined.
 */
export function parseMapped(
  d: SqlDialect,
  raw: string,
  map: Record<string, string | number | boolean | null>,
  options: { fallback?: string | number | boolean | null | undefined; castTo: string },
): ParsedValue & { unmapped: string } {
  const key = foldedText(raw);
  const entries = Object.entries(map);
  const mapKey = (k: string): string => foldedLiteral(d, k);
  const whens = entries.map(([k, v]) => `WHEN ${mapKey(k)} THEN CAST(${d.literal(v)} AS ${options.castTo})`).join(' ');
  const matched = entries.length === 0 ? 'FALSE' : `${key} IN (${entries.map(([k]) => mapKey(k)).join(', ')})`;
  const fallback = options.fallback === undefined ? 'NULL' : `CAST(${d.literal(options.fallback)} AS ${options.castTo})`;
  const value = entries.length === 0 ? fallback : `CASE ${key} ${whens} ELSE ${fallback} END`;
  const unmapped = `(NOT ${isBlank(raw)} AND NOT (${matched}))`;
  return {
    value: `CASE WHEN ${isBlank(raw)} THEN NULL ELSE ${value} END`,
    invalid: options.fallback === undefined ? unmapped : 'FALSE',
    unmapped: options.fallback === undefined ? 'FALSE' : unmapped,
    reason: 'invalid_value',
  };
}

export function parseBoolean(
  d: SqlDialect,
  raw: string,
  map: Record<string, string | number | boolean | null> | undefined,
  fallback?: string | number | boolean | null,
): ParsedValue & { unmapped: string } {
  const words: Record<string, boolean | string | number | null> = {};
  if (map === undefined) {
    for (const w of TRUE_WORDS) words[w] = true;
    for (const w of FALSE_WORDS) words[w] = false;
  } else Object.assign(words, map);
  return parseMapped(d, raw, words, { fallback, castTo: 'BOOLEAN' });
}

/** A value that must be one of `allowed` (after an optional map). */
export function parseEnum(
  d: SqlDialect,
  raw: string,
  allowed: readonly string[],
  map: Record<string, string | number | boolean | null> | undefined,
  fallback?: string | number | boolean | null,
): ParsedValue & { unmapped: string } {
  const identity: Record<string, string> = {};
  for (const a of allowed) identity[a] = a;
  return parseMapped(d, raw, { ...identity, ...(map ?? {}) }, { fallback, castTo: 'VARCHAR' });
}
