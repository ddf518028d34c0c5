import type { CanonicalTableName } from '../model/tables.js';

/** Text encodings the importer can read (cxray.yaml `csv.encoding`). */
export type Encoding = 'utf-8' | 'latin-1' | 'windows-1252' | 'utf-16';

export interface ValueCount {
  value: string;
  count: number;
}

/** How a column's dates are written, as `format` for cxray.yaml, with the evidence. */
export interface DateGuess {
  format: string;
  example: string;
  /** Why this format, and what to check. */
  note: string;
}

export interface NumberGuess {
  /** Every value is a whole number (no decimal part written). */
  integer: boolean;
  decimal: '.' | ',';
  /** A currency symbol or code written in the values ($, €, £, USD). */
  symbol?: string;
  negative: boolean;
  min: number;
  max: number;
}

export interface BooleanGuess {
  /** Source text -> true/false, as seen (matching is case-insensitive). */
  map: Record<string, boolean>;
}

/** What the sampled values of one column look like. */
export interface ColumnProfile {
  index: number;
  /** Header as written (SurveyMonkey: the two header rows merged). */
  name: string;
  /** Lower-cased, spaces collapsed, for matching header patterns. */
  key: string;
  /** A description row under the names (Qualtrics row 2: the question text). */
  description?: string;
  /** Qualtrics row 3 ImportId (`QID1`, `startDate`...). */
  importId?: string;
  /** Qualtrics row 3 time zone of a date column. */
  timeZone?: string;
  /** Non-blank sampled values, trimmed. */
  values: string[];
  blanks: number;
  /** Cells made only of spaces (read as NULL via `csv.null_values`). */
  whitespaceOnly: string[];
  distinct: number;
  unique: boolean;
  /** Every value in the whole file with its count, for columns with few distinct values. */
  allValues?: ValueCount[];
  date?: DateGuess;
  number?: NumberGuess;
  boolean?: BooleanGuess;
  email: boolean;
}

export interface FileInspection {
  /** Absolute path. */
  path: string;
  fileName: string;
  encoding: Encoding;
  bom: boolean;
  delimiter: string;
  headerRows: number;
  namesRow: number;
  mergeHeaderRows: boolean;
  dropFooters: boolean;
  nullValues: string[];
  columns: ColumnProfile[];
  /** Data rows sampled (at most 500). */
  sampleSize: number;
}

/** A comment for the line at `path` in the written cxray.yaml. */
export interface Note {
  path: (string | number)[];
  text: string;
}

/** The tool an export came from, or a generic reading of it. */
export interface Recognition {
  /** Tool id, e.g. `stripe-payments`; `generic-<table>` when only generic signals matched. */
  tool: string;
  label: string;
  tables: CanonicalTableName[];
  /** Suggested source name in cxray.yaml. */
  sourceName: string;
  /** The signals that matched, for the comment. */
  evidence: string[];
  /** Set when the file is recognised but must be left out. */
  leaveOut?: string;
  /** A known trap of this export, for the comment above its source. */
  advice?: string;
}
