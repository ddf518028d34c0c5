/**
 * Why a row was quarantined. Stable codes: the simulator's truth.json lists
 * its planted bad rows with these, and tests compare them one for one.
 */
export const QUARANTINE_REASONS = {
  wrong_column_count: 'the row has a different number of columns than the header',
  unterminated_quote: 'a quoted field is never closed',
  bad_encoding: 'the row is not valid text in the declared encoding',
  bad_date: 'a date or time could not be read',
  not_a_number: 'a number or amount could not be read',
  missing_value: 'a required value is blank',
  invalid_value: 'a value is not one of the allowed values',
  negative_amount: 'an amount is negative where only positive amounts are allowed',
  unknown_customer: 'the customer is not in the customers source',
  conflicting_duplicate: 'another row has the same key with different values',
  unknown_currency: 'the currency has no declared exchange rate',
} as const;

export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

/** Why a value was changed on the way in (the row is still loaded). */
export const COERCION_REASONS = {
  blank_to_null: 'a blank optional value was loaded as NULL',
  trimmed: 'surrounding spaces were removed',
  unmapped_to_default: 'a value with no mapping was loaded as the declared default',
  formula_prefix_stripped: "a leading apostrophe (spreadsheet text marker) was removed",
} as const;

export type CoercionReason = keyof typeof COERCION_REASONS;

/**
 * What happened to every row of one file. Invariant: `read = loaded + quarantined`,
 * where `loaded = inserted + duplicates + excluded`:
 * - inserted: stored as canonical rows;
 * - duplicates: exact copies of a stored row (dropped, counted);
 * - excluded: read and deliberately not used by a declared rule (a `where`
 *   filter, a report footer, a survey preview), counted by rule.
 */
export interface FileLedger {
  source: string;
  file: string;
  sha256: string;
  read: number;
  loaded: number;
  quarantined: number;
  inserted: number;
  duplicates: number;
  excluded: number;
  excludedByRule: Record<string, number>;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
  coerced: { column: string; reason: CoercionReason; count: number }[];
  /** Rows whose customer was matched by the identity map, derived (no customers source), or not matched. */
  identity: { matched: number; derived: number; unmatched: number };
  /** Whether this file's rows were reused unchanged from the previous version. */
  reused: boolean;
}

export interface ImportLedger {
  version: number;
  createdAt: string;
  asOf: string;
  configHash: string;
  files: FileLedger[];
  totals: { read: number; loaded: number; quarantined: number; inserted: number; duplicates: number; excluded: number };
  tables: Record<string, number>;
  /** Where the version's tables are; absent means the embedded DuckDB file `store/vNNNNNN.duckdb`. */
  store?: StoreLocation;
}

/** Where one import version's tables are kept. */
export type StoreLocation = { engine: 'duckdb' } | { engine: 'clickhouse'; database: string; localDatabase: string | null };

/** One quarantined row as shown to a person and written to `quarantine/<source>.csv`. */
export interface QuarantinedRow {
  source: string;
  file: string;
  line: number;
  column: string | null;
  reason: QuarantineReason;
  detail: string;
  raw: string;
}
